-- Why: scorecards need three kinds of state. Facts pushed about each service (the latest value per
-- key, with its source and when it was observed); exemptions with their reason and end date; and
-- the history of evaluations, so "failing since", week-over-week change and trends are queries.
-- History is run-length encoded: a result row is written only when a service's level, score,
-- owner or any check's state under a scorecard changed, and the state at any moment is the
-- latest row at or before it. 10,000 services × 5 scorecards evaluated weekly for a year writes
-- a row only for what moved, instead of 2.6 million copies of what did not.

CREATE TABLE facts (
  entity_ref   TEXT NOT NULL,             -- canonical 'kind:namespace/name'
  key          TEXT NOT NULL,             -- e.g. 'alerts.configured'
  value        TEXT NOT NULL,             -- JSON scalar: string, number or boolean
  source       TEXT NOT NULL,             -- 'cli', 'api' or the pusher's own name
  observed_at  TEXT NOT NULL,             -- ISO timestamp: when the source saw it
  recorded_at  TEXT NOT NULL,             -- ISO timestamp: when it was stored
  PRIMARY KEY (entity_ref, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE exemptions (
  id            INTEGER PRIMARY KEY,
  entity_ref    TEXT NOT NULL,
  scorecard_id  TEXT NOT NULL,
  check_id      TEXT NOT NULL,
  reason        TEXT NOT NULL,
  until_day     TEXT NOT NULL,            -- 'YYYY-MM-DD', the last day it holds (UTC)
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  replaced_at   TEXT                      -- set when a newer exemption for the same check replaced it
) STRICT;

CREATE INDEX exemptions_entity ON exemptions (entity_ref, until_day) WHERE replaced_at IS NULL;

-- One row per evaluation run that changed something (or was asked for explicitly by `steward score`).
CREATE TABLE score_runs (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  trigger     TEXT NOT NULL,              -- 'score', 'facts', 'chat', 'gate', 'exempt'
  scorecards  TEXT NOT NULL,              -- JSON list of scorecard ids
  full        INTEGER NOT NULL,           -- 1: every service was evaluated
  evaluated   INTEGER NOT NULL,
  changed     INTEGER NOT NULL
) STRICT;

CREATE TABLE score_results (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES score_runs (id),
  entity_ref    TEXT NOT NULL,
  scorecard_id  TEXT NOT NULL,
  at            TEXT NOT NULL,            -- ISO timestamp of the evaluation that first saw this state
  applies       INTEGER NOT NULL,         -- 0: the scorecard stopped applying (filter, or the entity is gone)
  owner_ref     TEXT,                     -- owner then, so standings per team are queries over history
  level         TEXT,                     -- NULL below the first level
  level_rank    INTEGER NOT NULL,         -- 0 below the first level, 1 at the first, …
  score         INTEGER NOT NULL,         -- 0-100
  states        TEXT NOT NULL             -- JSON {check id: 'p' | 'f' | 'u' | 'e'} (pass, fail, unknown, exempt)
) STRICT;

-- "Failing since" walks one service's rows newest first; "as of" finds, per service, the latest
-- row at or before a time: this index covers that (rowid is the row id) without a sort.
CREATE INDEX score_results_entity ON score_results (entity_ref, scorecard_id, id);
CREATE INDEX score_results_latest ON score_results (scorecard_id, entity_ref, at);
