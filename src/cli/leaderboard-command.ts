import { InputError } from '../core/errors.js';
import { toPlainText } from '../core/message/index.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, openSteward, parseCli } from './cli-kit.js';
import { deliveryLines } from './nudge-command.js';

export const leaderboardCommand: CliCommand = {
  name: 'leaderboard',
  usage: 'leaderboard [--scorecard ID] [--post]',
  summary: "prints this week's leaderboard, or posts it to the configured channels",
  async run(args, io) {
    const { values } = parseCli(args, { scorecard: { type: 'string' }, post: { type: 'boolean' } });
    const config = configFrom(io, values);
    const steward = openSteward(config);
    try {
      // Loaded here, not at the top: it brings the Slack and Teams SDKs, which other commands never need.
      const { createOutreachSetup } = await import('../jobs.js');
      const setup = createOutreachSetup({ steward, config, logger: steward.logger });
      const plans = setup.outreach.planLeaderboards(values.scorecard !== undefined ? { scorecard: values.scorecard } : {});
      if (plans.length === 0) {
        io.out('No scorecard is in its leaderboard rollout phase; set scorecards.rollout.<id>: leaderboard in the config, or name one with --scorecard.\n');
        return EXIT.negative;
      }
      io.out(`${plans.map((p) => toPlainText(p.plan.reply)).join('\n\n')}\n`);
      if (!values.post) return EXIT.ok;
      if (setup.messengers.length === 0) throw new InputError('--post needs a chat platform: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN)');
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
