-- Why: "who do I page right now" must still be answered when PagerDuty or Opsgenie is down, slow or
-- rate-limiting, and after a restart. This keeps the last good answer per on-call target (a
-- PagerDuty service or escalation policy, an Opsgenie schedule or team) with the time it was
-- fetched, so an answer can say "as of <time>", and the time until which each provider asked us
-- (429 Retry-After) not to call it, so background refreshes honour it across restarts.
-- Native rotations need no table: they are declared in the catalog or the config and computed.

CREATE TABLE oncall_answers (
  target_key   TEXT PRIMARY KEY,   -- 'pagerduty:service:PABC123'
  provider     TEXT NOT NULL,      -- 'pagerduty', 'opsgenie'
  target_kind  TEXT NOT NULL,      -- 'service', 'escalation_policy', 'schedule', 'team'
  target_id    TEXT NOT NULL,      -- the id as the catalog's annotation gives it
  answer       TEXT NOT NULL,      -- JSON: label, shifts (level, person, until), page URL
  fetched_at   TEXT NOT NULL       -- ISO-8601 UTC
) STRICT;

CREATE INDEX oncall_answers_fetched ON oncall_answers (fetched_at);

CREATE TABLE oncall_backoff (
  provider    TEXT PRIMARY KEY,
  not_before  TEXT NOT NULL,       -- ISO-8601 UTC: do not call before this
  reason      TEXT NOT NULL
) STRICT;
