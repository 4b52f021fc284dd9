import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConversation } from '../../../src/adapters/slack/events.js';
import type { RecordedCall } from '../../support/fake-slack-api.js';
import { eventBody, postToSlackEvents } from '../../support/slack-request.js';
import type { SlackHarness } from './slack-harness.js';
import { startSlackHarness, textsOf } from './slack-harness.js';

/**
 * `@Steward who owns payments-api?` in a channel thread and a direct message to the bot: signed
 * Events API requests into the bot's own `/slack/events`, answers read off the fake Slack Web API.
 */
const JSON_TYPE = 'application/json';
const BOT = 'U0STEWARD';

describe('mentions and direct messages', () => {
  let h: SlackHarness;
  let posts: RecordedCall[] = [];
  const send = async (event: Record<string, unknown>, options: { eventId?: string; headers?: Record<string, string> } = {}) => {
    const before = h.slack.callsTo('chat.postMessage').length;
    const ack = await postToSlackEvents(h.server.url, { body: eventBody(event, options), contentType: JSON_TYPE, headers: options.headers }, h.now);
    await h.settle();
    posts = h.slack.callsTo('chat.postMessage').slice(before);
    return ack;
  };
  const mention = (text: string, extra: Record<string, unknown> = {}) =>
    send({ type: 'app_mention', user: 'U0ANA', text: `<@${BOT}> ${text}`, ts: '1764493300.000100', channel: 'C0INCIDENT', ...extra });
  const dm = (text: string, extra: Record<string, unknown> = {}) =>
    send({ type: 'message', channel_type: 'im', user: 'U0ANA', text, ts: '1764493300.000200', channel: 'D0ANA', ...extra });
  const said = (call: RecordedCall | undefined): string => textsOf(JSON.parse(String(call?.args['blocks'] ?? '[]'))).join('\n');

  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    posts = [];
  });

  it('answers a mention in a thread, in that thread, for everyone there', async () => {
    const ack = await mention('who owns payments-api?', { ts: '1764493300.000300', thread_ts: '1764493000.000001' });
    expect(ack.status).toBe(200);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args).toMatchObject({ channel: 'C0INCIDENT', thread_ts: '1764493000.000001', link_names: 'false' });
    expect(said(posts[0])).toContain('Payments');
    // A message in a thread is not ephemeral: there is no "Post to channel" button to press.
    expect(said(posts[0])).not.toContain('Post to channel');
  });

  it('answers a mention outside a thread in a new thread under the mention', async () => {
    await mention('is payments-api healthy?', { ts: '1764493300.000400' });
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args).toMatchObject({ channel: 'C0INCIDENT', thread_ts: '1764493300.000400' });
  });

  it('runs a command typed after the mention as it is', async () => {
    await mention('who-owns payments-api');
    expect(said(posts[0])).toContain('Payments');
  });

  it('answers a mention with nothing else in it with the short help', async () => {
    await mention('');
    expect(posts).toHaveLength(1);
    expect(said(posts[0])).toContain("who's on call for payments?");
  });

  it('answers a direct message in the DM, without the slash', async () => {
    await dm('who owns payments-api?');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args['channel']).toBe('D0ANA');
    expect(posts[0]!.args['thread_ts']).toBeUndefined();
    expect(said(posts[0])).toContain('Payments');
  });

  it('treats a line it does not understand with help, not silence', async () => {
    await dm('good morning <!channel>');
    expect(posts).toHaveLength(1);
    expect(said(posts[0])).toContain('help');
    expect(JSON.stringify(posts[0]!.args)).not.toContain('<!channel>');
  });

  it('ignores bots (itself included), edits, deletions and channel messages', async () => {
    await dm('who owns payments-api?', { user: BOT });
    await dm('who owns payments-api?', { bot_id: 'B0OTHER', subtype: 'bot_message' });
    await dm('who owns payments-api?', { bot_id: 'B0OTHER' });
    await send({ type: 'message', subtype: 'message_changed', channel_type: 'im', channel: 'D0ANA', ts: '1.2', message: { user: 'U0ANA', text: 'who owns x' } });
    await send({ type: 'message', subtype: 'message_deleted', channel_type: 'im', channel: 'D0ANA', ts: '1.3', deleted_ts: '1.1' });
    await send({ type: 'message', channel_type: 'channel', user: 'U0ANA', text: 'who owns payments-api?', ts: '1.4', channel: 'C0GENERAL' });
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'D0ANA' || c.args['channel'] === 'C0GENERAL')).toHaveLength(2);
  });

  it('runs a retried delivery (X-Slack-Retry-Num, the same event_id) once', async () => {
    const event = { type: 'app_mention', user: 'U0ANA', text: `<@${BOT}> who owns ledger-service?`, ts: '1764493300.000900', channel: 'C0INCIDENT' };
    const first = await send(event, { eventId: 'Ev0RETRY' });
    const before = h.slack.callsTo('chat.postMessage').length;
    const retry = await send(event, { eventId: 'Ev0RETRY', headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.headers.get('x-slack-no-retry')).toBe('1');
    expect(h.slack.callsTo('chat.postMessage').length).toBe(before);
  });

  it('refuses a forged or stale event before parsing it', async () => {
    const body = eventBody({ type: 'app_mention', user: 'U0ANA', text: `<@${BOT}> help`, ts: '1.5', channel: 'C0INCIDENT' });
    const seconds = Math.floor(h.now().getTime() / 1000);
    const before = h.slack.calls.length;
    expect((await postToSlackEvents(h.server.url, { body, contentType: JSON_TYPE, secret: 'forged' }, h.now)).status).toBe(401);
    expect((await postToSlackEvents(h.server.url, { body, contentType: JSON_TYPE, timestamp: seconds - 600 }, h.now)).status).toBe(401);
    await h.settle();
    expect(h.slack.calls.length).toBe(before);
  });

  it('a channel it was not invited to is logged with a reference, never a crash or a storm', async () => {
    // Twice: the answer, then the apology; each is one call (platform errors are not retried).
    h.slack.failNext('chat.postMessage', { kind: 'error', error: 'not_in_channel' }, 2);
    await mention('who owns payments-api?', { channel: 'C0NOTIN' });
    expect(posts.map((c) => c.args['channel'])).toEqual(['C0NOTIN', 'C0NOTIN']);
    const failed = h.logs.find((l) => l.message === 'slack answer failed' && l.fields?.['channel'] === 'C0NOTIN');
    expect(failed?.fields?.['ref']).toMatch(/^ref\d+/);
    expect(String(failed?.fields?.['err'])).toContain('not_in_channel');
    // Still answering afterwards.
    await mention('who owns payments-api?');
    expect(posts).toHaveLength(1);
  });

  it('asks a user Slack does not know as a stranger, and still answers', async () => {
    await dm('what do I own?', { user: 'U0NOBODY', channel: 'D0NOBODY' });
    expect(posts).toHaveLength(1);
    expect(said(posts[0])).toContain("can't tell who you are");
  });
});

describe('which events are conversations (pure)', () => {
  it('takes the thread of a mention, else the mention itself, and removes the bot from the text', () => {
    expect(readConversation({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '2.0', thread_ts: '1.0', text: `<@${BOT}> who owns a&amp;b?` }, BOT)).toEqual({
      kind: 'mention',
      userId: 'U1',
      channel: 'C1',
      threadTs: '1.0',
      text: 'who owns a&b?',
    });
    expect(readConversation({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '2.0', text: `hey <@${BOT}|steward> help` }, BOT)).toMatchObject({ threadTs: '2.0', text: 'hey help' });
  });

  it.each([
    [{ type: 'message', channel_type: 'im', user: 'U1', channel: 'D1', ts: '1', subtype: 'message_changed' }, 'subtype message_changed'],
    [{ type: 'message', channel_type: 'im', user: 'U1', channel: 'D1', ts: '1', subtype: 'message_deleted' }, 'subtype message_deleted'],
    [{ type: 'message', channel_type: 'im', user: 'U1', channel: 'D1', ts: '1', bot_id: 'B1' }, 'from a bot'],
    [{ type: 'message', channel_type: 'im', user: BOT, channel: 'D1', ts: '1' }, 'from Steward itself'],
    [{ type: 'message', channel_type: 'mpim', user: 'U1', channel: 'G1', ts: '1' }, 'message in a mpim'],
    [{ type: 'reaction_added', user: 'U1' }, 'event reaction_added'],
  ])('ignores %j', (event, why) => {
    expect(readConversation(event, BOT)).toEqual({ ignored: why });
  });
});

/** A sign-in link signs in as whoever asked: Slack gives it privately or not at all. */
describe('the scoreboard link, where others would read it', () => {
  let h: SlackHarness;
  let posts: RecordedCall[] = [];
  const send = async (event: Record<string, unknown>) => {
    const before = h.slack.callsTo('chat.postMessage').length;
    await postToSlackEvents(h.server.url, { body: eventBody(event), contentType: JSON_TYPE }, h.now);
    await h.settle();
    posts = h.slack.callsTo('chat.postMessage').slice(before);
  };
  const said = (call: RecordedCall | undefined): string => JSON.stringify(call?.args ?? {});

  beforeAll(async () => {
    h = await startSlackHarness({ env: { STEWARD_PUBLIC_URL: 'https://steward.acme.example' } });
  });
  afterAll(() => h.close());

  it('is refused in a thread, with where to ask instead, and no link made', async () => {
    await send({ type: 'app_mention', user: 'U0ANA', text: `<@${BOT}> scoreboard`, ts: '1764493300.000900', channel: 'C0INCIDENT' });
    expect(posts).toHaveLength(1);
    expect(said(posts[0])).toContain('for your eyes only');
    expect(said(posts[0])).toContain('Ask me in a direct message');
    expect(said(posts[0])).not.toContain('/signin');
  });

  it('is given in a direct message', async () => {
    await send({ type: 'message', channel_type: 'im', user: 'U0ANA', text: 'scoreboard', ts: '1764493300.000901', channel: 'D0ANA' });
    expect(posts).toHaveLength(1);
    expect(said(posts[0])).toContain('https://steward.acme.example/signin');
  });

  it('answers /service scoreboard privately, without a "Post to channel" button', async () => {
    const answer = await h.say('scoreboard', { as: 'U0ANA' });
    expect(answer.json).toContain('"response_type":"ephemeral"');
    expect(answer.json).toContain('https://steward.acme.example/signin');
    expect(answer.json).not.toContain('Post to channel');
  });
});
