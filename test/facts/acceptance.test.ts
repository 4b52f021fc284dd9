import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFactsReportApi } from '../../src/adapters/http/facts-api.js';
import { createSteward } from '../../src/app/create-steward.js';
import type { Steward } from '../../src/app/create-steward.js';
import { resultJson } from '../../src/cli/score-command.js';
import { toPlainText } from '../../src/core/message/index.js';
import { collectFacts } from '../../src/core/facts/index.js';
import type { CollectReport } from '../../src/core/facts/index.js';
import { syncGithub } from '../../src/core/github/index.js';
import type { ScorecardResult } from '../../src/core/scoring/index.js';
import { createGithubReader } from '../../src/infra/github/github-reader.js';
import { readReport } from '../../src/infra/reports/read-report.js';
import { importCatalog } from '../../src/import-catalog.js';
import type { FakeGithub, FakeRepo } from '../support/fake-github.js';
import { startFakeGithub } from '../support/fake-github.js';
import type { FakePagerDuty } from '../support/fake-pagerduty.js';
import { startFakePagerDuty } from '../support/fake-pagerduty.js';
import type { FakePrometheus } from '../support/fake-prometheus.js';
import { startFakePrometheus } from '../support/fake-prometheus.js';
import { memoryLogger } from '../support/memory-logger.js';
import { FIXTURES } from '../support/test-bot.js';

/**
 * Issue 16, point 4: a well-run service and a badly run one, with nothing pushed by hand. GitHub
 * (sync github), PagerDuty and Prometheus (facts collect), a CycloneDX SBOM and a k6 summary from
 * CI (POST /api/v1/facts/report) fill 19 of the 22 default checks; the three cost checks need a
 * cost tool and stay unknown.
 */

const NOW = new Date('2026-11-30T09:00:00Z');
const HOUR = 3_600_000;
const ago = (days: number, hours = 0): string => new Date(NOW.getTime() - days * 86_400_000 + hours * HOUR).toISOString();
const TOKEN = 'facts-api-token-0123456789';

const descriptor = (name: string, pagerduty: string): string => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  description: Keeps the ledger of every payment, refund and payout
  annotations:
    backstage.io/techdocs-ref: dir:.
    pagerduty.com/service-id: ${pagerduty}
  links:
    - url: https://runbooks.acme.example/${name}
      title: Runbook
      type: runbook
spec:
  type: service
  lifecycle: production
  owner: payments-team
`;

const weekly = [ago(1), ago(8), ago(15), ago(22)];

/** A runbook, a good README, SECURITY.md, CODEOWNERS, Dependabot, TechDocs, a diagram, a fresh lockfile, weekly releases, an OpenSLO file. */
const MODEL: FakeRepo = {
  name: 'ledger-api',
  files: {
    'catalog-info.yaml': descriptor('ledger-api', 'PLEDGER'),
    'README.md': 'x'.repeat(2400),
    'SECURITY.md': 'Report to security@acme.example',
    '.github/CODEOWNERS': '* @acme/payments',
    '.github/dependabot.yml': 'version: 2',
    'mkdocs.yml': 'site_name: ledger-api',
    'docs/architecture.svg': '<svg/>',
    'package-lock.json': '{}',
    'openslo.yaml': 'apiVersion: openslo/v1\nkind: SLO\n',
  },
  history: { 'package-lock.json': ago(6), 'docs/architecture.svg': ago(30) },
  alerts: ['high', 'moderate'],
  releases: weekly,
  secretAlerts: 0,
};

/** Critical alerts open, a leaked secret, a lockfile untouched for a year, a stub README. */
const BAD: FakeRepo = {
  name: 'legacy-billing',
  files: {
    'catalog-info.yaml': descriptor('legacy-billing', 'PBILLING'),
    'README.md': 'TODO: write a README',
    'SECURITY.md': 'Report to security@acme.example',
    '.github/CODEOWNERS': '* @acme/payments',
    '.github/dependabot.yml': 'version: 2',
    'mkdocs.yml': 'site_name: legacy-billing',
    'docs/architecture.svg': '<svg/>',
    'package-lock.json': '{}',
    'slos/availability.yaml': 'apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\n',
  },
  history: { 'package-lock.json': ago(365), 'docs/architecture.svg': ago(30) },
  alerts: ['critical', 'critical', 'high'],
  releases: weekly,
  secretAlerts: 1,
};

describe('scorecards filled from the tools teams already run', () => {
  let dir: string;
  let steward: Steward;
  let github: FakeGithub;
  let pagerduty: FakePagerDuty;
  let prometheus: FakePrometheus;
  let api: Server;
  let apiUrl: string;
  let collected: CollectReport;
  let now = NOW;

  const postReport = async (service: string, file: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${apiUrl}/api/v1/facts/report?service=${service}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: readFileSync(join(FIXTURES, 'reports', file), 'utf8'),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const evaluate = (name: string): ScorecardResult[] => steward.scoring.evaluate(steward.catalog.get(`component:default/${name}`)!);
  const states = (results: readonly ScorecardResult[], state: string): string[] =>
    results.flatMap((r) => r.checks.filter((c) => c.state === state).map((c) => `${r.scorecard.id}/${c.check.id}`)).sort();

  beforeAll(async () => {
    github = await startFakeGithub({ org: 'acme', repos: [MODEL, BAD], teams: [{ slug: 'payments', name: 'Payments', members: ['octocat'] }], people: [{ login: 'octocat', name: 'The Octocat', email: 'octocat@acme.example' }] });
    pagerduty = await startFakePagerDuty({
      policies: { PPOL: 'Payments' },
      services: [
        // MTTR 2 h: one incident resolved in an hour, one in three.
        { id: 'PLEDGER', name: 'Ledger API', policyId: 'PPOL', integrations: 1, incidents: [{ created: ago(10), resolved: ago(10, 1) }, { created: ago(40), resolved: ago(40, 3) }] },
        // MTTR 12 h.
        { id: 'PBILLING', name: 'Legacy billing', policyId: 'PPOL', integrations: 1, incidents: [{ created: ago(5), resolved: ago(5, 12) }, { created: ago(50), resolved: ago(50, 12) }] },
      ],
    });
    prometheus = await startFakePrometheus({
      rules: [{ name: 'LedgerErrorBudgetBurn', labels: { service: 'ledger-api', severity: 'page' } }, { name: 'BillingDown', labels: { service: 'legacy-billing' } }],
      queries: {
        'slo:error_budget_remaining:percent': [
          { metric: { service: 'ledger-api', slo: 'availability' }, value: '42.5' },
          { metric: { service: 'legacy-billing', slo: 'availability' }, value: '-20' },
        ],
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'steward-facts-acceptance-'));
    steward = createSteward({
      db: join(dir, 'steward.db'),
      logger: memoryLogger().logger,
      clock: { now: () => now },
      oncall: { config: { pagerduty: { token: pagerduty.token, apiUrl: pagerduty.url, webUrl: undefined }, opsgenie: undefined, rotations: {}, timeoutMs: 1500, freshForMs: 60_000 } },
      facts: { prometheus: { url: prometheus.url, auth: undefined, serviceLabel: 'service', queries: { 'slo.error_budget_remaining': 'slo:error_budget_remaining:percent' } } },
      github: { token: github.token, apiUrl: github.url },
    });
    expect(importCatalog(steward.catalog, [join(FIXTURES, 'catalog', 'github-org.yaml')], { now: NOW }).errors).toEqual([]);

    // 1. sync github: the catalog, and the repository facts.
    const deps = (await steward.githubSync())!;
    const reader = createGithubReader({ token: github.token, baseUrl: github.url, etags: steward.stores.github, clock: steward.clock, logger: steward.logger, graphqlSpacingMs: 0 });
    const sync = await syncGithub({ ...deps, reader }, { org: 'acme' });
    expect(sync.problems).toEqual([]);

    // 2. facts collect: PagerDuty, then Prometheus.
    collected = await collectFacts(steward.factsCollect());

    // 3. CI pushes its SBOM and its load-test summary.
    api = createServer(createFactsReportApi({ token: TOKEN, catalog: steward.catalog, scoring: steward.scoring, logger: steward.logger, readReport, clock: steward.clock }));
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    for (const service of ['ledger-api', 'legacy-billing']) {
      expect((await postReport(service, 'cyclonedx.json')).status).toBe(200);
      expect((await postReport(service, 'k6-summary.json')).status).toBe(200);
    }
  });

  afterAll(async () => {
    await new Promise((resolve) => api.close(resolve));
    steward.close();
    await Promise.all([github.close(), pagerduty.close(), prometheus.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('collects from each source in batches and says what it recorded', () => {
    expect(collected.sources.map((s) => ({ source: s.source, outcome: s.outcome, read: s.read, recorded: s.recorded, requests: s.requests, problems: s.problems }))).toEqual([
      { source: 'pagerduty', outcome: 'ok', read: 2, recorded: 4, requests: 2, problems: [] },
      { source: 'prometheus', outcome: 'ok', read: 2, recorded: 4, requests: 2, problems: [] },
    ]);
    expect(pagerduty.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /services', 'POST /analytics/metrics/incidents/services']);
  });

  it('the model service knows 19 of the 22 checks and passes them; only the cost checks wait for a cost tool', () => {
    const results = evaluate('ledger-api');
    expect(results.reduce((n, r) => n + r.checks.length, 0)).toBe(22);
    expect(states(results, 'unknown')).toEqual(['cost-discipline/chargeback-tags', 'cost-discipline/idle-capacity', 'cost-discipline/reserved-coverage']);
    expect(states(results, 'fail')).toEqual([]);
    expect(results.filter((r) => r.scorecard.id !== 'cost-discipline').map((r) => `${r.scorecard.id}: ${r.level}`)).toEqual([
      'production-readiness: gold',
      'security-posture: gold',
      'reliability: gold',
      'documentation: gold',
    ]);
  });

  it('the badly run service fails exactly what its facts say', () => {
    const results = evaluate('legacy-billing');
    expect(states(results, 'fail')).toEqual([
      'documentation/readme',
      'reliability/error-rate',
      'reliability/mttr',
      'security-posture/critical-cves',
      'security-posture/dependencies-fresh',
      'security-posture/secrets-in-vault',
    ]);
    expect(states(results, 'unknown')).toEqual(['cost-discipline/chargeback-tags', 'cost-discipline/idle-capacity', 'cost-discipline/reserved-coverage']);
    const evidence = Object.fromEntries(results.flatMap((r) => r.checks.map((c) => [c.check.id, c.evidence])));
    expect(evidence['mttr']).toBe('incidents.mttr_hours is 12 (needs <= 4)');
    expect(evidence['error-rate']).toBe('slo.error_budget_remaining is -20 (needs >= 0)');
    expect(evidence['critical-cves']).toBe('cve.critical is 2 (needs == 0)');
    expect(evidence['secrets-in-vault']).toBe('secrets.env_count is 1 (needs == 0)');
  });

  it('health and score --json say where each fact came from and when', async () => {
    now = new Date(NOW.getTime() + 2 * HOUR);
    const [reliability] = steward.scoring.evaluate(steward.catalog.get('component:default/legacy-billing')!, { scorecardIds: ['reliability'] });
    const json = resultJson(reliability!) as { checks: Array<{ id: string; facts?: unknown }> };
    expect(json.checks.find((c) => c.id === 'mttr')!.facts).toEqual([
      { key: 'incidents.mttr_hours', source: 'pagerduty', observedAt: NOW.toISOString(), from: 'PagerDuty, 2 h ago' },
    ]);
    expect(json.checks.find((c) => c.id === 'deploy-frequency')!.facts).toEqual([
      { key: 'deploys.per_week', source: 'github', observedAt: NOW.toISOString(), from: 'GitHub, 2 h ago' },
    ]);
    const said = await steward.router.dispatch({ platform: 'shell', actor: { id: 'tester' }, text: 'health legacy-billing reliability', receivedAt: now });
    const text = toPlainText(said.reply);
    expect(text).toContain('Seen: incidents.mttr_hours is 12 (needs <= 4). Failing since 2026-11-30. From PagerDuty, 2 h ago.');
    expect(text).toContain('Seen: slo.error_budget_remaining is -20 (needs >= 0). Failing since 2026-11-30. From Prometheus, 2 h ago.');
    const [security] = steward.scoring.evaluate(steward.catalog.get('component:default/ledger-api')!, { scorecardIds: ['security-posture'] });
    expect(security!.checks.find((c) => c.check.id === 'sbom')!.provenance).toEqual([
      { key: 'sbom.generated_at', source: 'report/cyclonedx', observedAt: new Date('2026-11-29T18:00:00Z') },
    ]);
    now = NOW;
  });
});
