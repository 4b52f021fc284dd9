import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { InputError } from '../../src/core/errors.js';
import { createLogger } from '../../src/infra/log/create-logger.js';
import type { RunningServer } from '../../src/serve.js';
import { startServer } from '../../src/serve.js';
import type { FakeGithub } from '../support/fake-github.js';
import { startFakeGithub } from '../support/fake-github.js';

const configFile = (dir: string, text: string): string => {
  const file = join(dir, 'steward.config.yaml');
  writeFileSync(file, text);
  return file;
};

describe('the GitHub sync in the config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-gh-config-'));
  it('reads org and schedule, hourly by default', () => {
    const config = loadConfig({ GITHUB_TOKEN: 't', STEWARD_CONFIG: configFile(dir, 'github:\n  org: acme\n') });
    expect(config.github.sync).toEqual({ org: 'acme', schedule: '0 * * * *', repoPattern: undefined, includeArchived: false });
  });

  it('refuses a bad cron expression and a missing token, naming them', () => {
    expect(() => loadConfig({ GITHUB_TOKEN: 't', STEWARD_CONFIG: configFile(dir, 'github:\n  org: acme\n  schedule: every hour\n') })).toThrow(
      /github\.schedule: must be a five-field cron expression/,
    );
    expect(() => loadConfig({ STEWARD_CONFIG: configFile(dir, 'github:\n  org: acme\n') })).toThrow(InputError);
    expect(() => loadConfig({ STEWARD_CONFIG: configFile(dir, 'github:\n  org: acme\n') })).toThrow(/GITHUB_TOKEN: required by github\.org/);
  });
});

describe('steward serve runs the GitHub sync on its schedule', () => {
  let fake: FakeGithub;
  let server: RunningServer;
  beforeAll(async () => {
    fake = await startFakeGithub({
      org: 'acme',
      repos: [{ name: 'ledger', files: { '.github/CODEOWNERS': '* @acme/payments\n' } }],
      teams: [{ slug: 'payments', name: 'Payments', members: ['hubot'] }],
      people: [{ login: 'hubot', name: 'Hubot', email: 'hubot@acme.example' }],
    });
    const dir = mkdtempSync(join(tmpdir(), 'steward-gh-serve-'));
    const config = loadConfig({
      PORT: '0',
      STEWARD_DB: join(dir, 'serve.db'),
      GITHUB_TOKEN: fake.token,
      GITHUB_API_URL: fake.url,
      STEWARD_CONFIG: configFile(dir, 'github:\n  org: acme\n  schedule: "*/30 * * * *"\n'),
    });
    server = await startServer({ config, logger: createLogger({ level: 'silent' }), jobs: false, githubSyncOnStart: false });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('never runs two at once; the last outcome is in /healthz, the counts in /metrics', async () => {
    const health0 = (await (await fetch(`${server.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health0['githubSync']).toMatchObject({ org: 'acme', schedule: '*/30 * * * *', running: false, runs: { ok: 0, failed: 0, skipped: 0 } });
    const outcomes = await Promise.all([server.githubSync!.run(), server.githubSync!.run()]);
    expect(outcomes).toEqual(['ok', 'skipped']);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { githubSync: Record<string, unknown> };
    expect(health.githubSync).toMatchObject({
      org: 'acme',
      running: false,
      runs: { ok: 1, failed: 0, skipped: 1 },
      last: { outcome: 'ok', counts: { teams: 1, people: 1, repositories: 1, read: 1, ownedFromCodeowners: 1 } },
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('steward_github_sync_runs_total{org="acme",outcome="ok"} 1');
    expect(metrics).toContain('steward_github_sync_runs_total{org="acme",outcome="skipped"} 1');
    expect(metrics).toContain('steward_github_sync_last_count{org="acme",what="teams"} 1');
    const who = await server.steward.router.dispatch({ platform: 'shell', actor: { id: 'ops' }, text: 'who-owns ledger', receivedAt: new Date() });
    expect(JSON.stringify(who)).toContain('Payments');
  });

  it('a failed run is the last outcome with its reason, and removes nothing', async () => {
    const before = server.steward.catalog.counts();
    fake.fault({ route: 'graphql', status: 401, body: { message: 'Bad credentials' } });
    expect(await server.githubSync!.run()).toBe('failed');
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { githubSync: { last: Record<string, unknown>; runs: Record<string, number> } };
    expect(health.githubSync.last).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/GITHUB_TOKEN/) });
    expect(health.githubSync.runs).toMatchObject({ ok: 1, failed: 1 });
    expect(server.steward.catalog.counts()).toEqual(before);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain('steward_github_sync_runs_total{org="acme",outcome="failed"} 1');
  });
});
