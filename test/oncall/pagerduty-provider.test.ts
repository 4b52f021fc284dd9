import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OncallProviderError } from '../../src/core/oncall/index.js';
import { askProvider } from '../../src/core/oncall/index.js';
import { createPagerDutyProvider } from '../../src/infra/pagerduty/pagerduty-provider.js';
import type { FakePagerDuty } from '../support/fake-pagerduty.js';
import { FIXED_NOW, manualClock, startFixturePagerDuty } from './oncall-fixture.js';

const service = (id: string) => ({ provider: 'pagerduty', kind: 'service', id });
const at = FIXED_NOW;

describe('PagerDuty provider against a local PagerDuty', () => {
  let pd: FakePagerDuty;
  beforeAll(async () => {
    // Pages of two, so the three Payments levels (four entries) take three requests.
    pd = await startFixturePagerDuty({ maxLimit: 2 });
  });
  afterEach(() => pd.reset());
  afterAll(() => pd.close());

  const provider = (overrides: { token?: string } = {}) =>
    createPagerDutyProvider({ token: overrides.token ?? pd.token, baseUrl: pd.url, clock: manualClock() });
  const fails = async (target = service('PPAY001'), timeoutMs = 1_500): Promise<OncallProviderError> => {
    const result = await askProvider(provider(), target, { timeoutMs, at });
    if (result.ok) throw new Error('expected a failure');
    return result.error;
  };

  it('follows service → escalation policy → on-calls, with the token and version headers', async () => {
    const answer = await provider().lookup(service('PPAY001'), { signal: AbortSignal.timeout(5_000), at });
    expect(answer.label).toBe('Payments escalation policy');
    expect(answer.pageUrl).toBe('https://orbit.pagerduty.com/service-directory/PPAY001');
    expect(answer.shifts.map((s) => [s.level, s.person.name, s.person.email, s.until?.toISOString() ?? null, s.schedule])).toEqual([
      [1, 'Ana Ruiz', 'ana.ruiz@orbit.example', '2026-12-07T08:00:00.000Z', 'Payments primary'],
      [2, 'Ben Okafor', 'ben.okafor@orbit.example', '2026-12-07T08:00:00.000Z', 'Payments secondary'],
      // A direct user target: permanent, so no "until".
      [3, 'Gina Ross', 'gina.ross@orbit.example', null, undefined],
    ]);
    const [first, ...pages] = pd.requests;
    expect(first!.path).toBe('/services/PPAY001');
    expect(first!.headers.authorization).toBe(`Token token=${pd.token}`);
    expect(first!.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
    expect(pages.map((r) => [r.path, r.query.getAll('escalation_policy_ids[]'), r.query.getAll('include[]'), r.query.get('offset')])).toEqual([
      ['/oncalls', ['PPOL001'], ['users'], '0'],
      ['/oncalls', ['PPOL001'], ['users'], '2'],
    ]);
  });

  it('asks the on-calls directly for an escalation policy', async () => {
    const answer = await provider().lookup({ provider: 'pagerduty', kind: 'escalation_policy', id: 'PCHKPOL' }, { signal: AbortSignal.timeout(5_000), at });
    expect(answer.label).toBe('Checkout escalation policy');
    expect(answer.shifts.map((s) => s.person.name)).toEqual(['Frank Mol']);
    expect(answer.pageUrl).toBe('https://orbit.pagerduty.com/escalation_policies/PCHKPOL');
    expect(pd.requests.map((r) => r.path)).toEqual(['/oncalls']);
  });

  it('reads a 429 with Retry-After as rate-limited, with the wait', async () => {
    pd.fail('/services', { status: 429, headers: { 'retry-after': '30' } });
    const err = await fails();
    expect(err).toMatchObject({ reason: 'rate_limited', status: 429, retryAfterMs: 30_000 });
  });

  it("falls back to PagerDuty's ratelimit-reset header", async () => {
    pd.fail('/oncalls', { status: 429, headers: { 'ratelimit-limit': '960', 'ratelimit-remaining': '0', 'ratelimit-reset': '12' } });
    expect(await fails()).toMatchObject({ reason: 'rate_limited', retryAfterMs: 12_000 });
  });

  it('reads a 500 as unavailable, naming the status and the error message', async () => {
    pd.fail('/oncalls', { status: 500 });
    const err = await fails();
    expect(err).toMatchObject({ reason: 'unavailable', status: 500 });
    expect(err.message).toContain('Internal Error');
  });

  it('reads a body that is not JSON as invalid', async () => {
    pd.fail('/oncalls', { invalidJson: true });
    expect(await fails()).toMatchObject({ reason: 'invalid_response' });
  });

  it('reads JSON of the wrong shape as invalid', async () => {
    pd.fail('/services', { status: 200, body: JSON.stringify({ service: { id: 'PPAY001' } }) });
    const err = await fails();
    expect(err.reason).toBe('invalid_response');
    expect(err.message).toContain('service.escalation_policy');
  });

  it('reads an unknown service id as not found', async () => {
    expect(await fails(service('PNOPE00'))).toMatchObject({ reason: 'not_found', status: 404 });
  });

  it('reads a refused token as unauthorized', async () => {
    const result = await askProvider(provider({ token: 'wrong' }), service('PPAY001'), { timeoutMs: 1_500, at });
    expect(result).toMatchObject({ ok: false, error: { reason: 'unauthorized', status: 401 } });
  });

  it('gives up on an answer slower than the deadline', async () => {
    pd.fail('/oncalls', { delayMs: 1_000 });
    expect(await fails(service('PPAY001'), 200)).toMatchObject({ reason: 'timeout' });
  });

  it('gives up on a response that never comes', async () => {
    pd.fail('/services', { hang: true });
    expect(await fails(service('PPAY001'), 200)).toMatchObject({ reason: 'timeout' });
  });

  it('offers a page link for a service before it has answered, once it knows the account', async () => {
    const p = createPagerDutyProvider({ token: pd.token, baseUrl: pd.url, webUrl: 'https://orbit.pagerduty.com/' });
    expect(p.webLink?.(service('PX'))).toBe('https://orbit.pagerduty.com/service-directory/PX');
    const q = createPagerDutyProvider({ token: pd.token, baseUrl: pd.url });
    expect(q.webLink?.(service('PX'))).toBeUndefined();
    await q.lookup(service('PPAY001'), { signal: AbortSignal.timeout(5_000), at });
    expect(q.webLink?.(service('PX'))).toBe('https://orbit.pagerduty.com/service-directory/PX');
  });
});
