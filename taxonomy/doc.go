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
// publish into a Taxonomy: ESCO CSV, O*NET text files, and a plain CSV or
// JSON form for a company's own framework, which [Merge] can lay over
// another. Importers fail whole, never half-way, with an error naming the
// file, line and column or ID to fix.
//
// The package uses the standard library only.
package taxonomy
