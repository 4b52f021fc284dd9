import type { CatalogReader } from '../catalog/index.js';
import { annotation, refKind, refName, teamProfile } from '../catalog/index.js';
import type { Platform } from '../message/index.js';
import type { OncallService } from '../oncall/index.js';
import { TIMEZONE_ANNOTATION, isTimeZone } from '../oncall/index.js';
import type { Clock, Logger } from '../ports.js';
import type { CompiledScorecard, RolloutPhase, ScoreHistory, ScoringService } from '../scoring/index.js';
import { ROLLOUT_PHASES, isoWeekEnd, notTeamsLine } from '../scoring/index.js';
import { weekIn } from './delivery-keys.js';
import type { OutreachConfig } from './outreach-config.js';
import type { NudgePreferences } from '../nudges/nudge-preferences.js';
import type { DeliveryLedger, JobRuns, PlannedDelivery } from './outreach-ports.js';
import type { LeaderboardPlan } from './plan-leaderboard.js';
import { LEADERBOARD_JOB, planLeaderboard } from './plan-leaderboard.js';
import type { NudgeOwner, NudgePerson, NudgePlan } from './plan-nudges.js';
import { NUDGE_JOB, planNudges } from './plan-nudges.js';
import type { FixService } from '../fixes/index.js';
import type { CompiledCheck } from '../scoring/index.js';

export type OutreachJob = typeof LEADERBOARD_JOB | typeof NUDGE_JOB;

export interface OutreachDeps {
  readonly catalog: CatalogReader;
  readonly scoring: ScoringService;
  readonly history: Pick<ScoreHistory, 'latest'>;
  readonly ledger: DeliveryLedger;
  readonly runs: JobRuns;
  readonly preferences: NudgePreferences;
  /** Who is on call, so they are not nudged; optional (no on-call data, nobody is skipped for it). */
  readonly oncall?: OncallService | undefined;
  /** Fix pull requests: a nudge offers "Open a fix PR" where one can fix the check. */
  readonly fixes?: Pick<FixService, 'canOffer'> | undefined;
  readonly config: OutreachConfig;
  /** The configured zone: schedules, ISO weeks, and people without `steward.dev/timezone`. */
  readonly timeZone: string;
  /** Platforms with a messenger, preferred first; plans address only these. */
  readonly platforms: readonly Platform[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** `host:pid`, recorded with claims. */
  readonly owner: string;
  /** The web scoreboard's address (`STEWARD_PUBLIC_URL`), linked from the posts; undefined: no links. */
  readonly publicUrl?: string | undefined;
}

export interface RunResult {
  readonly job: string;
  readonly period: string;
  /** False when another run (any process) had the period already. */
  readonly claimed: boolean;
  readonly dryRun: boolean;
  readonly planned: number;
  /** Keys newly written to the ledger (a key planned earlier in the week is not written twice). */
  readonly written: readonly string[];
  readonly skipped: NudgePlan['skipped'];
}

export interface Outreach {
  /** Scorecards in their `leaderboard` phase or later (or the one asked for). */
  leaderboardCards(scorecardQuery?: string): CompiledScorecard[];
  planLeaderboards(options?: { scorecard?: string; period?: string; teamLimit?: number }): Array<{ scorecard: CompiledScorecard; plan: LeaderboardPlan }>;
  planNudges(options?: { period?: string }): Promise<NudgePlan>;
  /** Writes planned messages to the ledger; keys already there are kept. */
  record(deliveries: readonly PlannedDelivery[]): string[];
  /** One scheduled run: claim the period, plan, and write the plan to the ledger in the same transaction. */
  run(job: OutreachJob, period: string, options?: { dryRun?: boolean }): Promise<RunResult>;
}

const atLeast = (phase: RolloutPhase, wanted: RolloutPhase): boolean => ROLLOUT_PHASES.indexOf(phase) >= ROLLOUT_PHASES.indexOf(wanted);
const WEEK = 7 * 86_400_000;

/**
 * The jobs as the scheduler and the CLI use them: reads through the ports, the pure planners,
 * and the claim-and-record step. Delivery is `deliverPending`'s business.
 */
export function createOutreach(deps: OutreachDeps): Outreach {
  const { catalog, scoring, clock, logger, config } = deps;

  const nameOf = (ref: string): string => {
    const e = catalog.get(ref);
    if (!e) return refName(ref);
    const profile = (e.spec['profile'] ?? {}) as Record<string, unknown>;
    return (typeof profile['displayName'] === 'string' && profile['displayName']) || e.title || e.name;
  };

  function leaderboardCards(query?: string): CompiledScorecard[] {
    if (query !== undefined) return [scoring.requireScorecard(query)];
    return scoring.scorecards.filter((c) => atLeast(c.rollout, 'leaderboard'));
  }

  function planLeaderboards(options: { scorecard?: string; period?: string; teamLimit?: number } = {}) {
    const cards = leaderboardCards(options.scorecard);
    if (cards.length === 0) return [];
    const now = clock.now();
    const week = weekIn(now, deps.timeZone);
    const previousWeek = weekIn(new Date(now.getTime() - WEEK), deps.timeZone);
    scoring.refresh({ scorecardIds: cards.map((c) => c.id), trigger: 'score' });
    const end = isoWeekEnd(previousWeek)!;
    const channels = deps.platforms.flatMap((platform) => (platform === 'shell' ? [] : config.leaderboard.channels[platform].map((channel) => ({ platform, channel }))));
    return cards.map((scorecard) => ({
      scorecard,
      plan: planLeaderboard({
        scorecard,
        week,
        previousWeek,
        period: options.period ?? week,
        standings: scoring.standings(scorecard.id, { since: previousWeek }),
        current: deps.history.latest(scorecard.id),
        previous: deps.history.latest(scorecard.id, new Date(end.getTime() - 1)),
        nameOf,
        channels,
        teamLimit: options.teamLimit,
        publicUrl: deps.publicUrl,
        notTeams: notTeamsLine(scoring.notTeams(scorecard.id), nameOf, (ref) => catalog.get(ref) !== undefined),
      }),
    }));
  }

  function personOf(ref: string): NudgePerson | undefined {
    const p = catalog.person(ref);
    if (!p) return undefined;
    const entity = catalog.get(ref);
    const zone = entity ? annotation(entity, TIMEZONE_ANNOTATION) : undefined;
    return { ref, person: { name: p.name, email: p.email, slackId: p.slackId, teamsId: p.teamsId }, timeZone: zone && isTimeZone(zone) ? zone : undefined };
  }

  function ownerOf(ref: string): NudgeOwner | undefined {
    const entity = catalog.get(ref);
    if (!entity) return undefined;
    if (refKind(ref) === 'user') {
      const me = personOf(ref);
      return { ref, name: nameOf(ref), people: me ? [me] : [], channels: {} };
    }
    const profile = teamProfile(catalog, entity);
    const people = catalog
      .related(ref, 'hasMember')
      .map(personOf)
      .filter((p): p is NudgePerson => p !== undefined);
    const channels: Partial<Record<Platform, string>> = {};
    // As the catalog names it; the Slack messenger turns an archives link into a channel id.
    if (profile.slackChannel) channels.slack = profile.slackChannel;
    if (profile.teamsChannel) channels.teams = profile.teamsChannel;
    return { ref, name: profile.name, people, channels };
  }

  async function onCallNow(owners: Iterable<NudgeOwner>): Promise<Set<string> | undefined> {
    if (!deps.oncall) return undefined;
    const oncall = deps.oncall;
    const found = new Set<string>();
    await Promise.all(
      [...owners].map(async (o) => {
        const entity = catalog.get(o.ref);
        if (!entity || refKind(o.ref) !== 'group') return;
        try {
          const answer = (await oncall.lookup(entity)).answer;
          for (const s of answer?.shifts ?? []) {
            if (s.person.ref) found.add(s.person.ref);
            if (s.person.email) found.add(s.person.email.toLowerCase());
          }
        } catch (err) {
          logger.warn('on-call lookup failed while planning nudges; nobody is skipped for it', { team: o.ref, err: String(err) });
        }
      }),
    );
    return found;
  }

  async function planNudgesNow(options: { period?: string } = {}): Promise<NudgePlan> {
    const cards = scoring.scorecards.filter((c) => atLeast(c.rollout, 'nudge'));
    if (cards.length === 0) return { deliveries: [], skipped: [] };
    const now = clock.now();
    const week = weekIn(now, deps.timeZone);
    const { results } = scoring.refresh({ scorecardIds: cards.map((c) => c.id), trigger: 'score' });
    const owners = new Map<string, NudgeOwner>();
    for (const r of results) {
      if (r.ownerRef === undefined || owners.has(r.ownerRef)) continue;
      const owner = ownerOf(r.ownerRef);
      if (owner) owners.set(r.ownerRef, owner);
    }
    return planNudges({
      now,
      period: options.period ?? now.toISOString().slice(0, 16),
      week,
      timeZone: deps.timeZone,
      settings: config.nudges,
      platforms: deps.platforms,
      results,
      owners,
      optedOut: deps.preferences.optedOut(),
      snoozes: deps.preferences.snoozes(now),
      disowned: deps.preferences.disowned(),
      lastNudged: deps.ledger.lastSent(NUDGE_JOB),
      onCall: await onCallNow(owners.values()),
      publicUrl: deps.publicUrl,
      fixable: deps.fixes ? fixable(deps.fixes) : undefined,
    });
  }

  function fixable(fixes: Pick<FixService, 'canOffer'>): (entityRef: string, check: CompiledCheck) => boolean {
    return (entityRef, check) => {
      const entity = deps.catalog.get(entityRef);
      return entity !== undefined && fixes.canOffer(entity, check);
    };
  }

  function record(deliveries: readonly PlannedDelivery[]): string[] {
    return deps.ledger.plan(deliveries, clock.now()).written;
  }

  async function run(job: OutreachJob, period: string, options: { dryRun?: boolean } = {}): Promise<RunResult> {
    const dryRun = options.dryRun ?? config.dryRun;
    const name = dryRun ? `${job}:dry-run` : job;
    const base = { job: name, period, dryRun };
    if (deps.runs.get(name, period)) return { ...base, claimed: false, planned: 0, written: [], skipped: [] };
    let deliveries: PlannedDelivery[];
    let skipped: NudgePlan['skipped'] = [];
    try {
      if (job === LEADERBOARD_JOB) {
        deliveries = planLeaderboards({ period }).flatMap((p) => p.plan.deliveries);
      } else {
        const plan = await planNudgesNow({ period });
        deliveries = plan.deliveries;
        skipped = plan.skipped;
      }
    } catch (err) {
      // Recorded as a failed run so `steward nudge` and the log show it; the period is not retried
      // by the scheduler (an operator can run it by hand).
      const now = clock.now();
      if (deps.runs.claim(name, period, deps.owner, now)) deps.runs.finish(name, period, { status: 'failed', summary: JSON.stringify({ error: String(err) }), at: now });
      throw err;
    }
    const now = clock.now();
    const summary = (written: number): string =>
      JSON.stringify({ planned: deliveries.length, written, skipped: countBy(skipped.map((s) => s.reason)) });
    if (dryRun) {
      const claimed = deps.runs.claim(name, period, deps.owner, now);
      if (claimed) {
        deps.runs.finish(name, period, { status: 'done', summary: summary(0), at: now });
        logger.info('outreach dry run: nothing sent (set outreach.dryRun: false to send)', { job, period, wouldSend: deliveries.map((d) => d.key) });
      }
      return { ...base, claimed, planned: deliveries.length, written: [], skipped };
    }
    const { claimed, written } = deps.ledger.plan(deliveries, now, { claim: () => deps.runs.claim(name, period, deps.owner, now) });
    if (claimed) {
      deps.runs.finish(name, period, { status: 'done', summary: summary(written.length), at: now });
      logger.info('outreach run planned', { job, period, planned: deliveries.length, written: written.length, skipped: skipped.length });
    }
    return { ...base, claimed, planned: deliveries.length, written, skipped };
  }

  return { leaderboardCards, planLeaderboards, planNudges: planNudgesNow, record, run };
}

function countBy(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}
