import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { importCatalog } from '../../../src/import-catalog.js';
import type { RunningServer } from '../../../src/serve.js';
import { startServer } from '../../../src/serve.js';
import type { FakeSlackApi, FakeSlackUser, RecordedResponse } from '../../support/fake-slack-api.js';
import { startFakeSlackApi } from '../../support/fake-slack-api.js';
import type { LogRecord } from '../../support/memory-logger.js';
import { memoryLogger } from '../../support/memory-logger.js';
import type { SlackAnswer } from '../../support/slack-request.js';
import { blockActionsBody, commandBody, postToSlackEvents, SIGNING_SECRET } from '../../support/slack-request.js';
import { FIXED_NOW, SMALL_ORG } from '../../support/test-bot.js';

/** The people of test/fixtures/catalog as the fake Slack workspace knows them. */
export const WORKSPACE: readonly FakeSlackUser[] = [
  // Ana's id is also in the catalog (slack.com/user-id); her Slack email differs in case only.
  { id: 'U0ANA', name: 'Ana Ruiz', email: 'ana.ruiz@acme.example' },
  { id: 'U0BEN', name: 'Ben Okafor', email: 'ben.okafor@acme.example' },
  { id: 'U0CHEN', name: 'Chen Li', email: 'chen.li@acme.example' },
  // Dana is in the catalog but not in Slack; Eve is in Slack but not in the catalog.
  { id: 'U0EVE', name: 'Eve Stone', email: 'eve@acme.example' },
];

export interface Said {
  /** What Slack got back on the request itself (the ack). */
  readonly ack: SlackAnswer;
  /** What arrived at this command's response_url, in order. */
  readonly answers: ReadonlyArray<Record<string, unknown>>;
  /** The first answer, serialised: what a person would see, for `toContain` checks. */
  readonly json: string;
}

export interface SlackHarness {
  readonly slack: FakeSlackApi;
  readonly server: RunningServer;
  readonly logs: LogRecord[];
  readonly now: () => Date;
  /** `/service <text>` typed by `as` in `channel`; resolves once the answer has been sent. */
  say(text: string, options?: { as?: string; channel?: string; command?: string }): Promise<Said>;
  /** A click on a button of an earlier answer. */
  click(actionId: string, value: string, options?: { as?: string; channel?: string }): Promise<Said>;
  /** Waits until every command and click in progress has been answered. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A running `steward serve` on port 0 with a temp SQLite file holding the small test org, talking
 * to a fake Slack Web API on loopback. Its clock is fixed; requests are signed with the same clock.
 */
export async function startSlackHarness(
  options: { users?: readonly FakeSlackUser[]; db?: string; catalog?: boolean | string; env?: Readonly<Record<string, string>> } = {},
): Promise<SlackHarness> {
  const slack = await startFakeSlackApi({ users: options.users ?? WORKSPACE });
  const dir = mkdtempSync(join(tmpdir(), 'steward-slack-'));
  const { logger, logs } = memoryLogger();
  const now = (): Date => FIXED_NOW;
  const config = loadConfig(
    { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', ...options.env },
    { config: undefined },
  );
  let refs = 0;
  let server: RunningServer;
  try {
    server = await startServer({
      config,
      logger,
      db: options.db ?? join(dir, 'steward.db'),
      clock: { now },
      slackRetries: 0,
      referenceId: () => `ref${String(++refs).padStart(3, '0')}`,
    });
  } catch (err) {
    await slack.close();
    throw err;
  }
  if (options.catalog !== false) importCatalog(server.steward.catalog, [typeof options.catalog === 'string' ? options.catalog : SMALL_ORG], { now: FIXED_NOW });

  const settle = async (): Promise<void> => {
    await server.slack?.idle();
  };
  const answersAt = (url: string): Array<Record<string, unknown>> =>
    slack.responses.filter((r: RecordedResponse) => r.hook === new URL(url).pathname).map((r) => r.body);

  return {
    slack,
    server,
    logs,
    now,
    async say(text, o = {}) {
      const responseUrl = slack.responseUrl();
      const ack = await postToSlackEvents(
        server.url,
        { body: commandBody({ text, userId: o.as ?? 'U0ANA', channelId: o.channel, command: o.command, responseUrl }) },
        now,
      );
      await settle();
      const answers = answersAt(responseUrl);
      return { ack, answers, json: JSON.stringify(answers[0] ?? null) };
    },
    async click(actionId, value, o = {}) {
      const responseUrl = slack.responseUrl('actions');
      const ack = await postToSlackEvents(
        server.url,
        { body: blockActionsBody({ actionId, value, userId: o.as, channelId: o.channel, responseUrl }) },
        now,
      );
      await settle();
      const answers = answersAt(responseUrl);
      return { ack, answers, json: JSON.stringify(answers[0] ?? null) };
    },
    settle,
    async close() {
      await server.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The texts of a Block Kit message, flattened: what a person reads, markup included. */
export function textsOf(message: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o['text'] === 'string') out.push(o['text']);
      for (const [k, child] of Object.entries(o)) if (k !== 'text' || typeof child !== 'string') walk(child);
    }
  };
  walk(message);
  return out;
}
