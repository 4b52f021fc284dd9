import { join } from 'node:path';
import type { Config } from '../../../src/config.js';
import { loadConfig } from '../../../src/config.js';
import type { OutreachFileConfig } from '../../../src/core/jobs/index.js';
import { outreachConfig } from '../../../src/core/jobs/index.js';
import type { Messenger } from '../../../src/core/messaging/index.js';
import type { OutreachSetup } from '../../../src/jobs.js';
import { createOutreachSetup } from '../../../src/jobs.js';
import type { ScoringBot } from '../../scoring/support/scoring-bot.js';
import { SCORING_CATALOG, createScoringBot } from '../../scoring/support/scoring-bot.js';
import type { FakeSlackApi, FakeSlackUser } from '../../support/fake-slack-api.js';
import { startFakeSlackApi } from '../../support/fake-slack-api.js';
import { FIXTURES } from '../../support/test-bot.js';

export const OUTREACH_CATALOG = [...SCORING_CATALOG, join(FIXTURES, 'catalog', 'outreach.yaml')];

export const SLACK_USERS: FakeSlackUser[] = [
  { id: 'U0ANA', email: 'ana.ruiz@acme.example', name: 'Ana Ruiz' },
  { id: 'U0BEN', email: 'ben.okafor@acme.example', name: 'Ben Okafor' },
  { id: 'U0CHEN', email: 'chen.li@acme.example', name: 'Chen Li' },
  { id: 'U0EVE', email: 'eve.tan@acme.example', name: 'Eve Tan' },
];

/** Monday 30 November 2026, 10:00 in Berlin (CET, UTC+1): a nudge run. */
export const MONDAY_10_BERLIN = new Date('2026-11-30T09:00:00Z');

export interface OutreachBot {
  readonly bot: ScoringBot;
  readonly slack: FakeSlackApi;
  readonly config: Config;
  readonly setup: OutreachSetup;
  /** Waits advance the bot's clock instead of the wall clock. */
  readonly waited: number[];
  close(): Promise<void>;
}

/**
 * The real composition (createSteward + createOutreachSetup + the Slack job messenger) on a temp
 * SQLite file, the fixture org and scorecards, a fake Slack Web API, and a clock the test moves.
 */
export async function createOutreachBot(
  options: { now?: Date; outreach?: OutreachFileConfig; rollout?: Record<string, 'visible' | 'nudge' | 'leaderboard' | 'gate'>; timezone?: string; messengers?: Messenger[] } = {},
): Promise<OutreachBot> {
  const slack = await startFakeSlackApi({ users: SLACK_USERS });
  const bot = createScoringBot({ now: options.now ?? MONDAY_10_BERLIN, catalog: OUTREACH_CATALOG, rollout: options.rollout ?? { readiness: 'leaderboard' }, slack: { botToken: 'xoxb-test', apiUrl: slack.apiUrl } });
  const base = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, STEWARD_DB: bot.dbPath });
  const config: Config = { ...base, timezone: options.timezone ?? 'Europe/Berlin', outreach: outreachConfig({ dryRun: false, ...options.outreach }) };
  const waited: number[] = [];
  const setup = createOutreachSetup({
    steward: bot.steward,
    config,
    logger: bot.steward.logger,
    owner: 'test:1',
    ...(options.messengers ? { messengers: options.messengers } : {}),
    wait: async (ms) => {
      waited.push(ms);
      bot.setNow(new Date(bot.now().getTime() + ms));
      await new Promise((r) => setImmediate(r));
    },
  });
  return {
    bot,
    slack,
    config,
    setup,
    waited,
    async close() {
      bot.close();
      await slack.close();
    },
  };
}
