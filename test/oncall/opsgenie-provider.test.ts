import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OncallProviderError, OncallTarget } from '../../src/core/oncall/index.js';
import { askProvider } from '../../src/core/oncall/index.js';
import { createOpsgenieProvider } from '../../src/infra/opsgenie/opsgenie-provider.js';
import type { FakeOpsgenie } from '../support/fake-opsgenie.js';
import { FIXED_NOW, manualClock, startFixtureOpsgenie } from './oncall-fixture.js';

const team = (id: string): OncallTarget => ({ provider: 'opsgenie', kind: 'team', id });
const schedule = (id: string): OncallTarget => ({ provider: 'opsgenie', kind: 'schedule', id });
const at = FIXED_NOW;

describe('Opsgenie provider against a local Opsgenie', () => {
  let og: FakeOpsgenie;
  beforeAll(async () => {
    og = await startFixtureOpsgenie();
  });
  afterEach(() => og.reset());
  afterAll(() => og.close());

  const provider = (options: { apiKey?: string; timelineGraceMs?: number } = {}) =>
    createOpsgenieProvider({ apiKey: options.apiKey ?? og.apiKey, baseUrl: og.url, clock: manualClock(), timelineGraceMs: options.timelineGraceMs ?? 1_000 });
  const fails = async (target: OncallTarget, timeoutMs = 1_500): Promise<OncallProviderError> => {
    const result = await askProvider(provider(), target, { timeoutMs, at });
    if (result.ok) throw new Error('expected a failure');
    return result.error;
  };

  it("asks each of a team's enabled schedules, the default one first, and reads until from the timeline", async () => {
    const answer = await provider().lookup(team('warehouse-ops'), { signal: AbortSignal.timeout(5_000), at });
    expect(answer.label).toBe('warehouse-ops schedules');
    expect(answer.timeZone).toBe('Europe/Berlin');
    expect(answer.shifts.map((s) => [s.level, s.person.name, s.person.email, s.until?.toISOString() ?? null, s.schedule])).toEqual([
      [1, 'hana.sato@orbit.example', 'hana.sato@orbit.example', '2026-12-04T06:00:00.000Z', 'warehouse-ops_schedule'],
      [2, 'ivan.berg@orbit.example', 'ivan.berg@orbit.example', '2026-12-01T06:00:00.000Z', 'warehouse-ops_secondary'],
    ]);
    expect(og.requests.every((r) => r.headers.authorization === `GenieKey ${og.apiKey}`)).toBe(true);
    const onCalls = og.requests.filter((r) => r.path.endsWith('/on-calls'));
    expect(onCalls.map((r) => [r.path, r.query.get('scheduleIdentifierType'), r.query.get('flat'), r.query.get('date')])).toEqual(
      expect.arrayContaining([
        ['/v2/schedules/7b1c9a52-2222-4d3e-9a55-0000000000a2/on-calls', 'id', 'false', '2026-11-30T09:00:00.000Z'],
        ['/v2/schedules/7b1c9a52-1111-4d3e-9a55-0000000000a1/on-calls', 'id', 'false', '2026-11-30T09:00:00.000Z'],
      ]),
    );
    // The disabled schedule of the team is not asked.
    expect(og.requests.some((r) => r.path.includes('0000000000a4'))).toBe(false);
  });

  it('asks a schedule named in the annotation by name; a period that runs past the window has no until', async () => {
    const answer = await provider().lookup(schedule('warehouse-nights'), { signal: AbortSignal.timeout(5_000), at });
    expect(answer.label).toBe('warehouse-nights');
    expect(answer.shifts).toEqual([{ level: 1, person: { name: 'hana.sato@orbit.example', email: 'hana.sato@orbit.example' }, until: null, schedule: 'warehouse-nights' }]);
    const onCalls = og.requests.find((r) => r.path.endsWith('/on-calls'))!;
    expect(onCalls.path).toBe('/v2/schedules/warehouse-nights/on-calls');
    expect(onCalls.query.get('scheduleIdentifierType')).toBe('name');
    expect(og.requests.find((r) => r.path.endsWith('/timeline'))!.query.get('identifierType')).toBe('name');
  });

  it('finds the users inside nested escalation and team participants', async () => {
    og.schedules.push({
      id: 'nested-1',
      name: 'nested',
      team: 'nesting',
      shifts: [],
      participants: [
        { id: 'e1', name: 'payments_escalation', type: 'escalation', onCallParticipants: [{ id: 'u1', name: 'a@orbit.example', type: 'user' }] },
        { id: 't1', name: 'payments', type: 'team', onCallParticipants: [{ id: 'u2', name: 'b@orbit.example', type: 'user' }] },
      ],
    });
    try {
      const answer = await provider().lookup(team('nesting'), { signal: AbortSignal.timeout(5_000), at });
      expect(answer.shifts.map((s) => s.person.name)).toEqual(['a@orbit.example', 'b@orbit.example']);
    } finally {
      og.schedules.pop();
    }
  });

  it('still answers when the timeline fails or is slow, without until', async () => {
    og.fail('/v2/schedules/warehouse-nights/timeline', { status: 500 });
    const failed = await provider().lookup(schedule('warehouse-nights'), { signal: AbortSignal.timeout(5_000), at });
    expect(failed.shifts.map((s) => [s.person.name, s.until])).toEqual([['hana.sato@orbit.example', null]]);
    og.reset();
    og.fail('/v2/schedules/7b1c9a52-2222-4d3e-9a55-0000000000a2/timeline', { delayMs: 1_000 });
    const slow = await provider({ timelineGraceMs: 50 }).lookup(team('warehouse-ops'), { signal: AbortSignal.timeout(5_000), at });
    expect(slow.shifts.map((s) => [s.person.name, s.until?.toISOString() ?? null])).toEqual([
      ['hana.sato@orbit.example', null],
      ['ivan.berg@orbit.example', '2026-12-01T06:00:00.000Z'],
    ]);
  });

  it('reads a 429 with X-RateLimit-Period-In-Sec as rate-limited, with the wait', async () => {
    og.fail('/v2/schedules', { status: 429, headers: { 'x-ratelimit-state': 'THROTTLED', 'x-ratelimit-period-in-sec': '60' } });
    expect(await fails(team('warehouse-ops'))).toMatchObject({ reason: 'rate_limited', status: 429, retryAfterMs: 60_000 });
  });

  it('reads an unknown schedule, and a team that owns none, as not found', async () => {
    expect(await fails(schedule('no-such-schedule'))).toMatchObject({ reason: 'not_found', status: 404 });
    const err = await fails(team('nobody'));
    expect(err).toMatchObject({ reason: 'not_found' });
    expect(err.message).toBe('Opsgenie has no enabled schedule owned by team nobody');
  });

  it('reads a 500, a body that is not JSON, a refused key and a hang', async () => {
    og.fail('/v2/schedules', { status: 500, times: 1 });
    expect(await fails(team('warehouse-ops'))).toMatchObject({ reason: 'unavailable', status: 500 });
    og.fail('/v2/schedules/warehouse-nights/on-calls', { invalidJson: true, times: 1 });
    expect(await fails(schedule('warehouse-nights'))).toMatchObject({ reason: 'invalid_response' });
    const refused = await askProvider(provider({ apiKey: 'nope' }), schedule('warehouse-nights'), { timeoutMs: 1_500, at });
    expect(refused).toMatchObject({ ok: false, error: { reason: 'unauthorized', status: 401 } });
    og.fail('/v2/schedules/warehouse-nights/on-calls', { hang: true, times: 1 });
    expect(await fails(schedule('warehouse-nights'), 200)).toMatchObject({ reason: 'timeout' });
  });
});
