import type { Platform } from '../message/index.js';
import { refName } from '../catalog/index.js';
import type { Block, Inline, Reply } from '../message/index.js';
import { actions, code, context, heading, list, reply, strong, text, urlButton } from '../message/index.js';
import type { CompiledScorecard, StoredResult, TeamStanding } from '../scoring/index.js';
import { levelLabel } from '../scoring/index.js';
import { leaderboardKey } from './delivery-keys.js';
import type { PlannedDelivery } from './outreach-ports.js';

export const LEADERBOARD_JOB = 'leaderboard';

/** How many of each we show: enough to matter, few enough for Block Kit's 50 blocks and a Teams card. */
export const LEADERBOARD_LIMITS = { teams: 10, services: 5, improved: 5, levelUps: 10, drops: 5 } as const;

export interface LeaderboardInput {
  readonly scorecard: CompiledScorecard;
  /** This week and last week, ISO (`2026-W49`, `2026-W48`). */
  readonly week: string;
  readonly previousWeek: string;
  readonly period: string;
  /** Teams ranked now, each with its change since the end of last week. */
  readonly standings: readonly TeamStanding[];
  /** Every service's state now and at the end of last week (from the stored history). */
  readonly current: readonly StoredResult[];
  readonly previous: readonly StoredResult[];
  /** Team and service names as people read them. */
  readonly nameOf: (ref: string) => string;
  readonly channels: ReadonlyArray<{ readonly platform: Platform; readonly channel: string }>;
  /** One line about owners that are not ranked for not being teams (see `notTeamsLine`). */
  readonly notTeams?: string | undefined;
  /** Teams listed; default `LEADERBOARD_LIMITS.teams` (`steward leaderboard --all` lists every team). */
  readonly teamLimit?: number | undefined;
  /** The web scoreboard's address (`STEWARD_PUBLIC_URL`): the post links to it. */
  readonly publicUrl?: string | undefined;
}

export interface LeaderboardPlan {
  readonly reply: Reply;
  readonly deliveries: PlannedDelivery[];
}

const signed = (n: number): string => (n > 0 ? `+${n}` : `−${Math.abs(n)}`);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One scorecard's weekly leaderboard: teams ranked by the average score of their services (fair
 * to small and large teams), the top services, the most improved teams since last week, the
 * services that reached a new level and the biggest drops. Every section is capped, so an org of
 * 2,000 services and 150 teams fits one message. Pure.
 */
export function planLeaderboard(input: LeaderboardInput): LeaderboardPlan {
  const { scorecard: card, nameOf, week, previousWeek } = input;
  const L = LEADERBOARD_LIMITS;
  const blocks: Block[] = [heading(`${card.title} · ${week}`)];
  const fallback: string[] = [];

  if (input.standings.length === 0) {
    blocks.push(text('No owned service is covered by this scorecard yet.'));
  } else {
    const teams = input.standings.slice(0, input.teamLimit ?? L.teams);
    blocks.push(text(strong(`Teams (${input.standings.length})`)));
    blocks.push(
      list(
        teams.map((t): Inline[] => {
          const d = t.change?.scoreDelta;
          return [`${t.rank}. `, strong(nameOf(t.ownerRef)), ` ${t.averageScore}/100 · ${plural(t.services, 'service')}`, ...(d ? [` · ${signed(d)}`] : [])];
        }),
        input.standings.length - teams.length,
      ),
    );
    fallback.push(teams.slice(0, 3).map((t) => `${t.rank}. ${nameOf(t.ownerRef)} ${t.averageScore}`).join(', '));
  }
  if (input.notTeams) blocks.push(context(input.notTeams));

  const top = [...input.current]
    .sort((a, b) => b.score - a.score || b.levelRank - a.levelRank || a.entityRef.localeCompare(b.entityRef))
    .slice(0, L.services);
  if (top.length > 0) {
    blocks.push(text(strong('Top services')));
    blocks.push(list(top.map((r): Inline[] => [strong(refName(r.entityRef)), ` ${r.score}/100${r.level ? ` · ${levelLabel(r.level)}` : ''}`])));
  }

  const improved = input.standings
    .filter((t) => (t.change?.scoreDelta ?? 0) > 0)
    .sort((a, b) => b.change!.scoreDelta! - a.change!.scoreDelta! || a.ownerRef.localeCompare(b.ownerRef))
    .slice(0, L.improved);
  if (improved.length > 0) {
    blocks.push(text(strong(`Most improved since ${previousWeek}`)));
    blocks.push(list(improved.map((t): Inline[] => [strong(nameOf(t.ownerRef)), ` ${signed(t.change!.scoreDelta!)} to ${t.averageScore}/100`])));
  }

  const before = new Map(input.previous.map((r) => [r.entityRef, r]));
  const levelUps = input.current
    .filter((r) => r.levelRank > (before.get(r.entityRef)?.levelRank ?? 0) && before.has(r.entityRef))
    .sort((a, b) => b.levelRank - a.levelRank || a.entityRef.localeCompare(b.entityRef));
  if (levelUps.length > 0) {
    blocks.push(text(strong('New levels')));
    blocks.push(
      list(
        levelUps.slice(0, L.levelUps).map((r): Inline[] => [strong(refName(r.entityRef)), ` reached ${levelLabel(r.level ?? '')}`, r.ownerRef ? ` (${nameOf(r.ownerRef)})` : '']),
        Math.max(0, levelUps.length - L.levelUps),
      ),
    );
  }

  const drops = input.current
    .map((r) => ({ r, delta: r.score - (before.get(r.entityRef)?.score ?? r.score) }))
    .filter((d) => d.delta < 0)
    .sort((a, b) => a.delta - b.delta || a.r.entityRef.localeCompare(b.r.entityRef))
    .slice(0, L.drops);
  if (drops.length > 0) {
    blocks.push(text(strong('Biggest drops')));
    blocks.push(list(drops.map(({ r, delta }): Inline[] => [strong(refName(r.entityRef)), ` ${signed(delta)} to ${r.score}/100`, r.ownerRef ? ` (${nameOf(r.ownerRef)})` : ''])));
  }

  blocks.push(context(['Teams are ranked by the average score of their services. ', code('health <service>'), ' says what to fix.']));
  if (input.publicUrl) blocks.push(actions([urlButton('Open the scoreboard', `${input.publicUrl}/`)]));
  // Explicit: the channel's notification shows one line, the top teams; the blocks are a page.
  const summary = `${card.title} leaderboard ${week}: ${fallback[0] ?? 'no teams yet'}.`;
  const message = reply(summary, blocks, 'channel');
  return {
    reply: message,
    deliveries: input.channels.map((c) => ({
      key: leaderboardKey(card.id, c.channel, week),
      job: LEADERBOARD_JOB,
      period: input.period,
      platform: c.platform,
      target: { kind: 'channel', channel: c.channel },
      subject: undefined,
      reply: message,
    })),
  };
}
