import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeTabView } from '../../../src/adapters/slack/home-tab.js';
import { context, reply, text } from '../../../src/core/message/index.js';
import type { RecordedCall } from '../../support/fake-slack-api.js';
import { eventBody, postToSlackEvents } from '../../support/slack-request.js';
import type { SlackHarness } from './slack-harness.js';
import { startSlackHarness, textsOf } from './slack-harness.js';

/** Opening Steward's Home tab in Slack: `app_home_opened` in, `views.publish` out. */
describe('the Home tab', () => {
  let h: SlackHarness;
  const open = async (user: string, tab = 'home'): Promise<RecordedCall[]> => {
    const before = h.slack.callsTo('views.publish').length;
    const ack = await postToSlackEvents(h.server.url, { body: eventBody({ type: 'app_home_opened', user, channel: 'D0HOME', tab }), contentType: 'application/json' }, h.now);
    expect(ack.status).toBe(200);
    await h.settle();
    return h.slack.callsTo('views.publish').slice(before);
  };
  const viewOf = (call: RecordedCall | undefined): { type: string; blocks: unknown[] } => JSON.parse(String(call?.args['view'])) as { type: string; blocks: unknown[] };

  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(() => h.close());

  it('shows what you own with levels and failing checks, who is on call for your teams, and your nudges', async () => {
    const [call] = await open('U0ANA');
    expect(call?.args['user_id']).toBe('U0ANA');
    const view = viewOf(call);
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const texts = textsOf(view.blocks).join('\n');
        expect(texts).toContain('Steward for Ana Ruiz');
    expect(texts).toContain('You are in Payments.');
    expect(texts).toContain('payments-api');
    expect(texts).toContain('*ledger-service* — Production readiness No level · 18/100');
    expect(texts).toContain('✗ *Runbook linked* (Production readiness, Bronze)');
    const fix = (view.blocks as Array<{ type: string; elements?: Array<{ text?: { text?: string }; url?: string }> }>)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.text?.text === 'Fix: Runbook linked');
    expect(fix?.url).toMatch(/^https:\/\//);
    expect(texts).toContain('On call now\n• *Payments*: no on-call declared.');
    expect(texts).toContain('You get nudges about failing checks.');
  });

  it('shows opt-out and snoozes after the person set them', async () => {
    await h.say('optout', { as: 'U0ANA' });
    const texts = textsOf(viewOf((await open('U0ANA'))[0]).blocks).join('\n');
    expect(texts).toContain('You are opted out of nudges.');
    await h.say('optin', { as: 'U0ANA' });
  });

  it('tells someone the catalog does not know how to be found, instead of an empty page', async () => {
    const texts = textsOf(viewOf((await open('U0EVE'))[0]).blocks).join('\n');
    expect(texts).toContain("I can't find you in the catalog");
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    expect(await open('U0ANA', 'messages')).toEqual([]);
  });

  it('logs a failed publish with a reference and leaves that person alone for a while: no storm', async () => {
    h.slack.failNext('views.publish', { kind: 'error', error: 'invalid_blocks' });
    expect(await open('U0BEN')).toHaveLength(1);
    const failed = h.logs.find((l) => l.message === 'slack home tab not published');
    expect(failed?.fields?.['ref']).toMatch(/^ref\d+/);
    expect(String(failed?.fields?.['err'])).toContain('invalid_blocks');
    // The clock is fixed, so "a while" has not passed: more opens, no more calls.
    expect(await open('U0BEN')).toEqual([]);
    expect(await open('U0BEN')).toEqual([]);
    // Other people are not affected.
    expect(await open('U0ANA')).toHaveLength(1);
  });
});

describe('a Home view within 100 blocks', () => {
  it('ends with "…and N more" instead of a view Slack would refuse', () => {
    const page = reply('long', [...Array.from({ length: 150 }, (_, i) => text(`service-${i}`)), context('last')]);
    const view = homeTabView(page);
    expect(view.blocks).toHaveLength(100);
    expect(textsOf(view.blocks.at(-1))).toEqual(['…and 52 more']);
  });
});
