-- Why: the weekly leaderboard and the owner nudges must run once per period and deliver each
-- message exactly once across restarts, crashes and two processes on one database, and they must
-- honour what people told Steward (opt-out, snoozed checks, "not my service").
--   job_runs         one row per (job, period) claimed in a transaction: a period is never run twice.
--   deliveries       the delivery ledger: every planned message is written before it is sent, keyed
--                    like `nudge:user:default/ana.ruiz:2026-W49`, and moves planned → sending → sent
--                    (or failed / uncertain); a retry waits for next_attempt_at.
--   nudge_optouts, nudge_snoozes, nudge_disowned   the people's own nudge controls.

CREATE TABLE job_runs (
  job          TEXT NOT NULL,      -- 'leaderboard', 'nudges', 'leaderboard:dry-run', …
  period       TEXT NOT NULL,      -- the scheduled occurrence in the configured zone: '2026-11-30T09:00'
  claimed_by   TEXT NOT NULL,      -- host:pid of the process that ran it
  started_at   TEXT NOT NULL,      -- ISO-8601 UTC
  finished_at  TEXT,
  status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  summary      TEXT,               -- JSON: planned, skipped, … or the error
  PRIMARY KEY (job, period)
) STRICT;

CREATE TABLE deliveries (
  key              TEXT PRIMARY KEY,  -- 'leaderboard:<scorecard>:<channel>:<ISO week>', 'nudge:<person>:<ISO week>'
  job              TEXT NOT NULL,
  period           TEXT NOT NULL,
  platform         TEXT NOT NULL,     -- which Messenger delivers it: 'slack', 'teams'
  target_kind      TEXT NOT NULL CHECK (target_kind IN ('channel', 'person')),
  target           TEXT NOT NULL,     -- a channel id or name, or the JSON of a PersonRef
  subject          TEXT,              -- the person's or team's catalog ref, for cooldowns and reports
  reply            TEXT NOT NULL,     -- JSON of the platform-neutral Reply
  status           TEXT NOT NULL CHECK (status IN ('planned', 'sending', 'sent', 'failed', 'uncertain')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,     -- ISO-8601 UTC: not before
  claimed_at       TEXT,              -- when it was last marked sending
  claimed_by       TEXT,
  last_error       TEXT,
  message_id       TEXT,              -- the platform's id of the message once sent
  created_at       TEXT NOT NULL,
  sent_at          TEXT
) STRICT;

CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_subject ON deliveries (subject, sent_at);

CREATE TABLE nudge_optouts (
  person_ref  TEXT PRIMARY KEY,
  at          TEXT NOT NULL
) STRICT;

CREATE TABLE nudge_snoozes (
  person_ref    TEXT NOT NULL,
  entity_ref    TEXT NOT NULL,
  scorecard_id  TEXT NOT NULL,
  check_id      TEXT NOT NULL,
  until         TEXT NOT NULL,      -- ISO-8601 UTC
  at            TEXT NOT NULL,
  PRIMARY KEY (person_ref, entity_ref, scorecard_id, check_id)
) STRICT;

CREATE TABLE nudge_disowned (
  person_ref  TEXT NOT NULL,
  entity_ref  TEXT NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (person_ref, entity_ref)
) STRICT;
