import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outcome } from '../../src/core/commands/index.js';
import { toPlainText } from '../../src/core/message/index.js';
import type { OncallConfig, RotationDeclaration } from '../../src/core/oncall/index.js';
import type { Clock } from '../../src/core/ports.js';
import { importCatalog } from '../../src/import-catalog.js';
import { createSteward } from '../../src/app/create-steward.js';
import type { Steward } from '../../src/app/create-steward.js';
import type { FakeOpsgenie } from '../support/fake-opsgenie.js';
import { startFakeOpsgenie } from '../support/fake-opsgenie.js';
import type { FakePagerDuty } from '../support/fake-pagerduty.js';
import { startFakePagerDuty } from '../support/fake-pagerduty.js';
import type { LogRecord } from '../support/memory-logger.js';
import { memoryLogger } from '../support/memory-logger.js';
import { FIXED_NOW, FIXTURES } from '../support/test-bot.js';

/** The on-call fixture org (test/fixtures/catalog/oncall.yaml) and provider data that matches it. */
export const ONCALL_CATALOG = join(FIXTURES, 'catalog', 'oncall.yaml');

/** FIXED_NOW is Monday 30 November 2026, 09:00 UTC (10:00 in Berlin, 04:00 in New York). */
export { FIXED_NOW };

const users = {
  ana: { id: 'PUANA01', name: 'Ana Ruiz', email: 'ana.ruiz@orbit.example' },
  ben: { id: 'PUBEN02', name: 'Ben Okafor', email: 'ben.okafor@orbit.example' },
  gina: { id: 'PUGIN03', name: 'Gina Ross', email: 'gina.ross@orbit.example' },
  zoe: { id: 'PUZOE04', name: 'Zoe Outside', email: 'zoe@contractor.example' },
  frank: { id: 'PUFRA05', name: 'Frank Mol', email: 'frank.mol@orbit.example' },
} as const;

/** A fake PagerDuty with the fixture's services: Payments (3 levels), Money Movement, Checkout. */
export function startFixturePagerDuty(options: { maxLimit?: number } = {}): Promise<FakePagerDuty> {
  return startFakePagerDuty({
    subdomain: 'orbit',
    ...(options.maxLimit ? { maxLimit: options.maxLimit } : {}),
    services: [
      { id: 'PPAY001', name: 'Payments API', policyId: 'PPOL001' },
      { id: 'PMONEY9', name: 'Money Movement', policyId: 'PPOL009' },
      { id: 'PCHK003', name: 'Checkout Web', policyId: 'PCHKPOL' },
    ],
    policies: { PPOL001: 'Payments', PPOL009: 'Money Movement', PCHKPOL: 'Checkout' },
    oncalls: [
      // Ana is primary through two schedules: she is on call until the later end.
      { user: users.ana, policyId: 'PPOL001', level: 1, schedule: { id: 'PSCH001', name: 'Payments primary' }, start: '2026-11-23T08:00:00Z', end: '2026-12-07T08:00:00Z' },
      { user: users.ana, policyId: 'PPOL001', level: 1, schedule: { id: 'PSCH009', name: 'Payments weekday' }, start: '2026-11-30T08:00:00Z', end: '2026-11-30T17:00:00Z' },
      { user: users.ben, policyId: 'PPOL001', level: 2, schedule: { id: 'PSCH002', name: 'Payments secondary' }, start: '2026-11-23T08:00:00Z', end: '2026-12-07T08:00:00Z' },
      // A direct user target: permanent, no schedule, no start or end.
      { user: users.gina, policyId: 'PPOL001', level: 3, schedule: null, start: null, end: null },
      { user: users.zoe, policyId: 'PPOL009', level: 1, schedule: { id: 'PSCH010', name: 'Money' }, start: '2026-11-29T00:00:00Z', end: '2026-12-01T00:00:00Z' },
      { user: users.frank, policyId: 'PCHKPOL', level: 1, schedule: { id: 'PSCH020', name: 'Checkout' }, start: '2026-11-30T05:00:00Z', end: '2026-12-01T05:00:00Z' },
    ],
  });
}

/** A fake Opsgenie with warehouse-ops's two schedules and the night-shift schedule label-service names. */
export function startFixtureOpsgenie(): Promise<FakeOpsgenie> {
  return startFakeOpsgenie({
    schedules: [
      {
        id: '7b1c9a52-1111-4d3e-9a55-0000000000a1',
        name: 'warehouse-ops_secondary',
        team: 'warehouse-ops',
        shifts: [{ username: 'ivan.berg@orbit.example', from: '2026-11-30T06:00:00Z', to: '2026-12-01T06:00:00Z' }],
      },
      {
        id: '7b1c9a52-2222-4d3e-9a55-0000000000a2',
        name: 'warehouse-ops_schedule',
        team: 'warehouse-ops',
        shifts: [
          { username: 'hana.sato@orbit.example', from: '2026-11-27T06:00:00Z', to: '2026-12-04T06:00:00Z' },
          { username: 'ivan.berg@orbit.example', from: '2026-12-04T06:00:00Z', to: '2026-12-11T06:00:00Z' },
        ],
      },
      {
        id: '7b1c9a52-3333-4d3e-9a55-0000000000a3',
        name: 'warehouse-nights',
        team: 'night-shift',
        shifts: [{ username: 'hana.sato@orbit.example', from: '2026-11-29T20:00:00Z', to: '2026-12-31T20:00:00Z' }],
      },
      { id: '7b1c9a52-4444-4d3e-9a55-0000000000a4', name: 'warehouse-ops_old', team: 'warehouse-ops', enabled: false, shifts: [] },
    ],
  });
}

/** A clock a test moves by hand: "fixed", but not frozen for the whole test. */
export function manualClock(start: Date = FIXED_NOW): Clock & { set(d: Date): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (d) => {
      now = d;
    },
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

export interface OncallBotOptions {
  readonly pagerduty?: FakePagerDuty | undefined;
  readonly opsgenie?: FakeOpsgenie | undefined;
  readonly rotations?: Record<string, RotationDeclaration>;
  readonly clock?: Clock;
  readonly timeoutMs?: number;
  readonly freshForMs?: number;
  readonly timeZone?: string;
  /** Another database file, e.g. to see that the cache survives a restart. */
  readonly dir?: string;
}

export interface OncallBot {
  readonly steward: Steward;
  readonly logs: LogRecord[];
  readonly dir: string;
  say(text: string, options?: { as?: string; platform?: 'slack' | 'teams' | 'shell' }): Promise<Outcome & { text: string }>;
  close(options?: { keepFiles?: boolean }): void;
}

/**
 * The test bot's recipe (temp-file SQLite with every migration, the fixture catalog, a fixed
 * clock) with on-call providers pointed at the local fakes. test/support/test-bot.ts takes no
 * on-call settings yet, so the on-call tests build their bot here through the same `createSteward`.
 */
export function createOncallBot(options: OncallBotOptions = {}): OncallBot {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'steward-oncall-'));
  const { logger, logs } = memoryLogger();
  const clock = options.clock ?? { now: () => FIXED_NOW };
  const config: OncallConfig = {
    pagerduty: options.pagerduty ? { token: options.pagerduty.token, apiUrl: options.pagerduty.url, webUrl: undefined } : undefined,
    opsgenie: options.opsgenie ? { apiKey: options.opsgenie.apiKey, apiUrl: options.opsgenie.url, webUrl: undefined } : undefined,
    rotations: options.rotations ?? {},
    timeoutMs: options.timeoutMs ?? 1_500,
    freshForMs: options.freshForMs ?? 60_000,
  };
  let refs = 0;
  const steward = createSteward({
    db: join(dir, 'steward.db'),
    logger,
    clock,
    referenceId: () => `ref${String(++refs).padStart(3, '0')}`,
    oncall: { config, timeZone: options.timeZone ?? 'UTC' },
  });
  const imported = importCatalog(steward.catalog, [ONCALL_CATALOG], { now: FIXED_NOW });
  if (imported.errors.length > 0) throw new Error(`fixture catalog: ${imported.errors.map((e) => e.message).join('; ')}`);
  return {
    steward,
    logs,
    dir,
    async say(text, sayOptions = {}) {
      const email = sayOptions.as;
      const person = email ? steward.catalog.personByEmail(email) : undefined;
      const outcome = await steward.router.dispatch({
        platform: sayOptions.platform ?? 'shell',
        actor: { id: email ?? 'tester', email, person },
        text,
        receivedAt: clock.now(),
      });
      return { ...outcome, text: toPlainText(outcome.reply) };
    },
    close(closeOptions = {}) {
      steward.close();
      if (!closeOptions.keepFiles) rmSync(dir, { recursive: true, force: true });
    },
  };
}
