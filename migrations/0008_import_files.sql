-- Why: an unchanged re-import of a 100,000-entity catalog parsed every file again and touched
-- every entity row (a hash SELECT and a last_seen UPDATE each), 60-90% of a first import. One row
-- per descriptor file that was read cleanly remembers the content that produced the stored
-- entities, so the next import can skip a file whose size and content hash still match without
-- parsing it or touching its entities. Files with problems, and files holding Location entities
-- (whose targets must be followed again), get no row and are always read.

CREATE TABLE import_files (
  file         TEXT PRIMARY KEY,          -- display path, as entities.source_file spells it
  root         TEXT NOT NULL,             -- the import argument it was reached from (entities.source_root)
  size         INTEGER NOT NULL,          -- bytes
  hash         TEXT NOT NULL,             -- sha1 of the bytes (and of the reader's rules version)
  entities     INTEGER NOT NULL,          -- entities it produced: fewer stored now means someone else took one, so read it again
  checked_at   TEXT NOT NULL              -- ISO time of the last import that read or skipped it
) STRICT;
