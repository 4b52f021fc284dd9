-- Why: a source may state relations between entities it does not own (the GitHub organisation sync
-- fills a Backstage team's members from GitHub when the descriptor leaves them out). Such rows carry
-- the source's root in `origin`, so that re-importing an entity keeps them (only the rows it stated
-- itself, origin NULL, are replaced) and the next sync replaces exactly its own.
ALTER TABLE relations ADD COLUMN origin TEXT;
CREATE INDEX relations_origin ON relations (origin) WHERE origin IS NOT NULL;
