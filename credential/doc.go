// Package credential parses micro-credentials from the formats applicants
// send (Open Badges 3.0 and other W3C Verifiable Credentials as JSON-LD or
// VC-JWT, 1EdTech CLR 2.0, and — through families registered by other
// files — Open Badges 2.0 and baked badge images) into one Credential
// record, and verifies them.
//
// Verification produces a Verification with one Check per step — format,
// proof (signature), key (the key belongs to the issuer), validity (dates),
// status (revocation/suspension lists), recipient (the credential names the
// applicant) and issuer-trust (the issuer is on the employer's TrustList) —
// and one overall Status, the most severe one implied by the checks. A
// credential is never StatusValid unless every required check passed.
//
// The package is offline first: the JSON-LD contexts it needs are embedded
// (see package credential/contexts) and an unknown context is an error,
// never a fetch. The network is used only for did:web documents, key URLs,
// status lists and the CLR 2.0 context, over HTTPS with a time-out and a
// size cap; a DocumentCache answers those first, and Verifier.Offline
// switches the network off (such checks then read "not checked: offline").
// A Verifier fetches and verifies each status list once for all the
// credentials that name it (statuslists.go), not once per credential, and
// likewise each Open Badges 2.0 issuer Profile, BadgeClass, public key and
// revocation list once for all the badges that name it (ob2_shared.go);
// only a hosted assertion is fetched for every badge, as it must be.
//
// Entry points: Parse (bytes → Credential), Verifier.Verify (Credential →
// Verification), SignDataIntegrity and DIDKeyFromPublic (to issue test and
// demo credentials), and Register (to add a family of formats).
//
// Intake of everything else applicants bring: Open Badges 2.0 assertions
// (hosted or signed; ob2*.go), badges baked into PNG/SVG images (Unbake,
// BakePNG, BakeSVG), bundles and folders (ReadPath, ReadBundle: ZIP, JSON
// array, roster CSV, one Item per credential or rejected file, duplicates
// marked by Credential.Fingerprint), roster CSVs of self-reported
// credentials (ParseRoster), and the EU micro-credential transparency
// profile of any credential (TransparencyOf).
package credential
