import type { GateDecision } from './scoring-service.js';

/**
 * The gate's answer as JSON, one shape for `steward gate --json` and `GET /api/v1/gate/…`:
 * `{ pass, level, failing: [{ check, fix }] }` plus what a pipeline log wants to show.
 */
export function gateReport(service: string, d: GateDecision): Record<string, unknown> {
  return {
    pass: d.pass,
    service,
    scorecard: d.scorecard.id,
    min: d.min,
    level: d.result?.level ?? null,
    score: d.result?.score ?? null,
    enforced: d.enforced,
    applies: d.applies,
    failing: d.failing.map((c) => ({
      check: c.check.id,
      title: c.check.title,
      level: c.check.level,
      state: c.state,
      evidence: c.evidence,
      fix: c.fixUrl ?? null,
      how: c.check.fix.how,
    })),
    ...(d.warning ? { warning: d.warning } : {}),
  };
}
