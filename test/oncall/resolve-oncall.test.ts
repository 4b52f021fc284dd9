import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { OncallSource } from '../../src/core/oncall/index.js';
import { configuredRotations, oncallFacts, oncallTimeZone, resolveOncall } from '../../src/core/oncall/index.js';
import { InputError } from '../../src/core/errors.js';
import { createTestBot } from '../support/test-bot.js';
import { ONCALL_CATALOG } from './oncall-fixture.js';

const describeSource = (s: OncallSource): string =>
  s.type === 'rotation' ? `rotation of ${s.from.name} (${s.via})` : `${s.annotation}=${s.target.id} on ${s.from.name} (${s.via})`;

describe('which on-call source applies', () => {
  const bot = createTestBot({ catalog: ONCALL_CATALOG });
  afterAll(() => bot.close());
  const catalog = bot.steward.catalog;
  const resolve = (name: string, rotations?: Parameters<typeof configuredRotations>[0]) =>
    resolveOncall(catalog, catalog.lookup(name)[0]!, rotations ? { rotations: configuredRotations(rotations) } : {});

  it("takes the entity's own annotation first, then its system's", () => {
    expect(resolve('payments-api').sources.map(describeSource)).toEqual([
      'pagerduty.com/service-id=PPAY001 on payments-api (self)',
      'pagerduty.com/service-id=PMONEY9 on money (system)',
    ]);
    expect(resolve('ledger-service').sources.map(describeSource)).toEqual(['pagerduty.com/service-id=PMONEY9 on money (system)']);
  });

  it("then its owning team's annotations and rotation, as fallbacks in that order", () => {
    expect(resolve('checkout-web').sources.map(describeSource)).toEqual([
      'pagerduty.com/service-id=PCHK003 on checkout-web (self)',
      'pagerduty.com/escalation-policy-id=PCHKPOL on team-checkout (owner)',
      'rotation of team-checkout (owner)',
    ]);
    expect(resolve('cart-service').sources.map(describeSource)[0]).toBe('pagerduty.com/escalation-policy-id=PCHKPOL on team-checkout (owner)');
    expect(resolve('deploy-bot').sources.map(describeSource)).toEqual(['rotation of team-platform (owner)']);
  });

  it('answers for a team from its own declarations', () => {
    const r = resolve('team-warehouse');
    expect(r.team?.name).toBe('team-warehouse');
    expect(r.sources.map(describeSource)).toEqual(['opsgenie.com/team=warehouse-ops on team-warehouse (self)']);
  });

  it("prefers the config's rotation for a team over its spec.oncall", () => {
    const r = resolve('deploy-bot', {
      'team-platform': { rotation: { members: ['chen.li'], length: '1d', timezone: 'Asia/Tokyo', start: '2026-01-01' } },
    });
    expect(r.sources).toHaveLength(1);
    expect(r.sources[0]).toMatchObject({ type: 'rotation', rotation: { declaredIn: 'config', timeZone: 'Asia/Tokyo' } });
  });

  it('reports an invalid spec.oncall instead of using it', () => {
    const r = resolve('broken-rotation-job');
    expect(r.sources).toEqual([]);
    expect(r.problems).toEqual(['group:default/team-broken spec.oncall: rotation.start 2026-01-05 is a monday, but handoff.weekday is friday']);
  });

  it("shows times in the team's zone: its annotation, else its rotation's, else the default", () => {
    expect(oncallTimeZone(resolve('payments-api'), 'UTC')).toBe('Europe/Berlin');
    expect(oncallTimeZone(resolve('cart-service'), 'UTC')).toBe('America/New_York');
    expect(oncallTimeZone(resolve('quiet-job'), 'Asia/Tokyo')).toBe('Asia/Tokyo');
  });

  it('gives scorecards facts: whether there is an on-call, from which source and where declared', () => {
    expect(oncallFacts(resolve('payments-api'))).toEqual([
      { key: 'oncall.has_rotation', value: true, source: 'pagerduty' },
      { key: 'oncall.source', value: 'pagerduty', source: 'pagerduty' },
      { key: 'oncall.declared_on', value: 'self', source: 'pagerduty' },
    ]);
    expect(oncallFacts(resolve('deploy-bot'))[0]).toEqual({ key: 'oncall.has_rotation', value: true, source: 'rotation' });
    expect(oncallFacts(resolve('depot-service'))[1]).toEqual({ key: 'oncall.source', value: 'opsgenie', source: 'opsgenie' });
    expect(oncallFacts(resolve('quiet-job'))).toEqual([
      { key: 'oncall.has_rotation', value: false, source: 'catalog' },
      { key: 'oncall.source', value: 'none', source: 'catalog' },
    ]);
    const nobody = { provider: 'pagerduty', label: 'x', shifts: [] };
    expect(oncallFacts(resolve('payments-api'), nobody)[0]).toEqual({ key: 'oncall.has_rotation', value: false, source: 'pagerduty' });
    expect(bot.steward.oncall.facts(catalog.lookup('ledger-service')[0]!)[2]).toEqual({ key: 'oncall.declared_on', value: 'system', source: 'pagerduty' });
  });
});

describe('on-call configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-oncall-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('builds providers from the environment only when their secret is set', () => {
    expect(loadConfig({}).oncall).toMatchObject({ pagerduty: undefined, opsgenie: undefined, timeoutMs: 1_500, freshForMs: 60_000, rotations: {} });
    const config = loadConfig({ PAGERDUTY_TOKEN: 'pd-secret', OPSGENIE_API_KEY: 'og-secret', OPSGENIE_API_URL: 'https://api.eu.opsgenie.com' });
    expect(config.oncall.pagerduty).toEqual({ token: 'pd-secret', apiUrl: 'https://api.pagerduty.com', webUrl: undefined });
    expect(config.oncall.opsgenie).toEqual({ apiKey: 'og-secret', apiUrl: 'https://api.eu.opsgenie.com', webUrl: undefined });
  });

  it('reads deadlines, web links and rotations from the config file', () => {
    const path = file(
      'ok.yaml',
      [
        'oncall:',
        '  timeoutMs: 1200',
        '  freshSeconds: 30',
        '  pagerduty: { webUrl: "https://orbit.pagerduty.com" }',
        '  rotations:',
        '    team-sre-us:',
        '      rotation: { members: [frank.mol, gina.ross], length: 12h, handoff: { time: "08:00" }, timezone: America/New_York, start: "2026-03-01" }',
      ].join('\n'),
    );
    const config = loadConfig({ PAGERDUTY_TOKEN: 't' }, { config: path });
    expect(config.oncall).toMatchObject({ timeoutMs: 1_200, freshForMs: 30_000, pagerduty: { webUrl: 'https://orbit.pagerduty.com' } });
    expect([...configuredRotations(config.oncall.rotations).keys()]).toEqual(['group:default/team-sre-us']);
  });

  it('lists every problem with its path: bad URLs, bad zones, weekday against start', () => {
    const path = file(
      'bad.yaml',
      [
        'oncall:',
        '  timeoutMs: 5',
        '  rotations:',
        '    team-a:',
        '      rotation: { members: [a], length: 1w, handoff: { weekday: friday }, timezone: Mars/Olympus, start: "2026-01-05" }',
        '    team-b:',
        '      rotation: { members: [b], length: 1w, handoff: { weekday: friday }, timezone: UTC, start: "2026-01-05" }',
      ].join('\n'),
    );
    let error: unknown;
    try {
      loadConfig({ PAGERDUTY_API_URL: 'not a url' }, { config: path });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toContain('environment PAGERDUTY_API_URL: must be a URL such as https://api.pagerduty.com');
    expect(message).toContain(`${path}: oncall.timeoutMs:`);
    expect(message).toContain(`${path}: oncall.rotations.team-a.rotation.timezone: rotation.timezone is not a known IANA time zone`);
    expect(message).toContain(`${path}: oncall.rotations.team-b: rotation.start 2026-01-05 is a monday, but handoff.weekday is friday`);
  });
});
