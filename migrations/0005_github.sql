-- Why: `steward sync github` must re-read only the repositories that changed, spend no quota on
-- listings that did not change, and say which scorecard facts it could not read and why. This
-- keeps each repository's `pushed_at` as last read (and the components its facts went to), the
-- ETag and body of each conditional REST request (a 304 answer is free of the rate limit), and the
-- unknown facts with their reason (the facts table holds only known values: a missing fact is
-- already "unknown" to a scorecard; this says why).

CREATE TABLE github_repositories (
  org          TEXT NOT NULL,
  full_name    TEXT NOT NULL,             -- 'acme/payments'
  pushed_at    TEXT,                      -- as GitHub reported it when last read
  entity_refs  TEXT NOT NULL,             -- JSON list of the components its facts went to
  synced_at    TEXT NOT NULL,
  PRIMARY KEY (org, full_name)
) STRICT, WITHOUT ROWID;

CREATE TABLE github_etags (
  url         TEXT PRIMARY KEY,           -- the request URL, query included
  etag        TEXT NOT NULL,
  body        TEXT NOT NULL,              -- JSON body of the 200 answer the ETag belongs to
  link        TEXT,                       -- its Link header: pagination must survive a 304
  stored_at   TEXT NOT NULL
) STRICT;

CREATE TABLE github_unknown_facts (
  entity_ref   TEXT NOT NULL,
  key          TEXT NOT NULL,
  reason       TEXT NOT NULL,
  observed_at  TEXT NOT NULL,
  PRIMARY KEY (entity_ref, key)
) STRICT, WITHOUT ROWID;
