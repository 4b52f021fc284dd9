import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobThreads } from '../../src/app/job-thread.js';
import type { Config } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import { BotError } from '../../src/core/errors.js';
import type { RunningServer } from '../../src/serve.js';
import { startServer } from '../../src/serve.js';
import type { FakeGithub } from '../support/fake-github.js';
import { startFakeGithub } from '../support/fake-github.js';
import type { LogRecord } from '../support/memory-logger.js';
import { memoryLogger } from '../support/memory-logger.js';

/**
 * serve's scheduled jobs (the GitHub sync, fact collection) run in a thread of their own with their
 * own connection: an import holding the write lock makes the job wait, never the bot.
 */
describe('scheduled jobs in a thread of their own', () => {
  let fake: FakeGithub;
  let dir: string;
  let config: Config;
  let server: RunningServer | undefined;
  let logs: LogRecord[];
  beforeEach(async () => {
    fake = await startFakeGithub({
      org: 'acme',
      repos: [{ name: 'ledger', files: { '.github/CODEOWNERS': '* @acme/payments\n' } }],
      teams: [{ slug: 'payments', name: 'Payments', members: ['hubot'] }],
      people: [{ login: 'hubot', name: 'Hubot', email: 'hubot@acme.example' }],
    });
    dir = mkdtempSync(join(tmpdir(), 'steward-job-thread-'));
    const file = join(dir, 'steward.config.yaml');
    writeFileSync(file, 'github:\n  org: acme\n');
    config = loadConfig({ PORT: '0', STEWARD_DB: join(dir, 'serve.db'), GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url, STEWARD_CONFIG: file });
    const log = memoryLogger();
    logs = log.logs;
    server = await startServer({ config, logger: log.logger, jobs: false, githubSyncOnStart: false });
  });
  afterEach(async () => {
    await server?.close();
    await fake.close();
  });

  /** Another process's `steward import` in the middle of its one transaction: it holds the write lock. */
  const holdWriteLock = (): { release(): void } => {
    const other = new Database(config.db);
    other.exec('BEGIN IMMEDIATE');
    return {
      release: () => {
        other.exec('ROLLBACK');
        other.close();
      },
    };
  };
  const lockedLine = (): LogRecord | undefined => logs.find((l) => l.message.includes('locked by another process'));
  const until = async (what: () => unknown): Promise<void> => {
    for (let i = 0; i < 600 && !what(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(what()).toBeTruthy();
  };

  it('a sync waits for an import to finish while /healthz and commands answer, then stores its catalog', async () => {
    const lock = holdWriteLock();
    const run = server!.githubSync!.run();
    // The thread has read GitHub and found the catalog locked: it says so, with its job.
    await until(lockedLine);
    expect(lockedLine()).toMatchObject({ level: 'warn', fields: { job: 'github-sync' } });
    const health = await fetch(`${server!.url}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { githubSync: { running: boolean } }).githubSync.running).toBe(true);
    const answer = await server!.steward.router.dispatch({ platform: 'shell', actor: { id: 'ops' }, text: 'who-owns ledger', receivedAt: new Date() });
    expect(JSON.stringify(answer)).toContain('ledger');
    lock.release();
    expect(await run).toBe('ok');
    const who = await server!.steward.router.dispatch({ platform: 'shell', actor: { id: 'ops' }, text: 'who-owns ledger', receivedAt: new Date() });
    expect(JSON.stringify(who)).toContain('Payments');
  });

  it('shutdown stops a job that waits for the lock: the run is reported stopped, nothing is half-written', async () => {
    const lock = holdWriteLock();
    const run = server!.githubSync!.run();
    await until(lockedLine);
    await server!.close();
    expect(await run).toBe('failed');
    expect(server!.githubSync!.status().last).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/stopped by shutdown; the next run does it again/) });
    expect(logs.some((l) => l.message === 'scheduled job stopped by shutdown' && l.fields?.['job'] === 'github-sync')).toBe(true);
    lock.release();
    const db = new Database(config.db, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM entities WHERE name = 'ledger'").pluck().get()).toBe(0);
    db.close();
    server = undefined;
  });

  it('a job thread that dies is reported with its job, and the next run has a thread of its own', async () => {
    const log = memoryLogger();
    // Room for too little: V8 ends the thread (ERR_WORKER_OUT_OF_MEMORY) as it loads.
    const starved = createJobThreads({ config, db: config.db, logger: log.logger, resourceLimits: { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 } });
    const failure = await starved.run('github-sync').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(BotError);
    expect(failure).toMatchObject({ code: 'job_thread_crashed', message: expect.stringMatching(/^github-sync: the job thread crashed: /) });
    expect(starved.running).toBe(0);
    const healthy = createJobThreads({ config, db: config.db, logger: log.logger });
    expect((await healthy.run('github-sync')).seen).toBe(1);
  });

  it('takes a config with every section set: a job thread gets it by structured clone, so it holds only data', () => {
    writeFileSync(
      join(dir, 'full.yaml'),
      [
        'github:\n  org: acme',
        "facts:\n  prometheus:\n    queries:\n      slo.error_budget_remaining: 'slo:budget'",
        'oncall:\n  rotations:\n    team-sre: { rotation: { members: [ana.ruiz], length: 12h, handoff: { time: "08:00" }, timezone: Europe/Berlin, start: "2026-03-01" } }',
        'limits:\n  commandsInFlight: 50',
      ].join('\n'),
    );
    const full = loadConfig({
      STEWARD_CONFIG: join(dir, 'full.yaml'),
      GITHUB_TOKEN: 't',
      PAGERDUTY_TOKEN: 'p',
      OPSGENIE_API_KEY: 'o',
      PROMETHEUS_URL: 'http://prometheus.test',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      MICROSOFT_APP_ID: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      MICROSOFT_APP_PASSWORD: 'p',
      STEWARD_PUBLIC_URL: 'https://steward.test',
      STEWARD_OIDC_ISSUER: 'https://login.test',
      STEWARD_OIDC_CLIENT_ID: 'c',
      STEWARD_OIDC_CLIENT_SECRET: 'd',
    });
    expect(structuredClone(full)).toEqual(full);
  });
});
