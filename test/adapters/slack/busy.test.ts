import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSY_TEXT } from '../../../src/core/commands/index.js';
import { commandBody, postToSlackEvents } from '../../support/slack-request.js';
import type { SlackHarness } from './slack-harness.js';
import { startSlackHarness } from './slack-harness.js';

/**
 * Back-pressure on a real `/slack/events`: with one command in flight per person, a second one
 * while Slack is slow to take the first answer is refused in the ack itself, at once.
 */
describe('/service past the in-flight limit', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-slack-busy-'));
    writeFileSync(join(dir, 'steward.config.yaml'), 'limits:\n  commandsInFlight: 10\n  commandsInFlightPerUser: 1\n');
    h = await startSlackHarness({ env: { STEWARD_CONFIG: join(dir, 'steward.config.yaml') } });
  });
  afterAll(() => h.close());

  const send = (text: string, userId: string) => {
    const responseUrl = h.slack.responseUrl();
    return { responseUrl, ack: postToSlackEvents(h.server.url, { body: commandBody({ text, userId, responseUrl }) }, h.now) };
  };

  it('says "busy" in the ack to the person past their limit, answers everyone else, and takes them again once answered', async () => {
    const release = h.slack.holdHooks();
    const first = send('who-owns payments-api', 'U0ANA');
    expect((await first.ack).status).toBe(200);
    // Ana's first answer is still on its way to Slack: her second command is one too many.
    const second = send('info payments-api', 'U0ANA');
    const busy = await second.ack;
    expect(busy.status).toBe(200);
    expect(busy.json).toEqual({ response_type: 'ephemeral', text: BUSY_TEXT });
    expect(h.logs.find((l) => l.message === 'slack command refused: busy')?.fields).toMatchObject({ user: 'U0ANA' });
    // Someone else is not held up by Ana's limit.
    const other = send('who-owns payments-api', 'U0BEN');
    expect((await other.ack).text).toBe('');
    release();
    await h.settle();
    expect(h.slack.responses.filter((r) => r.hook === new URL(second.responseUrl).pathname)).toEqual([]);
    expect(JSON.stringify(h.slack.responses.filter((r) => r.hook === new URL(first.responseUrl).pathname))).toContain('Payments');
    expect(JSON.stringify(h.slack.responses.filter((r) => r.hook === new URL(other.responseUrl).pathname))).toContain('Payments');
    // Answered: Ana has her place back.
    expect((await h.say('info payments-api', { as: 'U0ANA' })).json).toContain('Payments');
  });
});
