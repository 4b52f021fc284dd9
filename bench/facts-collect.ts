import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSteward } from '../src/app/create-steward.js';
import { collectFacts } from '../src/core/facts/index.js';
import { silentLogger } from '../src/core/ports.js';
import { importCatalog } from '../src/import-catalog.js';
import type { FakePdService } from '../test/support/fake-pagerduty.js';
import { startFakePagerDuty } from '../test/support/fake-pagerduty.js';
import type { FakePromSample } from '../test/support/fake-prometheus.js';
import { startFakePrometheus } from '../test/support/fake-prometheus.js';
import { generateOrg, writeOrg } from './generate-org.js';
import type { Bench, BenchRow } from './report.js';

const COMPONENTS = 10_000;
const NOW = new Date('2026-11-30T09:00:00Z');

/**
 * Issue 16's benchmark: `facts collect` over a generated 10,000-component org, PagerDuty (every
 * other component has a service id) and Prometheus (an alerting rule for every third service, one
 * label-matched error-budget query) served by the local fakes over real HTTP. Requests per source
 * per 100 services read (goal: at most 2), against what one request per service per fact would
 * take; wall time against the bare requests alone, made with `fetch` to the same fakes in the same
 * run (the rest is parsing, matching and storing).
 */
const bench: Bench = {
  id: 'facts',
  title: `Facts: facts collect over ${COMPONENTS.toLocaleString('en')} components, PagerDuty and Prometheus fakes`,
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'steward-bench-facts-'));
    const org = generateOrg({ components: COMPONENTS, seed: 16, componentsPerFile: 2_000 });
    writeOrg(join(dir, 'org'), org);
    const components = org.files
      .filter((f) => f.path.startsWith('components'))
      .flatMap((f) => f.content.split('\n---\n'))
      .flatMap((doc) => {
        const name = /^ {2}name: (\S+)$/m.exec(doc)?.[1];
        return name && /^kind: Component$/m.test(doc) ? [{ name, pd: /pagerduty\.com\/service-id: (\w+)/.exec(doc)?.[1] }] : [];
      });
    const ids = [...new Set(components.flatMap((c) => (c.pd ? [c.pd] : [])))];
    const hour = 3_600_000;
    const services: FakePdService[] = ids.map((id, i) => ({
      id,
      name: id,
      policyId: 'EP1',
      integrations: i % 4 === 0 ? 0 : 1,
      incidents: i % 3 === 0 ? [] : [{ created: new Date(NOW.getTime() - 20 * 24 * hour).toISOString(), resolved: new Date(NOW.getTime() - 20 * 24 * hour + (1 + (i % 6)) * hour).toISOString() }],
    }));
    const pd = await startFakePagerDuty({ services, policies: { EP1: 'Everyone' } });
    const budget: FakePromSample[] = components.filter((_, i) => i % 2 === 0).map((c, i) => ({ metric: { service: c.name }, value: String(50 - (i % 80)) }));
    const prom = await startFakePrometheus({
      rules: components.filter((_, i) => i % 3 === 0).map((c) => ({ name: `${c.name}-errors`, labels: { service: c.name, severity: 'page' } })),
      queries: { 'slo:error_budget_remaining:percent': budget },
    });
    const steward = createSteward({
      db: join(dir, 'steward.db'),
      logger: silentLogger,
      clock: { now: () => NOW },
      oncall: { config: { pagerduty: { token: pd.token, apiUrl: pd.url, webUrl: undefined }, opsgenie: undefined, rotations: {}, timeoutMs: 1500, freshForMs: 60_000 } },
      facts: { prometheus: { url: prom.url, auth: undefined, serviceLabel: 'service', queries: { 'slo.error_budget_remaining': 'slo:error_budget_remaining:percent' } } },
    });
    try {
      importCatalog(steward.catalog, [join(dir, 'org')], { now: NOW });

      const t0 = performance.now();
      const report = await collectFacts(steward.factsCollect());
      const seconds = (performance.now() - t0) / 1000;

      // The same requests, bare: the listing pages and the analytics batches, the rules and the query.
      const headers = { Authorization: `Token token=${pd.token}`, Accept: 'application/vnd.pagerduty+json;version=2', 'Content-Type': 'application/json' };
      const b0 = performance.now();
      for (let offset = 0; offset < ids.length; offset += 100) await (await fetch(`${pd.url}/services?include[]=integrations&limit=100&offset=${offset}`, { headers })).text();
      for (let i = 0; i < ids.length; i += 100) {
        const body = JSON.stringify({ filters: { created_at_start: new Date(NOW.getTime() - 90 * 24 * hour).toISOString(), created_at_end: NOW.toISOString(), service_ids: ids.slice(i, i + 100) } });
        await (await fetch(`${pd.url}/analytics/metrics/incidents/services`, { method: 'POST', headers, body })).text();
      }
      await (await fetch(`${prom.url}/api/v1/rules?type=alert`)).text();
      await (await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('slo:error_budget_remaining:percent')}`)).text();
      const bare = (performance.now() - b0) / 1000;

      const pdSummary = report.sources.find((s) => s.source === 'pagerduty')!;
      const promSummary = report.sources.find((s) => s.source === 'prometheus')!;
      const perHundred = (requests: number, servicesRead: number): number => (100 * requests) / Math.max(1, servicesRead);
      const pdRate = perHundred(pdSummary.requests, pdSummary.read);
      const promRate = perHundred(promSummary.requests, components.length);
      return [
        {
          name: `PagerDuty requests per 100 services (${pdSummary.read.toLocaleString('en')} read, ${pdSummary.recorded.toLocaleString('en')} facts)`,
          value: pdRate,
          unit: 'count',
          baseline: { name: 'a request per service per fact', value: 200 },
          target: '≤ 2',
          pass: pdRate <= 2,
        },
        {
          name: `Prometheus requests per 100 services (${promSummary.requests} in all, ${promSummary.recorded.toLocaleString('en')} facts)`,
          value: promRate,
          unit: 'count',
          baseline: { name: 'a query per service, rules once', value: 100 + 100 / components.length },
          target: '≤ 2',
          pass: promRate <= 2,
        },
        {
          name: `facts collect wall time, ${COMPONENTS.toLocaleString('en')} components`,
          value: seconds,
          unit: 's',
          baseline: { name: 'the same requests with bare fetch, nothing parsed or stored', value: bare },
          note: report.sources.some((s) => s.outcome !== 'ok') ? 'a source FAILED' : undefined,
        },
      ];
    } finally {
      steward.close();
      await Promise.all([pd.close(), prom.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
