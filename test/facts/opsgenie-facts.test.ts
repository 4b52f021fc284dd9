import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSteward } from '../../src/app/create-steward.js';
import type { Steward } from '../../src/app/create-steward.js';
import { formatCollectReport } from '../../src/cli/facts-command.js';
import { collectFacts } from '../../src/core/facts/index.js';
import { importCatalog } from '../../src/import-catalog.js';
import type { FakeOgAlert, FakeOgFacts, FakeOpsgenie } from '../support/fake-opsgenie.js';
import { startFakeOpsgenie } from '../support/fake-opsgenie.js';
import { memoryLogger } from '../support/memory-logger.js';
import { runSteward as run } from '../support/run-binary.js';

const NOW = new Date('2026-11-30T09:00:00Z');
const ago = (days: number, minutes = 0): string => new Date(NOW.getTime() - days * 86_400_000 - minutes * 60_000).toISOString();
const COUNT = 250;
const name = (i: number): string => String(i).padStart(3, '0');

/**
 * `COUNT` services `svc-000` on, each owned in Opsgenie by its own team `Team 000`. Every third team
 * has no integration; of those, the even ones had an alert in the last 30 days (team 000 a great
 * many), the odd ones only 40 days ago. Beside them: `by-id` names its team by id, `lower-case`
 * by name in another case, `ghost` a team Opsgenie does not have, `no-genie` no annotation.
 */
function catalogFile(dir: string): string {
  const component = (n: string, team?: string): string =>
    `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${n}\n${team ? `  annotations:\n    opsgenie.com/team: ${team}\n` : ''}spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n`;
  const docs = [
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n',
    ...Array.from({ length: COUNT }, (_, i) => component(`svc-${name(i)}`, `Team ${name(i)}`)),
    component('by-id', 'team-Team 001'),
    component('lower-case', 'team 003'),
    component('ghost', 'Nobody'),
    component('no-genie'),
  ];
  const file = join(dir, 'catalog.yaml');
  writeFileSync(file, docs.join('---\n'));
  return file;
}

describe('steward facts collect from Opsgenie', () => {
  let dir: string;
  let opsgenie: FakeOpsgenie & FakeOgFacts;
  let steward: Steward | undefined;

  const open = (): Steward => {
    steward = createSteward({
      db: join(mkdtempSync(join(dir, 'db-')), 'steward.db'),
      logger: memoryLogger().logger,
      clock: { now: () => NOW },
      scoring: { includeDefaults: true },
      oncall: {
        config: { pagerduty: undefined, opsgenie: { apiKey: opsgenie.apiKey, apiUrl: opsgenie.url, webUrl: undefined }, rotations: {}, timeoutMs: 1500, freshForMs: 60_000 },
      },
    });
    expect(importCatalog(steward.catalog, [catalogFile(dir)], { now: NOW }).errors).toEqual([]);
    return steward;
  };
  const factOf = (ref: string, key: string) => steward!.stores.facts.factsOf(`component:default/${ref}`).find((f) => f.key === key);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-opsgenie-facts-'));
    const alerts: FakeOgAlert[] = [];
    for (let i = 0; i < COUNT; i += 3) {
      if (i % 2 === 0) alerts.push({ team: `Team ${name(i)}`, createdAt: ago(2, i) });
      else alerts.push({ team: `Team ${name(i)}`, createdAt: ago(40) });
    }
    // A noisy team: more alerts than a page holds, all newer than anyone else's.
    for (let n = 0; n < 150; n++) alerts.push({ team: 'Team 000', createdAt: ago(0, n) });
    opsgenie = await startFakeOpsgenie({
      teams: [...Array.from({ length: COUNT }, (_, i) => `Team ${name(i)}`), 'Quiet'],
      integrations: [
        ...Array.from({ length: COUNT }, (_, i) => i)
          .filter((i) => i % 3 !== 0)
          .map((i) => ({ team: `Team ${name(i)}`, type: i % 2 ? 'Prometheus' : 'API' })),
        // A disabled integration routes nothing.
        { team: 'Team 003', enabled: false },
      ],
      alerts,
    });
  });
  afterEach(() => {
    steward?.close();
    steward = undefined;
    opsgenie.reset();
  });
  afterAll(async () => {
    await opsgenie.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads teams and integrations once and alerts for many teams in one query: under 2 requests per 100 services', async () => {
    const s = open();
    const report = await collectFacts(s.factsCollect(), { source: 'opsgenie' });
    const og = report.sources[0]!;
    expect(og).toMatchObject({ source: 'opsgenie', name: 'Opsgenie', outcome: 'ok', read: COUNT + 3 });
    expect(opsgenie.requests.map((r) => r.path)).toEqual(['/v2/teams', '/v2/integrations', '/v2/alerts', '/v2/alerts']);
    expect((og.requests / og.read) * 100).toBeLessThanOrEqual(2);
    expect(opsgenie.requests.every((r) => r.headers.authorization === `GenieKey ${opsgenie.apiKey}`)).toBe(true);

    // One query names every team without an integration; the next leaves out the noisy team it found.
    const queries = opsgenie.requests.filter((r) => r.path === '/v2/alerts').map((r) => r.query.get('query')!);
    expect(queries[0]).toMatch(new RegExp(`^createdAt >= ${NOW.getTime() - 30 * 86_400_000} AND teams: \\("Team \\d{3}"( OR "Team \\d{3}")*\\)$`));
    expect([...queries[0]!.matchAll(/"(Team \d{3})"/g)].map((m) => m[1]).sort()).toEqual(Array.from({ length: 84 }, (_, k) => `Team ${name(k * 3)}`));
    expect(queries[1]).not.toContain('"Team 000"');

    expect(factOf('svc-001', 'alerts.configured')).toMatchObject({ value: true, source: 'opsgenie', observedAt: NOW });
    expect(factOf('svc-000', 'alerts.configured')?.value).toBe(true);
    expect(factOf('svc-006', 'alerts.configured')?.value).toBe(true);
    expect(factOf('svc-003', 'alerts.configured')?.value).toBe(false);
    expect(factOf('svc-009', 'alerts.configured')?.value).toBe(false);
    expect(factOf('by-id', 'alerts.configured')?.value).toBe(true);
    expect(factOf('lower-case', 'alerts.configured')?.value).toBe(false);
    expect(factOf('ghost', 'alerts.configured')).toBeUndefined();
    expect(factOf('no-genie', 'alerts.configured')).toBeUndefined();
  });

  it("leaves MTTR unknown and says why: Opsgenie's incidents have no resolution time", async () => {
    const s = open();
    const report = await collectFacts(s.factsCollect(), { source: 'opsgenie' });
    expect(factOf('svc-001', 'incidents.mttr_hours')).toBeUndefined();
    expect(report.sources[0]!.unknown).toEqual([
      { reason: "Opsgenie's Incident API gives no resolution time (only createdAt and updatedAt)", count: COUNT + 3 },
      { reason: 'Opsgenie has no team with the opsgenie.com/team given', count: 1 },
    ]);
    expect(formatCollectReport(report)).toContain('Opsgenie: 253 services read, 252 facts recorded');
  });

  it('an alerts query Opsgenie rejects leaves only those teams unknown, with its answer', async () => {
    const s = open();
    opsgenie.fail('/v2/alerts', { status: 500 });
    const report = await collectFacts(s.factsCollect(), { source: 'opsgenie' });
    expect(report.sources[0]!.outcome).toBe('ok');
    expect(factOf('svc-001', 'alerts.configured')?.value).toBe(true);
    expect(factOf('svc-003', 'alerts.configured')).toBeUndefined();
    expect(report.sources[0]!.unknown).toContainEqual({ reason: 'Opsgenie answered GET /v2/alerts with HTTP 500: Internal Server Error', count: 84 + 1 });
  });

  it('an API key Opsgenie refuses fails the source with what to set, and keeps the facts it had', async () => {
    const s = open();
    await collectFacts(s.factsCollect(), { source: 'opsgenie' });
    opsgenie.fail('/v2/teams', { status: 401, body: JSON.stringify({ message: 'Could not authenticate', code: 40101 }) });
    const report = await collectFacts(s.factsCollect());
    expect(report.sources).toMatchObject([{ source: 'opsgenie', outcome: 'failed', error: 'Opsgenie refused the API key (HTTP 401: Could not authenticate): check OPSGENIE_API_KEY' }]);
    expect(factOf('svc-001', 'alerts.configured')?.value).toBe(true);
  });

  it('a team Opsgenie reports in a shape its API does not document is never a fact', async () => {
    const s = open();
    opsgenie.fail('/v2/integrations', { status: 200, body: JSON.stringify({ data: [{ id: 7, teamId: 'team-Team 001' }] }) });
    const report = await collectFacts(s.factsCollect(), { source: 'opsgenie' });
    expect(report.sources[0]).toMatchObject({ outcome: 'failed', error: "Opsgenie's answer to GET /v2/integrations is not shaped as its API documents" });
    expect(factOf('svc-001', 'alerts.configured')).toBeUndefined();
  });
});


describe('steward facts collect --source opsgenie (the binary)', () => {
  it('reads Opsgenie with OPSGENIE_API_KEY at OPSGENIE_API_URL, says why MTTR is unknown, and score names the source', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-opsgenie-cli-'));
    const opsgenie = await startFakeOpsgenie({
      apiKey: 'eu-key',
      teams: ['Payments', 'Search'],
      integrations: [{ team: 'Payments', type: 'Datadog' }],
    });
    try {
      const component = (n: string, team: string): string =>
        `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${n}\n  annotations:\n    opsgenie.com/team: ${team}\nspec:\n  type: service\n  lifecycle: production\n  owner: payments\n`;
      writeFileSync(
        join(cwd, 'catalog.yaml'),
        ['apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: payments\nspec:\n  type: team\n  children: []\n', component('ledger-api', 'Payments'), component('search-api', 'Search')].join('---\n'),
      );
      // The EU region is only another URL: https://api.eu.opsgenie.com, here the fake.
      const env = { OPSGENIE_API_KEY: 'eu-key', OPSGENIE_API_URL: opsgenie.url };
      expect((await run(['import', 'catalog.yaml'], cwd, env)).stderr).toBe('');
      const r = await run(['facts', 'collect', '--source', 'opsgenie'], cwd, env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('  Opsgenie: 2 services read, 2 facts recorded, 2 unknown; 3 requests in ');
      expect(r.stdout).toContain("    unknown 2×: Opsgenie's Incident API gives no resolution time (only createdAt and updatedAt)\n");
      expect(opsgenie.requests.map((q) => q.path)).toEqual(['/v2/teams', '/v2/integrations', '/v2/alerts']);
      const score = await run(['score', '--service', 'search-api', '--json', '--scorecard', 'production-readiness'], cwd, env);
      expect(score.stdout).toContain('"from": "Opsgenie, ');
      expect(score.stdout).toMatch(/"state": "fail",\n\s+"evidence": "alerts.configured is false \(needs == true\)",\n\s+"facts": \[\n\s+\{\n\s+"key": "alerts.configured",\n\s+"source": "opsgenie"/);
    } finally {
      await opsgenie.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
