import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../src/adapters/slack/index.js';
import { SqliteIdentityStore } from '../../../src/infra/sqlite/identity-store.js';
import type { FakeSlackApi } from '../../support/fake-slack-api.js';
import { startFakeSlackApi } from '../../support/fake-slack-api.js';
import type { TestBot } from '../../support/test-bot.js';
import { createTestBot } from '../../support/test-bot.js';

/**
 * Choosing the transport. Socket Mode itself needs Slack's WebSocket service, which the test
 * suite does not fake; what is checked here is the choice and that it needs no public endpoint.
 */
describe('the Slack transport', () => {
  let slack: FakeSlackApi;
  let bot: TestBot;
  beforeAll(async () => {
    slack = await startFakeSlackApi();
    bot = createTestBot({ catalog: null });
  });
  afterAll(async () => {
    bot.close();
    await slack.close();
  });

  const adapter = (extra: { signingSecret?: string; appToken?: string; botToken?: string }) =>
    createSlackAdapter({
      botToken: extra.botToken ?? 'xoxb-test-token',
      signingSecret: extra.signingSecret,
      appToken: extra.appToken,
      apiUrl: slack.apiUrl,
      router: bot.steward.router,
      catalog: bot.steward.catalog,
      identities: new SqliteIdentityStore(bot.steward.db),
      clock: bot.steward.clock,
      logger: bot.steward.logger,
      retries: 0,
    });

  it('is HTTP with a signing secret: /slack/events is served', async () => {
    const http = await adapter({ signingSecret: 'secret' });
    expect(http.mode).toBe('http');
    expect(http.handle).toBeTypeOf('function');
    await http.stop();
  });

  it('is Socket Mode with an app token: nothing to serve over HTTP', async () => {
    const socket = await adapter({ appToken: 'xapp-1-A0STEWARD-1-abc' });
    expect(socket.mode).toBe('socket');
    expect(socket.handle).toBeUndefined();
    await socket.stop();
  });

  it('checks the bot token at start and says so plainly when Slack refuses it', async () => {
    slack.failNext('auth.test', { kind: 'error', error: 'invalid_auth' });
    await expect(adapter({ signingSecret: 'secret' })).rejects.toThrow(
      'Slack refused SLACK_BOT_TOKEN (invalid_auth); check the token of the installed app',
    );
  });

  it('needs a signing secret when there is no app token', async () => {
    await expect(adapter({})).rejects.toThrow('SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN selects Socket Mode');
  });
});
