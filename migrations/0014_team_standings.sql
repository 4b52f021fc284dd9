-- Why: `team` and `leaderboard` ranked every team by reading (or re-evaluating) every service's
-- latest result on each command: about a second of synchronous work at 10,000 services. The
-- standings are stored instead, one row per scorecard: `as_of` is 'now' for the current ones
-- (replaced by each full scoring run and import, adjusted by single evaluations) or an ISO week
-- such as '2026-W47' for the state at that week's end, which no longer changes once computed.
-- `totals` is JSON: each team's service count, score sum, services at the top level and level mix,
-- and the owners that are not teams; ranks are derived on read (a few hundred teams at most).
CREATE TABLE team_standings (
  scorecard_id TEXT NOT NULL,
  as_of TEXT NOT NULL,
  computed_at TEXT NOT NULL,
  totals TEXT NOT NULL,
  PRIMARY KEY (scorecard_id, as_of)
) WITHOUT ROWID;
