// Package matcher is Skillmatch's text side and its matching engine.
//
// Text analysis: an [Analyzer] turns job postings, taxonomy labels and
// credential text into tokens with byte offsets (symbol tokens such as C++,
// .NET, CI/CD kept whole), folds case and accents, drops stop words and
// stems words with Snowball in English or French, the language being
// detected per paragraph ([DetectLanguage]).
//
// Requirement extraction: an [Extractor], built once per taxonomy, finds the
// competencies a job posting asks for. Labels of every language are matched
// as stemmed phrases (longest match wins; ambiguous short labels such as
// "Go" or "R" need evidence); further competencies are suggested per
// sentence by lexical similarity (BM25 over labels, descriptions and the
// labels of related competencies, label coverage and occupation
// co-occurrence). Headings and cue words decide must-have versus asset,
// years of experience and level. The result is a list of [Requirement]s,
// each with the spans of text that produced it. Occupation templates
// ([Extractor.FromOccupation], [Extractor.MatchOccupations]) propose the
// competencies of an occupation profile.
//
// Speed: stems are interned as integer term IDs; phrase matching walks a
// trie keyed by term IDs, and a sentence's suggestions are scored through
// precomputed inverted lists (BM25 impacts), so that a sentence costs in
// proportion to the postings of its own words, not to the size of the
// taxonomy. The built index of a large taxonomy can be saved and loaded
// back ([Extractor.MarshalBinary], [UnmarshalExtractor]) or cached on disk
// by [LoadOrBuildExtractor] and, after [SetIndexCacheDir], by [For].
//
// Everything runs offline: no model or data is downloaded.
package matcher
