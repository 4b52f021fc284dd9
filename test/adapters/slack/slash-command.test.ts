import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_EXTRA_SCOPES, SLACK_METHOD_SCOPES } from '../../../src/adapters/slack/index.js';
import type { SlackHarness } from './slack-harness.js';
import { startSlackHarness, textsOf } from './slack-harness.js';

/**
 * `/service …` typed in Slack, end to end: a signed request into a running server, the ack, and
 * what the fake Slack received afterwards on the command's response_url and on its Web API.
 */
describe('/service in Slack', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(() => h.close());

  it('acks at once with an empty 200, then answers privately through response_url', async () => {
    const said = await h.say('who-owns payments-api');
    expect(said.ack.status).toBe(200);
    expect(said.ack.text).toBe('');
    expect(said.answers).toHaveLength(1);
    const answer = said.answers[0]!;
    expect(answer['response_type']).toBe('ephemeral');
    expect(answer['text']).toMatch(/^Payments API \(payments-api\) is owned by Payments\./);
    expect(textsOf(answer)).toContain('Payments API (payments-api)');
  });

  it('mentions the owners by Slack id: from the catalog, or learned by email', async () => {
    const said = await h.say('who-owns payments-api');
    // Ana's id is in the catalog; Ben's was found with users.lookupByEmail.
    expect(said.json).toContain('*Members (2)*\\n<@U0ANA>, <@U0BEN>');
    const lookups = h.slack.callsTo('users.lookupByEmail').map((c) => c.args['email']);
    expect(lookups).toEqual(['ben.okafor@acme.example']);
  });

  it('remembers a learned Slack id on the catalog person and asks Slack once', async () => {
    await h.say('who-owns ledger-service');
    expect(h.server.steward.catalog.person('user:default/ben.okafor')?.slackId).toBe('U0BEN');
    expect(h.slack.callsTo('users.lookupByEmail')).toHaveLength(1);
  });

  it('carries a "Post to channel" button holding the command', async () => {
    const said = await h.say('who-owns payments-api');
    const blocks = said.answers[0]!['blocks'] as Array<Record<string, unknown>>;
    expect(blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Post to channel' }, action_id: 'post_to_channel', value: 'who-owns payments-api' }],
    });
  });

  it('posts to response_url as JSON without credentials, as Slack expects', async () => {
    // Its own answer and Web API call, so the checks below have something to check when run alone.
    await h.say('mine');
    expect(h.slack.responses.length).toBeGreaterThan(0);
    expect(h.slack.calls.length).toBeGreaterThan(0);
    for (const r of h.slack.responses) expect(r.authorization).toBeUndefined();
    for (const c of h.slack.calls) expect(c.authorization).toBe('Bearer xoxb-test-token');
  });

  it('matches the caller to a catalog person by their Slack email (users.info), once', async () => {
    const said = await h.say('mine');
    expect(said.answers[0]!['text']).toMatch(/^You are in Payments\. You own /);
    await h.say('mine');
    // Ana's lookups only: the credentials test above asks about Eve in the same workspace.
    expect(h.slack.callsTo('users.info').map((c) => c.args['user']).filter((u) => u === 'U0ANA')).toEqual(['U0ANA']);
  });

  it('tells a caller Slack knows but the catalog does not who they are not', async () => {
    const said = await h.say('mine', { as: 'U0EVE' });
    expect(said.answers[0]!['text']).toBe(
      "I can't find you in the catalog: no User entity has the email eve@acme.example. Ask your platform team to add you (spec.profile.email on a User entity).",
    );
  });

  it('answers an unknown subcommand privately with a suggestion and no button', async () => {
    const said = await h.say('who-own payments-api');
    expect(said.answers[0]!['response_type']).toBe('ephemeral');
    expect(said.answers[0]!['text']).toContain('Did you mean `who-owns`?');
    expect(said.json).not.toContain('post_to_channel');
  });

  it('answers a huge command text with a clear line, not an error', async () => {
    const said = await h.say(`search ${'a'.repeat(5000)}`);
    expect(said.ack.status).toBe(200);
    expect(said.answers[0]!['text']).toBe('That command is 5007 characters long; I read at most 2000.');
  });

  it('answers a slash command it does not own in the ack itself', async () => {
    const said = await h.say('who-owns x', { command: '/other' });
    expect(said.ack.json).toEqual({ response_type: 'ephemeral', text: 'This app answers /service; try `/service help`.' });
    expect(said.answers).toEqual([]);
  });

  it('calls only Web API methods whose scopes the manifest asks for', () => {
    const allowed = new Set<string>(['auth.test', ...Object.keys(SLACK_METHOD_SCOPES)]);
    expect(h.slack.calls.map((c) => c.method).filter((m) => !allowed.has(m))).toEqual([]);
    expect(SLACK_EXTRA_SCOPES).toEqual(['commands']);
  });
});

describe('catalog text in Slack', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(() => h.close());

  it('shows <!channel>, <!here>, <@U123> and a disguised link literally, and pings no one', async () => {
    const said = await h.say('info legacy-notifier');
    for (const raw of ['<!channel>', '<!here>', '<@U123>', '<https://evil.example|click>']) expect(said.json).not.toContain(raw);
    const texts = textsOf(said.answers[0]);
    expect(texts).toContain('Legacy &lt;!channel&gt; notifier (legacy-notifier)');
    expect(texts).toContain(
      'Do not @channel; &lt;!here&gt; pings were removed. Use *bold* carefully &amp; &lt;https://evil.example|click&gt; &lt;@U123&gt;',
    );
  });

  it('escapes the same text where it appears in mrkdwn (who-owns)', async () => {
    const said = await h.say('who-owns legacy-notifier');
    expect(said.json).not.toContain('<!channel>');
    expect(said.json).toContain('*Legacy &lt;!channel&gt; notifier (legacy-notifier)* is owned by *Platform*.');
  });
});

describe('when Slack or the database misbehave', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
  });
  afterEach(() => h.close());

  it('a rate-limited users.lookupByEmail (429, Retry-After) still answers, with names, and is asked again later', async () => {
    h.slack.failNext('users.lookupByEmail', { kind: 'rate_limited', retryAfter: 1 });
    const first = await h.say('who-owns payments-api');
    expect(first.json).toContain('<@U0ANA>, Ben Okafor');
    const second = await h.say('who-owns payments-api');
    expect(second.json).toContain('<@U0ANA>, <@U0BEN>');
    expect(h.slack.callsTo('users.lookupByEmail')).toHaveLength(2);
  });

  it('an email Slack does not know (users_not_found) is shown as a name and not asked again', async () => {
    await h.say('who-owns dana-scripts');
    const said = await h.say('who-owns dana-scripts');
    expect(said.answers[0]!['text']).toBe('dana-scripts is owned by a person, Dana Kim, not a team.');
    expect(said.json).toContain('is owned by a person, Dana Kim, not a team.');
    expect(h.slack.callsTo('users.lookupByEmail').map((c) => c.args['email'])).toEqual(['dana.kim@acme.example']);
  });

  it('users.info failing (ok: false) leaves the caller unknown but still answers', async () => {
    h.slack.failNext('users.info', { kind: 'error', error: 'user_not_visible' });
    const said = await h.say('mine');
    expect(said.answers[0]!['text']).toMatch(/^I can't tell who you are/);
    expect(h.logs.some((l) => l.level === 'warn' && l.message === 'could not look up a chat user')).toBe(true);
  });

  it('a response_url that refuses the answer is logged; the server goes on answering', async () => {
    h.slack.failHooks(500);
    const failed = await h.say('help');
    expect(failed.ack.status).toBe(200);
    expect(h.logs.some((l) => l.level === 'error' && l.message === 'slack answer failed')).toBe(true);
    h.slack.failHooks(undefined);
    const said = await h.say('help');
    expect(said.answers[0]!['text']).toMatch(/^Commands: help, who-owns/);
  });

  it('a broken database gives a reference id in Slack and 503 on /healthz, never the exception', async () => {
    h.server.steward.db.close();
    const said = await h.say('who-owns payments-api');
    expect(said.ack.status).toBe(200);
    expect(said.answers[0]!['text']).toMatch(/^Something went wrong on my side \(ref ref\d{3}\)\./);
    expect(said.json).not.toMatch(/database|sqlite|TypeError|at .*\.ts/i);
    const health = await fetch(`${h.server.url}/healthz`);
    expect(health.status).toBe(503);
  });
});

describe('identities survive a restart (SQLite)', () => {
  it('does not ask Slack again about a caller it already knows', async () => {
    const first = await startSlackHarness();
    const db = first.server.steward.db.name;
    await first.say('mine');
    expect(first.slack.callsTo('users.info')).toHaveLength(1);
    await first.server.close();
    await first.slack.close();

    const second = await startSlackHarness({ db, catalog: false });
    try {
      const said = await second.say('mine');
      expect(said.answers[0]!['text']).toMatch(/^You are in Payments\./);
      expect(second.slack.callsTo('users.info')).toHaveLength(0);
    } finally {
      await second.close();
      rmSync(dirname(db), { recursive: true, force: true });
    }
  });
});
