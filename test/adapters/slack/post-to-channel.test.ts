import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackHarness } from './slack-harness.js';
import { startSlackHarness, textsOf } from './slack-harness.js';

/** The "Post to channel" button of a private answer: a block_actions click, end to end. */
describe('"Post to channel"', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
  });
  afterEach(() => h.close());

  it('reposts the same answer in the channel, says who shared it, and removes the private copy', async () => {
    const asked = await h.say('who-owns payments-api');
    const clicked = await h.click('post_to_channel', 'who-owns payments-api');
    expect(clicked.ack.status).toBe(200);
    expect(clicked.ack.text).toBe('');
    expect(clicked.answers).toHaveLength(2);
    const [posted, removed] = clicked.answers;
    expect(posted).toMatchObject({ response_type: 'in_channel', replace_original: false, text: asked.answers[0]!['text'] });
    // The same blocks as the private answer, without its button, plus who shared it.
    const privateBlocks = (asked.answers[0]!['blocks'] as unknown[]).slice(0, -1);
    const postedBlocks = posted!['blocks'] as unknown[];
    expect(postedBlocks.slice(0, -1)).toEqual(privateBlocks);
    expect(textsOf(postedBlocks.at(-1))).toEqual(['Shared by <@U0ANA> · `/service who-owns payments-api`']);
    expect(JSON.stringify(postedBlocks)).not.toContain('post_to_channel');
    expect(removed).toEqual({ delete_original: true });
  });

  it('falls back to chat.postMessage when the response_url no longer works', async () => {
    h.slack.failHooks(404);
    await h.click('post_to_channel', 'who-owns payments-api', { channel: 'C0PAYMENTS' });
    const posts = h.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args).toMatchObject({ channel: 'C0PAYMENTS', unfurl_links: 'false', link_names: 'false' });
    expect(String(posts[0]!.args['text'])).toMatch(/^Payments API \(payments-api\) is owned by Payments\./);
    expect(String(posts[0]!.args['blocks'])).toContain('Shared by <@U0ANA>');
  });

  it('if the answer has changed into an error since, tells only the clicker', async () => {
    const clicked = await h.click('post_to_channel', 'who-owns no-such-service');
    expect(clicked.answers).toHaveLength(1);
    expect(clicked.answers[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(clicked.answers[0]!['text'])).toMatch(/^I don't know a service called "no-such-service"/);
  });

  it('a hostile value is only ever command text, escaped like any other', async () => {
    const clicked = await h.click('post_to_channel', 'who-owns <!channel>');
    expect(clicked.json).not.toContain('<!channel>');
    expect(clicked.answers[0]).toMatchObject({ response_type: 'ephemeral' });
  });

  it('a click on a link button is acknowledged and does nothing else', async () => {
    const clicked = await h.click('open_link_0', '');
    expect(clicked.ack.status).toBe(200);
    expect(clicked.answers).toEqual([]);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('when neither response_url nor chat.postMessage works, the failure is logged with a reference', async () => {
    h.slack.failHooks(404);
    h.slack.failNext('chat.postMessage', { kind: 'error', error: 'not_in_channel' });
    const clicked = await h.click('post_to_channel', 'who-owns payments-api');
    expect(clicked.ack.status).toBe(200);
    const failure = h.logs.find((l) => l.level === 'error' && l.message === 'slack answer failed');
    expect(failure?.fields).toMatchObject({ action: 'post_to_channel', ref: expect.stringMatching(/^ref\d{3}$/) });
    expect(String(failure?.fields?.['err'])).toContain('not_in_channel');
  });
});
