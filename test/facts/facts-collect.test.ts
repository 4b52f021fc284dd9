import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSteward } from '../../src/app/create-steward.js';
import type { Steward, StewardOptions } from '../../src/app/create-steward.js';
import { formatCollectReport } from '../../src/cli/facts-command.js';
import { InputError } from '../../src/core/errors.js';
import type { FactCollector } from '../../src/core/facts/index.js';
import { collectFacts } from '../../src/core/facts/index.js';
import { importCatalog } from '../../src/import-catalog.js';
import type { FakePagerDuty } from '../support/fake-pagerduty.js';
import { startFakePagerDuty } from '../support/fake-pagerduty.js';
import type { FakePrometheus } from '../support/fake-prometheus.js';
import { startFakePrometheus } from '../support/fake-prometheus.js';
import type { LogRecord } from '../support/memory-logger.js';
import { memoryLogger } from '../support/memory-logger.js';

const NOW = new Date('2026-11-30T09:00:00Z');
const ago = (days: number, hours = 0): string => new Date(NOW.getTime() - days * 86_400_000 + hours * 3_600_000).toISOString();

/** `count` production services, `svc-000` on, each with a PagerDuty service id `PSVC000`. */
function catalogFile(dir: string, count: number): string {
  const docs = [
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n',
    ...Array.from({ length: count }, (_, i) => {
      const n = String(i).padStart(3, '0');
      return `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-${n}\n  annotations:\n    pagerduty.com/service-id: PSVC${n}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n`;
    }),
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: no-pager\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n',
  ];
  const file = join(dir, 'catalog.yaml');
  writeFileSync(file, docs.join('---\n'));
  return file;
}

describe('steward facts collect', () => {
  let dir: string;
  let pagerduty: FakePagerDuty;
  let prometheus: FakePrometheus;
  let steward: Steward | undefined;
  let logs: LogRecord[];
  const COUNT = 250;

  const open = (facts: StewardOptions['facts'] = {}): Steward => {
    const logger = memoryLogger();
    logs = logger.logs;
    steward = createSteward({
      db: join(mkdtempSync(join(dir, 'db-')), 'steward.db'),
      logger: logger.logger,
      clock: { now: () => NOW },
      scoring: { includeDefaults: true },
      oncall: { config: { pagerduty: { token: pagerduty.token, apiUrl: pagerduty.url, webUrl: undefined }, opsgenie: undefined, rotations: {}, timeoutMs: 1500, freshForMs: 60_000 } },
      facts: { prometheus: { url: prometheus.url, auth: { bearer: 'prom-token' }, serviceLabel: 'app', queries: {} }, ...facts },
    });
    expect(importCatalog(steward.catalog, [catalogFile(dir, COUNT)], { now: NOW }).errors).toEqual([]);
    return steward;
  };
  const factOf = (ref: string, key: string) => steward!.stores.facts.factsOf(`component:default/${ref}`).find((f) => f.key === key);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-facts-collect-'));
    pagerduty = await startFakePagerDuty({
      policies: { P1: 'Team A' },
      services: Array.from({ length: COUNT }, (_, i) => {
        const n = String(i).padStart(3, '0');
        // Every third has no integration and no recent incident; every fifth never had an incident.
        return {
          id: `PSVC${n}`,
          name: `svc-${n}`,
          policyId: 'P1',
          integrations: i % 3 === 0 ? 0 : 1,
          incidents: i % 5 === 0 ? [] : [{ created: ago(45), resolved: ago(45, 2 + (i % 4)) }],
        };
      }),
    });
    prometheus = await startFakePrometheus({
      authorization: 'Bearer prom-token',
      rules: [
        { name: 'Svc001Down', labels: { app: 'svc-001' } },
        { name: 'Svc003Slow', labels: { app: 'svc-003', severity: 'page' } },
        { name: 'svc_002:requests:rate5m', type: 'recording', labels: { app: 'svc-002' } },
      ],
      queries: {
        'slo:budget:percent': [
          { metric: { app: 'svc-001' }, value: '12.5' },
          { metric: { app: 'svc-002' }, value: 'NaN' },
          { metric: { app: 'not-in-catalog' }, value: '1' },
        ],
        'bad_query{': { error: 'parse error: unexpected end of input', errorType: 'bad_data' },
      },
      answer: (q) => {
        const m = /^deploys_total\{app="([^"]+)"\}$/.exec(q);
        return m ? (m[1] === 'svc-004' ? [{ metric: { app: 'svc-004' }, value: '3' }] : []) : undefined;
      },
    });
  });
  afterEach(() => {
    steward?.close();
    steward = undefined;
    pagerduty.reset();
    prometheus.reset();
  });
  afterAll(async () => {
    await Promise.all([pagerduty.close(), prometheus.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads PagerDuty in batches: at most 2 requests per 100 services, with MTTR and alerts per service', async () => {
    const s = open();
    const report = await collectFacts(s.factsCollect(), { source: 'pagerduty' });
    const pd = report.sources[0]!;
    expect(pd).toMatchObject({ source: 'pagerduty', outcome: 'ok', read: COUNT, requests: 6 });
    expect((pd.requests / COUNT) * 100).toBeLessThanOrEqual(2.5);
    expect(pagerduty.requests.filter((r) => r.path === '/analytics/metrics/incidents/services')).toHaveLength(3);
    expect(factOf('svc-001', 'incidents.mttr_hours')).toMatchObject({ value: 3, source: 'pagerduty', observedAt: NOW });
    expect(factOf('svc-001', 'alerts.configured')?.value).toBe(true);
    expect(factOf('svc-003', 'alerts.configured')?.value).toBe(false);
    expect(factOf('svc-000', 'incidents.mttr_hours')).toBeUndefined();
    expect(pd.unknown).toEqual([{ reason: 'no PagerDuty incident in the last 90 days', count: COUNT / 5 }]);
    expect(factOf('no-pager', 'alerts.configured')).toBeUndefined();
  });

  it('reads Prometheus rules once and a label-matched query once, whatever the catalog size', async () => {
    const s = open({ prometheus: { url: prometheus.url, auth: { bearer: 'prom-token' }, serviceLabel: 'app', queries: { 'slo.error_budget_remaining': 'slo:budget:percent' } } });
    const report = await collectFacts(s.factsCollect(), { source: 'prometheus' });
    expect(report.sources[0]).toMatchObject({ source: 'prometheus', outcome: 'ok', requests: 2, problems: [] });
    expect(prometheus.requests.map((r) => r.path)).toEqual(['/api/v1/rules', '/api/v1/query']);
    expect(prometheus.requests[0]!.headers.authorization).toBe('Bearer prom-token');
    // Alerting rules only: a recording rule says nothing about alerts.
    expect(factOf('svc-001', 'alerts.configured')).toMatchObject({ value: true, source: 'prometheus' });
    expect(factOf('svc-003', 'alerts.configured')?.value).toBe(true);
    expect(factOf('svc-002', 'alerts.configured')).toBeUndefined();
    expect(factOf('svc-001', 'slo.error_budget_remaining')?.value).toBe(12.5);
    // NaN is never a fact; it is unknown with the query's config path.
    expect(factOf('svc-002', 'slo.error_budget_remaining')).toBeUndefined();
    expect(report.sources[0]!.unknown).toContainEqual({ reason: 'facts.prometheus.queries.slo.error_budget_remaining gave NaN, not a finite number', count: 1 });
  });

  it('runs a query with {{service}} once per service, the name quoted as PromQL', async () => {
    const s = open({ prometheus: { url: prometheus.url, auth: { bearer: 'prom-token' }, serviceLabel: 'app', queries: { 'deploys.per_week': 'deploys_total{app="{{service}}"}' } } });
    const one = s.catalog.get('component:default/svc-004')!;
    const report = await collectFacts(s.factsCollect(), { source: 'prometheus', service: one });
    expect(report.services).toBe(1);
    expect(prometheus.requests.map((r) => r.query.get('query'))).toEqual([null, 'deploys_total{app="svc-004"}']);
    expect(factOf('svc-004', 'deploys.per_week')?.value).toBe(3);
  });

  it('a PromQL query that errors is reported with its config path; the other facts are recorded', async () => {
    const s = open({ prometheus: { url: prometheus.url, auth: { bearer: 'prom-token' }, serviceLabel: 'app', queries: { 'slo.error_budget_remaining': 'bad_query{', 'slo.burn_rate': 'slo:budget:percent' } } });
    const report = await collectFacts(s.factsCollect(), { source: 'prometheus' });
    expect(report.sources[0]).toMatchObject({ outcome: 'ok', problems: ['facts.prometheus.queries.slo.error_budget_remaining: bad_data: parse error: unexpected end of input'] });
    expect(factOf('svc-001', 'slo.burn_rate')?.value).toBe(12.5);
    expect(formatCollectReport(report)).toContain('    problem: facts.prometheus.queries.slo.error_budget_remaining: bad_data: parse error: unexpected end of input\n');
  });

  it('a source that fails is reported and leaves its facts as they were; the others still run', async () => {
    const s = open();
    await collectFacts(s.factsCollect(), { source: 'pagerduty' });
    pagerduty.fail('/services', { status: 500 });
    const report = await collectFacts(s.factsCollect());
    expect(report.sources.map((x) => [x.source, x.outcome])).toEqual([
      ['pagerduty', 'failed'],
      ['prometheus', 'ok'],
    ]);
    expect(report.sources[0]!.error).toBe('PagerDuty answered GET /services with HTTP 500: Internal Error');
    expect(factOf('svc-001', 'incidents.mttr_hours')?.value).toBe(3);
    expect(formatCollectReport(report)).toContain('  PagerDuty: FAILED, its facts are left as they were: PagerDuty answered GET /services with HTTP 500: Internal Error\n');
    expect(logs.some((l) => l.message === 'fact source failed')).toBe(true);
  });

  it('credentials Prometheus refuses fail the source with what to set', async () => {
    const s = open({ prometheus: { url: prometheus.url, auth: { username: 'u', password: 'p' }, serviceLabel: 'app', queries: {} } });
    const report = await collectFacts(s.factsCollect(), { source: 'prometheus' });
    expect(prometheus.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(report.sources[0]).toMatchObject({ outcome: 'failed', error: 'Prometheus refused the credentials (HTTP 401): check PROMETHEUS_TOKEN or PROMETHEUS_USERNAME/PROMETHEUS_PASSWORD' });
  });

  it('an unknown --source is bad input naming the configured ones', async () => {
    const s = open();
    await expect(collectFacts(s.factsCollect(), { source: 'datadog' })).rejects.toThrow(new InputError('--source datadog: no such fact source is configured; configured: pagerduty, prometheus'));
  });

  it('pushed and collected facts coexist: the newest observation wins, whoever reports it', async () => {
    const s = open();
    const svc = s.catalog.get('component:default/svc-001')!;
    // CI pushed an MTTR observed yesterday; PagerDuty's of today replaces it.
    s.scoring.pushFacts(svc, { 'incidents.mttr_hours': 9, 'deploys.per_week': 2 }, { source: 'ci/jenkins', observedAt: new Date(NOW.getTime() - 86_400_000) });
    await collectFacts(s.factsCollect(), { source: 'pagerduty' });
    expect(factOf('svc-001', 'incidents.mttr_hours')).toMatchObject({ value: 3, source: 'pagerduty' });
    expect(factOf('svc-001', 'deploys.per_week')).toMatchObject({ value: 2, source: 'ci/jenkins' });
    // A late report of an older observation does not undo the newer one.
    const late = s.scoring.pushFacts(svc, { 'incidents.mttr_hours': 7 }, { source: 'ci/jenkins', observedAt: new Date(NOW.getTime() - 3_600_000) });
    expect(late.changed).toEqual([]);
    expect(factOf('svc-001', 'incidents.mttr_hours')).toMatchObject({ value: 3, source: 'pagerduty' });
  });

  it('one source seeing alerts is not undone by a later source that sees none for the same service', async () => {
    const s = open();
    const ref = 'component:default/svc-002';
    const says = (id: string, value: boolean): FactCollector => ({
      id,
      name: id,
      collect: async () => ({ read: 1, facts: [{ entityRef: ref, key: 'alerts.configured', value }], unknown: [], requests: 1 }),
    });
    const report = await collectFacts({ ...s.factsCollect(), collectors: [says('pagerduty', true), says('opsgenie', false)] });
    expect(report.sources.map((r) => [r.source, r.recorded])).toEqual([['pagerduty', 1], ['opsgenie', 0]]);
    expect(factOf('svc-002', 'alerts.configured')).toMatchObject({ value: true, source: 'pagerduty' });
    // Alone, the source that sees none is believed.
    await collectFacts({ ...s.factsCollect(), collectors: [says('opsgenie', false)] });
    expect(factOf('svc-002', 'alerts.configured')).toMatchObject({ value: false, source: 'opsgenie' });
  });
});
