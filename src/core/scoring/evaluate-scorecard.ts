import type { CompiledCheck, CompiledScorecard } from './compile-scorecard.js';
import type { Exemption } from './exemption.js';
import type { FactProvenance } from './fact-provenance.js';
import { provenanceOf } from './fact-provenance.js';
import { isExemptionActive } from './exemption.js';
import type { RuleStatus } from './rule-kinds.js';
import type { ServiceSnapshot } from './service-snapshot.js';

/** What a check comes to for one service: the rule's verdict, or `exempt` while an exemption holds. */
export type CheckState = 'pass' | 'fail' | 'unknown' | 'exempt';

export interface CheckResult {
  readonly check: CompiledCheck;
  readonly state: CheckState;
  /** What the rule itself said, also under an exemption. */
  readonly status: RuleStatus;
  readonly evidence: string;
  /** For unknown: the facts that were missing, stale or unreadable. */
  readonly missing: readonly string[];
  readonly exemption: Exemption | undefined;
  readonly fixUrl: string | undefined;
  /** Set when the rule threw: the check is unknown and the error is for the log, not for chat. */
  readonly error: unknown;
  /** The stored facts the check read: from which source, observed when ("PagerDuty, 2 h ago"). */
  readonly provenance: readonly FactProvenance[];
}

export interface ScorecardResult {
  readonly scorecard: CompiledScorecard;
  readonly entityRef: string;
  readonly ownerRef: string | undefined;
  readonly evaluatedAt: Date;
  /** The highest level whose checks, and those of every level below, all pass; undefined below the first. */
  readonly level: string | undefined;
  /** 0 below the first level, 1 at the first, … */
  readonly levelRank: number;
  /** Weighted share of passing checks, 0-100. Unknown checks count as not passing. */
  readonly score: number;
  readonly checks: readonly CheckResult[];
  readonly nextLevel: string | undefined;
  /** The checks that stand between this service and the next level. */
  readonly nextLevelNeeds: readonly CheckResult[];
}

const NONE: readonly string[] = [];
const NO_PROVENANCE: readonly FactProvenance[] = [];

/** Passing for level and score: a pass, or anything under an exemption that still holds. */
export const counts = (r: CheckResult): boolean => r.state === 'pass' || r.state === 'exempt';

/**
 * Evaluates one scorecard for one service. Pure: the snapshot holds everything, including `now`.
 * A rule that throws makes its check unknown instead of sinking the scorecard.
 */
export function evaluateScorecard(scorecard: CompiledScorecard, snapshot: ServiceSnapshot): ScorecardResult {
  const { entity, ownerRef, now } = snapshot;
  const checks: CheckResult[] = [];
  let passingWeight = 0;
  let blockedAt = Number.POSITIVE_INFINITY;
  for (const check of scorecard.checks) {
    let status: RuleStatus;
    let evidence: string;
    let missing: readonly string[] = NONE;
    let error: unknown;
    try {
      const outcome = check.evaluate(snapshot);
      status = outcome.status;
      evidence = outcome.evidence;
      missing = outcome.missing ?? [];
    } catch (err) {
      status = 'unknown';
      evidence = 'this check could not be evaluated (its rule failed; the log has the details)';
      error = err;
    }
    const exemption =
      status === 'pass'
        ? undefined
        : snapshot.exemptions.find((e) => e.scorecardId === scorecard.id && e.checkId === check.id && isExemptionActive(e, now));
    const state: CheckState = exemption ? 'exempt' : status;
    const result: CheckResult = {
      check,
      state,
      status,
      evidence,
      missing,
      exemption,
      fixUrl: status === 'pass' ? undefined : scorecard.fixUrl(check, entity, ownerRef),
      error,
      provenance: check.facts.length === 0 ? NO_PROVENANCE : provenanceOf(check.facts, snapshot.facts),
    };
    checks.push(result);
    if (counts(result)) passingWeight += check.weight;
    else if (check.levelRank < blockedAt) blockedAt = check.levelRank;
  }
  const levelRank = Number.isFinite(blockedAt) ? blockedAt - 1 : scorecard.levels.length;
  const nextLevel = scorecard.levels[levelRank];
  const nextLevelNeeds =
    nextLevel === undefined
      ? []
      : checks.filter((c) => !counts(c) && c.check.levelRank === levelRank + 1).sort((a, b) => b.check.weight - a.check.weight);
  return {
    scorecard,
    entityRef: entity.ref,
    ownerRef,
    evaluatedAt: now,
    level: levelRank > 0 ? scorecard.levels[levelRank - 1] : undefined,
    levelRank,
    score: scorecard.totalWeight === 0 ? 0 : Math.round((100 * passingWeight) / scorecard.totalWeight),
    checks,
    nextLevel,
    nextLevelNeeds,
  };
}
