import type { OtherOwner, ResultSummary, TeamTotals } from './scoring-ports.js';

export type { OtherOwner, TeamTotals };

/** How one team stands on one scorecard: its services' average score and their levels. */
export interface TeamStanding {
  readonly ownerRef: string;
  readonly rank: number;
  readonly services: number;
  /** Mean score of the team's services, one decimal. */
  readonly averageScore: number;
  /** Services per level name; `none` for those below the first level. */
  readonly levels: Readonly<Record<string, number>>;
  /** Compared with the end of an earlier ISO week, when asked for. */
  readonly change?: StandingChange | undefined;
}

export interface StandingChange {
  readonly since: string;
  /** Undefined when the team had no scored services then. */
  readonly previousRank: number | undefined;
  readonly previousAverage: number | undefined;
  /** Positive is better: points gained, places climbed. */
  readonly scoreDelta: number | undefined;
  readonly rankDelta: number | undefined;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** One result as the totals see it: the fields of a stored result that count (history's summaries). */
export type CountedResult = ResultSummary;

/** Each team's totals over the latest results of one scorecard; owners `isTeam` refuses are left out. */
export function teamTotals(rows: readonly CountedResult[], levels: readonly string[], isTeam?: (ownerRef: string) => boolean): TeamTotals[] {
  let totals = new Map<string, TeamTotals>();
  for (const r of rows) totals = addResult(totals, r, levels, isTeam, 1);
  return [...totals.values()];
}

function addResult(
  totals: Map<string, TeamTotals>,
  r: CountedResult,
  levels: readonly string[],
  isTeam: ((ownerRef: string) => boolean) | undefined,
  sign: 1 | -1,
): Map<string, TeamTotals> {
  if (!r.applies || r.ownerRef === undefined) return totals;
  if (isTeam && !isTeam(r.ownerRef)) return totals;
  const was = totals.get(r.ownerRef) ?? { ownerRef: r.ownerRef, services: 0, scoreSum: 0, atTop: 0, levels: {} };
  const name = r.level ?? 'none';
  const levelCounts = { ...was.levels, [name]: (was.levels[name] ?? 0) + sign };
  if (levelCounts[name] === 0) delete levelCounts[name];
  const next = {
    ownerRef: r.ownerRef,
    services: was.services + sign,
    scoreSum: was.scoreSum + sign * r.score,
    atTop: was.atTop + (r.levelRank >= levels.length ? sign : 0),
    levels: levelCounts,
  };
  if (next.services <= 0) totals.delete(r.ownerRef);
  else totals.set(r.ownerRef, next);
  return totals;
}

/**
 * The totals after one service's result changed from `before` (its previous latest result, if
 * any) to `after`: what recording a single evaluation does to the stored standings.
 */
export function applyResult(
  totals: readonly TeamTotals[],
  before: CountedResult | undefined,
  after: CountedResult,
  levels: readonly string[],
  isTeam?: (ownerRef: string) => boolean,
): TeamTotals[] {
  let byOwner = new Map(totals.map((t) => [t.ownerRef, t]));
  if (before) byOwner = addResult(byOwner, before, levels, isTeam, -1);
  byOwner = addResult(byOwner, after, levels, isTeam, 1);
  return [...byOwner.values()];
}

/**
 * Teams ranked by the mean score of their services, then by the share that reached the top level;
 * teams equal on both share a place and are listed by name.
 */
export function rankTotals(totals: readonly TeamTotals[]): TeamStanding[] {
  // Stored standings are read once per change of the database, so the same totals come back on
  // every `team` and `leaderboard` until then: rank them once (sorting with localeCompare was 4%
  // of serve's main thread under load). Copies out, so no caller can change another's.
  let ranked = RANKED.get(totals);
  if (!ranked) RANKED.set(totals, (ranked = rank(totals)));
  return ranked.map((s) => ({ ...s }));
}

const RANKED = new WeakMap<readonly TeamTotals[], readonly TeamStanding[]>();

function rank(totals: readonly TeamTotals[]): TeamStanding[] {
  const unranked = totals.map((t) => ({
    ownerRef: t.ownerRef,
    services: t.services,
    averageScore: round1(t.scoreSum / t.services),
    levels: t.levels,
    atTop: t.atTop / t.services,
  }));
  unranked.sort((a, b) => b.averageScore - a.averageScore || b.atTop - a.atTop || a.ownerRef.localeCompare(b.ownerRef));
  // Competition ranking: equal teams share a place and the next place is skipped (1, 1, 3).
  let rank = 0;
  return unranked.map(({ atTop, ...s }, i) => {
    const prev = unranked[i - 1];
    if (!prev || prev.averageScore !== s.averageScore || prev.atTop !== atTop) rank = i + 1;
    return { ...s, rank };
  });
}

/**
 * Teams ranked by the mean score of their services (see `rankTotals`). Unowned services are left
 * out: there is nobody to rank. With `isTeam`, only owners it accepts are ranked (see `otherOwners`).
 */
export function teamStandings(rows: readonly CountedResult[], levels: readonly string[], isTeam?: (ownerRef: string) => boolean): TeamStanding[] {
  return rankTotals(teamTotals(rows, levels, isTeam));
}

/** Adds each team's change since an earlier set of standings. */
export function withChange(now: readonly TeamStanding[], before: readonly TeamStanding[], since: string): TeamStanding[] {
  const previous = new Map(before.map((s) => [s.ownerRef, s]));
  return now.map((s) => {
    const p = previous.get(s.ownerRef);
    return {
      ...s,
      change: {
        since,
        previousRank: p?.rank,
        previousAverage: p?.averageScore,
        scoreDelta: p ? round1(s.averageScore - p.averageScore) : undefined,
        rankDelta: p ? p.rank - s.rank : undefined,
      },
    };
  });
}

/** The owners `teamStandings` leaves out for not being teams, with their service counts, by ref. */
export function otherOwners(rows: readonly CountedResult[], isTeam: (ownerRef: string) => boolean): OtherOwner[] {
  const counts = new Map<string, number>();
  for (const r of rows) {
    if (!r.applies || r.ownerRef === undefined || isTeam(r.ownerRef)) continue;
    counts.set(r.ownerRef, (counts.get(r.ownerRef) ?? 0) + 1);
  }
  return [...counts].map(([ownerRef, services]) => ({ ownerRef, services })).sort((a, b) => a.ownerRef.localeCompare(b.ownerRef));
}
