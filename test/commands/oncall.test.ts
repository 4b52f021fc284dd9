import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Block, Inline } from '../../src/core/message/index.js';
import type { FakeOpsgenie } from '../support/fake-opsgenie.js';
import type { FakePagerDuty } from '../support/fake-pagerduty.js';
import { startFakePagerDuty } from '../support/fake-pagerduty.js';
import { createTestBot } from '../support/test-bot.js';
import type { OncallBot } from '../oncall/oncall-fixture.js';
import { ONCALL_CATALOG, createOncallBot, manualClock, startFixtureOpsgenie, startFixturePagerDuty } from '../oncall/oncall-fixture.js';

const mentions = (blocks: readonly Block[]): Array<Record<string, unknown>> =>
  blocks
    .flatMap((b): Inline[] => (b.kind === 'fields' ? b.items.flatMap((i) => [...i.value]) : b.kind === 'text' || b.kind === 'context' ? [...b.spans] : []))
    .flatMap((s) => (typeof s !== 'string' && s.type === 'mention' ? [s.person as unknown as Record<string, unknown>] : []));
const buttons = (blocks: readonly Block[]) => blocks.flatMap((b) => (b.kind === 'actions' ? b.actions : []));

describe('/service oncall', () => {
  let pd: FakePagerDuty;
  let og: FakeOpsgenie;
  let bot: OncallBot;
  const clock = manualClock();
  beforeAll(async () => {
    pd = await startFixturePagerDuty();
    og = await startFixtureOpsgenie();
    bot = createOncallBot({
      pagerduty: pd,
      opsgenie: og,
      clock,
      timeoutMs: 1_000,
      rotations: {
        'team-sre-us': { rotation: { members: ['frank.mol', 'gina.ross'], length: '12h', handoff: { time: '08:00' }, timezone: 'America/New_York', start: '2026-03-01' } },
      },
    });
  });
  afterEach(() => pd.reset());
  afterAll(async () => {
    bot.close();
    await pd.close();
    await og.close();
  });

  it('names primary, secondary and escalation with until in the team zone, the source, page and runbook links and the channel', async () => {
    const out = await bot.say('/service oncall payments-api');
    expect(out.outcome).toBe('ok');
    expect(out.reply.fallback).toBe(
      'On call for payments-api (PagerDuty · Payments escalation policy): primary Ana Ruiz until Mon 7 Dec 09:00 CET, secondary Ben Okafor; escalation 3 Gina Ross.',
    );
    expect(out.text).toBe(
      [
        'On call: Payments API (payments-api)',
        'Primary: Ana Ruiz <ana.ruiz@orbit.example> until Mon 7 Dec 09:00 CET',
        'Secondary: Ben Okafor <ben.okafor@orbit.example> until Mon 7 Dec 09:00 CET',
        'Escalation 3: Gina Ross <gina.ross@orbit.example>',
        'Team: Payments',
        'Slack: #team-payments',
        '→ Page on PagerDuty: https://orbit.pagerduty.com/service-directory/PPAY001',
        '→ Runbook: https://runbooks.orbit.example/payments-api',
        'PagerDuty · Payments escalation policy, from pagerduty.com/service-id: PPAY001. Asked at 10:00 CET. Times in Europe/Berlin.',
      ].join('\n'),
    );
  });

  it("mentions people with their chat identity when the catalog knows it, matched by the provider's email", async () => {
    const out = await bot.say('oncall payments-api');
    expect(mentions(out.reply.blocks)).toEqual([
      { name: 'Ana Ruiz', email: 'ana.ruiz@orbit.example', slackId: 'U0ANA', teamsId: undefined },
      { name: 'Ben Okafor', email: 'ben.okafor@orbit.example', slackId: undefined, teamsId: '29:ben' },
      { name: 'Gina Ross', email: 'gina.ross@orbit.example', slackId: undefined, teamsId: undefined },
    ]);
  });

  it("uses the provider's name for people the catalog does not know", async () => {
    const out = await bot.say('oncall ledger-service');
    expect(out.reply.fallback).toBe('On call for ledger-service (PagerDuty · Money Movement escalation policy): primary Zoe Outside until Tue 1 Dec 01:00 CET.');
    expect(out.text).toContain('from pagerduty.com/service-id: PMONEY9 on its system money.');
    expect(mentions(out.reply.blocks)).toEqual([{ name: 'Zoe Outside', email: 'zoe@contractor.example' }]);
  });

  it('marks an answer from the cache with its time when PagerDuty does not answer', async () => {
    await bot.say('oncall checkout-web');
    clock.advance(5 * 60_000);
    pd.fail('/services', { hang: true });
    const out = await bot.say('oncall checkout-web');
    expect(out.outcome).toBe('ok');
    expect(out.reply.fallback).toBe(
      'On call for checkout-web (PagerDuty · Checkout escalation policy): primary Frank Mol until Tue 1 Dec 00:00 EST. As of Mon 30 Nov 04:00 EST: PagerDuty did not answer just now (timed out after 1 s).',
    );
    expect(out.reply.blocks[1]).toEqual({
      kind: 'text',
      spans: [{ type: 'strong', text: 'As of Mon 30 Nov 04:00 EST' }, ': PagerDuty did not answer just now (timed out after 1 s), so this is its last answer.'],
    });
    expect(out.text).toContain('Slack: #checkout');
    clock.set(new Date('2026-11-30T09:00:00Z'));
  });

  it("with nothing cached, says so plainly and falls back to the team's own rotation", async () => {
    pd.fail('/oncalls', { status: 500 });
    const out = await bot.say('oncall cart-service');
    expect(out.outcome).toBe('ok');
    expect(out.text).toBe(
      [
        'On call: cart-service',
        "PagerDuty did not answer (HTTP 500) and I have no earlier answer. The team's own rotation says:",
        'Primary: Frank Mol <frank.mol@orbit.example> until Mon 30 Nov 10:00 EST',
        'Secondary: Gina Ross <gina.ross@orbit.example> until Mon 30 Nov 10:00 EST',
        'Team: Checkout',
        'Slack: #checkout',
        'Teams: Checkout / General',
        '→ Page on PagerDuty: https://orbit.pagerduty.com/escalation_policies/PCHKPOL',
        'Steward rotation · team-checkout rotation, from the rotation in spec.oncall of team-checkout. 1w shifts, handoffs in America/New_York. Times in America/New_York.',
      ].join('\n'),
    );
  });

  it('with nothing cached and no rotation, gives the channel and the links to page by hand', async () => {
    bot.steward.db.prepare('DELETE FROM oncall_answers').run(); // forget what earlier questions cached
    pd.fail('/oncalls', { invalidJson: true });
    const out = await bot.say('oncall ledger-service');
    expect(out.outcome).toBe('ok');
    expect(out.reply.fallback).toBe(
      'PagerDuty did not answer (its reply could not be read) and I have no earlier answer for ledger-service. Page through PagerDuty directly or ask in #team-payments.',
    );
    expect(buttons(out.reply.blocks)).toEqual([{ type: 'url', label: 'Page on PagerDuty', url: 'https://orbit.pagerduty.com/service-directory/PMONEY9' }]);
  });

  it('says what to fix when PagerDuty does not know the id', async () => {
    const out = await bot.say('oncall ghost-pager');
    expect(out.outcome).toBe('ok');
    expect(out.reply.fallback).toMatch(/^PagerDuty does not know the id in the annotation \(HTTP 404\) and I have no earlier answer for ghost-pager\./);
    expect(out.text).toContain('Check pagerduty.com/service-id: PNOPE00 on ghost-pager.');
  });

  it('answers from Opsgenie, one level per schedule, with until from the timeline', async () => {
    const out = await bot.say('oncall depot-service');
    expect(out.reply.fallback).toBe(
      'On call for depot-service (Opsgenie · warehouse-ops schedules): primary Hana Sato until Fri 4 Dec 07:00 CET, secondary ivan.berg.',
    );
    expect(out.text).toContain('Secondary: ivan.berg <ivan.berg@orbit.example> until Tue 1 Dec 07:00 CET');
    expect(buttons(out.reply.blocks)).toEqual([]);
  });

  it("answers from a team's native rotation in the catalog, overrides included", async () => {
    const out = await bot.say('oncall deploy-bot');
    expect(out.reply.fallback).toBe('On call for deploy-bot (Steward rotation · team-platform rotation): primary Eve Ng until Wed 2 Dec 17:00 CET, secondary Chen Li.');
    clock.set(new Date('2026-12-02T18:00:00Z'));
    const covered = await bot.say('oncall deploy-bot');
    expect(covered.reply.fallback).toBe('On call for deploy-bot (Steward rotation · team-platform rotation): primary Dana Kim until Thu 3 Dec 09:00 CET, secondary Chen Li.');
    clock.set(new Date('2026-11-30T09:00:00Z'));
  });

  it('answers from a rotation declared in the config', async () => {
    const out = await bot.say('oncall us-gateway');
    expect(out.reply.fallback).toBe('On call for us-gateway (Steward rotation · team-sre-us rotation): primary Gina Ross until Mon 30 Nov 08:00 EST, secondary Frank Mol.');
    expect(out.text).toContain('from the rotation of team-sre-us in the config (oncall.rotations).');
  });

  it('answers for a team by name or title', async () => {
    for (const q of ['team-platform', 'Platform']) {
      const out = await bot.say(`oncall ${q}`);
      expect(out.reply.fallback, q).toMatch(/^On call for team-platform \(Steward rotation · team-platform rotation\): primary Eve Ng/);
      expect(out.reply.blocks[0]).toEqual({ kind: 'heading', text: 'On call: Platform (team-platform)' });
    }
  });

  it("shows the team's channel for the platform asking", async () => {
    const teams = await bot.say('oncall cart-service', { platform: 'teams' });
    expect(teams.text).toContain('Teams: Checkout / General');
    expect(teams.text).not.toContain('Slack: #checkout');
    const slack = await bot.say('oncall cart-service', { platform: 'slack' });
    expect(slack.text).toContain('Slack: #checkout');
    expect(slack.text).not.toContain('Teams:');
  });

  it('says plainly when nothing declares an on-call, and how to declare one', async () => {
    const out = await bot.say('oncall quiet-job');
    expect(out.outcome).toBe('ok');
    expect(out.reply.fallback).toBe('No on-call is declared for quiet-job. Ask in #quiet.');
    expect(out.text).toContain("Add a pagerduty.com/service-id or opsgenie.com/team annotation to it, its system or its team, or declare a rotation in the team's spec.oncall.");
  });

  it("shows why a team's rotation was ignored", async () => {
    const out = await bot.say('oncall broken-rotation-job');
    expect(out.text).toContain('Ignored: group:default/team-broken spec.oncall: rotation.start 2026-01-05 is a monday, but handoff.weekday is friday');
  });

  it('suggests near names and asks for a target', async () => {
    const typo = await bot.say('oncall paymnets-api');
    expect(typo).toMatchObject({ outcome: 'user_error', errorCode: 'not_found' });
    expect(typo.text).toBe('I don\'t know a service or team called "paymnets-api".\nDid you mean "payments-api"?');
    const none = await bot.say('oncall');
    expect(none.reply.fallback).toBe('Missing <target>. Usage: oncall <service|team>');
  });

  it('is listed in help, and answers to on-call too', async () => {
    expect((await bot.say('help')).text).toContain('oncall <service|team>');
    expect((await bot.say('on-call deploy-bot')).reply.fallback).toMatch(/^On call for deploy-bot/);
  });

  it('never turns a provider failure into an internal error', async () => {
    for (const fault of [{ status: 500 }, { status: 429, headers: { 'retry-after': '1' } }, { invalidJson: true }, { status: 200, body: '{"oncalls": 3}' }, { hang: true }]) {
      pd.reset();
      pd.fail('/oncalls', fault);
      clock.advance(61_000);
      const out = await bot.say('oncall cart-service');
      expect(out.outcome, JSON.stringify(fault)).toBe('ok');
    }
    expect(bot.logs.filter((l) => l.level === 'error')).toEqual([]);
    clock.set(new Date('2026-11-30T09:00:00Z'));
  });
});

describe('/service oncall with a crowded escalation policy', () => {
  it('shows at most six levels and five people a level, and says how many more', async () => {
    const people = Array.from({ length: 8 }, (_, i) => ({ id: `PU${i}`, name: `Person ${i}`, email: `p${i}@orbit.example` }));
    const pd = await startFakePagerDuty({
      services: [{ id: 'PNOPE00', name: 'Ghost', policyId: 'PBIG' }],
      policies: { PBIG: 'Everyone' },
      oncalls: [
        ...people.map((user) => ({ user, policyId: 'PBIG', level: 1, start: null, end: null })),
        ...[2, 3, 4, 5, 6, 7, 8].map((level) => ({ user: people[level - 1]!, policyId: 'PBIG', level, start: null, end: null })),
      ],
    });
    const bot = createOncallBot({ pagerduty: pd });
    try {
      const out = await bot.say('oncall ghost-pager');
      expect(out.text).toContain('Primary: Person 0 <p0@orbit.example>, Person 1 <p1@orbit.example>, Person 2 <p2@orbit.example>, Person 3 <p3@orbit.example>, Person 4 <p4@orbit.example>, and 3 more');
      expect(out.text).toContain('Escalation 6:');
      expect(out.text).not.toContain('Escalation 7:');
    } finally {
      bot.close();
      await pd.close();
    }
  });
});

describe('/service oncall without provider credentials', () => {
  const bot = createTestBot({ catalog: ONCALL_CATALOG });
  afterAll(() => bot.close());

  it('says which setting is missing, and still gives the channel and runbook', async () => {
    const out = await bot.say('oncall payments-api');
    expect(out.reply.fallback).toBe("payments-api is on PagerDuty, but Steward has no PAGERDUTY_TOKEN set, so I can't ask it. Ask in #team-payments.");
    expect(out.text).toContain('Runbook: https://runbooks.orbit.example/payments-api');
  });

  it('still answers native rotations', async () => {
    const out = await bot.say('oncall deploy-bot');
    expect(out.reply.fallback).toMatch(/^On call for deploy-bot \(Steward rotation · team-platform rotation\): primary Eve Ng/);
  });

  it("answers from the team's rotation when its PagerDuty cannot be asked, and says so", async () => {
    const out = await bot.say('oncall checkout-web');
    expect(out.reply.fallback).toBe('On call for checkout-web (Steward rotation · team-checkout rotation): primary Frank Mol until Mon 30 Nov 10:00 EST, secondary Gina Ross.');
    expect(out.text).toContain('PagerDuty is declared too (pagerduty.com/service-id: PCHK003), but Steward has no PAGERDUTY_TOKEN set.');
  });
});
