import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsConnection } from '../../../src/adapters/teams/connection.js';
import type { ActivityFields } from '../../../src/adapters/teams/inbound.js';
import { conversationOf } from '../../../src/adapters/teams/inbound.js';
import { createSteward } from '../../../src/app/create-steward.js';
import { silentLogger } from '../../../src/core/ports.js';
import { startFakeBotConnector } from '../../support/fake-bot-connector.js';
import { FIXED_NOW } from '../../support/test-bot.js';
import { reply, text } from '../../../src/core/message/index.js';
import { DeliveryError } from '../../../src/core/messaging/index.js';
import type { TeamsHarness } from './teams-harness.js';
import { CHANNEL_PAYMENTS, TEAM, TENANT, cardOf, channel, installActivity, messageActivity, personalChat, startTeamsHarness } from './teams-harness.js';

/**
 * Teams over real HTTP: activities posted to `/api/messages` of a running `steward serve` (emulator
 * mode, no app id), with `serviceUrl` pointing at the fake Bot Connector; replies and proactive
 * messages are asserted where the connector received them.
 */
describe('POST /api/messages (emulator mode)', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  afterAll(() => h.close());

  it('answers a bare subcommand in a 1:1 chat with an Adaptive Card, replying to the message', async () => {
    const said = await h.say('who-owns payments-api', { as: '29:ana' });
    expect(said.status).toBe(200);
    expect(said.sent).toHaveLength(1);
    const [sent] = said.sent;
    expect(sent!.op).toBe('ReplyToActivity');
    expect(sent!.conversationId).toBe(personalChat('29:ana').conversationId);
    expect(sent!.authorization).toBeUndefined();
    const card = cardOf(sent);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(said.text).toContain('Payments');
    // The card and no Markdown text beside it (Teams would show the answer twice); the summary is for notifications.
    expect(sent!.body['text']).toBeUndefined();
    expect(sent!.body['summary']).toEqual(expect.stringContaining('Payments'));
  });

  it('strips the @mention in a channel and answers in the thread', async () => {
    const said = await h.say('who-owns payments-api', { as: '29:ben', where: channel });
    expect(said.status).toBe(200);
    expect(said.sent).toHaveLength(1);
    expect(said.sent[0]!.conversationId).toMatch(new RegExp(`^${CHANNEL_PAYMENTS.id};messageid=`));
    expect(said.text).toContain('Payments');
  });

  it('learns who is asking from Teams (GetConversationMember) once, and matches them to the catalog', async () => {
    const lookups = h.connector.memberLookups.length;
    const first = await h.say('mine', { as: '29:chen' });
    await h.say('mine', { as: '29:chen' });
    expect(h.connector.memberLookups.slice(lookups)).toEqual(['29:chen']);
    expect(first.text).not.toMatch(/don.t know who you are|not in the catalog/i);
  });

  it('gives typo suggestions and usage errors as cards, never a stack trace', async () => {
    const said = await h.say('who-own payments-api');
    expect(said.text).toMatch(/who-owns/);
    expect(said.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers an empty message (just the mention) with help', async () => {
    const said = await h.say('', { where: channel });
    expect(said.text).toContain('who-owns');
  });

  it('refuses what is not an activity', async () => {
    const res = await fetch(`${h.server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"no":"type"}' });
    expect(res.status).toBe(400);
    const broken = await fetch(`${h.server.url}/api/messages`, { method: 'POST', body: 'not json' });
    expect(broken.status).toBe(400);
    const get = await fetch(`${h.server.url}/api/messages`);
    expect(get.status).toBe(405);
  });

  it('in emulator mode, refuses an activity whose serviceUrl is not on this machine (no open relay)', async () => {
    const posted = await h.post(messageActivity('https://evil.example/', 'help'));
    expect(posted.status).toBe(401);
    expect(posted.sent).toEqual([]);
  });

  it('stores references on install and message; the messenger posts to a channel by "Team / Channel"', async () => {
    const install = await h.post(installActivity(h.connector.serviceUrl, channel));
    expect(install.status).toBe(200);
    const sent = await h.server.teams.messenger.postToChannel(`${TEAM.name} / ${CHANNEL_PAYMENTS.name}`, reply('Weekly leaderboard', [text('1. Payments')], 'channel'));
    expect(sent.channel).toBe(CHANNEL_PAYMENTS.id);
    const last = h.connector.activities.at(-1)!;
    expect(last.op).toBe('ReplyToActivity'); // botbuilder posts a continuation with a fresh activity id
    expect(last.conversationId).toBe(CHANNEL_PAYMENTS.id); // a new top-level post, not a thread reply
    expect(JSON.stringify(cardOf(last))).toContain('1. Payments');
  });

  it('sends a direct message to a person with a stored 1:1 reference, by email', async () => {
    await h.say('help', { as: '29:ben' });
    const sent = await h.server.teams.messenger.sendDirect({ name: 'Ben Okafor', email: 'ben.okafor@acme.example' }, reply('Your service is Bronze'));
    expect(sent.channel).toBe(personalChat('29:ben').conversationId);
    expect(JSON.stringify(cardOf(h.connector.activities.at(-1)))).toContain('Your service is Bronze');
  });

  it('opens a 1:1 chat with someone seen only in a channel', async () => {
    await h.post(installActivity(h.connector.serviceUrl, channel, ['29:eve']));
    const before = h.connector.createdConversations.length;
    const sent = await h.server.teams.messenger.sendDirect({ name: 'Eve Stone', teamsId: '29:eve' }, reply('Hello Eve'));
    expect(h.connector.createdConversations.slice(before)).toEqual([expect.objectContaining({ members: [expect.objectContaining({ id: '29:eve' })], isGroup: false })]);
    expect(sent.channel).toMatch(/^a:created-/);
    // …and remembers it: the next message goes to the same chat without creating another.
    await h.server.teams.messenger.sendDirect({ name: 'Eve Stone', teamsId: '29:eve' }, reply('Hello again'));
    expect(h.connector.createdConversations.length).toBe(before + 1);
  });

  it('a 1:1 answer offers "Post to channel"; the submitted choice reposts it there as the clicker', async () => {
    await h.post(installActivity(h.connector.serviceUrl, channel));
    const asked = await h.say('who-owns payments-api', { as: '29:ana' });
    const card = cardOf(asked.sent[0]);
    const body = card['body'] as Array<Record<string, unknown>>;
    const choice = body.find((e) => e['type'] === 'Input.ChoiceSet')!;
    expect(choice['choices']).toContainEqual({ title: `${TEAM.name} / ${CHANNEL_PAYMENTS.name}`, value: CHANNEL_PAYMENTS.id });
    const submit = (body.at(-1)!['actions'] as Array<Record<string, unknown>>)[0]!;
    expect(submit).toMatchObject({ type: 'Action.Submit', data: { steward: 'post_to_channel', value: 'who-owns payments-api' } });

    // Teams sends the submit data, merged with the inputs, as the value of a message activity.
    const clicked = await h.post(
      messageActivity(h.connector.serviceUrl, '', { as: '29:ana', mention: false, value: { ...(submit['data'] as object), stewardChannel: CHANNEL_PAYMENTS.id } }),
    );
    expect(clicked.status).toBe(200);
    const [posted, confirmation] = clicked.sent;
    expect(posted!.conversationId).toBe(CHANNEL_PAYMENTS.id);
    const shared = JSON.stringify(cardOf(posted));
    expect(shared).toContain('Payments');
    expect(shared).toContain('Shared by ');
    expect(shared).toContain('Ana Ruiz');
    expect(shared).not.toContain('Input.ChoiceSet');
    expect(confirmation!.conversationId).toBe(personalChat('29:ana').conversationId);
    expect(confirmation!.body['text']).toBe(`Posted in ${TEAM.name} / ${CHANNEL_PAYMENTS.name}.`);
  });

  it('a channel answer carries no "Post to channel" choice (it is already in the channel)', async () => {
    const asked = await h.say('who-owns payments-api', { as: '29:ana', where: channel });
    expect(JSON.stringify(cardOf(asked.sent[0]))).not.toContain('post_to_channel');
  });

  it('a submitted command button (e.g. snooze) runs "<id> <value>" as the person who clicked', async () => {
    const clicked = await h.post(messageActivity(h.connector.serviceUrl, '', { as: '29:ana', mention: false, value: { steward: 'who-owns', value: 'payments-api' } }));
    expect(clicked.sent).toHaveLength(1);
    expect(clicked.text).toContain('Payments');
  });

  it('an opt-out button of a nudge from an older Steward (id form) is still understood, through the router', async () => {
    const clicked = await h.post(messageActivity(h.connector.serviceUrl, '', { as: '29:ben', mention: false, value: { steward: 'nudge_opt_out', value: 'all' } }));
    expect(clicked.sent).toHaveLength(1);
    expect(clicked.text).toContain('no more nudges');
  });

  it('a post to a conversation that is not a stored channel is refused politely', async () => {
    const clicked = await h.post(
      messageActivity(h.connector.serviceUrl, '', { as: '29:ana', mention: false, value: { steward: 'post_to_channel', value: 'help', stewardChannel: '19:unknown@thread.tacv2' } }),
    );
    expect(clicked.sent).toHaveLength(1);
    expect(clicked.sent[0]!.body['text']).toMatch(/only post to a channel I am in/);
  });

  it('reports a person with no stored reference instead of skipping them', async () => {
    const err = await h.server.teams.messenger.sendDirect({ name: 'Dana Kim', email: 'dana.kim@acme.example' }, reply('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ permanent: true, code: 'teams_no_conversation' });
    expect((err as Error).message).toContain('Dana Kim');
  });

  it('a channel Steward has never seen is a permanent failure that says how to fix it', async () => {
    const err = await h.server.teams.messenger.postToChannel('Nowhere / General', reply('x')).catch((e: unknown) => e);
    expect(err).toMatchObject({ permanent: true, code: 'teams_no_conversation' });
  });

  it('429 from the connector is a retryable DeliveryError with its Retry-After; 5xx retryable; 403 permanent', async () => {
    await h.say('help', { as: '29:ana' });
    const ana = { name: 'Ana', teamsId: '29:ana' };
    const attempt = async (failure: { status: number; code: string; retryAfter?: number }) => {
      const before = h.connector.pendingFailures();
      h.connector.failNext(failure);
      const err = await h.server.teams.messenger.sendDirect(ana, reply('x')).catch((e: unknown) => e);
      // One attempt: the messenger does not retry on its own (the delivery ledger does).
      expect(h.connector.pendingFailures()).toBe(before);
      return err;
    };
    expect(await attempt({ status: 429, code: 'Throttled', retryAfter: 7 })).toMatchObject({ permanent: false, code: 'teams_throttled', retryAfterMs: 7000 });
    expect(await attempt({ status: 502, code: 'BadGateway' })).toMatchObject({ permanent: false, code: 'teams_unavailable' });
    expect(await attempt({ status: 403, code: 'ConversationBlockedByUser' })).toMatchObject({ permanent: true, code: 'teams_blocked' });
    expect(await attempt({ status: 413, code: 'MessageSizeTooBig' })).toMatchObject({ permanent: true, code: 'teams_message_too_big' });
  });
});

describe('POST /api/messages with MICROSOFT_APP_ID (JWT required)', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({ env: { MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555', MICROSOFT_APP_PASSWORD: 'not-a-real-secret' } });
  });
  afterAll(() => h.close());

  it('refuses a request without a token with 401, and never calls the connector', async () => {
    const posted = await h.say('help');
    expect(posted.status).toBe(401);
    expect(posted.sent).toEqual([]);
  });

  it('refuses a forged token with 401; the signing keys are only ever fetched from the local fake', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ iss: 'https://api.botframework.com', aud: '11111111-2222-3333-4444-555555555555', serviceurl: h.connector.serviceUrl })).toString('base64url');
    const posted = await h.post(messageActivity(h.connector.serviceUrl, 'help'), { authorization: `Bearer ${header}.${claims}.c2lnbmF0dXJl` });
    expect(posted.status).toBe(401);
    expect(posted.sent).toEqual([]);
    for (const r of h.connector.openIdRequests) expect(r).toMatch(/^\/openid\//);
    expect(h.logs.filter((l) => l.message === 'teams request refused: not authenticated')).toHaveLength(2);
  });
});


describe('the Bot Framework connector with a deadline', () => {
  it('a connector that stops answering fails the delivery at the deadline (retryable), instead of holding the job', async () => {
    const connector = await startFakeBotConnector({ members: TENANT });
    const steward = createSteward({ db: join(mkdtempSync(join(tmpdir(), 'steward-teams-deadline-')), 's.db'), logger: silentLogger });
    try {
      const references = steward.stores.conversations;
      const connection = createTeamsConnection({ references, clock: steward.clock, timeoutMs: 300 });
      references.saveConversation(conversationOf(installActivity(connector.serviceUrl, channel) as ActivityFields)!, FIXED_NOW);
      connector.failNext({ status: 0, code: 'hang', hang: true });
      const err = await connection.messenger.postToChannel(`${TEAM.name} / ${CHANNEL_PAYMENTS.name}`, reply('Weekly leaderboard')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ permanent: false });
      // The next one goes through: the deadline cut one request, not the connection.
      expect((await connection.messenger.postToChannel(`${TEAM.name} / ${CHANNEL_PAYMENTS.name}`, reply('Weekly leaderboard'))).channel).toBe(CHANNEL_PAYMENTS.id);
    } finally {
      steward.close();
      await connector.close();
    }
  });
});
