import type { ScorecardResult } from './evaluate-scorecard.js';

/** `Silver`, or `No level` below the first: how answers name a level. */
export const levelLabel = (level: string | undefined): string =>
  level === undefined ? 'No level' : level.charAt(0).toUpperCase() + level.slice(1);

/** `Production readiness: Silver · 72/100`: the one line every answer uses for a result. */
export const resultLine = (result: ScorecardResult): string =>
  `${result.scorecard.title}: ${levelLabel(result.level)} · ${result.score}/100`;
