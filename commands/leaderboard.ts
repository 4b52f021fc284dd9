import { z } from 'zod';
import { defineCommand } from '../src/core/commands/index.js';
import type { Block, Inline } from '../src/core/message/index.js';
import { code, context, divider, list, reply, strong, text } from '../src/core/message/index.js';
import type { CompiledScorecard, TeamStanding } from '../src/core/scoring/index.js';
import { ROLLOUT_PHASES, isoWeek, levelLabel, notTeamsLine, requireScoring } from '../src/core/scoring/index.js';
import { capped, refLabel } from './describe.js';

const MAX_TEAMS = 10;
const MAX_TEAMS_EACH = 5;
const WEEK_MS = 7 * 86_400_000;

const atLeast = (phase: string, wanted: string): boolean =>
  ROLLOUT_PHASES.indexOf(phase as (typeof ROLLOUT_PHASES)[number]) >= ROLLOUT_PHASES.indexOf(wanted as (typeof ROLLOUT_PHASES)[number]);

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** `Gold 2, Silver 1`: the level mix of a team's services, best level first. */
function levelMix(standing: TeamStanding, card: CompiledScorecard): string {
  return [...[...card.levels].reverse(), 'none']
    .filter((l) => (standing.levels[l] ?? 0) > 0)
    .map((l) => `${l === 'none' ? 'no level' : levelLabel(l)} ${standing.levels[l]}`)
    .join(', ');
}

export default defineCommand({
  name: 'leaderboard',
  summary: 'Teams ranked by the average score of their services, with the change since last week',
  params: ['scorecard...'],
  args: z.object({ scorecard: z.string().trim().min(1).optional() }),
  examples: ['leaderboard', 'leaderboard production-readiness'],
  run({ args, catalog, scoring, clock }) {
    const s = requireScoring(scoring);
    let cards: CompiledScorecard[];
    let note: string | undefined;
    if (args.scorecard !== undefined) {
      const card = s.requireScorecard(args.scorecard);
      cards = [card];
      if (!atLeast(card.rollout, 'leaderboard')) note = `${card.title} is in its "${card.rollout}" rollout phase: it is not on the weekly leaderboard yet.`;
    } else {
      cards = s.scorecards.filter((c) => atLeast(c.rollout, 'leaderboard'));
      if (cards.length === 0) {
        cards = [...s.scorecards];
        note = 'No scorecard has reached the leaderboard rollout phase yet, so this shows all of them.';
      }
    }
    if (cards.length === 0) return reply('No scorecards are loaded.');

    // Stored standings: kept by every scoring run, import and recorded evaluation, so this reads
    // a row per scorecard instead of evaluating every service on each ask.
    const lastWeek = isoWeek(new Date(clock.now().getTime() - WEEK_MS));
    const blocks: Block[] = [];
    const fallback: string[] = [];
    cards.forEach((card, i) => {
      const standings = s.standings(card.id, { since: lastWeek });
      if (i > 0) blocks.push(divider());
      blocks.push(text(strong(`${card.title}: ${standings.length} team${standings.length === 1 ? '' : 's'}`)));
      if (standings.length === 0) {
        blocks.push(context('No owned service is covered by this scorecard.'));
        fallback.push(`${card.title}: no teams`);
        return;
      }
      const { shown, more } = capped(standings, cards.length === 1 ? MAX_TEAMS : MAX_TEAMS_EACH);
      blocks.push(
        list(
          shown.map((t): Inline[] => {
            const change = t.change?.scoreDelta;
            return [
              `${t.rank}. `,
              strong(refLabel(catalog, t.ownerRef)),
              ` ${t.averageScore}/100 · ${t.services} service${t.services === 1 ? '' : 's'} (${levelMix(t, card)})`,
              ...(change !== undefined && change !== 0 ? [` · ${signed(change)} since ${lastWeek}`] : []),
            ];
          }),
          more,
        ),
      );
      fallback.push(`${card.title}: ${shown.map((t) => `${t.rank}. ${refLabel(catalog, t.ownerRef)} ${t.averageScore}`).join(', ')}`);
      const others = notTeamsLine(s.notTeams(card.id), (ref) => refLabel(catalog, ref), (ref) => catalog.get(ref) !== undefined);
      if (others) blocks.push(context(others));
    });
    blocks.push(
      context([
        ...(note ? [`${note} `] : []),
        'Average score of each team’s services. ',
        ...(args.scorecard === undefined ? ['Ask ', code('leaderboard <scorecard>'), ' for one scorecard.'] : ['Ask ', code('team <team>'), ' for one team.']),
      ]),
    );
    // Explicit: the ranking on one line, where the blocks give a line per team.
    return reply(`${fallback.join('. ')}.`, blocks);
  },
});
