import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi } from '../../support/fake-slack-api.js';
import { startFakeSlackApi } from '../../support/fake-slack-api.js';

/** The fake the Slack tests lean on behaves like Slack where the tests depend on it. */
describe('the fake Slack Web API', () => {
  let slack: FakeSlackApi;
  beforeAll(async () => {
    slack = await startFakeSlackApi({ users: [{ id: 'U0BEN', name: 'Ben Okafor', email: 'ben@acme.example' }] });
  });
  afterAll(() => slack.close());

  const api = (method: string, init?: RequestInit) => fetch(`${slack.apiUrl}${method}`, init).then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> }));

  it('takes arguments as a GET query, a POST form or POST JSON, and the token as a header or a field', async () => {
    const viaQuery = await api('users.info?user=U0BEN&token=xoxb-1');
    const viaForm = await api('users.info', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-1' }, body: 'user=U0BEN' });
    const viaJson = await api('users.info', { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-1' }, body: '{"user":"U0BEN"}' });
    for (const r of [viaQuery, viaForm, viaJson]) expect(r.body).toMatchObject({ ok: true, user: { id: 'U0BEN', profile: { email: 'ben@acme.example' } } });
    expect(slack.callsTo('users.info').map((c) => c.httpMethod)).toEqual(['GET', 'POST', 'POST']);
  });

  it('answers HTTP 200 with ok: false for API errors, as Slack does', async () => {
    expect(await api('users.info?user=U0BEN')).toMatchObject({ status: 200, body: { ok: false, error: 'not_authed' } });
    expect(await api('users.lookupByEmail?email=nobody@acme.example&token=xoxb-1')).toMatchObject({ status: 200, body: { ok: false, error: 'users_not_found' } });
    slack.failNext('chat.postMessage', { kind: 'error', error: 'channel_not_found' });
    expect((await api('chat.postMessage?channel=C1&text=x&token=xoxb-1')).body).toEqual({ ok: false, error: 'channel_not_found' });
  });

  it('rate-limits on request with 429 and Retry-After, then answers again', async () => {
    slack.failNext('auth.test', { kind: 'rate_limited', retryAfter: 7 });
    const limited = await api('auth.test?token=xoxb-1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await api('auth.test?token=xoxb-1')).body).toMatchObject({ ok: true, user_id: slack.bot.userId, bot_id: slack.bot.botId });
  });

  it('takes JSON posts at a response_url at most five times', async () => {
    const url = slack.responseUrl();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `n${i}` }) })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(slack.responses.filter((r) => r.hook === new URL(url).pathname)).toHaveLength(5);
  });
});
