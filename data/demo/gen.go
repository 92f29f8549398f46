//go:build ignore

// Command gen writes the demo pool under pool/ from a fixed seed: the same
// seed always gives byte-identical files. Run it with
//
//	go generate ./data/demo
//
// (or "go run gen.go -out DIR" in this folder). Everything in the pool is
// fictional: people, e-mail addresses (example domains), training
// providers and their keys. The signing keys are derived from the seed, so
// anyone can re-create the pool — they protect nothing and must never be
// used outside the demo.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// seed drives every random choice and every key.
const seed = "skillmatch demo pool 2026"

// demoNow is the moment the pool's statuses are stated as of (see
// demo.Now); credentials are issued before it and some expire before it.
var demoNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// provider is a fictional training provider that issues Open Badges 3.0
// credentials signed with a did:key.
type provider struct {
	key, name, host, country string
	trusted                  bool
	statusList               bool // publishes a revocation status list
	colour                   color.RGBA

	priv    ed25519.PrivateKey
	did, vm string
	revoked []int // status list indexes set
	next    int   // next status list index
}

func (p *provider) profile() map[string]any {
	return map[string]any{
		"id": p.did, "type": []any{"Profile"}, "name": p.name, "url": "https://" + p.host + "/",
		"address": map[string]any{"type": []any{"Address"}, "addressCountry": p.country},
	}
}

func (p *provider) statusURL() string { return "https://" + p.host + "/status/revocation/1" }

var providers = []*provider{
	{key: "northgate", name: "Northgate Skills Institute", host: "northgate-skills.example", country: "CA", trusted: true, statusList: true, colour: color.RGBA{0x1f, 0x5f, 0xa8, 0xff}},
	{key: "harbourview", name: "Harbourview Health Academy", host: "harbourview-health.example", country: "CA", trusted: true, statusList: true, colour: color.RGBA{0x2e, 0x8b, 0x57, 0xff}},
	{key: "stlaurent", name: "École culinaire Saint-Laurent", host: "ecole-culinaire-stlaurent.example", country: "CA", trusted: true, statusList: true, colour: color.RGBA{0xb2, 0x22, 0x22, 0xff}},
	{key: "meridian", name: "Meridian Logistics Training", host: "meridian-logistics.example", country: "CA", trusted: true, statusList: true, colour: color.RGBA{0xe0, 0x8a, 0x00, 0xff}},
	{key: "brightfield", name: "Brightfield Energy College", host: "brightfield-energy.example", country: "CA", trusted: true, statusList: true, colour: color.RGBA{0xf2, 0xc1, 0x00, 0xff}},
	{key: "keystone", name: "Keystone Industrial Training", host: "keystone-industrial.example", country: "CA", trusted: true, statusList: true, colour: color.RGBA{0x55, 0x55, 0x66, 0xff}},
	{key: "safework", name: "SafeWork Academy", host: "safework-academy.example", country: "CA", trusted: true, statusList: true, colour: color.RGBA{0xd9, 0x4f, 0x00, 0xff}},
	// Not on the trust list: its credentials verify but count less.
	{key: "quickcert", name: "QuickCert Online", host: "quickcert-online.example", country: "US", colour: color.RGBA{0x88, 0x44, 0xaa, 0xff}},
}

// riverside is the Open Badges 2.0 issuer of hosted badges (baked PNG/SVG).
const (
	riversideHost   = "https://badges.riverside-cc.example"
	riversideIssuer = riversideHost + "/issuer"
	riversideName   = "Riverside Community College"
)

// achievement is a credential a provider awards.
type achievement struct {
	key, provider    string
	name, desc, crit string
	tags             []string
	align            []string // taxonomy IDs; aligned by ESCO URI where the taxonomy has one
	credits          float64
	eqf              int
	lang             string
	validYears       int // 0 = no expiry
}

var achievements = []achievement{
	// Trades: electrical (Northgate).
	{key: "res-wiring", provider: "northgate", name: "Residential Wiring Fundamentals", desc: "Plan and install residential wiring: branch circuits, boxes, outlets and switches, to code.", crit: "Wired a full practice room under supervision and passed the practical inspection.", tags: []string{"electrical", "wiring"}, align: []string{"tc-residential-wiring", "tc-outlets-switches"}, credits: 3, eqf: 3},
	{key: "panels", provider: "northgate", name: "Electrical Panels and Service Upgrades", desc: "Install and upgrade electrical panels, install circuit breakers and size services.", crit: "Completed two supervised panel upgrades and a written test.", tags: []string{"electrical"}, align: []string{"tc-electrical-panels"}, credits: 4, eqf: 4},
	{key: "code", provider: "northgate", name: "Canadian Electrical Code in Practice", desc: "Apply the electrical code and electrical safety regulations to residential and small commercial jobs.", crit: "Passed the 60-question code exam with at least 75%.", tags: []string{"code", "compliance"}, align: []string{"tc-electrical-code"}, credits: 3, eqf: 4},
	{key: "troubleshooting", provider: "northgate", name: "Electrical Troubleshooting and Testing", desc: "Systematic fault finding in residential circuits; use a multimeter and insulation tester safely.", crit: "Diagnosed five staged faults within the time limit.", tags: []string{"troubleshooting"}, align: []string{"tc-electrical-testing", "tc-electrical-measurement"}, credits: 5, eqf: 4},
	{key: "diagrams", provider: "northgate", name: "Reading Wiring Diagrams and Blueprints", desc: "Blueprint reading for electricians: read electrical drawings, wiring diagrams and house plans.", crit: "Produced a material list from a set of house plans.", tags: []string{"drawings"}, credits: 2, eqf: 3},
	{key: "led", provider: "northgate", name: "LED Lighting Retrofits", desc: "Lighting installation and LED retrofit of fixtures in homes and shops.", crit: "Retrofitted a lighting circuit and documented the energy savings.", tags: []string{"lighting"}, align: []string{"tc-lighting-installation"}, credits: 1.5, eqf: 3},

	// Health care (Harbourview).
	{key: "psw", provider: "harbourview", name: "Personal Support Worker Certificate", desc: "Provide personal support and assistance with activities of daily living to clients at home and in long-term care.", crit: "600 hours of study including a 300-hour supervised placement.", tags: []string{"PSW", "personal care"}, align: []string{"hc-personal-support", "hc-daily-living-assistance"}, credits: 30, eqf: 4},
	{key: "dementia", provider: "harbourview", name: "Dementia Care Essentials", desc: "Person-centred dementia care: communication, responsive behaviours and daily routines.", crit: "Completed case studies and a reflective journal.", tags: []string{"dementia"}, align: []string{"hc-dementia-care"}, credits: 2, eqf: 3},
	{key: "mobility", provider: "harbourview", name: "Safe Mobility and Transfers", desc: "Transfer and reposition clients safely, including use of a mechanical lift.", crit: "Demonstrated six transfer techniques to an assessor.", tags: []string{"transfers"}, align: []string{"hc-mobility-transfers", "hc-mechanical-lift"}, credits: 1, eqf: 3},
	{key: "ipac", provider: "harbourview", name: "Infection Prevention and Control", desc: "Infection control in care settings: hand hygiene, PPE, cleaning and outbreak routines.", crit: "Passed the IPAC knowledge test and a hand-hygiene audit.", tags: []string{"IPAC"}, align: []string{"hc-infection-control", "hc-healthcare-hygiene"}, credits: 1, eqf: 3},
	{key: "meds", provider: "harbourview", name: "Medication Assistance for Care Aides", desc: "Assist clients with their medication safely and record it.", crit: "Supervised medication rounds and a written test.", tags: []string{"medication"}, align: []string{"hc-medication-assistance"}, credits: 2, eqf: 4},
	{key: "care-docs", provider: "harbourview", name: "Care Documentation and Reporting", desc: "Care documentation: write clear, objective care notes and report changes in a client's condition.", crit: "Portfolio of ten care notes reviewed by a nurse.", tags: []string{"documentation"}, align: []string{"hc-care-documentation"}, credits: 1, eqf: 3},

	// Hospitality (École culinaire Saint-Laurent, in French).
	{key: "cuisson", provider: "stlaurent", lang: "fr", name: "Techniques de cuisson", desc: "Maîtriser la cuisson des viandes, des légumes et des féculents en cuisine de restaurant, y compris la cuisson sur le gril.", crit: "Service complet de 40 couverts évalué par un chef.", tags: []string{"cuisine", "cuisson"}, align: []string{"hf-cooking", "hf-grill"}, credits: 4, eqf: 4},
	{key: "salubrite", provider: "stlaurent", lang: "fr", name: "Hygiène et salubrité alimentaire", desc: "Appliquer les règles de salubrité alimentaire et la méthode HACCP en cuisine.", crit: "Examen écrit et audit d'une cuisine.", tags: []string{"hygiène", "HACCP"}, align: []string{"hf-food-safety", "hf-haccp"}, credits: 1, eqf: 3},
	{key: "preparation", provider: "stlaurent", lang: "fr", name: "Préparation des aliments et techniques de coupe", desc: "Préparation des aliments : techniques de coupe, mise en place et conservation.", crit: "Épreuve pratique de mise en place chronométrée.", tags: []string{"mise en place"}, align: []string{"hf-food-prep", "hf-knife-skills"}, credits: 2, eqf: 3},
	{key: "sauces", provider: "stlaurent", lang: "fr", name: "Sauces et fonds de cuisine", desc: "Préparation de sauces mères, de fonds et de jus.", crit: "Réalisation de cinq sauces mères devant jury.", tags: []string{"sauces"}, align: []string{"hf-sauces"}, credits: 1.5, eqf: 4},
	{key: "patisserie", provider: "stlaurent", lang: "fr", name: "Initiation à la pâtisserie", desc: "Pâtisserie de base : pâtes, crèmes et desserts de restaurant.", crit: "Dressage de trois desserts à l'assiette.", tags: []string{"pâtisserie"}, align: []string{"hf-pastry"}, credits: 2, eqf: 3},
	{key: "allergenes", provider: "stlaurent", lang: "fr", name: "Gestion des allergènes en restauration", desc: "Reconnaître les allergies alimentaires et prévenir la contamination croisée.", crit: "Étude de cas et questionnaire.", tags: []string{"allergènes"}, credits: 0.5, eqf: 3},

	// Logistics (Meridian).
	{key: "forklift", provider: "meridian", name: "Counterbalance Forklift Operator", desc: "Forklift operation: pre-use inspection, load handling, stacking and safe driving in a warehouse.", crit: "Practical driving test and written exam (CSA B335).", tags: []string{"forklift"}, align: []string{"lt-forklift-operation", "lt-forklift-inspection"}, credits: 1, eqf: 2, validYears: 3},
	{key: "reach", provider: "meridian", name: "Reach Truck Operation", desc: "Operate a reach truck in narrow aisles and at height.", crit: "Practical test at 9 m racking.", tags: []string{"reach truck"}, align: []string{"lt-reach-truck"}, credits: 0.5, eqf: 2, validYears: 3},
	{key: "warehouse", provider: "meridian", name: "Warehouse Operations Essentials", desc: "Warehouse operations from receiving to order picking with RF scanning.", crit: "Two-week simulated warehouse project.", tags: []string{"warehouse"}, align: []string{"lt-warehouse", "lt-order-picking", "lt-rf-scanning"}, credits: 3, eqf: 3},
	{key: "inventory", provider: "meridian", name: "Inventory Control and Cycle Counting", desc: "Keep stock accurate: inventory control, cycle counting and discrepancy analysis.", crit: "Ran a cycle count and reconciled the variances.", tags: []string{"inventory"}, align: []string{"lt-inventory-control", "lt-cycle-counting"}, credits: 1, eqf: 3},
	{key: "shipping", provider: "meridian", name: "Shipping and Receiving", desc: "Receiving goods, truck loading and shipping documentation such as bills of lading.", crit: "Prepared the paperwork for ten outbound shipments.", tags: []string{"shipping"}, align: []string{"lt-shipping", "lt-receiving", "lt-shipping-documents"}, credits: 1, eqf: 3},
	{key: "wms", provider: "meridian", name: "WMS Fundamentals", desc: "Use a warehouse management system for putaway, picking and counts.", crit: "Completed the WMS simulation.", tags: []string{"software"}, credits: 0.5, eqf: 3},

	// Energy (Brightfield).
	{key: "pv-install", provider: "brightfield", name: "Solar PV Installation", desc: "Install photovoltaic systems on residential roofs: racking, modules, wiring and commissioning.", crit: "Installed a 5 kW training array that passed inspection.", tags: []string{"solar", "PV"}, align: []string{"en-solar-pv", "en-pv-mounting"}, credits: 6, eqf: 4},
	{key: "pv-design", provider: "brightfield", name: "PV System Design Basics", desc: "Size a residential solar system: load analysis, shading and string design.", crit: "Designed a system for a case-study house.", tags: []string{"design"}, align: []string{"en-solar-design"}, credits: 2, eqf: 4},
	{key: "pv-maint", provider: "brightfield", name: "Solar PV Maintenance", desc: "Inspect, clean and maintain photovoltaic systems and find faults.", crit: "Maintenance checklist on three systems.", tags: []string{"maintenance"}, align: []string{"en-pv-maintenance"}, credits: 1, eqf: 3},
	{key: "storage", provider: "brightfield", name: "Battery Energy Storage Systems", desc: "Energy storage: battery systems, safety and integration with solar.", crit: "Written exam and lab.", tags: []string{"batteries"}, align: []string{"en-energy-storage"}, credits: 2, eqf: 4},
	{key: "ev", provider: "brightfield", name: "EV Charger Installation", desc: "Install and commission electric vehicle charging stations.", crit: "Installed two level-2 chargers.", tags: []string{"EV"}, align: []string{"en-ev-charging"}, credits: 1, eqf: 4},

	// Manufacturing maintenance (Keystone).
	{key: "pm", provider: "keystone", name: "Preventive Maintenance Practices", desc: "Plan and carry out preventive maintenance with a CMMS.", crit: "Wrote and executed a PM route.", tags: []string{"maintenance"}, align: []string{"mf-preventive-maintenance", "mf-cmms"}, credits: 2, eqf: 4},
	{key: "hydraulics", provider: "keystone", name: "Industrial Hydraulics", desc: "Hydraulic systems maintenance: pumps, valves, cylinders and schematics.", crit: "Repaired a faulty hydraulic trainer.", tags: []string{"hydraulics"}, align: []string{"mf-hydraulics"}, credits: 3, eqf: 4},
	{key: "pneumatics", provider: "keystone", name: "Pneumatic Systems", desc: "Maintain pneumatic systems and read pneumatic circuits.", crit: "Built and debugged three circuits.", tags: []string{"pneumatics"}, align: []string{"mf-pneumatics"}, credits: 2, eqf: 4},
	{key: "plc1", provider: "keystone", name: "PLC Programming I (Fundamentals)", desc: "Programmable logic controllers: ladder logic, I/O and basic troubleshooting.", crit: "Programmed a conveyor sequence.", tags: []string{"PLC", "automation"}, align: []string{"mf-plc"}, credits: 3},
	{key: "plc2", provider: "keystone", name: "PLC Programming II (Advanced)", desc: "Advanced PLC programming: timers, analog I/O, HMI and networks.", crit: "Capstone automation project.", tags: []string{"PLC", "automation"}, align: []string{"mf-plc", "mf-automation"}, credits: 4, eqf: 5},
	{key: "mech-trouble", provider: "keystone", name: "Mechanical Troubleshooting", desc: "Troubleshooting and breakdown repair of production machinery.", crit: "Diagnosed and repaired staged machine faults.", tags: []string{"troubleshooting"}, align: []string{"mf-troubleshooting", "mf-equipment-repair"}, credits: 3, eqf: 4},
	{key: "alignment", provider: "keystone", name: "Shaft Alignment and Rigging", desc: "Laser shaft alignment and rigging of loads for machinery installation.", crit: "Aligned a pump–motor set within tolerance.", tags: []string{"millwright"}, align: []string{"mf-alignment", "mf-rigging"}, credits: 1.5, eqf: 4},

	// Safety, all families (SafeWork).
	{key: "first-aid", provider: "safework", name: "Standard First Aid with CPR/AED", desc: "Provide first aid, CPR and AED use at work.", crit: "Two-day course with practical scenarios.", tags: []string{"first aid", "CPR"}, align: []string{"ohs-first-aid", "ohs-cpr"}, credits: 0.5, eqf: 2, validYears: 3},
	{key: "whmis", provider: "safework", name: "WHMIS 2015", desc: "Hazardous materials handling: labels, safety data sheets and safe storage.", crit: "Online course and quiz.", tags: []string{"WHMIS"}, align: []string{"ohs-hazardous-materials"}, credits: 0.2, eqf: 2},
	{key: "heights", provider: "safework", name: "Working at Heights", desc: "Working at heights safely: fall protection, harnesses and ladders.", crit: "Classroom and practical harness inspection.", tags: []string{"WAH training", "fall protection certificate"}, align: []string{"ohs-working-at-heights", "ohs-fall-protection"}, credits: 0.5, eqf: 2, validYears: 3},
	{key: "lifting", provider: "safework", name: "Safe Lifting and Manual Handling", desc: "Safe lifting and manual handling to prevent back injuries.", crit: "Practical assessment of lifting technique.", tags: []string{"ergonomics"}, align: []string{"ohs-safe-lifting"}, credits: 0.2, eqf: 2},
	{key: "loto", provider: "safework", name: "Lockout/Tagout", desc: "Apply lockout/tagout to machines before maintenance.", crit: "Practical lockout of a training machine.", tags: []string{"LOTO"}, align: []string{"ohs-lockout"}, credits: 0.2, eqf: 2},
}

// ob2Badge is an Open Badges 2.0 BadgeClass of Riverside Community College.
type ob2Badge struct {
	key, name, desc, crit string
	align                 []string
}

var ob2Badges = []ob2Badge{
	{"blueprints", "Blueprint Reading for the Trades", "Read construction drawings and blueprints.", "Passed the drawing-reading exam.", []string{"tc-blueprint-reading"}},
	{"motors", "Motor Controls", "Electric motors and motor control circuits.", "Wired a start/stop station.", []string{"mf-electric-motors"}},
	{"food-handling", "Safe Food Handling", "Food safety and hygiene for kitchen staff.", "Passed the food safety exam.", []string{"hf-food-safety"}},
	{"patient-care", "Patient Care Fundamentals", "Person-centred care and patient confidentiality.", "Completed the clinical skills lab.", []string{"hc-person-centred-care"}},
	{"safe-lifting", "Safe Lifting in the Warehouse", "Manual handling and safe lifting techniques.", "Practical assessment.", []string{"ohs-safe-lifting"}},
	{"renewables", "Renewable Energy Fundamentals", "Overview of renewable energy technologies.", "Online modules and exam.", []string{"en-renewable"}},
}

// family is a job family: a job posting and the achievements that fit it:
// must covers the posting's must-haves, assets some of its assets.
type family struct {
	key, job, title, lang string
	must, assets, ob2     []string // achievement keys; OB 2.0 badge keys
	// reqMust and reqAsset are the competencies a recruiter confirmed for
	// the posting (jobs/ID.json), so that the demo ranks the same whatever
	// the extractor proposes.
	reqMust, reqAsset []string
	text              string
}

var families = []family{
	{key: "trades", job: "electrician", title: "Residential Electrician", lang: "en",
		must: []string{"res-wiring", "panels", "code", "diagrams"}, assets: []string{"led", "troubleshooting", "first-aid", "heights"}, ob2: []string{"blueprints", "motors"},
		reqMust: []string{"tc-residential-wiring", "tc-electrical-panels", "tc-electrical-code", "tc-blueprint-reading"}, reqAsset: []string{"tc-lighting-installation", "cert-working-at-heights", "ohs-first-aid"},
		text: `Residential Electrician
Brightline Electric Ltd. — full time

We are a growing electrical contractor doing new homes and renovations. You will install and maintain electrical systems in houses and small shops.

Requirements
- Residential wiring: rough-in and finishing of branch circuits, outlets and switches
- Electrical panel installation and service upgrades
- Knowledge of the electrical code
- Electrical troubleshooting with a multimeter
- Blueprint reading
- At least 2 years of experience

Nice to have
- Lighting installation and LED retrofits
- Working at heights certificate
- First aid
`},
	{key: "health", job: "care-aide", title: "Personal Support Worker", lang: "en",
		must: []string{"psw", "dementia", "ipac", "care-docs"}, assets: []string{"meds", "mobility", "first-aid"}, ob2: []string{"patient-care"},
		reqMust: []string{"hc-personal-support", "hc-daily-living-assistance", "hc-dementia-care", "hc-healthcare-hygiene", "hc-care-documentation"}, reqAsset: []string{"hc-medication-assistance", "ohs-cpr", "lang-french-spoken"},
		text: `Personal Support Worker (PSW)
Maplewood Home Care — part time and full time

Join our home care team and help older adults live safely and independently at home.

What you bring
- Personal support work
- Help with daily living: washing, dressing and meals
- Dementia care
- Safe transfers and mobility assistance, including mechanical lifts
- Infection control and hand hygiene
- Care documentation

Assets
- Medication assistance
- First aid and CPR
- Spoken French
`},
	{key: "hospitality", job: "cuisinier", title: "Cuisinier / Cuisinière de ligne", lang: "fr",
		must: []string{"cuisson", "preparation", "salubrite", "sauces"}, assets: []string{"patisserie", "allergenes"}, ob2: []string{"food-handling"},
		reqMust: []string{"hf-grill", "hf-knife-skills", "hf-haccp", "hf-sauces"}, reqAsset: []string{"hf-pastry", "hf-food-allergies", "lang-english-spoken"},
		text: `Cuisinier / Cuisinière de ligne
Bistro Le Quai — temps plein, Montréal

Notre bistro de 60 places cherche un cuisinier ou une cuisinière pour compléter sa brigade.

Exigences
- Cuisson des viandes et des légumes, cuisson sur le gril
- Préparation des aliments et techniques de coupe
- Salubrité alimentaire et HACCP
- Préparation de sauces
- Au moins 2 ans d'expérience en restauration

Atouts
- Pâtisserie
- Connaissance des allergies alimentaires
- Anglais oral
`},
	{key: "logistics", job: "warehouse", title: "Warehouse Associate – Forklift Operator", lang: "en",
		must: []string{"forklift", "warehouse", "lifting"}, assets: []string{"reach", "inventory", "wms", "shipping"}, ob2: []string{"safe-lifting"},
		reqMust: []string{"lt-forklift-operation", "lt-rf-scanning", "ohs-safe-lifting"}, reqAsset: []string{"lt-reach-truck", "lt-cycle-counting", "lt-wms"},
		text: `Warehouse Associate – Forklift Operator
Northern Parcel Distribution — day and evening shifts

Our distribution centre ships 20,000 orders a day. We need reliable people on the floor.

Must have
- Forklift operation (counterbalance), with daily pre-use inspection
- Order picking with RF scanning
- Shipping and receiving
- Safe lifting

Nice to have
- Reach truck operation
- Cycle counting and inventory control
- Warehouse management system (WMS) experience
`},
	{key: "energy", job: "solar-installer", title: "Solar PV Installer", lang: "en",
		must: []string{"pv-install", "heights", "res-wiring"}, assets: []string{"ev", "pv-design", "pv-maint", "storage"}, ob2: []string{"renewables"},
		reqMust: []string{"en-solar-pv", "ohs-fall-protection", "tc-residential-wiring"}, reqAsset: []string{"en-ev-charging", "en-solar-design", "en-energy-storage"},
		text: `Solar PV Installer
SunHarvest Renewables — seasonal, full time

Install rooftop solar for homeowners across the region.

Requirements
- Solar PV installation: racking, module mounting and wiring
- Working at heights and fall protection
- Residential wiring basics
- 1+ years of experience in construction or electrical work

Preferred
- Energy storage systems (batteries)
- EV charger installation
- Solar system design
`},
	{key: "manufacturing", job: "maintenance-tech", title: "Industrial Maintenance Technician", lang: "en",
		must: []string{"pm", "plc2", "loto"}, assets: []string{"alignment", "plc1", "hydraulics", "pneumatics", "mech-trouble"}, ob2: []string{"motors"},
		reqMust: []string{"mf-preventive-maintenance", "mf-plc", "ohs-lockout"}, reqAsset: []string{"mf-alignment", "mf-cmms", "mf-hydraulics"},
		text: `Industrial Maintenance Technician
Valleyfield Packaging Inc. — rotating shifts

Keep our packaging lines running: preventive maintenance, breakdown repair and improvements.

Requirements
- Preventive maintenance
- Troubleshooting of production machinery
- PLC programming at an intermediate level
- Lockout/tagout
- 3 years of experience in a plant

Assets
- Shaft alignment
- CMMS
- Hydraulic systems maintenance
`},
}

// People: fictional first and last names, combined by the seed.
var firstNames = []string{
	"Amara", "Liam", "Sofia", "Noah", "Aiko", "Mateo", "Chloé", "Yusuf", "Priya", "Lucas",
	"Fatima", "Élodie", "Kwame", "Ingrid", "Diego", "Mei", "Tomasz", "Aaliyah", "Oskar", "Leïla",
	"Hamid", "Nadia", "Samuel", "Rosa", "Jin", "Marguerite", "Tariq", "Zoe", "Andrés", "Hana",
	"Olumide", "Clara", "Viktor", "Anaïs", "Ravi", "Beatriz", "Emeka", "Sanna", "Luc", "Ayesha",
	"Pedro", "Maren", "Kofi", "Isabelle",
}

var lastNames = []string{
	"Osei", "Tremblay", "Haddad", "Nguyen", "Kowalski", "Fernández", "Okafor", "Lindqvist", "Sato", "Dubois",
	"Mensah", "Rahman", "Costa", "Gagnon", "Petrov", "Chen", "Adeyemi", "Moreau", "Singh", "Novak",
	"Bergström", "Ahmadi", "Lefebvre", "Mwangi", "Rossi", "Kaur", "Santos", "Byrne", "Yamamoto", "Roy",
	"Abara", "Dupont", "Ibrahim", "Walsh", "Park", "Côté", "Eriksen", "Diallo", "Morales", "Hughes",
	"Bouchard", "Kim", "Asante", "Leclerc",
}

type generator struct {
	tax   *taxonomy.Taxonomy
	rng   *rand.Rand
	files map[string][]byte
	docs  map[string]string // document cache: URL → file name
	png   map[string][]byte // badge image per provider
	ob2N  int
}

// manifest is pool/manifest.json.
type manifest struct {
	Seed       string              `json:"seed"`
	Now        time.Time           `json:"now"`
	Jobs       []manifestJob       `json:"jobs"`
	Applicants []manifestApplicant `json:"applicants"`
	Teams      []manifestTeam      `json:"teams"`
	Employees  []manifestApplicant `json:"employees"`
}

type manifestTeam struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Role        string `json:"role"`
}

type manifestJob struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Language     string `json:"language"`
	Family       string `json:"family"`
	File         string `json:"file"`
	Requirements string `json:"requirements"`
}

type manifestApplicant struct {
	ID          string               `json:"id"`
	Name        string               `json:"name"`
	Email       string               `json:"email"`
	Target      string               `json:"target_job,omitempty"`
	Team        string               `json:"team,omitempty"`
	Credentials []manifestCredential `json:"credentials"`
}

type manifestCredential struct {
	File   string `json:"file"`
	Format string `json:"format"`
	Title  string `json:"title"`
	Issuer string `json:"issuer"`
	// Expected is the verification status as of Now, offline with the
	// pool's documents and trust list.
	Expected string `json:"expected"`
	Note     string `json:"note,omitempty"`
}

func main() {
	out := flag.String("out", "pool", "folder to write the pool to (replaced)")
	flag.Parse()
	tax, err := taxonomy.Default()
	if err != nil {
		log.Fatalf("default taxonomy: %v", err)
	}
	g := &generator{
		tax:   tax,
		rng:   rand.New(rand.NewPCG(hash64(seed), hash64(seed+"/stream"))),
		files: map[string][]byte{},
		docs:  map[string]string{},
		png:   map[string][]byte{},
	}
	if err := g.run(); err != nil {
		log.Fatal(err)
	}
	if err := g.write(*out); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %d files to %s\n", len(g.files), *out)
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func sum(parts ...string) []byte {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return h[:]
}

// uuidFor derives a stable UUID (version 4 layout) from a name.
func uuidFor(name string) string {
	b := sum(seed, "uuid", name)[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return "urn:uuid:" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (g *generator) run() error {
	for _, p := range providers {
		p.priv = ed25519.NewKeyFromSeed(sum(seed, "key", p.key)[:32])
		pub := p.priv.Public().(ed25519.PublicKey)
		p.did = credential.DIDKeyFromPublic(pub)
		p.vm = credential.DIDKeyVerificationMethod(pub)
		g.png[p.key] = badgeImage(p.colour)
	}
	g.png["riverside"] = badgeImage(color.RGBA{0x00, 0x6d, 0x77, 0xff})
	if err := g.checkTaxonomy(); err != nil {
		return err
	}
	m := manifest{Seed: seed, Now: demoNow}
	for _, f := range families {
		file := "jobs/" + f.job + ".txt"
		g.files[file] = []byte(f.text)
		reqs, err := g.requirements(f)
		if err != nil {
			return err
		}
		g.files["jobs/"+f.job+".json"] = mustJSON(map[string]any{"title": f.title, "language": f.lang, "text": f.text, "requirements": reqs})
		m.Jobs = append(m.Jobs, manifestJob{ID: f.job, Title: f.title, Language: f.lang, Family: f.key, File: file, Requirements: "jobs/" + f.job + ".json"})
	}
	if err := g.ob2Issuer(); err != nil {
		return err
	}

	// Names: shuffle first and last names independently.
	first := append([]string(nil), firstNames...)
	last := append([]string(nil), lastNames...)
	g.rng.Shuffle(len(first), func(i, j int) { first[i], first[j] = first[j], first[i] })
	g.rng.Shuffle(len(last), func(i, j int) { last[i], last[j] = last[j], last[i] })
	n := 0
	for fi, f := range families {
		for j := range 7 {
			name := first[n] + " " + last[n]
			id := fmt.Sprintf("%02d-%s", n+1, slug(name))
			a := manifestApplicant{ID: id, Name: name, Email: slug(first[n]) + "." + slug(last[n]) + "@mail.example", Target: f.job}
			creds, err := g.applicant(fi, j, &a)
			if err != nil {
				return fmt.Errorf("applicant %s: %w", id, err)
			}
			a.Credentials = creds
			info, _ := json.MarshalIndent(map[string]string{"name": a.Name, "email": a.Email}, "", "  ")
			g.files["applicants/"+id+"/applicant.json"] = append(info, '\n')
			m.Applicants = append(m.Applicants, a)
			n++
		}
	}
	// Staff, after the applicants so that the applicants' files do not
	// depend on them.
	if err := g.staff(&m); err != nil {
		return err
	}
	// Status lists, signed by their providers.
	for _, p := range providers {
		if p.statusList {
			if err := g.statusList(p); err != nil {
				return err
			}
		}
	}
	// Trust list: every demo provider but QuickCert, and Riverside.
	trust := credential.TrustList{}
	for _, p := range providers {
		if p.trusted {
			trust.Add(credential.TrustedIssuer{ID: p.did, Name: p.name, Note: "demo training provider (fictional)"})
		}
	}
	trust.Add(credential.TrustedIssuer{ID: riversideIssuer, Name: riversideName, Note: "demo college, Open Badges 2.0 (fictional)"})
	g.files["trust.json"] = mustJSON(trust)
	idx, _ := json.MarshalIndent(g.docs, "", "  ")
	g.files["documents/index.json"] = append(idx, '\n')
	g.files["manifest.json"] = mustJSON(m)
	return nil
}

// requirements lists the confirmed requirements of a job: must-haves
// weigh 1, assets 0.5, labels in the posting's language.
func (g *generator) requirements(f family) ([]map[string]any, error) {
	var out []map[string]any
	for _, group := range []struct {
		ids    []string
		must   bool
		weight float64
	}{{f.reqMust, true, 1}, {f.reqAsset, false, 0.5}} {
		for _, id := range group.ids {
			c, ok := g.tax.Get(id)
			if !ok {
				return nil, fmt.Errorf("job %s: competency %s is not in the default taxonomy", f.job, id)
			}
			out = append(out, map[string]any{"id": id, "label": c.Label(f.lang), "must": group.must, "weight": group.weight, "confidence": "detected", "score": 1, "spans": []any{}})
		}
	}
	return out, nil
}

// checkTaxonomy fails when an alignment names a competency the default
// taxonomy does not have.
func (g *generator) checkTaxonomy() error {
	var bad []string
	check := func(where string, ids []string) {
		for _, id := range ids {
			if _, ok := g.tax.Get(id); !ok {
				bad = append(bad, where+": "+id)
			}
		}
	}
	for _, a := range achievements {
		check(a.key, a.align)
	}
	for _, b := range ob2Badges {
		check(b.key, b.align)
	}
	if len(bad) > 0 {
		return fmt.Errorf("competencies missing from the default taxonomy: %s", strings.Join(bad, ", "))
	}
	return nil
}

func achievementByKey(key string) *achievement {
	for i := range achievements {
		if achievements[i].key == key {
			return &achievements[i]
		}
	}
	log.Fatalf("no achievement %q", key)
	return nil
}

func providerByKey(key string) *provider {
	for _, p := range providers {
		if p.key == key {
			return p
		}
	}
	log.Fatalf("no provider %q", key)
	return nil
}

// issuedBetween draws an issue date between two years (inclusive start,
// exclusive end), at 09:00 UTC, never after demoNow.
func (g *generator) issuedBetween(from, to int) time.Time {
	start := time.Date(from, 1, 1, 9, 0, 0, 0, time.UTC)
	end := time.Date(to, 1, 1, 9, 0, 0, 0, time.UTC)
	if end.After(demoNow) {
		end = demoNow.AddDate(0, 0, -14)
	}
	days := int(end.Sub(start).Hours() / 24)
	return start.AddDate(0, 0, g.rng.IntN(days))
}

// applicant writes the credentials of applicant j (0–6) of family fi. The
// seven applicants of a family differ on purpose:
//
//	0 every must-have and some assets, recent and trusted: the best fit
//	1 the same, but earned 7–11 years ago (skills age)
//	2 every must-have, one of them from an issuer not on the trust list
//	3 every must-have, one of them revoked by its issuer
//	4 paper certificates in a roster CSV (self-reported) and one badge
//	5 every must-have, one of them expired or tampered with
//	6 Open Badges 2.0 baked images, an OB 3.0 baked PNG and half the must-haves
//
// and everyone may hold a safety course or two, some out of date.
func (g *generator) applicant(fi, j int, a *manifestApplicant) ([]manifestCredential, error) {
	f := families[fi]
	must := append([]string(nil), f.must...)
	assets := append([]string(nil), f.assets...)
	g.rng.Shuffle(len(must), func(x, y int) { must[x], must[y] = must[y], must[x] })
	g.rng.Shuffle(len(assets), func(x, y int) { assets[x], assets[y] = assets[y], assets[x] })
	var out []manifestCredential
	held := map[string]bool{}
	dir := "applicants/" + a.ID + "/"
	add := func(key string, issued time.Time, kind string) error {
		if held[key] {
			return nil
		}
		held[key] = true
		c, err := g.ob3(dir, key, issued, a, kind)
		if err != nil {
			return err
		}
		out = append(out, c)
		return nil
	}
	addAll := func(keys []string, from, to int, special string) error {
		for i, key := range keys {
			kind := ""
			if i == 0 {
				kind = special
			}
			if err := add(key, g.issuedBetween(from, to), kind); err != nil {
				return err
			}
		}
		return nil
	}
	var err error
	switch j {
	case 0:
		if err = addAll(must, 2024, 2027, ""); err == nil {
			err = addAll(assets[:1+g.rng.IntN(2)], 2023, 2027, "")
		}
	case 1:
		if err = addAll(must, 2015, 2020, ""); err == nil {
			err = addAll(assets[:1], 2015, 2020, "")
		}
	case 2:
		if err = addAll(must, 2023, 2027, "untrusted"); err == nil {
			err = addAll(assets[:1], 2022, 2027, "")
		}
	case 3:
		if err = addAll(must, 2023, 2027, "revoked"); err == nil {
			err = addAll(assets[:2], 2022, 2027, "")
		}
	case 4:
		var c []manifestCredential
		if c, err = g.roster(dir, must, a); err == nil {
			out = append(out, c...)
			err = addAll(assets[:1], 2023, 2027, "")
		}
	case 5:
		kind := "expired"
		if fi%2 == 0 {
			kind = "tampered"
		}
		if err = addAll(must, 2023, 2027, kind); err == nil {
			err = addAll(assets[:1], 2022, 2027, "")
		}
	case 6:
		for _, b := range f.ob2 {
			var c manifestCredential
			if c, err = g.ob2(dir, b, g.issuedBetween(2019, 2026), a, len(out)%2 == 1); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		half := must[:(len(must)+1)/2]
		if err = add(half[0], g.issuedBetween(2024, 2027), "baked"); err == nil {
			err = addAll(half[1:], 2021, 2027, "")
		}
	}
	if err != nil {
		return nil, err
	}
	safety := []string{"first-aid", "whmis", "heights", "loto", "lifting"}
	g.rng.Shuffle(len(safety), func(x, y int) { safety[x], safety[y] = safety[y], safety[x] })
	for _, key := range safety[:g.rng.IntN(3)] {
		if err := add(key, g.issuedBetween(2019, 2027), ""); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// staffTeam is a team of the demo employer's staff. Its members hold
// the team's core credentials more often than its extras, some of them
// long ago (a forklift ticket lapses after three years), so that the
// Upskilling screen shows real gaps against the team's role.
type staffTeam struct {
	name, desc, role, domain string
	size                     int
	core, extra              []string // achievement keys
}

var staffTeams = []staffTeam{
	{name: "Warehouse crew", desc: "Day shift at the distribution centre", role: "warehouse", domain: "northern-parcel.example", size: 8,
		core: []string{"forklift", "warehouse", "lifting", "shipping"}, extra: []string{"reach", "inventory", "wms", "first-aid", "whmis"}},
	{name: "Electrical crew", desc: "Residential service and renovation crew", role: "electrician", domain: "brightline-electric.example", size: 7,
		core: []string{"res-wiring", "code", "diagrams", "heights"}, extra: []string{"panels", "troubleshooting", "led", "first-aid", "loto"}},
}

// Staff names, separate from the applicants' so that adding staff left
// the applicants' files unchanged.
var staffFirstNames = []string{
	"Agnes", "Bashir", "Colette", "Dmitri", "Esperanza", "Farid", "Greta", "Hiroshi", "Imani", "Jonas",
	"Katarzyna", "Lorenzo", "Malia", "Nikolai", "Odette", "Paulo", "Quinn", "Rania",
}

var staffLastNames = []string{
	"Achterberg", "Baptiste", "Cardenas", "Delacroix", "Eklund", "Fortin", "Gallagher", "Horvat", "Iwu", "Jovanovic",
	"Karlsson", "Lavoie", "Mbeki", "Nakamura", "Ouellet", "Pires", "Quesnel", "Rautio",
}

// staff adds the demo employer's teams and their members' credentials
// (folders employees/ID, like applicants). Each member holds each core
// credential with probability 0.6 and each extra with 0.3, earned
// 2016–2026; one member per team has a credential revoked, one a paper
// certificate, and nobody is left with none.
func (g *generator) staff(m *manifest) error {
	first := append([]string(nil), staffFirstNames...)
	last := append([]string(nil), staffLastNames...)
	g.rng.Shuffle(len(first), func(i, j int) { first[i], first[j] = first[j], first[i] })
	g.rng.Shuffle(len(last), func(i, j int) { last[i], last[j] = last[j], last[i] })
	n := 0
	for ti, t := range staffTeams {
		m.Teams = append(m.Teams, manifestTeam{Name: t.name, Description: t.desc, Role: t.role})
		for j := range t.size {
			if n >= len(first) {
				return fmt.Errorf("team %s: only %d staff names", t.name, len(first))
			}
			name := first[n] + " " + last[n]
			id := fmt.Sprintf("s%02d-%s", n+1, slug(name))
			a := manifestApplicant{ID: id, Name: name, Email: slug(first[n]) + "." + slug(last[n]) + "@" + t.domain, Team: t.name}
			dir := "employees/" + id + "/"
			var keys []string
			for _, k := range t.core {
				if g.rng.Float64() < 0.6 {
					keys = append(keys, k)
				}
			}
			for _, k := range t.extra {
				if g.rng.Float64() < 0.3 {
					keys = append(keys, k)
				}
			}
			if len(keys) == 0 {
				keys = append(keys, t.core[g.rng.IntN(len(t.core))])
			}
			switch {
			case j == 2 && len(keys) > 1:
				// Paper certificates for all but the first credential.
				c, err := g.roster(dir, keys[1:], &a)
				if err != nil {
					return fmt.Errorf("employee %s: %w", id, err)
				}
				a.Credentials = append(a.Credentials, c...)
				keys = keys[:1]
			}
			for i, k := range keys {
				kind := ""
				if j == 4+ti && i == 0 {
					kind = "revoked"
				}
				c, err := g.ob3(dir, k, g.issuedBetween(2016, 2027), &a, kind)
				if err != nil {
					return fmt.Errorf("employee %s: %w", id, err)
				}
				a.Credentials = append(a.Credentials, c)
			}
			info, _ := json.MarshalIndent(map[string]string{"name": a.Name, "email": a.Email}, "", "  ")
			g.files[dir+"applicant.json"] = append(info, '\n')
			m.Employees = append(m.Employees, a)
			n++
		}
	}
	return nil
}

// alignments turns taxonomy IDs into OB 3.0 alignment objects: the ESCO
// URI where the competency has one, else the taxonomy ID as a code.
func (g *generator) alignments(ids []string, ob2 bool) []any {
	var out []any
	for _, id := range ids {
		c, _ := g.tax.Get(id)
		al := map[string]any{"targetName": c.Label("en")}
		if u, ok := c.Ref("esco"); ok {
			al["targetUrl"], al["targetFramework"] = u, "ESCO"
		} else {
			al["targetUrl"], al["targetCode"], al["targetFramework"] = "https://skillmatch.example/taxonomy/"+id, id, "Skillmatch default taxonomy"
		}
		if !ob2 {
			al["type"] = []any{"Alignment"}
			al["targetType"] = "ceasn:Competency"
		}
		out = append(out, al)
	}
	return out
}

func hashedEmail(email, salt string) string {
	h := sha256.Sum256([]byte(email + salt))
	return "sha256$" + hex.EncodeToString(h[:])
}

// ob3 issues one Open Badges 3.0 credential. kind is "" (valid), "revoked",
// "expired", "tampered", "baked" (valid, baked into a PNG) or "untrusted"
// (the same competencies, from an online express course by QuickCert
// Online, which is not on the trust list).
func (g *generator) ob3(dir, key string, issued time.Time, a *manifestApplicant, kind string) (manifestCredential, error) {
	ach := achievementByKey(key)
	if kind == "untrusted" {
		express := *ach
		express.provider, express.name, express.crit = "quickcert", "Express: "+ach.name, "Online quiz after a self-paced module."
		express.credits, express.eqf, express.validYears = 0.2, 0, 0
		ach = &express
	}
	p := providerByKey(ach.provider)
	salt := hex.EncodeToString(sum(seed, "salt", a.ID, key)[:8])
	achievementDoc := map[string]any{
		"id":              "https://" + p.host + "/achievements/" + key,
		"type":            []any{"Achievement"},
		"name":            ach.name,
		"description":     ach.desc,
		"criteria":        map[string]any{"narrative": ach.crit},
		"achievementType": "Certificate",
	}
	if len(ach.tags) > 0 {
		tags := make([]any, len(ach.tags))
		for i, t := range ach.tags {
			tags[i] = t
		}
		achievementDoc["tag"] = tags
	}
	al := g.alignments(ach.align, false)
	if ach.eqf > 0 {
		al = append(al, map[string]any{
			"type": []any{"Alignment"}, "targetName": fmt.Sprintf("EQF level %d", ach.eqf),
			"targetUrl": fmt.Sprintf("http://data.europa.eu/snb/eqf/%d", ach.eqf), "targetFramework": "European Qualifications Framework",
		})
	}
	if len(al) > 0 {
		achievementDoc["alignment"] = al
	}
	if ach.credits > 0 {
		achievementDoc["creditsAvailable"] = ach.credits
	}
	if ach.lang != "" {
		achievementDoc["inLanguage"] = ach.lang
	}
	validUntil := time.Time{}
	if ach.validYears > 0 {
		validUntil = issued.AddDate(ach.validYears, 0, 0)
	}
	if kind == "expired" {
		// Make sure it has lapsed, whatever the course's usual validity.
		if validUntil.IsZero() || validUntil.After(demoNow) {
			validUntil = demoNow.AddDate(0, -2-g.rng.IntN(10), 0)
		}
	}
	name := a.ID + "/" + key
	doc := map[string]any{
		"@context":  []any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":        uuidFor(name),
		"type":      []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":    p.profile(),
		"name":      ach.name,
		"validFrom": issued.Format(time.RFC3339),
		"credentialSubject": map[string]any{
			"type": []any{"AchievementSubject"},
			"identifier": []any{map[string]any{
				"type": "IdentityObject", "identityType": "emailAddress", "hashed": true, "salt": salt,
				"identityHash": hashedEmail(a.Email, salt),
			}},
			"achievement": achievementDoc,
		},
	}
	if !validUntil.IsZero() {
		doc["validUntil"] = validUntil.Format(time.RFC3339)
	}
	if p.statusList {
		i := p.next
		p.next++
		doc["credentialStatus"] = map[string]any{
			"id": fmt.Sprintf("%s#%d", p.statusURL(), i), "type": "BitstringStatusListEntry",
			"statusPurpose": "revocation", "statusListIndex": fmt.Sprint(i), "statusListCredential": p.statusURL(),
		}
		if kind == "revoked" {
			p.revoked = append(p.revoked, i)
		}
	} else if kind == "revoked" {
		return manifestCredential{}, fmt.Errorf("%s: provider %s publishes no status list", key, p.key)
	}
	signed, err := credential.SignDataIntegrity(doc, p.priv, p.vm, issued)
	if err != nil {
		return manifestCredential{}, fmt.Errorf("signing %s: %w", key, err)
	}
	mc := manifestCredential{Format: "ob3", Title: ach.name, Issuer: p.name, Expected: string(credential.StatusValid)}
	switch kind {
	case "revoked":
		mc.Expected, mc.Note = string(credential.StatusRevoked), "revoked by the issuer (status list in documents/)"
	case "expired":
		mc.Expected, mc.Note = string(credential.StatusExpired), "validUntil has passed"
	case "tampered":
		// Someone "upgraded" the achievement after signing.
		subj := signed["credentialSubject"].(map[string]any)
		subj["achievement"].(map[string]any)["name"] = ach.name + " — Advanced"
		mc.Expected, mc.Note = string(credential.StatusInvalid), "edited after signing: the proof does not verify"
	}
	if kind == "" && !validUntil.IsZero() && !demoNow.Before(validUntil) {
		mc.Expected, mc.Note = string(credential.StatusExpired), "validUntil has passed"
	}
	if !p.trusted && mc.Note == "" {
		mc.Note = "issuer not on the trust list"
	}
	body, err := json.MarshalIndent(signed, "", "  ")
	if err != nil {
		return manifestCredential{}, err
	}
	if kind == "baked" {
		img, err := credential.BakePNG(g.png[p.key], body, true)
		if err != nil {
			return manifestCredential{}, fmt.Errorf("baking %s: %w", key, err)
		}
		mc.File, mc.Format, mc.Note = dir+key+".png", "ob3-png", "Open Badges 3.0 baked into a PNG"
		g.files[mc.File] = img
	} else {
		mc.File = dir + key + ".json"
		g.files[mc.File] = append(body, '\n')
	}
	mc.File = strings.TrimPrefix(mc.File, dir)
	return mc, nil
}

// ob2Issuer publishes Riverside's issuer profile and badge classes in the
// document cache.
func (g *generator) ob2Issuer() error {
	g.doc(riversideIssuer, "riverside-issuer.json", map[string]any{
		"@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": riversideIssuer,
		"name": riversideName, "url": riversideHost, "email": "badges@riverside-cc.example",
	})
	for _, b := range ob2Badges {
		u := riversideHost + "/badges/" + b.key
		g.doc(u, "riverside-badge-"+b.key+".json", map[string]any{
			"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": u,
			"name": b.name, "description": b.desc, "image": u + ".png",
			"criteria": map[string]any{"narrative": b.crit}, "issuer": riversideIssuer,
			"alignment": g.alignments(b.align, true), "tags": []any{"riverside"},
		})
	}
	return nil
}

func (g *generator) doc(url, file string, v any) {
	g.files["documents/"+file] = mustJSON(v)
	g.docs[url] = file
}

// ob2 issues a hosted Open Badges 2.0 assertion, baked into a PNG (or an
// SVG when svg is true); the hosted copy is in the document cache.
func (g *generator) ob2(dir, key string, issued time.Time, a *manifestApplicant, svg bool) (manifestCredential, error) {
	var b *ob2Badge
	for i := range ob2Badges {
		if ob2Badges[i].key == key {
			b = &ob2Badges[i]
		}
	}
	if b == nil {
		return manifestCredential{}, fmt.Errorf("no OB 2.0 badge %q", key)
	}
	g.ob2N++
	u := fmt.Sprintf("%s/assertions/%d", riversideHost, g.ob2N)
	salt := hex.EncodeToString(sum(seed, "ob2salt", a.ID, key)[:8])
	assertion := map[string]any{
		"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": u,
		"recipient":    map[string]any{"type": "email", "hashed": true, "salt": salt, "identity": hashedEmail(a.Email, salt)},
		"badge":        riversideHost + "/badges/" + key,
		"verification": map[string]any{"type": "hosted"},
		"issuedOn":     issued.Format(time.RFC3339),
	}
	g.doc(u, fmt.Sprintf("riverside-assertion-%d.json", g.ob2N), assertion)
	payload := mustJSON(assertion)
	mc := manifestCredential{Title: b.name, Issuer: riversideName, Expected: string(credential.StatusValid), Note: "Open Badges 2.0, hosted (copy in documents/)"}
	if svg {
		img, err := credential.BakeSVG(badgeSVG(key), payload, false)
		if err != nil {
			return mc, fmt.Errorf("baking %s: %w", key, err)
		}
		mc.File, mc.Format = key+".svg", "ob2-svg"
		g.files[dir+mc.File] = img
	} else {
		img, err := credential.BakePNG(g.png["riverside"], payload, false)
		if err != nil {
			return mc, fmt.Errorf("baking %s: %w", key, err)
		}
		mc.File, mc.Format = key+".png", "ob2-png"
		g.files[dir+mc.File] = img
	}
	return mc, nil
}

// roster writes paper certificates as a roster CSV: self-reported,
// unverifiable. Some rows name competency IDs, others only a title.
func (g *generator) roster(dir string, keys []string, a *manifestApplicant) ([]manifestCredential, error) {
	var b bytes.Buffer
	b.WriteString("name,email,title,issuer,issued,expires,competencies\n")
	var out []manifestCredential
	for i, key := range keys {
		ach := achievementByKey(key)
		p := providerByKey(ach.provider)
		issued := g.issuedBetween(2018, 2026)
		comps := ""
		if i == 0 {
			comps = strings.Join(ach.align, "|")
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,,%s\n", csvField(a.Name), a.Email, csvField(ach.name), csvField(p.name+" (paper certificate)"), issued.Format("2006-01-02"), comps)
		out = append(out, manifestCredential{File: "certificates.csv", Format: "roster", Title: ach.name, Issuer: p.name, Expected: string(credential.StatusUnverifiable), Note: "self-reported paper certificate"})
	}
	g.files[dir+"certificates.csv"] = b.Bytes()
	return out, nil
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// statusList publishes p's revocation list (131,072 bits, as the spec
// requires for privacy) signed by p.
func (g *generator) statusList(p *provider) error {
	bits := make([]byte, 131072/8)
	for _, i := range p.revoked {
		bits[i/8] |= 1 << (7 - uint(i%8))
	}
	enc, err := credential.EncodeStatusList(bits)
	if err != nil {
		return err
	}
	u := p.statusURL()
	doc := map[string]any{
		"@context":  []any{"https://www.w3.org/ns/credentials/v2"},
		"id":        u,
		"type":      []any{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer":    p.did,
		"validFrom": "2015-01-01T00:00:00Z",
		"credentialSubject": map[string]any{
			"id": u + "#list", "type": "BitstringStatusList", "statusPurpose": "revocation", "encodedList": enc,
		},
	}
	signed, err := credential.SignDataIntegrity(doc, p.priv, p.vm, demoNow.AddDate(0, 0, -1))
	if err != nil {
		return fmt.Errorf("signing the status list of %s: %w", p.key, err)
	}
	g.doc(u, "status-"+p.key+".json", signed)
	return nil
}

// badgeImage draws a 96×96 round badge in one colour.
func badgeImage(c color.RGBA) []byte {
	const size = 96
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			dx, dy := x-size/2, y-size/2
			switch d := dx*dx + dy*dy; {
			case d < 40*40:
				img.Set(x, y, c)
			case d < 44*44:
				img.Set(x, y, color.NRGBA{0xff, 0xff, 0xff, 0xff})
			case d < 46*46:
				img.Set(x, y, c)
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		log.Fatal(err)
	}
	return b.Bytes()
}

func badgeSVG(key string) []byte {
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
		`<circle cx="48" cy="48" r="44" fill="#006d77" stroke="#ffffff" stroke-width="4"/>` +
		`<text x="48" y="54" font-family="sans-serif" font-size="12" fill="#ffffff" text-anchor="middle">` + key + `</text></svg>`)
}

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	return append(b, '\n')
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range taxonomy.Fold(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// write replaces out with the generated files.
func (g *generator) write(out string) error {
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	names := make([]string, 0, len(g.files))
	for n := range g.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(out, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, g.files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}
