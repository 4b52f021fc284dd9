import type { CatalogReader, Entity } from '../../core/catalog/index.js';
import { SERVICE_KINDS, TEAM_KINDS, displayName, links, refKind, refName, resolveOwner, teamProfile } from '../../core/catalog/index.js';
import { nearest } from '../../core/nearest.js';
import type { OncallService } from '../../core/oncall/index.js';
import type { Clock } from '../../core/ports.js';
import type { CheckState, CompiledScorecard, ResultSummary, ScoringService } from '../../core/scoring/index.js';
import { ROLLOUT_PHASES, formatFactValue, isoWeek, levelLabel } from '../../core/scoring/index.js';
import type { BarSegment, ChartPoint } from './charts.js';

/**
 * What each page shows, read through core's ports (the same queries chat answers use) and shaped
 * for the pure render functions. Nothing here writes: a page view never records history.
 */

const WEEK_MS = 7 * 86_400_000;
/** Weeks of trend on the scorecard and team pages. */
export const TREND_WEEKS = 12;
const TOP_TEAMS = 10;
const MOST_IMPROVED = 5;
/** Services listed under each failing check on a scorecard page (the count says how many more). */
const FAILING_SHOWN = 12;

export interface RefView {
  /** Shown. */
  readonly label: string;
  /** Our page for it (`/teams/x`, `/services/x`), when there is one. */
  readonly href: string | undefined;
}

export interface HomeView {
  readonly scored: boolean;
  readonly since: string;
  readonly scorecards: ReadonlyArray<{
    readonly id: string;
    readonly title: string;
    readonly description: string | undefined;
    readonly services: number;
    readonly distribution: readonly BarSegment[];
    readonly teams: ReadonlyArray<{ readonly rank: number; readonly team: RefView; readonly averageScore: number; readonly services: number; readonly delta: number | undefined }>;
    readonly teamCount: number;
  }>;
  readonly mostImproved: ReadonlyArray<{ readonly team: RefView; readonly scorecard: string; readonly delta: number; readonly averageScore: number }>;
}

export interface ScorecardView {
  readonly id: string;
  readonly title: string;
  readonly description: string | undefined;
  readonly services: number;
  readonly distribution: readonly BarSegment[];
  readonly levels: readonly string[];
  readonly medianTrend: readonly ChartPoint[];
  readonly now: Date;
  readonly failing: ReadonlyArray<{
    readonly id: string;
    readonly title: string;
    readonly level: string;
    readonly fixHow: string;
    readonly count: number;
    readonly services: readonly RefView[];
  }>;
}

export interface TeamView {
  readonly name: string;
  readonly ref: string;
  readonly description: string | undefined;
  readonly parent: RefView | undefined;
  readonly email: string | undefined;
  readonly members: ReadonlyArray<{ readonly name: string; readonly email: string | undefined }>;
  readonly scorecards: ReadonlyArray<{ readonly id: string; readonly title: string }>;
  readonly services: ReadonlyArray<{ readonly service: RefView; readonly kind: string; readonly levels: Readonly<Record<string, { level: string; rank: number; score: number } | undefined>> }>;
  readonly trend: readonly ChartPoint[];
}

export interface CheckView {
  readonly id: string;
  readonly title: string;
  readonly level: string;
  readonly state: CheckState;
  readonly evidence: string;
  readonly facts: ReadonlyArray<{ readonly key: string; readonly value: string; readonly source: string; readonly observedAt: Date }>;
  readonly failingSince: Date | undefined;
  readonly fixHow: string;
  readonly fixUrl: string | undefined;
  readonly exemption: { readonly until: string; readonly reason: string; readonly by: string } | undefined;
}

export interface ServiceView {
  readonly name: string;
  readonly title: string;
  readonly ref: string;
  readonly kind: string;
  readonly description: string | undefined;
  readonly lifecycle: string | undefined;
  readonly owner: RefView | undefined;
  readonly ownerVia: string;
  readonly system: RefView | undefined;
  readonly links: ReadonlyArray<{ readonly url: string; readonly title: string }>;
  readonly oncall: { readonly summary: string; readonly people: ReadonlyArray<{ readonly level: number; readonly name: string; readonly until: Date | null }>; readonly pageUrl: string | undefined };
  readonly results: ReadonlyArray<{
    readonly id: string;
    readonly title: string;
    readonly level: string | undefined;
    readonly levelRank: number;
    readonly score: number;
    readonly nextLevel: string | undefined;
    readonly checks: readonly CheckView[];
    readonly history: readonly ChartPoint[];
  }>;
  readonly now: Date;
}

export interface NotFoundView {
  readonly what: 'service' | 'team' | 'scorecard' | 'page';
  readonly query: string;
  readonly suggestions: readonly RefView[];
}

export type Found<T> = { readonly found: T } | { readonly notFound: NotFoundView };

const tone = (rank: number): string => `l${Math.min(rank, 5)}`;

export function distributionOf(rows: readonly ResultSummary[], levels: readonly string[]): BarSegment[] {
  const counts = new Array<number>(levels.length + 1).fill(0);
  for (const r of rows) counts[Math.min(r.levelRank, levels.length)]!++;
  return [{ label: 'No level', count: counts[0]!, tone: 'l0' }, ...levels.map((l, i) => ({ label: levelLabel(l), count: counts[i + 1]!, tone: tone(i + 1) }))];
}

const atLeast = (phase: string, wanted: string): boolean =>
  ROLLOUT_PHASES.indexOf(phase as (typeof ROLLOUT_PHASES)[number]) >= ROLLOUT_PHASES.indexOf(wanted as (typeof ROLLOUT_PHASES)[number]);

export interface ScoreboardPorts {
  readonly catalog: CatalogReader;
  readonly scoring: ScoringService;
  readonly oncall: OncallService;
  readonly clock: Clock;
}

export function createScoreboardData(ports: ScoreboardPorts) {
  const { catalog, scoring, oncall, clock } = ports;

  const serviceRef = (ref: string): RefView => {
    const e = catalog.get(ref);
    return { label: e ? displayName(e) : refName(ref), href: e ? `/services/${encodeURIComponent(e.name)}` : undefined };
  };
  const teamRef = (ref: string): RefView => {
    const e = catalog.get(ref);
    if (!e) return { label: refName(ref), href: undefined };
    const href = refKind(ref) === 'group' ? `/teams/${encodeURIComponent(e.name)}` : undefined;
    return { label: displayName(e), href };
  };

  // The leaderboard shows scorecards that reached its rollout phase; all of them when none has.
  const boardCards = (): CompiledScorecard[] => {
    const ready = scoring.scorecards.filter((c) => atLeast(c.rollout, 'leaderboard'));
    return ready.length > 0 ? ready : [...scoring.scorecards];
  };

  // The home page reads every service's state under every scorecard, twice (now and last week): at
  // 10,000 services that is a few hundred milliseconds. It changes only when history does (or the
  // week turns), so it is built once per history version and week, and served from memory between.
  let homeCache: { key: string; view: HomeView } | undefined;
  function home(): HomeView {
    const now = clock.now();
    const since = isoWeek(new Date(now.getTime() - WEEK_MS));
    const key = `${scoring.historyVersion()}:${since}`;
    if (homeCache?.key !== key) homeCache = { key, view: buildHome(since) };
    return homeCache.view;
  }

  function buildHome(since: string): HomeView {
    const onBoard = new Set(boardCards().map((c) => c.id));
    const overview = scoring.overview(since);
    let scored = false;
    const improved: Array<HomeView['mostImproved'][number]> = [];
    const scorecards = scoring.scorecards.map((card) => {
      const rows = overview.get(card.id)?.summaries ?? [];
      if (rows.length > 0) scored = true;
      const standings = onBoard.has(card.id) ? (overview.get(card.id)?.standings ?? []) : [];
      for (const s of standings) {
        const delta = s.change?.scoreDelta;
        if (delta !== undefined && delta > 0) improved.push({ team: teamRef(s.ownerRef), scorecard: card.title, delta, averageScore: s.averageScore });
      }
      return {
        id: card.id,
        title: card.title,
        description: card.description,
        services: rows.length,
        distribution: distributionOf(rows, card.levels),
        teams: standings.slice(0, TOP_TEAMS).map((s) => ({ rank: s.rank, team: teamRef(s.ownerRef), averageScore: s.averageScore, services: s.services, delta: s.change?.scoreDelta })),
        teamCount: standings.length,
      };
    });
    improved.sort((a, b) => b.delta - a.delta || a.team.label.localeCompare(b.team.label));
    return { scored, since, scorecards, mostImproved: improved.slice(0, MOST_IMPROVED) };
  }

  function scorecard(query: string): Found<ScorecardView> {
    const card = scoring.findScorecard(query);
    if (!card) {
      const ids = scoring.scorecards.map((c) => c.id);
      return { notFound: { what: 'scorecard', query, suggestions: nearest(query.toLowerCase(), ids, 3).map((id) => ({ label: id, href: `/scorecards/${encodeURIComponent(id)}` })) } };
    }
    const now = clock.now();
    const rows = scoring.latest(card.id);
    const failing = new Map<string, string[]>();
    for (const r of rows) {
      for (const [checkId, state] of Object.entries(r.states)) {
        if (state !== 'f') continue;
        let list = failing.get(checkId);
        if (!list) failing.set(checkId, (list = []));
        list.push(r.entityRef);
      }
    }
    const checks = card.checks
      .map((c) => {
        const refs = (failing.get(c.id) ?? []).sort();
        return { id: c.id, title: c.title, level: c.level, fixHow: c.fix.how, count: refs.length, services: refs.slice(0, FAILING_SHOWN).map(serviceRef) };
      })
      .filter((c) => c.count > 0)
      .sort((a, b) => b.count - a.count || a.title.localeCompare(b.title));
    // The median level at the end of each of the last weeks, and now.
    const medianTrend: ChartPoint[] = [];
    for (let w = TREND_WEEKS; w >= 1; w--) {
      const at = new Date(now.getTime() - w * WEEK_MS);
      const then = scoring.summaries(card.id, at);
      if (then.length > 0) medianTrend.push({ at, value: median(then.map((r) => r.levelRank)) });
    }
    if (rows.length > 0) medianTrend.push({ at: now, value: median(rows.map((r) => r.levelRank)) });
    return {
      found: {
        id: card.id,
        title: card.title,
        description: card.description,
        services: rows.length,
        distribution: distributionOf(rows, card.levels),
        levels: card.levels,
        medianTrend: dedupe(medianTrend),
        now,
        failing: checks,
      },
    };
  }

  function findOne(query: string, kinds: readonly string[]): Entity | undefined {
    return catalog.lookup(query, kinds)[0];
  }

  function suggestions(query: string, kinds: readonly string[], page: 'services' | 'teams'): RefView[] {
    return catalog.suggest(query, kinds, 3).map((name) => ({ label: name, href: `/${page}/${encodeURIComponent(name)}` }));
  }

  function team(query: string): Found<TeamView> {
    const group = findOne(query, TEAM_KINDS);
    if (!group) return { notFound: { what: 'team', query, suggestions: suggestions(query, TEAM_KINDS, 'teams') } };
    const profile = teamProfile(catalog, group);
    const owned = catalog.relatedEntities([group.ref], 'ownerOf', SERVICE_KINDS);
    const cards = scoring.scorecards;
    const now = clock.now();
    const services = owned.map((e) => {
      const levels: Record<string, { level: string; rank: number; score: number } | undefined> = {};
      for (const c of cards) {
        const [latest] = scoring.history(e.ref, c.id, 1);
        levels[c.id] = latest && latest.applies ? { level: levelLabel(latest.level), rank: latest.levelRank, score: latest.score } : undefined;
      }
      return { service: serviceRef(e.ref), kind: e.kind, levels };
    });
    // The team's trend: the mean score of its services over every scorecard, at the end of each week.
    const histories = owned.flatMap((e) => cards.map((c) => scoring.history(e.ref, c.id, 500)));
    const trend: ChartPoint[] = [];
    for (let w = TREND_WEEKS; w >= 0; w--) {
      const at = new Date(now.getTime() - w * WEEK_MS);
      const scores: number[] = [];
      for (const rows of histories) {
        const row = rows.find((r) => r.at.getTime() <= at.getTime());
        if (row && row.applies) scores.push(row.score);
      }
      if (scores.length > 0) trend.push({ at, value: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 });
    }
    return {
      found: {
        name: profile.name,
        ref: group.ref,
        description: group.description,
        parent: profile.parent ? teamRef(profile.parent.ref) : undefined,
        email: profile.email,
        members: profile.members.map((m) => ({ name: m.name, email: m.email })),
        scorecards: cards.filter((c) => services.some((s) => s.levels[c.id] !== undefined)).map((c) => ({ id: c.id, title: c.title })),
        services: services.sort((a, b) => a.service.label.localeCompare(b.service.label)),
        trend: dedupe(trend),
      },
    };
  }

  async function service(query: string): Promise<Found<ServiceView>> {
    const entity = findOne(query, SERVICE_KINDS);
    if (!entity) return { notFound: { what: 'service', query, suggestions: suggestions(query, SERVICE_KINDS, 'services') } };
    const owner = resolveOwner(catalog, entity);
    const systemRef = catalog.related(entity.ref, 'partOf').find((r) => ['system', 'domain'].includes(refKind(r)));
    const snapshot = scoring.snapshot(entity);
    // Evaluated now from stored facts, not recorded: looking at a page changes no history.
    const results = scoring.evaluate(entity);
    const lookup = await oncall.lookup(entity);
    const answer = lookup.answer ?? lookup.fallback?.answer;
    const oncallSummary =
      answer && answer.shifts.length > 0
        ? `${oncall.providerName(answer.provider)}: ${answer.label}${lookup.status === 'stale' ? ' (the provider did not answer; its last answer)' : ''}`
        : lookup.status === 'none'
          ? 'Nothing in the catalog declares an on-call for this service.'
          : lookup.status === 'unconfigured'
            ? `Declared, but the provider is not configured (${lookup.skipped.map((s) => s.setting).join(', ')}).`
            : lookup.failure
              ? `${oncall.providerName(lookup.failure.provider)} ${lookup.failure.verb} (${lookup.failure.detail}).`
              : 'Nobody is on call right now.';
    const lifecycle = typeof entity.spec['lifecycle'] === 'string' ? entity.spec['lifecycle'] : undefined;
    return {
      found: {
        name: entity.name,
        title: displayName(entity),
        ref: entity.ref,
        kind: entity.kind,
        description: entity.description,
        lifecycle,
        owner: owner.ownerRef ? teamRef(owner.ownerRef) : undefined,
        ownerVia: owner.via,
        system: systemRef ? { label: catalog.get(systemRef) ? displayName(catalog.get(systemRef)!) : refName(systemRef), href: undefined } : undefined,
        links: links(entity).map((l) => ({ url: l.url, title: l.title ?? l.type ?? l.url })),
        oncall: {
          summary: oncallSummary,
          people: (answer?.shifts ?? []).slice(0, 6).map((s) => ({ level: s.level, name: s.person.name, until: s.until })),
          pageUrl: lookup.pageUrl,
        },
        results: results.map((r) => {
          const since = scoring.failingSince(entity.ref, r.scorecard.id);
          const history = scoring
            .history(entity.ref, r.scorecard.id, 200)
            .filter((h) => h.applies)
            .map((h) => ({ at: h.at, value: h.score }));
          return {
            id: r.scorecard.id,
            title: r.scorecard.title,
            level: r.level,
            levelRank: r.levelRank,
            score: r.score,
            nextLevel: r.nextLevel,
            checks: r.checks.map((c) => ({
              id: c.check.id,
              title: c.check.title,
              level: c.check.level,
              state: c.state,
              evidence: c.evidence,
              facts: c.check.facts.flatMap((key) => {
                const f = snapshot.facts.get(key);
                return f ? [{ key, value: formatFactValue(f.value), source: f.source, observedAt: f.observedAt }] : [];
              }),
              failingSince: c.state === 'fail' ? since.get(c.check.id) : undefined,
              fixHow: c.check.fix.how,
              fixUrl: c.fixUrl,
              exemption: c.exemption ? { until: c.exemption.until, reason: c.exemption.reason, by: c.exemption.createdBy } : undefined,
            })),
            history,
          };
        }),
        now: snapshot.now,
      },
    };
  }

  return { home, scorecard, team, service };
}

export type ScoreboardData = ReturnType<typeof createScoreboardData>;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Keeps the points where the value changed (and the last one), for a step chart. */
function dedupe(points: readonly ChartPoint[]): ChartPoint[] {
  return points.filter((p, i) => i === 0 || p.value !== points[i - 1]!.value);
}
