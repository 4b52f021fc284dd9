import { InputError } from '../core/errors.js';
import { toPlainText } from '../core/message/index.js';
import { ROLLOUT_PHASES } from '../core/scoring/index.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, openSteward, parseCli } from './cli-kit.js';
import { deliveryLines } from './nudge-command.js';

export const leaderboardCommand: CliCommand = {
  name: 'leaderboard',
  usage: 'leaderboard [--scorecard ID] [--all] [--post]',
  summary: "prints this week's leaderboard of every scorecard (--all: every team), or posts it",
  async run(args, io) {
    const { values } = parseCli(args, { scorecard: { type: 'string' }, post: { type: 'boolean' }, all: { type: 'boolean' } });
    const config = configFrom(io, values);
    const steward = openSteward(config);
    try {
      // Loaded here, not at the top: it brings the Slack and Teams SDKs, which other commands never need.
      const { createOutreachSetup } = await import('../jobs.js');
      const setup = createOutreachSetup({ steward, config, logger: steward.logger });
      const teamLimit = values.all ? Number.MAX_SAFE_INTEGER : undefined;
      const options = { ...(teamLimit !== undefined ? { teamLimit } : {}) };
      // The rollout phase governs what is posted, not what an operator may look at: without
      // --post every scorecard is shown; --post posts those in their leaderboard phase (or the one named).
      const plans =
        values.post || values.scorecard !== undefined
          ? setup.outreach.planLeaderboards({ ...options, ...(values.scorecard !== undefined ? { scorecard: values.scorecard } : {}) })
          : steward.scoring.scorecards.flatMap((c) => setup.outreach.planLeaderboards({ ...options, scorecard: c.id }));
      if (plans.length === 0) {
        io.out('No scorecard is in its leaderboard rollout phase, so --post has nothing to post; set scorecards.rollout.<id>: leaderboard in the config, or name one with --scorecard.\n');
        return EXIT.negative;
      }
      io.out(`${plans.map((p) => toPlainText(p.plan.reply)).join('\n\n')}\n`);
      const unposted = plans.filter((p) => ROLLOUT_PHASES.indexOf(p.scorecard.rollout) < ROLLOUT_PHASES.indexOf('leaderboard')).map((p) => p.scorecard.id);
      if (unposted.length > 0 && !values.post) {
        io.out(`\nNot posted weekly (rollout phase below leaderboard): ${unposted.join(', ')}. Set scorecards.rollout.<id>: leaderboard to post one.\n`);
      }
      if (!values.post) return EXIT.ok;
      if (setup.messengers.length === 0) {
        throw new InputError('--post needs a chat platform: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN), or MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for Teams');
      }
      const deliveries = plans.flatMap((p) => p.plan.deliveries);
      if (deliveries.length === 0) throw new InputError('--post: outreach.leaderboard.channels in the config names no channel for the configured platforms');
      const written = new Set(setup.outreach.record(deliveries));
      const report = await setup.deliver({ maxWaitMs: 5 * 60_000 });
      io.out(`\n${deliveryLines(setup, deliveries.map((d) => d.key), written, report).join('\n')}\n`);
      return report.failed.length > 0 ? EXIT.negative : EXIT.ok;
    } finally {
      steward.close();
    }
  },
};
