import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakePagerDuty } from '../support/fake-pagerduty.js';
import { startFakePagerDuty } from '../support/fake-pagerduty.js';
import type { FakePrometheus } from '../support/fake-prometheus.js';
import { startFakePrometheus } from '../support/fake-prometheus.js';
import { runSteward as run } from '../support/run-binary.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORTS = join(ROOT, 'test', 'fixtures', 'reports');


const CATALOG = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger-api
  annotations:
    pagerduty.com/service-id: PLEDGER
spec:
  type: service
  lifecycle: production
  owner: payments
`;

describe('steward facts push --report and facts collect (the binary)', () => {
  let cwd: string;
  let pagerduty: FakePagerDuty;
  let prometheus: FakePrometheus;
  let env: Record<string, string>;
  // The config's Prometheus queries need PROMETHEUS_URL: every command but the last runs with it.
  const steward = (args: string[], dir: string, extra?: Record<string, string>) => run(args, dir, extra ?? env);

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'steward-facts-cli-'));
    writeFileSync(join(cwd, 'catalog.yaml'), CATALOG);
    const now = Date.now();
    pagerduty = await startFakePagerDuty({
      policies: { P1: 'Payments' },
      services: [{ id: 'PLEDGER', name: 'Ledger', policyId: 'P1', integrations: 1, incidents: [{ created: new Date(now - 5 * 86_400_000).toISOString(), resolved: new Date(now - 5 * 86_400_000 + 5_400_000).toISOString() }] }],
    });
    prometheus = await startFakePrometheus({ queries: { 'up == 0': { error: 'query timed out in expression evaluation', errorType: 'execution' } } });
    env = { PAGERDUTY_TOKEN: pagerduty.token, PAGERDUTY_API_URL: pagerduty.url, PROMETHEUS_URL: prometheus.url };
    writeFileSync(join(cwd, 'steward.config.yaml'), ['facts:', '  prometheus:', '    queries:', "      slo.error_budget_remaining: 'up == 0'", ''].join('\n'));
    expect((await steward(['import', 'catalog.yaml'], cwd)).stderr).toBe('');
  });
  afterAll(async () => {
    await Promise.all([pagerduty.close(), prometheus.close()]);
    rmSync(cwd, { recursive: true, force: true });
  });

  it('push --report stores each report\'s facts at its own time and prints the levels', async () => {
    const r = await steward(['facts', 'push', 'ledger-api', '--report', join(REPORTS, 'cyclonedx.json'), join(REPORTS, 'k6-export.json')], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${join(REPORTS, 'cyclonedx.json')}: CycloneDX 1.5: sbom.generated_at=2026-11-29T18:00:00.000Z, sbom.components=2 (2 changed).\n`);
    expect(r.stdout).toContain('  left out: metrics.http_req_duration.p(95): "fast" is not a number; left out\n');
    expect(r.stdout).toContain('Stored for ledger-api:\n  Production readiness: ');
  });

  it('an unrecognised report is exit 2 naming the file and the formats; nothing is stored', async () => {
    const r = await steward(['facts', 'push', 'ledger-api', '--report', join(REPORTS, 'trivy.json'), join(REPORTS, 'not-a-report.json')], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `steward: ${join(REPORTS, 'not-a-report.json')}: not a report format Steward knows; known report formats: CycloneDX JSON, SPDX JSON, SARIF 2.1.0, Trivy JSON, Grype JSON, k6 summary JSON\n`,
    );
    const score = await steward(['score', '--service', 'ledger-api', '--json', '--scorecard', 'security-posture'], cwd);
    expect(score.stdout).not.toContain('"cve.critical is');
  });

  it('a report for a service that is not in the catalog is exit 1 naming it', async () => {
    const r = await steward(['facts', 'push', 'ledger-apj', '--report', join(REPORTS, 'spdx.json')], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('steward: I don\'t know a service called "ledger-apj". Did you mean "ledger-api"?\n');
  });

  it('collect runs every source, with a summary per source; a PromQL error names its config path and fails nothing', async () => {
    const r = await steward(['facts', 'collect'], cwd, env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Collected facts for 1 service:\n  PagerDuty: 1 service read, 2 facts recorded, 0 unknown; 2 requests in [\d.]+ s\.\n  Prometheus: 0 services read, 0 facts recorded, 0 unknown; 2 requests in [\d.]+ s\.\n    problem: facts\.prometheus\.queries\.slo\.error_budget_remaining: execution: query timed out in expression evaluation\nScored 1 service; \d+ results? changed\.\n$/);
    expect(r.stderr).toContain('facts collect: pagerduty 2/2');
    const score = await steward(['score', '--service', 'ledger-api', '--json', '--scorecard', 'reliability'], cwd);
    expect(score.stdout).toContain('"from": "PagerDuty, ');
    expect(score.stdout).toContain('"state": "pass",\n          "evidence": "incidents.mttr_hours is 1.5"');
  });

  it('collect --service --source reads one service from one source and prints its levels', async () => {
    const r = await steward(['facts', 'collect', '--service', 'ledger-api', '--source', 'pagerduty'], cwd, env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  PagerDuty: 1 service read, 2 facts recorded');
    expect(r.stdout).not.toContain('Prometheus');
    expect(r.stdout).toContain('  Reliability: ');
    expect(pagerduty.requests.map((q) => `${q.method} ${q.path}`)).toContain('GET /services/PLEDGER');
  });

  it('collect without any source configured is exit 1 saying what to set; an unknown source is exit 2', async () => {
    writeFileSync(join(cwd, 'plain.yaml'), 'timezone: UTC\n');
    const none = await run(['facts', 'collect', '--config', 'plain.yaml'], cwd);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no fact source is configured: set PAGERDUTY_TOKEN for PagerDuty, OPSGENIE_API_KEY for Opsgenie, PROMETHEUS_URL');
    const unknown = await steward(['facts', 'collect', '--source', 'datadog'], cwd, env);
    expect(unknown).toMatchObject({ code: 2, stderr: 'steward: --source datadog: no such fact source is configured; configured: pagerduty, prometheus\n' });
  });
});
