// Package taxonomy is Skillmatch's competency model: the skills, knowledge,
// transversal competences, languages, tools and certifications that a job
// can ask for and a credential can prove, with their labels in several
// languages and how they relate.
//
// A [Taxonomy] is built once with [New] (which validates it: no duplicate IDs,
// no dangling broader/related references, no cycles in the broader hierarchy;
// a [*ValidationError] lists every offending ID) and is then read-only and
// safe to share. It answers by ID ([Taxonomy.Get], [Taxonomy.Lookup] for
// external references such as ESCO URIs), by hierarchy ([Taxonomy.Children],
// [Taxonomy.Parents], [Taxonomy.Ancestors]), by relation ([Taxonomy.Related])
// and by label ([Taxonomy.Search], accent- and case-insensitive).
//
// [Default] returns the embedded default taxonomy, written by the Skillmatch
// authors in English and French. Importers turn the files other frameworks
// publish into a Taxonomy: [ImportESCO] (an ESCO CSV download, with
// occupation profiles), [ImportONET] (O*NET text files), and [ImportCSV] and
// [ImportJSON] for a company's own framework, which [Merge] can lay over
// another; [WriteCSV] and [WriteJSON] write the forms those two read.
// [Open] takes a spec such as "default+csv:company.csv" (default, esco:DIR,
// onet:DIR, csv:FILE, json:FILE, merged left to right); [OpenContext] stops
// at the next block of a file it reads once its context is done. Importers fail
// whole, never half-way, with an [*ImportError] naming the file, line and
// column or ID to fix; what they skip on purpose is listed in
// [Taxonomy.Notes].
//
// The package uses the standard library only.
package taxonomy
