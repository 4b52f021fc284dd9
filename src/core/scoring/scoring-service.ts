import type { CatalogReader, Entity } from '../catalog/index.js';
import { refKind, resolveOwner } from '../catalog/index.js';
import { CommandError } from '../errors.js';
import { nearest } from '../nearest.js';
import type { Clock, Logger } from '../ports.js';
import type { CompiledScorecard } from './compile-scorecard.js';
import type { CheckResult, CheckState, ScorecardResult } from './evaluate-scorecard.js';
import { counts, evaluateScorecard } from './evaluate-scorecard.js';
import type { Exemption } from './exemption.js';
import { exemptionEnd, parseDay } from './exemption.js';
import type { Fact, FactValue } from './fact.js';
import { checkFacts } from './fact.js';
import { isoWeek, isoWeekEnd } from './iso-week.js';
import type { RolloutPhase } from './scorecard-schema.js';
import { ROLLOUT_PHASES } from './scorecard-schema.js';
import type { EntityLister, ExemptionStore, FactStore, ResultInput, ResultSummary, ScoreHistory, StandingsStore, StateCode, StoredResult, StoredStandings } from './scoring-ports.js';
import type { ServiceSnapshot } from './service-snapshot.js';
import type { OtherOwner, TeamStanding } from './team-standings.js';
import { applyResult, otherOwners, rankTotals, teamStandings, teamTotals, withChange } from './team-standings.js';

export interface ScoringDeps {
  readonly catalog: CatalogReader;
  readonly entities: EntityLister;
  readonly facts: FactStore;
  readonly exemptions: ExemptionStore;
  readonly history: ScoreHistory;
  /**
   * Where team standings are kept between runs, so `standings` reads a row instead of every
   * service's result; without it they are computed from the history on each call.
   */
  readonly standingsStore?: StandingsStore | undefined;
  readonly scorecards: readonly CompiledScorecard[];
  /** Emails of the people who may record exemptions in chat. */
  readonly admins?: readonly string[] | undefined;
  /** An exemption ending more than this many days from now is recorded with a warning; default 180. */
  readonly exemptionWarnDays?: number | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Facts computed live from other parts of Steward (the on-call source of a service), never
   * stored: a pushed fact with the same key wins. Must be cheap and must not do I/O.
   */
  readonly derivedFacts?: ((entity: Entity) => ReadonlyArray<{ key: string; value: FactValue; source: string }>) | undefined;
}

/** What asked for an evaluation; stored with each run. */
export type Trigger = 'score' | 'facts' | 'chat' | 'gate' | 'exempt' | 'import';

export interface GateDecision {
  readonly pass: boolean;
  /** False when the scorecard's rollout is below `gate`: the answer is advice, the exit is 0. */
  readonly enforced: boolean;
  /** False when the scorecard's filter does not cover the service: nothing to gate. */
  readonly applies: boolean;
  readonly scorecard: CompiledScorecard;
  readonly min: string;
  readonly result: ScorecardResult | undefined;
  /** The checks below or at the minimum level that do not pass (fail or unknown), most important first. */
  readonly failing: readonly CheckResult[];
  readonly warning: string | undefined;
}

export interface PushResult {
  readonly entity: Entity;
  readonly stored: number;
  readonly changed: readonly string[];
  readonly results: readonly ScorecardResult[];
}

/**
 * Scoring as the rest of Steward uses it: collects snapshots through the ports, evaluates them
 * with the pure engine, and records the outcome in history. Chat, the CLI and the HTTP APIs all
 * go through here, so they agree.
 */
export interface ScoringService {
  readonly scorecards: readonly CompiledScorecard[];
  /** By id or title, in any case. */
  findScorecard(query: string): CompiledScorecard | undefined;
  /** Like findScorecard, or a `unknown_scorecard` CommandError with near names. */
  requireScorecard(query: string): CompiledScorecard;
  rollout(scorecardId: string): RolloutPhase;
  isAdmin(email: string | undefined): boolean;
  snapshot(entity: Entity): ServiceSnapshot;
  /** Every scorecard that applies to the service (or the named ones), evaluated now; stored when `record` says who asked. */
  evaluate(entity: Entity, options?: { scorecardIds?: readonly string[]; record?: Trigger }): ScorecardResult[];
  /** Every service under the scorecards (default: all), evaluated and recorded as one full run. */
  refresh(options: { scorecardIds?: readonly string[]; trigger: Trigger }): { results: ScorecardResult[]; changed: number };
  /**
   * The same, a batch of services at a time: each batch is evaluated, stored and handed to
   * `onBatch`, then let go, so a 50,000-service run holds one batch of results, not all of them.
   * `services` counts those under at least one of the scorecards.
   */
  refreshInBatches(
    options: { scorecardIds?: readonly string[]; trigger: Trigger; batchSize?: number },
    onBatch: (results: readonly ScorecardResult[]) => void,
  ): { services: number; evaluated: number; changed: number };
  /** For each check failing now: since when it has been failing without a break, from history. */
  failingSince(entityRef: string, scorecardId: string): Map<string, Date>;
  /** Teams ranked on a scorecard as of `asOf` (default now); with `since` (`2026-W47`), each team's change since the end of that week. */
  standings(scorecardId: string, options?: { asOf?: Date; since?: string }): TeamStanding[];
  /** The stored state of every service under a scorecard as of `asOf` (default now), applying ones only: what the web scoreboard draws. */
  latest(scorecardId: string, asOf?: Date): StoredResult[];
  /** Like `latest` without check states and times: level counts for 10,000 services without parsing each one's checks. */
  summaries(scorecardId: string, asOf?: Date): ResultSummary[];
  /**
   * Every scorecard's services now (summaries) and its teams ranked with their change since the end
   * of ISO week `since`: what the web scoreboard's home page shows, in two reads for all scorecards.
   */
  overview(since: string): Map<string, { readonly summaries: ResultSummary[]; readonly standings: TeamStanding[] }>;
  /** Grows whenever history stores a result: a view built from history is current while it stays the same. */
  historyVersion(): number;
  /** One service's stored results under a scorecard, newest first (its score history). */
  history(entityRef: string, scorecardId: string, limit?: number): StoredResult[];
  /**
   * Recomputes and stores the standings of these scorecards (default all) from the latest results,
   * and those of last week's end when not stored yet: after a full run (done by `refresh`) and
   * after an import, since which owners are teams may have changed.
   */
  storeStandings(scorecardIds?: readonly string[]): void;
  /** Owners of scored services that `standings` does not rank: people, and Groups that are not in the catalog. */
  notTeams(scorecardId: string, options?: { asOf?: Date }): OtherOwner[];
  pushFacts(entity: Entity, values: Readonly<Record<string, unknown>>, options: { source: string; observedAt?: Date | undefined }): PushResult;
  /** `check` is a check id, or `scorecard/check` when several scorecards share the id. */
  exempt(input: { entity: Entity; check: string; reason: string; until: string; by: string }): { exemption: Exemption; scorecard: CompiledScorecard; warning?: string | undefined };
  gate(entity: Entity, scorecardQuery: string, minLevel: string): GateDecision;
}

/**
 * Services per batch of a full run: big enough that per-batch queries cost little, small enough
 * that a batch's results die young. Measured at 50,000 services (steward score, through tsx):
 * peak RSS 396 MB with 500, 360 MB with 100; compiled, 236 MB with 100.
 */
const REFRESH_BATCH = 100;

const STATE_CODE: Record<CheckState, StateCode> = { pass: 'p', fail: 'f', unknown: 'u', exempt: 'e' };

export function createScoringService(deps: ScoringDeps): ScoringService {
  const { catalog, clock, logger } = deps;
  const scorecards = deps.scorecards;
  const byId = new Map(scorecards.map((s) => [s.id, s]));
  const admins = new Set((deps.admins ?? []).map((a) => a.trim().toLowerCase()));

  const findScorecard = (query: string): CompiledScorecard | undefined => {
    const q = query.trim().toLowerCase();
    return byId.get(q) ?? scorecards.find((s) => s.title.toLowerCase() === q);
  };

  const requireScorecard = (query: string): CompiledScorecard => {
    const found = findScorecard(query);
    if (found) return found;
    const near = nearest(query.trim().toLowerCase(), scorecards.map((s) => s.id), 2);
    throw new CommandError('unknown_scorecard', `There is no scorecard called "${query}".`, {
      hint: near.length > 0 ? `Did you mean ${near.join(' or ')}?` : `Scorecards: ${scorecards.map((s) => s.id).join(', ') || 'none are loaded'}.`,
    });
  };

  const pick = (ids: readonly string[] | undefined): CompiledScorecard[] =>
    ids === undefined ? [...scorecards] : ids.map((id) => byId.get(id)).filter((s): s is CompiledScorecard => s !== undefined);

  function snapshotOf(entity: Entity, ownerRef: string | undefined, facts: readonly Fact[], exemptions: readonly Exemption[], now: Date): ServiceSnapshot {
    const byKey = new Map(facts.map((f) => [f.key, f]));
    if (deps.derivedFacts) {
      for (const d of deps.derivedFacts(entity)) if (!byKey.has(d.key)) byKey.set(d.key, { ...d, observedAt: now });
    }
    return { entity, ownerRef, facts: byKey, exemptions, now };
  }

  function snapshot(entity: Entity): ServiceSnapshot {
    const now = clock.now();
    return snapshotOf(entity, resolveOwner(catalog, entity).ownerRef, deps.facts.factsOf(entity.ref), deps.exemptions.exemptionsOf(entity.ref, now), now);
  }

  function toInput(result: ScorecardResult): ResultInput {
    const states: Record<string, StateCode> = {};
    for (const c of result.checks) states[c.check.id] = STATE_CODE[c.state];
    return {
      entityRef: result.entityRef,
      scorecardId: result.scorecard.id,
      applies: true,
      ownerRef: result.ownerRef,
      level: result.level,
      levelRank: result.levelRank,
      score: result.score,
      states,
    };
  }

  const notApplying = (entityRef: string, scorecardId: string): ResultInput => ({
    entityRef,
    scorecardId,
    applies: false,
    ownerRef: undefined,
    level: undefined,
    levelRank: 0,
    score: 0,
    states: {},
  });

  /** One log line per broken check, not per service: a bad rule in a full run would otherwise log 10,000. */
  function logErrors(results: readonly ScorecardResult[]): void {
    const broken = new Map<string, { entity: string; err: unknown; services: number }>();
    collectErrors(results, broken);
    logBroken(broken);
  }

  function collectErrors(results: readonly ScorecardResult[], broken: Map<string, { entity: string; err: unknown; services: number }>): void {
    for (const r of results) {
      for (const c of r.checks) {
        if (c.error === undefined) continue;
        const key = `${r.scorecard.id}/${c.check.id}`;
        const seen = broken.get(key);
        if (seen) seen.services++;
        else broken.set(key, { entity: r.entityRef, err: c.error, services: 1 });
      }
    }
  }

  function logBroken(broken: ReadonlyMap<string, { entity: string; err: unknown; services: number }>): void {
    for (const [check, { entity, err, services }] of broken) {
      logger.error('scorecard check failed to evaluate', {
        check,
        services,
        firstService: entity,
        err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err),
      });
    }
  }

  function evaluateSnapshot(snap: ServiceSnapshot, cards: readonly CompiledScorecard[]): { results: ScorecardResult[]; inapplicable: string[] } {
    const results: ScorecardResult[] = [];
    const inapplicable: string[] = [];
    for (const card of cards) {
      if (card.appliesTo(snap.entity, snap.ownerRef)) results.push(evaluateScorecard(card, snap));
      else inapplicable.push(card.id);
    }
    return { results, inapplicable };
  }

  function evaluate(entity: Entity, options: { scorecardIds?: readonly string[]; record?: Trigger } = {}): ScorecardResult[] {
    const cards = pick(options.scorecardIds);
    const snap = snapshot(entity);
    const { results, inapplicable } = evaluateSnapshot(snap, cards);
    logErrors(results);
    if (options.record) {
      const inputs = [...results.map(toInput), ...inapplicable.map((id) => notApplying(entity.ref, id))];
      const before = new Map(inputs.map((r) => [r.scorecardId, deps.history.historyOf(entity.ref, r.scorecardId, 1)[0]]));
      const { changed } = deps.history.record({ at: snap.now, trigger: options.record, scorecardIds: cards.map((c) => c.id), full: false }, inputs);
      if (changed > 0) adjustStandings(inputs, before, snap.now);
    }
    return results;
  }

  function refresh(options: { scorecardIds?: readonly string[]; trigger: Trigger }): { results: ScorecardResult[]; changed: number } {
    const results: ScorecardResult[] = [];
    const { changed } = refreshInBatches(options, (batch) => {
      for (const r of batch) results.push(r);
    });
    return { results, changed };
  }

  function refreshInBatches(
    options: { scorecardIds?: readonly string[]; trigger: Trigger; batchSize?: number },
    onBatch: (results: readonly ScorecardResult[]) => void,
  ): { services: number; evaluated: number; changed: number } {
    const cards = pick(options.scorecardIds);
    const now = clock.now();
    const wantedKinds = [...new Set(cards.flatMap((s) => s.filter.kinds?.map((k) => k.toLowerCase()) ?? ['component']))];
    // Only the facts these scorecards read; `catalog.*` ones are derived, never stored.
    const keys = [...new Set(cards.flatMap((c) => c.checks.flatMap((k) => k.facts)))].filter((k) => !k.startsWith('catalog.'));
    const exemptions = deps.exemptions.allExemptions(now);
    const owners = deps.entities.directOwners();
    const recorder = deps.history.startRun({ at: now, trigger: options.trigger, scorecardIds: cards.map((c) => c.id), full: true });
    const broken = new Map<string, { entity: string; err: unknown; services: number }>();
    let services = 0;
    let evaluated = 0;
    for (const page of deps.entities.pagesOfKinds(wantedKinds, options.batchSize ?? REFRESH_BATCH)) {
      const facts = deps.facts.allFacts(keys, page.map((e) => e.ref));
      const results: ScorecardResult[] = [];
      for (const entity of page) {
        const ref = entity.ref;
        const ownerRef = owners.get(ref) ?? resolveOwner(catalog, entity).ownerRef;
        const snap = snapshotOf(entity, ownerRef, facts.get(ref) ?? [], exemptions.get(ref) ?? [], now);
        const mine = evaluateSnapshot(snap, cards).results;
        if (mine.length > 0) services++;
        for (const r of mine) results.push(r);
      }
      evaluated += results.length;
      collectErrors(results, broken);
      recorder.add(results.map(toInput));
      onBatch(results);
    }
    logBroken(broken);
    const { changed } = recorder.finish();
    storeStandings(cards.map((c) => c.id));
    return { services, evaluated, changed };
  }

  const NOW = 'now';

  function computeStandings(card: CompiledScorecard, asOf: Date | undefined, computedAt: Date): StoredStandings {
    const rows = deps.history.summaries(card.id, asOf);
    const team = teamCheck();
    return { computedAt, totals: teamTotals(rows, card.levels, team), others: otherOwners(rows, team) };
  }

  function storeStandings(scorecardIds?: readonly string[]): void {
    const store = deps.standingsStore;
    if (!store) return;
    const now = clock.now();
    const lastWeek = isoWeek(new Date(now.getTime() - 7 * 86_400_000));
    for (const card of pick(scorecardIds)) {
      store.writeStandings(card.id, NOW, computeStandings(card, undefined, now));
      if (!store.readStandings(card.id, lastWeek)) store.writeStandings(card.id, lastWeek, computeStandings(card, weekEnd(lastWeek), now));
    }
  }

  /** One service's new results moved into the stored standings, without reading the others'. */
  function adjustStandings(inputs: readonly ResultInput[], before: ReadonlyMap<string, StoredResult | undefined>, at: Date): void {
    const store = deps.standingsStore;
    if (!store) return;
    for (const r of inputs) {
      const card = byId.get(r.scorecardId);
      if (!card) continue;
      // Nothing stored yet: the next read computes the whole thing anyway.
      store.updateStandings(card.id, NOW, (stored) =>
        stored
          ? {
              computedAt: at,
              totals: applyResult(stored.totals, before.get(card.id), r, card.levels, isTeam),
              others: adjustOthers(stored.others, before.get(card.id), r),
            }
          : undefined,
      );
    }
  }

  function adjustOthers(others: readonly OtherOwner[], before: StoredResult | undefined, after: ResultInput): OtherOwner[] {
    const counts = new Map(others.map((o) => [o.ownerRef, o.services]));
    const move = (r: { applies: boolean; ownerRef: string | undefined } | undefined, by: number): void => {
      if (!r?.applies || r.ownerRef === undefined || isTeam(r.ownerRef)) return;
      counts.set(r.ownerRef, (counts.get(r.ownerRef) ?? 0) + by);
    };
    move(before, -1);
    move(after, 1);
    return [...counts].filter(([, n]) => n > 0).map(([ownerRef, services]) => ({ ownerRef, services })).sort((a, b) => a.ownerRef.localeCompare(b.ownerRef));
  }

  /** Stored standings, computed and stored first when missing (a new database, a new week). */
  function storedStandings(card: CompiledScorecard, asOf: string): StoredStandings | undefined {
    const store = deps.standingsStore;
    if (!store) return undefined;
    const found = store.readStandings(card.id, asOf);
    if (found) return found;
    if (asOf === NOW) {
      // None stored yet (a new database, or one from before migration 0014): one full run of this
      // scorecard, which stores them; every later ask reads them. History alone could be partial
      // (a fact push evaluates one service), and a leaderboard must rank every service.
      refreshInBatches({ scorecardIds: [card.id], trigger: 'chat' }, () => {});
      const stored = store.readStandings(card.id, asOf);
      if (stored) return stored;
    }
    const computed = computeStandings(card, asOf === NOW ? undefined : weekEnd(asOf), clock.now());
    store.writeStandings(card.id, asOf, computed);
    return computed;
  }

  function weekEnd(week: string): Date {
    const end = isoWeekEnd(week);
    if (!end) throw new CommandError('bad_week', `"${week}" is not an ISO week; write it like 2026-W47.`);
    return new Date(end.getTime() - 1);
  }

  function failingSince(entityRef: string, scorecardId: string): Map<string, Date> {
    const rows = deps.history.historyOf(entityRef, scorecardId, 500);
    const since = new Map<string, Date>();
    const newest = rows[0];
    if (!newest || !newest.applies) return since;
    for (const [checkId, state] of Object.entries(newest.states)) {
      if (state !== 'f') continue;
      let from = newest.at;
      for (const row of rows.slice(1)) {
        if (!row.applies || row.states[checkId] !== 'f') break;
        from = row.at;
      }
      since.set(checkId, from);
    }
    return since;
  }

  function standings(scorecardId: string, options: { asOf?: Date; since?: string } = {}): TeamStanding[] {
    const card = byId.get(scorecardId);
    if (!card) throw new CommandError('unknown_scorecard', `There is no scorecard called "${scorecardId}".`);
    const stored = options.asOf === undefined ? storedStandings(card, NOW) : undefined;
    const now = stored ? rankTotals(stored.totals) : teamStandings(deps.history.summaries(scorecardId, options.asOf), card.levels, teamCheck());
    if (options.since === undefined) return now;
    const end = weekEnd(options.since);
    // A week that is over no longer changes: its standings are stored once.
    const before = end.getTime() < clock.now().getTime() ? storedStandings(card, options.since) : undefined;
    return withChange(now, before ? rankTotals(before.totals) : teamStandings(deps.history.summaries(scorecardId, end), card.levels, teamCheck()), options.since);
  }

  // Only Groups the catalog has are teams: a person owning a service, or an owner that was renamed
  // away, ranked among the teams would read as a team nobody can find. Asked once per owner, not
  // once per service: 10,000 services have a few hundred owners.
  function teamCheck(): (ownerRef: string) => boolean {
    const known = new Map<string, boolean>();
    return (ownerRef) => {
      let team = known.get(ownerRef);
      if (team === undefined) known.set(ownerRef, (team = refKind(ownerRef) === 'group' && catalog.get(ownerRef) !== undefined));
      return team;
    };
  }

  // History is appended at the time of evaluation, so the standings as of a week that has ended
  // never change: the last one asked for is kept (the web home page asks for it on every rebuild).
  let pastStandings: { since: string; byCard: Map<string, TeamStanding[]> } | undefined;
  function overview(since: string): Map<string, { summaries: ResultSummary[]; standings: TeamStanding[] }> {
    const end = isoWeekEnd(since);
    if (!end) throw new CommandError('bad_week', `"${since}" is not an ISO week; write it like 2026-W47.`);
    const isTeam = teamCheck();
    const now = deps.history.allSummaries();
    if (pastStandings?.since !== since || end.getTime() > clock.now().getTime()) {
      const before = deps.history.allSummaries(new Date(end.getTime() - 1));
      pastStandings = { since, byCard: new Map(scorecards.map((card) => [card.id, teamStandings(before.get(card.id) ?? [], card.levels, isTeam)])) };
    }
    const out = new Map<string, { summaries: ResultSummary[]; standings: TeamStanding[] }>();
    for (const card of scorecards) {
      const summaries = now.get(card.id) ?? [];
      const standings = withChange(teamStandings(summaries, card.levels, isTeam), pastStandings.byCard.get(card.id) ?? [], since);
      out.set(card.id, { summaries, standings });
    }
    return out;
  }

  function notTeams(scorecardId: string, options: { asOf?: Date } = {}): OtherOwner[] {
    const card = byId.get(scorecardId);
    if (!card) throw new CommandError('unknown_scorecard', `There is no scorecard called "${scorecardId}".`);
    const stored = options.asOf === undefined ? storedStandings(card, NOW) : undefined;
    return stored ? [...stored.others] : otherOwners(deps.history.summaries(scorecardId, options.asOf), teamCheck());
  }

  /** One owner: is it a team (see `teamCheck`)? For a single service's result. */
  function isTeam(ownerRef: string): boolean {
    return refKind(ownerRef) === 'group' && catalog.get(ownerRef) !== undefined;
  }

  function pushFacts(entity: Entity, values: Readonly<Record<string, unknown>>, options: { source: string; observedAt?: Date | undefined }): PushResult {
    const now = clock.now();
    const observedAt = options.observedAt ?? now;
    const checked = checkFacts(values);
    const problems = [...checked.problems];
    if (observedAt.getTime() > now.getTime() + 5 * 60_000) problems.push(`observedAt ${observedAt.toISOString()} is in the future`);
    if (options.source.trim() === '' || options.source.length > 100) problems.push('source: name the source in 1 to 100 characters');
    const facts: Fact[] = checked.facts.map((f) => ({ ...f, source: options.source, observedAt }));
    if (problems.length > 0) throw new CommandError('bad_facts', problems.join('; '));
    const changed = deps.facts.putFacts(entity.ref, facts, now);
    // Facts changed: the service's standing may have too, and history should say when.
    const results = evaluate(entity, { record: 'facts' });
    return { entity, stored: facts.length, changed, results };
  }

  function resolveCheck(check: string): { scorecard: CompiledScorecard; checkId: string } {
    const [first, second] = check.includes('/') ? check.split('/', 2) : [undefined, check];
    const checkId = (second ?? '').trim().toLowerCase();
    const cards = first !== undefined ? [requireScorecard(first)] : scorecards;
    const owners = cards.filter((s) => s.checks.some((c) => c.id === checkId));
    if (owners.length === 1) return { scorecard: owners[0]!, checkId };
    if (owners.length > 1) {
      throw new CommandError('ambiguous_check', `Several scorecards have a check called "${checkId}".`, {
        hint: `Name one: ${owners.map((s) => `${s.id}/${checkId}`).join(', ')}.`,
      });
    }
    const ids = cards.flatMap((s) => s.checks.map((c) => (first !== undefined ? c.id : `${s.id}/${c.id}`)));
    const near = nearest(checkId, cards.flatMap((s) => s.checks.map((c) => c.id)), 3);
    throw new CommandError('unknown_check', `There is no check called "${check}".`, {
      hint: near.length > 0 ? `Did you mean ${near.join(', ')}?` : `Checks: ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ', …' : ''}.`,
    });
  }

  function exempt(input: { entity: Entity; check: string; reason: string; until: string; by: string }): { exemption: Exemption; scorecard: CompiledScorecard; warning?: string | undefined } {
    const { scorecard, checkId } = resolveCheck(input.check);
    const until = parseDay(input.until);
    if (!until) throw new CommandError('bad_date', `"${input.until}" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-31.`);
    const now = clock.now();
    if (exemptionEnd(until).getTime() <= now.getTime()) {
      throw new CommandError('bad_date', `${until} has passed; an exemption needs an end date from today on.`);
    }
    const reason = input.reason.trim();
    if (reason.length < 3) {
      throw new CommandError('bad_reason', `A reason needs at least 3 characters${reason ? ` ("${reason}" has ${reason.length})` : ''}: it is shown next to the exemption in every answer.`);
    }
    const exemption = deps.exemptions.addExemption({
      entityRef: input.entity.ref,
      scorecardId: scorecard.id,
      checkId,
      reason: reason.slice(0, 300),
      until,
      createdBy: input.by,
      createdAt: now,
    });
    evaluate(input.entity, { scorecardIds: [scorecard.id], record: 'exempt' });
    // Recorded anyway (an admin may mean it), but an exemption years away is usually a typo.
    const warnDays = deps.exemptionWarnDays ?? 180;
    const days = Math.ceil((exemptionEnd(until).getTime() - now.getTime()) / 86_400_000);
    const warning =
      days > warnDays
        ? `${until} is ${days} days away, more than ${warnDays}: check the date (scorecards.exemptionWarnDays sets this limit).`
        : undefined;
    return { exemption, scorecard, ...(warning ? { warning } : {}) };
  }

  function gate(entity: Entity, scorecardQuery: string, minLevel: string): GateDecision {
    const scorecard = requireScorecard(scorecardQuery);
    const min = minLevel.trim().toLowerCase();
    const minRank = scorecard.levels.indexOf(min) + 1;
    if (minRank === 0) {
      throw new CommandError('unknown_level', `"${minLevel}" is not a level of ${scorecard.id}.`, { hint: `Levels: ${scorecard.levels.join(', ')}.` });
    }
    const enforced = ROLLOUT_PHASES.indexOf(scorecard.rollout) >= ROLLOUT_PHASES.indexOf('gate');
    const [result] = evaluate(entity, { scorecardIds: [scorecard.id], record: 'gate' });
    if (!result) {
      return {
        pass: true,
        enforced,
        applies: false,
        scorecard,
        min,
        result: undefined,
        failing: [],
        warning: `${scorecard.id} does not apply to ${entity.name} (its filter leaves it out); nothing to gate.`,
      };
    }
    const failing = result.checks
      .filter((c) => !counts(c) && c.check.levelRank <= minRank)
      .sort((a, b) => a.check.levelRank - b.check.levelRank || b.check.weight - a.check.weight);
    const reached = result.levelRank >= minRank;
    return {
      pass: reached || !enforced,
      enforced,
      applies: true,
      scorecard,
      min,
      result,
      failing,
      warning:
        !reached && !enforced
          ? `${scorecard.id} is in its "${scorecard.rollout}" rollout phase, below "gate": this is a warning and the gate passes.`
          : undefined,
    };
  }

  return {
    scorecards,
    findScorecard,
    requireScorecard,
    rollout: (id) => byId.get(id)?.rollout ?? 'visible',
    isAdmin: (email) => email !== undefined && admins.has(email.trim().toLowerCase()),
    snapshot,
    evaluate,
    refresh,
    failingSince,
    standings,
    latest: (scorecardId, asOf) => deps.history.latest(scorecardId, asOf),
    summaries: (scorecardId, asOf) => deps.history.summaries(scorecardId, asOf),
    historyVersion: () => deps.history.version(),
    overview,
    history: (entityRef, scorecardId, limit) => deps.history.historyOf(entityRef, scorecardId, limit),
    storeStandings,
    notTeams,
    refreshInBatches,
    pushFacts,
    exempt,
    gate,
  };
}
