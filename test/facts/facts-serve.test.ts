import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTS_COLLECT_DEFAULT_SCHEDULE, describeConfig, loadConfig } from '../../src/config.js';
import { InputError } from '../../src/core/errors.js';
import { importCatalog } from '../../src/import-catalog.js';
import type { RunningServer } from '../../src/serve.js';
import { startServer } from '../../src/serve.js';
import type { FakePrometheus } from '../support/fake-prometheus.js';
import { startFakePrometheus } from '../support/fake-prometheus.js';
import { memoryLogger } from '../support/memory-logger.js';
import { FIXTURES, SMALL_ORG } from '../support/test-bot.js';

const TOKEN = 'test-token-0123456789abcdef';

describe('facts: in the config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-facts-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const configWith = (yaml: string, env: Record<string, string> = {}) => {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, yaml);
    return loadConfig({ STEWARD_CONFIG: file, ...env });
  };

  it('collects hourly by default; Prometheus comes from PROMETHEUS_URL or facts.prometheus.url, with bearer or basic auth', () => {
    const plain = loadConfig({});
    expect(plain.facts).toEqual({ schedule: FACTS_COLLECT_DEFAULT_SCHEDULE, prometheus: undefined });
    const fromEnv = loadConfig({ PROMETHEUS_URL: 'http://prom:9090', PROMETHEUS_TOKEN: 't0k3n' });
    expect(fromEnv.facts.prometheus).toEqual({ url: 'http://prom:9090', auth: { bearer: 't0k3n' }, serviceLabel: 'service', queries: {} });
    const fromFile = configWith("facts:\n  schedule: '*/15 * * * *'\n  prometheus:\n    url: http://prom:9090\n    serviceLabel: app\n    queries:\n      slo.error_budget_remaining: 'slo:budget'\n", {
      PROMETHEUS_USERNAME: 'steward',
      PROMETHEUS_PASSWORD: 'secret',
    });
    expect(fromFile.facts).toEqual({
      schedule: '*/15 * * * *',
      prometheus: { url: 'http://prom:9090', auth: { username: 'steward', password: 'secret' }, serviceLabel: 'app', queries: { 'slo.error_budget_remaining': 'slo:budget' } },
    });
    expect(describeConfig(fromFile).file['facts']).toEqual({ schedule: '*/15 * * * *', prometheus: { url: 'http://prom:9090', serviceLabel: 'app', queries: { 'slo.error_budget_remaining': 'slo:budget' } } });
  });

  it('names each bad key: a fact key that is not one, a label, a schedule, a query without a Prometheus, auth set twice', () => {
    const problems = (): string => {
      try {
        configWith("facts:\n  schedule: hourly\n  prometheus:\n    serviceLabel: 'my-label'\n    queries:\n      'Bad Key': 'up'\n      slo.empty: ''\n", { PROMETHEUS_TOKEN: 't', PROMETHEUS_USERNAME: 'u' });
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error('the config was accepted');
    };
    const text = problems();
    expect(text).toMatch(/facts\.schedule: must be a five-field cron expression/);
    expect(text).toMatch(/facts\.prometheus\.serviceLabel: must be a Prometheus label name/);
    expect(text).toMatch(/facts\.prometheus\.queries\.Bad Key: a fact key is lower-case words joined by dots/);
    expect(text).toMatch(/facts\.prometheus\.queries\.slo\.empty: must be a PromQL query/);
    expect(text).toContain('environment PROMETHEUS_TOKEN: set either a bearer token or PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD, not both');
    expect(text).toContain('environment PROMETHEUS_USERNAME: basic auth needs both PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD');
    expect(() => configWith("facts:\n  prometheus:\n    queries:\n      slo.x: 'up'\n")).toThrow(/facts\.prometheus\.queries: needs a Prometheus: set PROMETHEUS_URL or facts\.prometheus\.url/);
  });
});

describe('steward serve: facts', () => {
  let server: RunningServer;
  let prometheus: FakePrometheus;
  beforeAll(async () => {
    prometheus = await startFakePrometheus({ rules: [{ name: 'PaymentsDown', labels: { service: 'payments-api' } }] });
    const dir = mkdtempSync(join(tmpdir(), 'steward-serve-facts-'));
    const config = loadConfig({ STEWARD_API_TOKEN: TOKEN, PORT: '0', STEWARD_DB: join(dir, 's.db'), PROMETHEUS_URL: prometheus.url });
    server = await startServer({ config, logger: memoryLogger().logger, jobs: false });
    importCatalog(server.steward.catalog, [SMALL_ORG]);
  });
  afterAll(async () => {
    await server.close();
    await prometheus.close();
  });

  it('schedules the collection when a source is configured, and /healthz shows its last summary', async () => {
    const before = (await (await fetch(`${server.url}/healthz`)).json()) as { factsCollect: { schedule: string; sources: string[]; last: unknown } };
    expect(before.factsCollect).toEqual({ schedule: FACTS_COLLECT_DEFAULT_SCHEDULE, sources: ['prometheus'], running: false, runs: { ok: 0, failed: 0, skipped: 0 } });
    expect(await server.factsCollect!.run()).toBe('ok');
    const after = (await (await fetch(`${server.url}/healthz`)).json()) as { factsCollect: { runs: { ok: number }; last: { sources: Array<{ source: string; outcome: string; recorded: number }> } } };
    expect(after.factsCollect.runs.ok).toBe(1);
    expect(after.factsCollect.last.sources).toMatchObject([{ source: 'prometheus', outcome: 'ok', recorded: 1 }]);
    expect(server.steward.stores.facts.factsOf('component:default/payments-api').find((f) => f.key === 'alerts.configured')).toMatchObject({ value: true, source: 'prometheus' });
    // Scored after the run: history has the levels the new facts give.
    expect(server.steward.stores.scores.historyOf('component:default/payments-api', 'production-readiness', 1)[0]?.states['alerts']).toBe('p');
  });

  it('serves POST /api/v1/facts/report', async () => {
    const res = await fetch(`${server.url}/api/v1/facts/report?service=payments-api`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: readFileSync(join(FIXTURES, 'reports', 'spdx.json'), 'utf8'),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { format: string }).format).toBe('spdx');
  });
});
