import type { Entity } from '../catalog/index.js';
import type { FixService } from '../fixes/index.js';
import { fixButton } from '../fixes/index.js';
import type { Action, Block, Inline } from '../message/index.js';
import { actions, list, strong, urlButton } from '../message/index.js';
import type { CheckResult, ScorecardResult } from '../scoring/index.js';
import { levelLabel } from '../scoring/index.js';

/**
 * A service's failing checks as the Home tab shows them: one line each (most important first),
 * then a button per check that has a fix link. The one place such buttons are made for the Home
 * tab, so another kind of fix (a pull request, say) is added here once.
 */
export interface FailingChecksOptions {
  /** Checks listed; the rest is "…and N more". */
  readonly maxChecks?: number | undefined;
  /** Fix buttons; a handful reads better than a wall. */
  readonly maxButtons?: number | undefined;
  /** "Open a fix PR" for a check a pull request can fix on this service (instead of its fix link). */
  readonly fixes?: Pick<FixService, 'canOffer'> | undefined;
}

/** Most important first: the lowest level a check blocks, then its weight. */
const byImportance = (a: CheckResult, b: CheckResult): number =>
  a.check.levelRank - b.check.levelRank || b.check.weight - a.check.weight || a.check.id.localeCompare(b.check.id);

export function failingChecks(results: readonly ScorecardResult[]): Array<{ readonly result: ScorecardResult; readonly check: CheckResult }> {
  return results.flatMap((result) => result.checks.filter((c) => c.state === 'fail').sort(byImportance).map((check) => ({ result, check })));
}

/** Nothing when nothing fails. `entity` is the service the checks are about, for fixes that act on it. */
export function failingCheckBlocks(entity: Entity, results: readonly ScorecardResult[], options: FailingChecksOptions = {}): Block[] {
  const failing = failingChecks(results);
  if (failing.length === 0) return [];
  const maxChecks = options.maxChecks ?? 5;
  const shown = failing.slice(0, maxChecks);
  const lines = shown.map(({ result, check }): Inline[] => [
    '✗ ',
    strong(check.check.title),
    ` (${result.scorecard.title}, ${levelLabel(check.check.level)}): ${check.check.fix.how}`,
  ]);
  // A pull request Steward can open beats a page of advice: it is offered first, then the links.
  const buttons: Action[] = shown
    .map(({ result, check }): Action | undefined =>
      options.fixes?.canOffer(entity, check.check) === true
        ? fixButton(entity.ref, result.scorecard.id, check.check.id, check.check.title)
        : check.fixUrl !== undefined
          ? urlButton(`Fix: ${check.check.title}`, check.fixUrl)
          : undefined,
    )
    .filter((b): b is Action => b !== undefined)
    .slice(0, options.maxButtons ?? 3);
  return [list(lines, failing.length - shown.length), ...(buttons.length > 0 ? [actions(buttons)] : [])];
}
