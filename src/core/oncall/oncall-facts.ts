import type { OncallAnswer } from './oncall-provider.js';
import type { OncallResolution } from './resolve-oncall.js';

/** A fact for scorecards, in the shape the fact store takes: key, value and where it came from. */
export interface OncallFact {
  readonly key: string;
  readonly value: boolean | string;
  /** The on-call source (`pagerduty`, `opsgenie`, `rotation`), or `catalog` when there is none. */
  readonly source: string;
}

/**
 * What scorecards may check about on-call, from the resolution alone (no provider is asked):
 *
 * - `oncall.has_rotation`: whether an on-call source is declared for the entity, directly, via its
 *   system or via its owning team; `false` as well when `answer` (if given) shows nobody on call;
 * - `oncall.source`: `pagerduty`, `opsgenie`, `rotation` or `none`;
 * - `oncall.declared_on`: `self`, `system` or `owner` (only when there is a source).
 *
 * ```ts
 * oncallFacts(resolution); // [{ key: 'oncall.has_rotation', value: true, source: 'pagerduty' }, …]
 * ```
 */
export function oncallFacts(resolution: OncallResolution, answer?: OncallAnswer): OncallFact[] {
  const first = resolution.sources[0];
  if (first === undefined) {
    return [
      { key: 'oncall.has_rotation', value: false, source: 'catalog' },
      { key: 'oncall.source', value: 'none', source: 'catalog' },
    ];
  }
  const provider = first.type === 'rotation' ? 'rotation' : first.target.provider;
  const staffed = answer === undefined || answer.shifts.length > 0;
  return [
    { key: 'oncall.has_rotation', value: staffed, source: provider },
    { key: 'oncall.source', value: provider, source: provider },
    { key: 'oncall.declared_on', value: first.via, source: provider },
  ];
}
