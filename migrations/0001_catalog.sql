-- Why: the catalog as Backstage has it (every kind, metadata and spec kept whole), plus the derived
-- tables every answer reads: relations in both directions, people with their chat identities,
-- aliases, and a trigram full-text index for typo-tolerant search. Provenance (file, line, import
-- root) is kept so answers can say where a fact came from and `import --prune` knows what it owns.

CREATE TABLE entities (
  ref          TEXT PRIMARY KEY,          -- canonical 'kind:namespace/name', lower case
  kind         TEXT NOT NULL,             -- as written, e.g. 'Component'
  namespace    TEXT NOT NULL,
  name         TEXT NOT NULL,             -- original spelling, for display
  title        TEXT,
  description  TEXT,
  metadata     TEXT NOT NULL,             -- JSON
  spec         TEXT NOT NULL,             -- JSON
  source_root  TEXT NOT NULL,             -- the import argument it was found under
  source_file  TEXT NOT NULL,
  source_line  INTEGER NOT NULL,
  hash         TEXT NOT NULL,             -- content hash: tells updated from unchanged
  flags        TEXT NOT NULL DEFAULT '[]',-- JSON list of warnings kept with the entity (dangling owner, unknown kind)
  first_seen   TEXT NOT NULL,
  last_seen    TEXT NOT NULL
) STRICT;

CREATE INDEX entities_kind ON entities (lower(kind));
CREATE INDEX entities_name ON entities (lower(name));
CREATE INDEX entities_title ON entities (lower(title));
CREATE INDEX entities_source ON entities (source_root, source_file);

-- Relations are derived from an entity's spec and stored once, as the entity states them
-- (source_ref is always the entity whose spec produced the row), so re-importing one entity
-- replaces exactly its rows. The reverse direction (ownerOf for ownedBy, …) is read through the
-- index on target_ref. Targets may dangle: real catalogs reference teams that are not in them.
CREATE TABLE relations (
  source_ref  TEXT NOT NULL REFERENCES entities (ref) ON DELETE CASCADE,
  type        TEXT NOT NULL,
  target_ref  TEXT NOT NULL,
  PRIMARY KEY (source_ref, type, target_ref)
) STRICT, WITHOUT ROWID;

CREATE INDEX relations_target ON relations (target_ref, type);

CREATE TABLE people (
  ref           TEXT PRIMARY KEY REFERENCES entities (ref) ON DELETE CASCADE,
  email         TEXT,
  display_name  TEXT NOT NULL,
  slack_user_id TEXT,
  teams_user_id TEXT,
  updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX people_email ON people (lower(email));
CREATE INDEX people_slack ON people (slack_user_id);

CREATE TABLE aliases (
  alias  TEXT NOT NULL COLLATE NOCASE,
  ref    TEXT NOT NULL REFERENCES entities (ref) ON DELETE CASCADE,
  PRIMARY KEY (alias, ref)
) STRICT;

CREATE INDEX aliases_ref ON aliases (ref);

CREATE VIRTUAL TABLE entity_search USING fts5 (
  ref UNINDEXED, name, title, description, tags, aliases,
  tokenize = 'trigram'
);

-- One row per import run: what it read and what it changed, for operators and `info`.
CREATE TABLE import_runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  roots       TEXT NOT NULL,   -- JSON list
  summary     TEXT NOT NULL    -- JSON counts per kind
) STRICT;
