import { describe, expect, it } from 'vitest';
import type { Entity } from '../../src/core/catalog/index.js';
import type { CompiledScorecard, Exemption, Fact, FactValue, ServiceSnapshot } from '../../src/core/scoring/index.js';
import { compileScorecard, evaluateScorecard, isExemptionActive, isoWeek, isoWeekEnd, isoWeekStart } from '../../src/core/scoring/index.js';
import { entity, scorecardFor } from './support/engine.js';

const NOW = new Date('2026-11-30T09:00:00Z');

/** bronze: owner (3) + runbook (1); silver: alerts (2); gold: load test (2). Total weight 8. */
const CARD = {
  id: 'readiness',
  title: 'Readiness',
  checks: [
    { id: 'owner', title: 'Owner', level: 'bronze', weight: 3, rule: { kind: 'field', path: 'spec.owner' }, fix: { link: 'https://docs.example/owner', how: 'Set spec.owner.' } },
    { id: 'runbook', title: 'Runbook', level: 'bronze', weight: 1, rule: { kind: 'link', type: 'runbook' }, fix: { link: 'runbooks/{service}', how: 'Link a runbook.' } },
    { id: 'alerts', title: 'Alerts', level: 'silver', weight: 2, rule: { kind: 'fact-compare', fact: 'alerts.configured', op: '==', value: true }, fix: { how: 'Configure alerts.' } },
    { id: 'load-test', title: 'Load test', level: 'gold', weight: 2, rule: { kind: 'fact-age', fact: 'loadtest.last_run', maxDays: 90 }, fix: { link: 'https://github.com/{repo}/actions', how: 'Run one.' } },
  ],
};

const card = (raw: unknown = CARD, options: Parameters<typeof compileScorecard>[1] = { fixLinkBaseUrl: 'https://handbook.example/eng' }): CompiledScorecard =>
  compileScorecard(scorecardFor(raw), options);

const fact = (key: string, value: FactValue): Fact => ({ key, value, source: 'ci', observedAt: new Date('2026-11-29T00:00:00Z') });
const good = entity({ spec: { owner: 'team-payments' }, metadata: { links: [{ url: 'https://wiki.example/rb', type: 'runbook' }] } });

function snapshot(e: Entity, facts: Fact[] = [], exemptions: Exemption[] = [], now = NOW): ServiceSnapshot {
  return { entity: e, ownerRef: 'group:default/team-payments', facts: new Map(facts.map((f) => [f.key, f])), exemptions, now };
}

const exemption = (checkId: string, until: string, scorecardId = 'readiness'): Exemption => ({
  id: 1,
  entityRef: good.ref,
  scorecardId,
  checkId,
  reason: 'migrating to the new load-test rig',
  until,
  createdBy: 'ana.ruiz@acme.example',
  createdAt: new Date('2026-11-01T00:00:00Z'),
});

describe('levels and score', () => {
  it('reaches a level when every check of it and of the levels below passes', () => {
    const all = evaluateScorecard(card(), snapshot(good, [fact('alerts.configured', true), fact('loadtest.last_run', '2026-11-01')]));
    expect(all).toMatchObject({ level: 'gold', levelRank: 3, score: 100, nextLevel: undefined, nextLevelNeeds: [] });

    const silver = evaluateScorecard(card(), snapshot(good, [fact('alerts.configured', true), fact('loadtest.last_run', '2026-01-01')]));
    expect(silver).toMatchObject({ level: 'silver', levelRank: 2, score: 75, nextLevel: 'gold' });
    expect(silver.nextLevelNeeds.map((c) => c.check.id)).toEqual(['load-test']);
  });

  it('does not reach a higher level past a failing lower one, however much else passes', () => {
    const noRunbook = entity({ spec: { owner: 'team-payments' } });
    const r = evaluateScorecard(card(), snapshot(noRunbook, [fact('alerts.configured', true), fact('loadtest.last_run', '2026-11-01')]));
    expect(r).toMatchObject({ level: undefined, levelRank: 0, score: 88, nextLevel: 'bronze' });
    expect(r.nextLevelNeeds.map((c) => c.check.id)).toEqual(['runbook']);
  });

  it('weights the score: 3 of 8 points is 38', () => {
    const ownerOnly = entity({ spec: { owner: 'team-payments' } });
    expect(evaluateScorecard(card(), snapshot(ownerOnly, [fact('alerts.configured', false)])).score).toBe(38);
  });
});

describe('unknown checks', () => {
  it('show as unknown, with the missing fact, and never count as a pass', () => {
    const r = evaluateScorecard(card(), snapshot(good));
    const alerts = r.checks.find((c) => c.check.id === 'alerts')!;
    expect(alerts).toMatchObject({ state: 'unknown', status: 'unknown', missing: ['alerts.configured'], evidence: 'no fact alerts.configured reported' });
    expect(r).toMatchObject({ level: 'bronze', score: 50 });
  });

  it('a rule that throws makes its check unknown and leaves the rest of the scorecard standing', () => {
    const broken = card();
    const boom = { ...broken.checks[0]!, evaluate: () => { throw new Error('bug in a rule'); } };
    const withBug: CompiledScorecard = { ...broken, checks: [boom, ...broken.checks.slice(1)] };
    const r = evaluateScorecard(withBug, snapshot(good, [fact('alerts.configured', true)]));
    expect(r.checks[0]).toMatchObject({ state: 'unknown', evidence: 'this check could not be evaluated (its rule failed; the log has the details)' });
    expect((r.checks[0]!.error as Error).message).toBe('bug in a rule');
    expect(r.checks.slice(1).map((c) => c.state)).toEqual(['pass', 'pass', 'unknown']);
    expect(r.score).toBe(38);
  });
});

describe('exemptions', () => {
  const facts = [fact('alerts.configured', true), fact('loadtest.last_run', '2026-01-01')];

  it('count an exempt check as passing for level and score, and say so', () => {
    const r = evaluateScorecard(card(), snapshot(good, facts, [exemption('load-test', '2026-12-31')]));
    expect(r).toMatchObject({ level: 'gold', score: 100 });
    const lt = r.checks.find((c) => c.check.id === 'load-test')!;
    expect(lt).toMatchObject({ state: 'exempt', status: 'fail' });
    expect(lt.exemption?.reason).toBe('migrating to the new load-test rig');
  });

  it('hold through their last day and stop counting the day after', () => {
    const ex = exemption('load-test', '2026-12-31');
    expect(isExemptionActive(ex, new Date('2026-12-31T23:59:59Z'))).toBe(true);
    expect(isExemptionActive(ex, new Date('2027-01-01T00:00:00Z'))).toBe(false);
    const after = evaluateScorecard(card(), snapshot(good, facts, [ex], new Date('2027-01-01T00:00:00Z')));
    expect(after.checks.find((c) => c.check.id === 'load-test')).toMatchObject({ state: 'fail', exemption: undefined });
    expect(after.level).toBe('silver');
  });

  it('apply only to their own scorecard and check, and are not shown on a passing check', () => {
    expect(evaluateScorecard(card(), snapshot(good, facts, [exemption('load-test', '2026-12-31', 'other')])).level).toBe('silver');
    const passing = evaluateScorecard(card(), snapshot(good, facts, [exemption('owner', '2026-12-31')]));
    expect(passing.checks[0]).toMatchObject({ state: 'pass', exemption: undefined });
  });
});

describe('fix links', () => {
  it('are templated with the service and joined to the base URL when relative', () => {
    const withRepo = entity({ spec: { owner: 'team-payments' }, metadata: { annotations: { 'github.com/project-slug': 'acme/checkout api' } } });
    const r = evaluateScorecard(card(), snapshot(withRepo));
    const url = (id: string): string | undefined => r.checks.find((c) => c.check.id === id)!.fixUrl;
    expect(url('runbook')).toBe('https://handbook.example/eng/runbooks/checkout-api');
    expect(url('load-test')).toBe('https://github.com/acme/checkout%20api/actions');
    expect(url('alerts')).toBeUndefined();
    expect(url('owner')).toBeUndefined(); // passing checks need no fix
  });

  it('are left out when a placeholder has no value, or a relative link has no base', () => {
    const r = evaluateScorecard(card(CARD, {}), snapshot(entity()));
    expect(r.checks.find((c) => c.check.id === 'runbook')!.fixUrl).toBeUndefined();
    expect(r.checks.find((c) => c.check.id === 'load-test')!.fixUrl).toBeUndefined();
    expect(r.checks.find((c) => c.check.id === 'owner')!.fixUrl).toBe('https://docs.example/owner');
  });
});

describe('filters', () => {
  const filtered = (filter: Record<string, unknown>): CompiledScorecard => card({ ...CARD, filter });
  it('apply to components by default, and narrow by type, lifecycle, tier, tag and owner', () => {
    const e = entity({ metadata: { labels: { tier: '1' }, tags: ['pci', 'java'] } });
    const team = 'group:default/team-payments';
    expect(card().appliesTo(e, team)).toBe(true);
    expect(card().appliesTo(entity({ kind: 'API' }), team)).toBe(false);
    expect(filtered({ kinds: ['API', 'component'] }).appliesTo(entity({ kind: 'API' }), team)).toBe(true);
    expect(filtered({ types: ['website'] }).appliesTo(e, team)).toBe(false);
    expect(filtered({ lifecycles: ['Production'] }).appliesTo(e, team)).toBe(true);
    expect(filtered({ tiers: [1, 2] }).appliesTo(e, team)).toBe(true);
    expect(filtered({ tiers: ['3'] }).appliesTo(e, team)).toBe(false);
    expect(filtered({ tags: ['pci'] }).appliesTo(e, team)).toBe(true);
    expect(filtered({ owners: ['team-payments'] }).appliesTo(e, team)).toBe(true);
    expect(filtered({ owners: ['team-platform'] }).appliesTo(e, team)).toBe(false);
    expect(filtered({ owners: ['team-payments'] }).appliesTo(e, undefined)).toBe(false);
  });
});

describe('ISO weeks (UTC, whatever the server time zone)', () => {
  it('name the week of a date and find its bounds', () => {
    expect(isoWeek(new Date('2026-11-30T09:00:00Z'))).toBe('2026-W49');
    expect(isoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeekStart('2026-W49')?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(isoWeekEnd('2026-W48')?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(isoWeekStart('2025-W53')).toBeUndefined();
    expect(isoWeekStart('last week')).toBeUndefined();
  });
});
