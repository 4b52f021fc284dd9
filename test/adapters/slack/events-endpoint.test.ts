import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackPost } from '../../support/slack-request.js';
import { blockActionsBody, commandBody, FORM, postToSlackEvents, sign, SIGNING_SECRET } from '../../support/slack-request.js';
import type { SlackHarness } from './slack-harness.js';
import { startSlackHarness } from './slack-harness.js';

/**
 * `/slack/events` over real HTTP: what is refused before anything runs, and what Slack's own
 * probes and retries get. "Nothing ran" is checked on the fake Slack: no response_url post and
 * no Web API call beyond the auth.test at start-up.
 */
describe('POST /slack/events refuses what Slack did not send, and runs nothing for it', () => {
  let h: SlackHarness;
  const seconds = (): number => Math.floor(h.now().getTime() / 1000);
  const nothingRan = async (): Promise<void> => {
    await h.settle();
    expect(h.slack.responses).toEqual([]);
    expect(h.slack.calls.map((c) => c.method)).toEqual(['auth.test']);
  };
  const command = (text = 'who-owns payments-api'): string => commandBody({ text, responseUrl: h.slack.responseUrl() });
  const post = (body: string, extra: Omit<SlackPost, 'body'> = {}) =>
    postToSlackEvents(h.server.url, { body, ...extra }, h.now);

  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(() => h.close());

  it('a request without a signature is 401', async () => {
    expect((await post(command(), { signature: null })).status).toBe(401);
    await nothingRan();
  });

  it('a request signed with another secret is 401', async () => {
    expect((await post(command(), { secret: 'not-the-secret' })).status).toBe(401);
    await nothingRan();
  });

  it('a signature over a different body is 401 (the body was tampered with)', async () => {
    const original = command('help');
    const signature = sign(SIGNING_SECRET, seconds(), original);
    expect((await post(command('who-owns payments-api'), { signature })).status).toBe(401);
    await nothingRan();
  });

  it('a timestamp more than five minutes old is 401, and so is one five minutes ahead', async () => {
    expect((await post(command(), { timestamp: seconds() - 301 })).status).toBe(401);
    expect((await post(command(), { timestamp: seconds() + 301 })).status).toBe(401);
    expect((await post(command(), { timestamp: Number.NaN })).status).toBe(401);
    await nothingRan();
  });

  it('a body over 64 KB is 413, whether announced by Content-Length or streamed', async () => {
    const huge = command(`search ${'x'.repeat(70 * 1024)}`);
    expect((await post(huge)).status).toBe(413);
    expect(await streamChunked(h.server.url, huge, seconds())).toBe(413);
    await nothingRan();
  });

  it('a form with neither a command nor a payload is 400 at once', async () => {
    expect((await post('hello=world')).status).toBe(400);
    expect((await post('payload=%7Bnot%20json')).status).toBe(400);
    await nothingRan();
  });

  it('a JSON body that is not an Events API envelope, or not JSON, is 400', async () => {
    expect((await post('{"type":"something"}', { contentType: 'application/json' })).status).toBe(400);
    expect((await post('{oops', { contentType: 'application/json' })).status).toBe(400);
    expect((await post('who-owns x', { contentType: 'text/plain' })).status).toBe(400);
    await nothingRan();
  });

  it('only POST is served there', async () => {
    const res = await fetch(`${h.server.url}/slack/events`);
    expect(res.status).toBe(405);
    await nothingRan();
  });

  it("answers Slack's unsigned ssl_check probe with 200 and does nothing else", async () => {
    expect((await post('ssl_check=1&token=abc', { signature: null })).status).toBe(200);
    await nothingRan();
  });

  it('answers url_verification with the challenge', async () => {
    const res = await post(JSON.stringify({ token: 't', challenge: 'abc123', type: 'url_verification' }), { contentType: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'abc123' });
  });

  it('acknowledges an interaction it has no use for (a modal submission) without doing anything', async () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ type: 'view_submission', user: { id: 'U0ANA' }, view: {} }) }).toString();
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await nothingRan();
  });
});

describe('retries and replays run a command once', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(() => h.close());

  it('a retry of a handled command (X-Slack-Retry-Num) is acknowledged and not run again', async () => {
    const responseUrl = h.slack.responseUrl();
    const body = commandBody({ text: 'who-owns payments-api', responseUrl });
    const timestamp = Math.floor(h.now().getTime() / 1000);
    const first = await postToSlackEvents(h.server.url, { body, timestamp }, h.now);
    await h.settle();
    const retry = await postToSlackEvents(
      h.server.url,
      { body, timestamp, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } },
      h.now,
    );
    const replay = await postToSlackEvents(h.server.url, { body, timestamp }, h.now);
    await h.settle();
    expect([first.status, retry.status, replay.status]).toEqual([200, 200, 200]);
    expect(retry.headers.get('x-slack-no-retry')).toBe('1');
    expect(h.slack.responses.filter((r) => r.hook === new URL(responseUrl).pathname)).toHaveLength(1);
  });

  it('an event delivered twice under the same event_id is handled once', async () => {
    const event = (n: number) =>
      JSON.stringify({
        token: 't',
        team_id: 'T0ACME',
        api_app_id: 'A0STEWARD',
        type: 'event_callback',
        event_id: 'Ev0001',
        event_time: 1764493200 + n,
        authed_users: [],
        event: { type: 'app_home_opened', user: 'U0ANA', event_ts: '1764493200.000100' },
      });
    const first = await postToSlackEvents(h.server.url, { body: event(0), contentType: 'application/json' }, h.now);
    const again = await postToSlackEvents(
      h.server.url,
      { body: event(1), contentType: 'application/json', headers: { 'x-slack-retry-num': '2' } },
      h.now,
    );
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-slack-no-retry')).toBe('1');
    expect(first.headers.get('x-slack-no-retry')).toBeNull();
  });

  it('a form content type with a charset is the same content type (Bolt alone would answer 400)', async () => {
    const responseUrl = h.slack.responseUrl();
    const res = await postToSlackEvents(
      h.server.url,
      { body: commandBody({ text: 'help', responseUrl }), contentType: `${FORM}; charset=utf-8` },
      h.now,
    );
    await h.settle();
    expect(res.status).toBe(200);
    expect(h.slack.responses.some((r) => r.hook === new URL(responseUrl).pathname)).toBe(true);
  });

  it('a button click is acknowledged with an empty 200 within the request', async () => {
    const res = await postToSlackEvents(
      h.server.url,
      { body: blockActionsBody({ actionId: 'open_link_0', value: '', responseUrl: h.slack.responseUrl() }) },
      h.now,
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });
});

describe('the rest of the HTTP server', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ catalog: false });
  });
  afterAll(() => h.close());

  it('/healthz is 200 while the database answers', async () => {
    const res = await fetch(`${h.server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok', slack: 'http' });
  });

  it('an unknown path is a JSON 404', async () => {
    const res = await fetch(`${h.server.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });
});

/** Sends `body` with chunked transfer encoding (no Content-Length), as a client that streams would. */
function streamChunked(serverUrl: string, body: string, timestamp: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${serverUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': FORM,
        'transfer-encoding': 'chunked',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': sign(SIGNING_SECRET, timestamp, body),
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    const buf = Buffer.from(body);
    for (let i = 0; i < buf.length; i += 8192) req.write(buf.subarray(i, i + 8192));
    req.end();
  });
}
