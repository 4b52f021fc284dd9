import type { ResultSummary } from './scoring-ports.js';

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

/** An owner of scored services that is not a team in the catalog: a person, or a Group nobody declared. */
export interface OtherOwner {
  readonly ownerRef: string;
  readonly services: number;
}

/**
 * Teams ranked by the mean score of their services, then by the share that reached the top level;
 * teams equal on both share a place and are listed by name. Unowned services are left out: there
 * is nobody to rank. With `isTeam`, only owners it accepts are ranked (see `otherOwners`).
 */
export function teamStandings(rows: readonly ResultSummary[], levels: readonly string[], isTeam?: (ownerRef: string) => boolean): TeamStanding[] {
  const byOwner = new Map<string, ResultSummary[]>();
  for (const r of rows) {
    if (!r.applies || r.ownerRef === undefined) continue;
    if (isTeam && !isTeam(r.ownerRef)) continue;
    let list = byOwner.get(r.ownerRef);
    if (!list) byOwner.set(r.ownerRef, (list = []));
    list.push(r);
  }
  const top = levels.length;
  const unranked = [...byOwner].map(([ownerRef, list]) => {
    const levelCounts: Record<string, number> = {};
    let sum = 0;
    let atTop = 0;
    for (const r of list) {
      sum += r.score;
      if (r.levelRank >= top) atTop++;
      const name = r.level ?? 'none';
      levelCounts[name] = (levelCounts[name] ?? 0) + 1;
    }
    return { ownerRef, services: list.length, averageScore: round1(sum / list.length), levels: levelCounts, atTop: atTop / list.length };
  });
  unranked.sort((a, b) => b.averageScore - a.averageScore || b.atTop - a.atTop || a.ownerRef.localeCompare(b.ownerRef));
  // Competition ranking: equal teams share a place and the next place is skipped (1, 1, 3).
  let rank = 0;
  return unranked.map(({ atTop, ...s }, i) => {
    const prev = unranked[i - 1];
    if (!prev || prev.averageScore !== s.averageScore || prev.atTop !== atTop) rank = i + 1;
    return { ...s, rank };
  });
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
export function otherOwners(rows: readonly ResultSummary[], isTeam: (ownerRef: string) => boolean): OtherOwner[] {
  const counts = new Map<string, number>();
  for (const r of rows) {
    if (!r.applies || r.ownerRef === undefined || isTeam(r.ownerRef)) continue;
    counts.set(r.ownerRef, (counts.get(r.ownerRef) ?? 0) + 1);
  }
  return [...counts].map(([ownerRef, services]) => ({ ownerRef, services })).sort((a, b) => a.ownerRef.localeCompare(b.ownerRef));
}
