import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Entity } from '../../src/core/catalog/index.js';
import type { FakeOpsgenie } from '../support/fake-opsgenie.js';
import type { FakePagerDuty } from '../support/fake-pagerduty.js';
import type { OncallBot } from './oncall-fixture.js';
import { FIXED_NOW, createOncallBot, manualClock, startFixtureOpsgenie, startFixturePagerDuty } from './oncall-fixture.js';

/**
 * The user path and the background refresh over real SQLite (every migration) and local
 * providers: fresh cache, stale-but-marked answers, Retry-After, coalescing, restarts.
 */
describe('on-call service: cache, failures and refresh', () => {
  let pd: FakePagerDuty;
  let og: FakeOpsgenie;
  const bots: OncallBot[] = [];
  beforeAll(async () => {
    pd = await startFixturePagerDuty();
    og = await startFixtureOpsgenie();
  });
  afterEach(() => {
    for (const b of bots.splice(0)) b.close();
    pd.reset();
    og.reset();
  });
  afterAll(async () => {
    await pd.close();
    await og.close();
  });

  const start = (options: Parameters<typeof createOncallBot>[0] = {}) => {
    const clock = manualClock();
    // A deadline generous enough that a loaded machine never turns a good answer into a
    // timeout; the hanging cases wait it out.
    const bot = createOncallBot({ pagerduty: pd, opsgenie: og, clock, timeoutMs: 1_000, ...options });
    bots.push(bot);
    const entity = (name: string): Entity => bot.steward.catalog.lookup(name)[0]!;
    return { bot, clock, entity, oncall: bot.steward.oncall };
  };
  const servicesAsked = () => pd.requests.filter((r) => r.path.startsWith('/services/')).length;

  it('asks once, then answers from the cache for a minute without asking', async () => {
    const { oncall, entity, clock } = start();
    const first = await oncall.lookup(entity('payments-api'));
    expect(first).toMatchObject({ status: 'live', asOf: FIXED_NOW, timeZone: 'Europe/Berlin' });
    expect(servicesAsked()).toBe(1);
    clock.advance(59_000);
    const second = await oncall.lookup(entity('payments-api'));
    expect(second).toMatchObject({ status: 'cached', asOf: FIXED_NOW });
    expect(second.answer).toEqual(first.answer);
    expect(servicesAsked()).toBe(1);
    clock.advance(1_000);
    expect((await oncall.lookup(entity('payments-api'))).status).toBe('live');
    expect(servicesAsked()).toBe(2);
  });

  it('serves the last good answer, marked with its time, when the provider hangs', async () => {
    const { oncall, entity, clock, bot } = start();
    await oncall.lookup(entity('payments-api'));
    clock.advance(10 * 60_000);
    pd.fail('/services', { hang: true });
    const found = await oncall.lookup(entity('payments-api'));
    expect(found.status).toBe('stale');
    expect(found.asOf).toEqual(FIXED_NOW);
    expect(found.failure).toMatchObject({ provider: 'pagerduty', verb: 'did not answer', detail: 'timed out after 1 s' });
    expect(found.answer!.shifts[0]!.person.name).toBe('Ana Ruiz');
    expect(bot.logs.find((l) => l.message === 'on-call provider did not answer')?.fields).toMatchObject({ reason: 'timeout', served: 'stale' });
  });

  it('serves the last good answer on a 500 and on invalid JSON, and keeps it', async () => {
    const { oncall, entity, clock } = start();
    await oncall.lookup(entity('payments-api'));
    for (const fault of [{ status: 500 }, { invalidJson: true }] as const) {
      clock.advance(120_000);
      pd.reset();
      pd.fail('/oncalls', fault);
      const found = await oncall.lookup(entity('payments-api'));
      expect(found).toMatchObject({ status: 'stale', asOf: FIXED_NOW });
    }
  });

  it('on a 429, serves the cache and does not ask again before Retry-After', async () => {
    const { oncall, entity, clock } = start();
    await oncall.lookup(entity('payments-api'));
    clock.advance(120_000);
    pd.fail('/services', { status: 429, headers: { 'retry-after': '300' }, times: 1 });
    const limited = await oncall.lookup(entity('payments-api'));
    expect(limited).toMatchObject({ status: 'stale', failure: { detail: 'rate-limited' } });
    expect(limited.failure!.retryAt).toEqual(new Date(clock.now().getTime() + 300_000));
    const asked = pd.requests.length;

    clock.advance(120_000);
    const waiting = await oncall.lookup(entity('payments-api'));
    expect(waiting).toMatchObject({ status: 'stale', failure: { error: { reason: 'rate_limited' } } });
    expect(pd.requests.length).toBe(asked);

    clock.advance(181_000);
    expect((await oncall.lookup(entity('payments-api'))).status).toBe('live');
  });

  it('with nothing cached, says the provider did not answer and offers the native rotation', async () => {
    const { oncall, entity } = start();
    pd.fail('/services', { status: 500 });
    const checkout = await oncall.lookup(entity('checkout-web'));
    expect(checkout.status).toBe('unavailable');
    expect(checkout.fallback?.source.type).toBe('rotation');
    expect(checkout.fallback?.answer.shifts.map((s) => s.person.ref)).toEqual(['user:default/frank.mol', 'user:default/gina.ross']);
    const payments = await oncall.lookup(entity('payments-api'));
    expect(payments).toMatchObject({ status: 'unavailable', fallback: undefined, answer: undefined });
  });

  it('shares one request among people asking at once', async () => {
    const { oncall, entity } = start();
    pd.fail('/services', { delayMs: 50 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => oncall.lookup(entity('payments-api'))));
    expect(answers.every((a) => a.status === 'live')).toBe(true);
    expect(servicesAsked()).toBe(1);
  });

  it('keeps the cache across a restart', async () => {
    const { bot, oncall, entity } = start();
    await oncall.lookup(entity('payments-api'));
    bot.close({ keepFiles: true });
    bots.splice(bots.indexOf(bot), 1);
    pd.fail('/services', { status: 503 });
    const clock = manualClock(new Date(FIXED_NOW.getTime() + 3_600_000));
    const again = createOncallBot({ pagerduty: pd, clock, timeoutMs: 1_000, dir: bot.dir });
    bots.push(again);
    const found = await again.steward.oncall.lookup(again.steward.catalog.lookup('payments-api')[0]!);
    expect(found).toMatchObject({ status: 'stale', asOf: FIXED_NOW, failure: { detail: 'HTTP 503' } });
  });

  it('ignores a cached row it cannot read rather than serve something wrong', async () => {
    const { bot, oncall, entity, clock } = start();
    await oncall.lookup(entity('payments-api'));
    bot.steward.db.prepare("UPDATE oncall_answers SET answer = '{\"shifts\": 3}'").run();
    clock.advance(120_000);
    pd.fail('/services', { status: 500 });
    expect((await oncall.lookup(entity('payments-api'))).status).toBe('unavailable');
  });

  it('answers native rotations without any provider, and says when a provider is not configured', async () => {
    const { oncall, entity } = start({ pagerduty: undefined, opsgenie: undefined });
    expect(await oncall.lookup(entity('deploy-bot'))).toMatchObject({ status: 'live', source: { type: 'rotation' } });
    const payments = await oncall.lookup(entity('payments-api'));
    expect(payments.status).toBe('unconfigured');
    expect(payments.skipped.map((s) => s.setting)).toEqual(['PAGERDUTY_TOKEN', 'PAGERDUTY_TOKEN']);
    // checkout-web is on PagerDuty, but its team also declares a rotation: that answers.
    const checkout = await oncall.lookup(entity('checkout-web'));
    expect(checkout).toMatchObject({ status: 'live', source: { type: 'rotation' } });
    expect(checkout.skipped).toHaveLength(2);
    expect((await oncall.lookup(entity('quiet-job'))).status).toBe('none');
  });

  describe('background refresh', () => {
    it('refreshes answers older than a minute and leaves fresh ones alone', async () => {
      const { oncall, entity, clock } = start();
      await oncall.lookup(entity('payments-api'));
      await oncall.lookup(entity('depot-service'));
      const before = pd.requests.length + og.requests.length;
      expect((await oncall.refresh()).refreshed).toEqual([]);
      expect(pd.requests.length + og.requests.length).toBe(before);
      clock.advance(61_000);
      const report = await oncall.refresh();
      expect([...report.refreshed].sort()).toEqual(['opsgenie:team:warehouse-ops', 'pagerduty:service:PPAY001']);
      expect(report).toMatchObject({ failed: [], deferred: [], nextAttemptAt: undefined });
      clock.advance(30_000);
      expect((await oncall.lookup(entity('payments-api'))).status).toBe('cached');
    });

    it('warms targets it is given, and reports failures without throwing', async () => {
      const { oncall, entity } = start();
      const report = await oncall.refresh({
        targets: [
          { provider: 'pagerduty', kind: 'service', id: 'PMONEY9' },
          { provider: 'pagerduty', kind: 'service', id: 'PNOPE00' },
          { provider: 'nobody', kind: 'service', id: 'X' },
        ],
      });
      expect(report.refreshed).toEqual(['pagerduty:service:PMONEY9']);
      expect(report.failed).toEqual([{ key: 'pagerduty:service:PNOPE00', reason: 'not_found' }]);
      expect((await oncall.lookup(entity('ledger-service'))).status).toBe('cached');
    });

    it('honours Retry-After: stops at a 429, skips the provider until then, and says when to come back', async () => {
      const { oncall, entity, clock } = start();
      await oncall.lookup(entity('payments-api'));
      await oncall.lookup(entity('ledger-service'));
      await oncall.lookup(entity('checkout-web'));
      clock.advance(61_000);
      pd.reset();
      pd.fail('/services', { status: 429, headers: { 'retry-after': '120' } });
      const first = await oncall.refresh();
      expect(first.refreshed).toEqual([]);
      expect(first.deferred).toEqual([{ provider: 'pagerduty', until: new Date(clock.now().getTime() + 120_000), targets: 3 }]);
      expect(first.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 120_000));
      expect(pd.requests).toHaveLength(1);

      clock.advance(60_000);
      const second = await oncall.refresh();
      expect(second.deferred[0]).toMatchObject({ provider: 'pagerduty', targets: 3 });
      expect(pd.requests).toHaveLength(1);

      pd.reset();
      clock.advance(60_000);
      const third = await oncall.refresh();
      expect(third.refreshed).toHaveLength(3);
      expect(third.deferred).toEqual([]);
    });
  });
});
