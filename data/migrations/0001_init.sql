-- Skillmatch workspace, schema version 1.
--
-- Times are RFC 3339 text in UTC, except the dates of credentials used in
-- ranking, which are Unix seconds (0 = absent) so that loading a large pool
-- parses no text.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL -- JSON
) STRICT;

-- Competency taxonomies: the imported frameworks, cached in a compact
-- encoding so that a large one (ESCO) loads fast; one is active.
CREATE TABLE taxonomies (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	competencies INTEGER NOT NULL,
	occupations  INTEGER NOT NULL,
	encoding     TEXT NOT NULL,
	data         BLOB NOT NULL,
	imported_at  TEXT NOT NULL,
	active       INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX taxonomies_one_active ON taxonomies(active) WHERE active = 1;

CREATE TABLE jobs (
	id           INTEGER PRIMARY KEY,
	title        TEXT NOT NULL,
	text         TEXT NOT NULL DEFAULT '',
	language     TEXT NOT NULL DEFAULT '',
	requirements TEXT NOT NULL DEFAULT '[]', -- []matcher.Requirement as edited
	status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('draft', 'open', 'closed')),
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
) STRICT;

CREATE TABLE teams (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL
) STRICT;

CREATE TABLE applicants (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	email      TEXT NOT NULL DEFAULT '',
	contact    TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL DEFAULT 'applicant' CHECK (kind IN ('applicant', 'employee')),
	team_id    INTEGER REFERENCES teams(id) ON DELETE SET NULL,
	created_at TEXT NOT NULL
) STRICT;
CREATE INDEX applicants_email ON applicants(email COLLATE NOCASE) WHERE email <> '';
CREATE INDEX applicants_team ON applicants(team_id) WHERE team_id IS NOT NULL;

-- Files whose import finished, by path and content hash: a rerun skips them.
CREATE TABLE import_files (
	id          INTEGER PRIMARY KEY,
	path        TEXT NOT NULL,
	hash        TEXT NOT NULL,
	credentials INTEGER NOT NULL,
	duplicates  INTEGER NOT NULL,
	finished_at TEXT NOT NULL,
	UNIQUE (path, hash)
) STRICT;

CREATE TABLE credentials (
	id            INTEGER PRIMARY KEY,
	applicant_id  INTEGER NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
	import_id     INTEGER REFERENCES import_files(id) ON DELETE SET NULL,
	fingerprint   TEXT NOT NULL,
	format        TEXT NOT NULL,
	file_name     TEXT NOT NULL,  -- the file as received (base name)
	item_path     TEXT NOT NULL,  -- where in it: "bundle.zip!/a.json", "roster.csv:4"
	original      BLOB NOT NULL,  -- the original bytes, never modified
	record        TEXT NOT NULL,  -- the parsed credential, JSON
	-- What ranking needs (matcher.CredentialRef), as columns.
	ref_id        TEXT NOT NULL,
	title         TEXT NOT NULL DEFAULT '',
	issuer        TEXT NOT NULL DEFAULT '',
	issuer_id     TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL DEFAULT '',
	trusted       INTEGER NOT NULL DEFAULT 0,
	self_reported INTEGER NOT NULL DEFAULT 0,
	issued_at     INTEGER NOT NULL DEFAULT 0,
	valid_from    INTEGER NOT NULL DEFAULT 0,
	valid_until   INTEGER NOT NULL DEFAULT 0,
	level         TEXT NOT NULL DEFAULT '',
	credits       REAL NOT NULL DEFAULT 0,
	verification  TEXT,           -- credential.Verification, JSON; NULL = not verified
	verified_at   TEXT,
	imported_at   TEXT NOT NULL,
	UNIQUE (applicant_id, fingerprint)
) STRICT;
CREATE INDEX credentials_fingerprint ON credentials(fingerprint);
CREATE INDEX credentials_import ON credentials(import_id) WHERE import_id IS NOT NULL;

-- The competencies each credential evidences (matcher.Evidence).
CREATE TABLE evidence (
	credential_id INTEGER NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
	seq           INTEGER NOT NULL,
	competency    TEXT NOT NULL,
	link          TEXT NOT NULL,
	score         REAL NOT NULL,
	source        TEXT NOT NULL DEFAULT '',
	spans         TEXT NOT NULL DEFAULT '', -- "start-end start-end"
	inner_ref     TEXT,                     -- CredentialRef JSON of a CLR's enclosed credential
	PRIMARY KEY (credential_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX evidence_competency ON evidence(competency);

CREATE TABLE trust (
	issuer_id TEXT PRIMARY KEY,
	name      TEXT NOT NULL DEFAULT '',
	note      TEXT NOT NULL DEFAULT ''
) STRICT;

-- Pipeline stages; the keys are fixed, the labels renameable.
CREATE TABLE stages (
	key      TEXT PRIMARY KEY,
	label    TEXT NOT NULL,
	position INTEGER NOT NULL UNIQUE
) STRICT;
INSERT INTO stages(key, label, position) VALUES
	('new', 'New', 1),
	('screening', 'Screening', 2),
	('shortlisted', 'Shortlisted', 3),
	('interview', 'Interview', 4),
	('offer', 'Offer', 5),
	('hired', 'Hired', 6),
	('rejected', 'Rejected', 7);

-- A job's pool: who applied to it, and where they are.
CREATE TABLE pipeline (
	job_id       INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
	applicant_id INTEGER NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
	stage        TEXT NOT NULL DEFAULT 'new' REFERENCES stages(key),
	updated_at   TEXT NOT NULL,
	PRIMARY KEY (job_id, applicant_id)
) STRICT;
CREATE INDEX pipeline_applicant ON pipeline(applicant_id);

CREATE TABLE notes (
	id           INTEGER PRIMARY KEY,
	applicant_id INTEGER NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
	job_id       INTEGER REFERENCES jobs(id) ON DELETE CASCADE,
	body         TEXT NOT NULL,
	created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX notes_applicant ON notes(applicant_id);

-- Ranking snapshots: the explanation of every score as it was shown.
CREATE TABLE snapshots (
	id           INTEGER PRIMARY KEY,
	job_id       INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
	taken_at     TEXT NOT NULL,
	as_of        TEXT NOT NULL,
	taxonomy     TEXT NOT NULL DEFAULT '',
	policy       TEXT NOT NULL,       -- matcher.Policy, JSON
	requirements TEXT NOT NULL,       -- []matcher.Requirement, JSON
	note         TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX snapshots_job ON snapshots(job_id);

CREATE TABLE snapshot_entries (
	snapshot_id  INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
	applicant_id INTEGER NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
	rank         INTEGER NOT NULL,
	score        REAL NOT NULL,
	data         TEXT NOT NULL,       -- the explanation as shown, JSON
	PRIMARY KEY (snapshot_id, applicant_id)
) STRICT;
CREATE INDEX snapshot_entries_applicant ON snapshot_entries(applicant_id);

-- Audit log of sensitive actions (blind-mode reveals, erasures, restores).
CREATE TABLE audit (
	id           INTEGER PRIMARY KEY,
	at           TEXT NOT NULL,
	action       TEXT NOT NULL,
	job_id       INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
	applicant_id INTEGER REFERENCES applicants(id) ON DELETE CASCADE,
	detail       TEXT NOT NULL DEFAULT ''
) STRICT;

-- Micro-credentials on offer, for upskilling plans (matcher.CatalogueItem).
CREATE TABLE catalogue (
	id          TEXT PRIMARY KEY,
	data        TEXT NOT NULL,
	imported_at TEXT NOT NULL
) STRICT;

-- Documents for offline verification (did:web documents, status lists,
-- hosted assertions), by URL.
CREATE TABLE documents (
	url        TEXT PRIMARY KEY,
	body       BLOB NOT NULL,
	fetched_at TEXT NOT NULL
) STRICT;

-- Full-text search over applicants: one row per applicant (rowid = applicant
-- id) holding their contacts and the issuers, titles, competency labels and
-- statuses of all their credentials, so that a query may combine them.
CREATE VIRTUAL TABLE search USING fts5(
	name, email, contact, issuer, title, competencies, status,
	tokenize = 'unicode61 remove_diacritics 2'
);
-- Deleted rows leave no trace in the index (erasure).
INSERT INTO search(search, rank) VALUES ('secure-delete', 1);
