// Package data is Skillmatch's workspace: one SQLite file (through the
// pure-Go modernc.org/sqlite driver) that holds an employer's whole hiring
// pool — the competency taxonomies, jobs with their requirements as edited,
// applicants and staff with their credentials (the original bytes, the
// parsed record, the latest verification and the competencies they
// evidence), the trust list, the ranking policy, pipeline stages, notes,
// ranking snapshots (the explanation of every score as it was shown), an
// audit log, teams and a catalogue of micro-credentials for upskilling.
//
// [Open] applies the embedded, numbered schema migrations (data/migrations)
// in a transaction and refuses a file written by a newer Skillmatch. The
// file is in WAL mode with foreign keys on; all writes go through one
// connection with a busy time-out (other processes, such as the CLI next to
// the desktop app, wait their turn), reads through a small pool of
// read-only connections, and every multi-row change is one transaction.
//
// Imports ([Store.ImportFiles]) are all or nothing per file, report every
// rejected record with its file and line or field, skip duplicates by
// credential fingerprint, and can be cancelled and resumed: finished files
// are recorded by path and content hash. [Store.Search] is full-text search
// (FTS5) over applicants and their credentials; a query of several words
// is evaluated rarest word first (document frequencies from fts5vocab
// tables) and ranked without the words most rows hold. [Store.RankJob]
// reads only the evidence for competencies that can score for the job
// (matcher.Scorer.Competencies) and takes each person's count of verified
// credentials from columns that triggers keep up to date, so ranking a
// large pool does not read every credential. [Store.EraseApplicant]
// removes every trace of a person, down to the bytes of the file.
// [Store.Backup], [Restore], [Store.Export] and [Store.ExportAnonymised]
// copy the workspace out; [CreateDemo] builds the demo workspace the desktop
// app opens on first start, with two teams of staff for upskilling plans.
//
// [ReadPosting] turns the job posting documents recruiters have (.txt in
// UTF-8, UTF-16 or Windows-1252, Markdown, HTML, RTF, .docx, .odt) into
// plain text whose headings and list items stay on lines of their own, as
// requirement extraction reads them; it refuses PDF and damaged or
// oversized files with an error that says what to do.
package data
