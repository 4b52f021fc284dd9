import { afterEach, describe, expect, it } from 'vitest';
import { planNudges } from '../../src/core/jobs/index.js';
import type { Reply } from '../../src/core/message/index.js';
import type { OutreachBot } from './support/outreach-bot.js';
import { MONDAY_10_BERLIN, createOutreachBot } from './support/outreach-bot.js';

const ANA = 'user:default/ana.ruiz';
const CHEN = 'user:default/chen.li';
const EVE = 'user:default/eve.tan';

describe('owner nudges', () => {
  let o: OutreachBot;
  afterEach(async () => o.close());

  const dmsTo = (userId: string): number => o.slack.posted().filter((p) => p.channel === `D${userId.slice(1)}`).length;

  it('sends one digest per owner per week with every failing check, most important level first, and the team channel for a team nobody can be DMed in', async () => {
    o = await createOutreachBot();
    o.bot.push('checkout-api', { 'alerts.configured': false });
    const run = await o.setup.outreach.run('nudges', '2026-11-30T10:00');
    expect(run.claimed).toBe(true);
    expect(run.written).toEqual([
      `nudge:${ANA}:2026-W49`,
      'nudge:user:default/ben.okafor:2026-W49',
      `nudge:${CHEN}:2026-W49`,
      'nudge:group:default/team-data:2026-W49',
    ].sort((a, b) => run.written.indexOf(a) - run.written.indexOf(b)));
    expect(run.skipped).toEqual([{ subject: EVE, reason: 'quiet_hours' }]); // 18:00 in Tokyo
    const report = await o.setup.deliver();
    expect(report).toMatchObject({ sent: 4, failed: [], uncertain: [] });
    expect(dmsTo('U0ANA')).toBe(1);
    expect(dmsTo('U0CHEN')).toBe(1);
    expect(o.slack.posted().filter((p) => p.channel === 'C0DATA')).toHaveLength(1);

    const chen = o.setup.ledger.get(`nudge:${CHEN}:2026-W49`)!;
    expect(chen.reply.fallback).toBe('2 checks fail on a service you own. First: search-api: Runbook linked. Fix: Add a runbook link to metadata.links.');
    const dm = o.slack.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'D0CHEN')!;
    const blocks = JSON.parse(String(dm.args['blocks'])) as Array<{ type: string; text?: { text: string }; elements?: Array<{ action_id?: string; value?: string }> }>;
    const texts = blocks.filter((b) => b.type === 'section').map((b) => b.text!.text);
    // Bronze before Silver; each check in two lines: what is wrong, and the fix with its link.
    expect(texts[1]).toContain('Readiness Bronze: Runbook linked');
    expect(texts[1]).toContain('Fix: Add a runbook link to metadata.links. <https://docs.acme.example/runbooks?service=search-api|Guide>');
    expect(texts[2]).toContain('Readiness Silver: On-call connected');
    // Every button carries the command a person could type, run for whoever clicks it.
    const buttons = blocks.flatMap((b) => b.elements ?? []).map((e) => [e.action_id, e.value]);
    expect(buttons).toContainEqual(['command:snooze', 'snooze component:default/search-api readiness/runbook 7']);
    expect(buttons).toContainEqual(['command:not-mine', 'not-mine component:default/search-api']);
    expect(buttons).toContainEqual(['command:optout', 'optout']);

    // Tuesday's run plans the same people again: the week's keys are taken, nothing new is sent.
    o.bot.advance(1);
    const tuesday = await o.setup.outreach.run('nudges', '2026-12-01T10:00');
    expect(tuesday.written).toEqual([]);
    await o.setup.deliver();
    expect(dmsTo('U0CHEN')).toBe(1);

    // A run of a claimed period does nothing at all.
    expect((await o.setup.outreach.run('nudges', '2026-12-01T10:00')).claimed).toBe(false);

    // Next Monday, after the 7-day cooldown, a new week's digest.
    o.bot.advance(6);
    const next = await o.setup.outreach.run('nudges', '2026-12-07T10:00');
    expect(next.written).toContain(`nudge:${CHEN}:2026-W50`);
  });

  it('honours opt-out, snooze and "not my service" set with the buttons, and the cooldown', async () => {
    o = await createOutreachBot();
    o.bot.push('checkout-api', { 'alerts.configured': false });
    // A click runs the button's command text through the router as the clicker.
    const first = await o.setup.outreach.planNudges();
    const click = async (subject: string, label: string, as: string) => {
      const value = buttonsOf(first.deliveries.find((d) => d.subject === subject)!.reply).find((b) => b.label === label)!.value;
      return o.bot.say(value, { as });
    };
    expect((await click(ANA, 'Opt out of nudges', 'ana.ruiz@acme.example')).reply.fallback).toBe('You will get no more nudges from Steward.\nYour services stay on the scorecards and the leaderboard. optin turns nudges back on.');
    const notMine = await click('user:default/ben.okafor', 'Not my service', 'ben.okafor@acme.example');
    expect(notMine.reply.fallback).toContain('checkout-api is not yours');
    expect((await click(CHEN, 'Snooze 7 days', 'chen.li@acme.example')).reply.fallback).toMatch(/^Snoozed Runbook linked on search-api for 7 days\.\nYou will not be nudged about it before .+\. It still counts on the scorecard\.$/);
    const plan = await o.setup.outreach.planNudges();
    const keys = plan.deliveries.map((d) => d.key);
    expect(keys).not.toContain(`nudge:${ANA}:2026-W49`);
    expect(plan.skipped).toContainEqual({ subject: ANA, reason: 'opted_out' });
    expect(plan.skipped).toContainEqual({ subject: 'user:default/ben.okafor', reason: 'nothing_failing' });
    const chenNudge = plan.deliveries.find((d) => d.subject === CHEN)!;
    expect(chenNudge.reply.fallback).toMatch(/^1 check fails on a service you own\. First: search-api: On-call connected/);
    expect(o.bot.steward.nudges.disowned()).toEqual([{ personRef: 'user:default/ben.okafor', entityRef: 'component:default/checkout-api', at: MONDAY_10_BERLIN }]);

    // A snooze ends: seven days on, the check is back (and the cooldown has passed).
    o.setup.outreach.record(plan.deliveries);
    await o.setup.deliver();
    o.bot.advance(3); // Thursday: cooldown holds
    expect((await o.setup.outreach.planNudges()).skipped).toContainEqual({ subject: CHEN, reason: 'cooldown' });
    o.bot.advance(4); // next Monday
    const later = await o.setup.outreach.planNudges();
    expect(later.deliveries.find((d) => d.subject === CHEN)!.reply.fallback).toMatch(/^2 checks fail/);
  });

  it('nudges the person in Tokyo in their working hours, not on their weekend', async () => {
    o = await createOutreachBot({ now: new Date('2026-11-30T01:00:00Z') }); // Monday 10:00 in Tokyo, 02:00 in Berlin
    const plan = await o.setup.outreach.planNudges();
    expect(plan.deliveries.map((d) => d.subject)).toContain(EVE);
    expect(plan.skipped).toContainEqual({ subject: CHEN, reason: 'quiet_hours' });
    o.bot.setNow(new Date('2026-11-29T01:00:00Z')); // Sunday 10:00 in Tokyo
    expect((await o.setup.outreach.planNudges()).skipped).toContainEqual({ subject: EVE, reason: 'not_working_day' });
  });

  it('does not nudge the person on call (when on-call data is there)', async () => {
    o = await createOutreachBot();
    const { results } = o.bot.steward.scoring.refresh({ trigger: 'score' });
    const platform = 'group:default/team-platform';
    const input = {
      now: MONDAY_10_BERLIN,
      period: '2026-11-30T10:00',
      week: '2026-W49',
      timeZone: 'Europe/Berlin',
      settings: o.config.outreach.nudges,
      platforms: ['slack'] as const,
      results: results.filter((r) => r.ownerRef === platform),
      owners: new Map([[platform, { ref: platform, name: 'Platform', people: [{ ref: CHEN, person: { name: 'Chen Li', email: 'chen.li@acme.example' }, timeZone: undefined }], channels: {} }]]),
      optedOut: new Set<string>(),
      snoozes: [],
      disowned: [],
      lastNudged: new Map(),
    };
    expect(planNudges({ ...input, onCall: undefined }).deliveries.map((d) => d.subject)).toEqual([CHEN]);
    expect(planNudges({ ...input, onCall: new Set(['chen.li@acme.example']) }).skipped).toEqual([{ subject: CHEN, reason: 'on_call' }]);
  });

  it('delivers every message exactly once through a 429 storm, honouring Retry-After', async () => {
    o = await createOutreachBot();
    o.bot.push('checkout-api', { 'alerts.configured': false });
    o.slack.rateLimit({ fraction: 0.6, retryAfter: 3, seed: 7 });
    await o.setup.outreach.run('nudges', '2026-11-30T10:00');
    const report = await o.setup.deliver({ maxWaitMs: 10 * 60_000 });
    expect(report.failed).toEqual([]);
    expect(report.sent).toBe(4);
    expect(report.retried).toBeGreaterThan(0);
    expect(o.waited.every((ms) => ms >= 1)).toBe(true);
    expect(o.waited).toContain(3000);
    const counts = new Map<string, number>();
    for (const p of o.slack.posted()) counts.set(p.channel, (counts.get(p.channel) ?? 0) + 1);
    expect([...counts.values()]).toEqual([1, 1, 1, 1]);
    expect(o.setup.ledger.counts()).toMatchObject({ sent: 4, planned: 0, sending: 0 });
  });

  it('records permanent errors without retrying, and retries a 5xx with backoff', async () => {
    o = await createOutreachBot();
    o.bot.push('checkout-api', { 'alerts.configured': false });
    await o.setup.outreach.run('nudges', '2026-11-30T10:00');
    o.slack.failNext('chat.postMessage', { kind: 'error', error: 'channel_not_found' });
    o.slack.failNext('chat.postMessage', { kind: 'http', status: 503 }, 2);
    const report = await o.setup.deliver({ concurrency: 1 });
    expect(report.failed).toHaveLength(1);
    // Claimed oldest first, then by key: the team channel's message goes first.
    expect(report.failed[0]!.error).toBe('channel_not_found: chat.postMessage to C0DATA: channel_not_found');
    expect(report.sent).toBe(3);
    // Two messages met a 503: each waits the first backoff step (1 s) while the others go ahead.
    expect(report.retried).toBe(2);
    expect(o.waited).toEqual([1000]);
    const failed = o.setup.ledger.list({ status: ['failed'] });
    expect(failed.map((f) => f.key)).toEqual(['nudge:group:default/team-data:2026-W49']);
    // Not retried on the next pass either.
    const again = await o.setup.deliver();
    expect(again.sent + again.retried + again.failed.length).toBe(0);
  });

  it('plans and logs in dry run, writing nothing to the ledger', async () => {
    o = await createOutreachBot({ outreach: { dryRun: true } });
    const run = await o.setup.outreach.run('nudges', '2026-11-30T10:00');
    expect(run).toMatchObject({ job: 'nudges:dry-run', claimed: true, dryRun: true, written: [] });
    expect(run.planned).toBeGreaterThan(0);
    expect(o.setup.ledger.list()).toEqual([]);
    expect(o.setup.runs.get('nudges:dry-run', '2026-11-30T10:00')?.status).toBe('done');
  });
});

/** The action buttons of a reply, in order. */
function buttonsOf(reply: Reply): Array<{ label: string; id: string; value: string }> {
  return reply.blocks.flatMap((b) => (b.kind === 'actions' ? b.actions : [])).flatMap((a) => (a.type === 'button' ? [{ label: a.label, id: a.id, value: a.value }] : []));
}
