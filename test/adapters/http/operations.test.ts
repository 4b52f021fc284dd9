import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { importCatalog } from '../../../src/import-catalog.js';
import { createLogger } from '../../../src/infra/log/create-logger.js';
import type { RunningServer } from '../../../src/serve.js';
import { startServer } from '../../../src/serve.js';
import { SMALL_ORG } from '../../support/test-bot.js';

/** What an operator relies on: /healthz, /metrics, the log lines and a clean shutdown. */
describe('operating steward serve', () => {
  let server: RunningServer;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-ops-'));
    const config = loadConfig({ PORT: '0', STEWARD_DB: join(dir, 'ops.db') });
    const logger = createLogger({ level: 'info', write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    server = await startServer({ config, logger, referenceId: () => 'ref42' });
    importCatalog(server.steward.catalog, [SMALL_ORG]);
  });
  afterAll(async () => server.close());

  const ask = (text: string) =>
    server.steward.router.dispatch({ platform: 'shell', actor: { id: 'ops' }, text, receivedAt: new Date() });

  it('reports health with the catalog size and what is configured', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok', slack: 'off', oncallProviders: [], catalog: { component: 7 }, jobs: { dryRun: true, timezone: 'UTC' } });
  });

  it('counts commands by name and outcome, and the catalog, in Prometheus format', async () => {
    await ask('who-owns payments-api');
    await ask('who-owns nothing-here');
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('steward_commands_total{command="who-owns",outcome="ok",platform="shell"} 1');
    expect(text).toContain('steward_commands_total{command="who-owns",outcome="user_error",platform="shell"} 1');
    expect(text).toMatch(/steward_command_duration_seconds_bucket\{le="0\.005",command="who-owns"\} \d/);
    expect(text).toContain('steward_catalog_entities{kind="component"} 7');
    expect(text).toContain('# TYPE steward_provider_calls_total counter');
  });

  it('logs one JSON line per command with a correlation id', async () => {
    lines.length = 0;
    await ask('who-owns payments-api');
    const line = lines.find((l) => l['msg'] === 'command');
    expect(line).toMatchObject({ level: 'info', name: 'steward', command: 'who-owns', outcome: 'ok', platform: 'shell', id: 'ref42' });
    expect(typeof line?.['ms']).toBe('number');
  });

  it('redacts tokens, secrets and authorization headers from log lines', () => {
    const out: string[] = [];
    const logger = createLogger({ write: (l) => void out.push(l) });
    logger.info('request', { headers: { authorization: 'Bearer xoxb-123', 'x-slack-signature': 'v0=abc' }, botToken: 'xoxb-456', nested: { apiKey: 'k', ok: 'fine' } });
    expect(out.join('')).not.toMatch(/xoxb|v0=abc|"k"/);
    expect(JSON.parse(out[0]!)).toMatchObject({ headers: { authorization: '[redacted]' }, nested: { ok: 'fine' } });
  });
});

describe('shutting down', () => {
  it('cuts connections that never finish once the grace period is over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-ops-'));
    const config = loadConfig({ PORT: '0', STEWARD_DB: join(dir, 'ops.db') });
    const server = await startServer({ config, logger: createLogger({ level: 'silent' }), shutdownGraceMs: 200 });
    // A client that sends half a request and then nothing.
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.resume(); // read (and drop) whatever the server says, so 'close' can fire
    socket.write('POST /api/v1/facts HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await server.close();
    await closed;
    expect(server.steward.db.open).toBe(false);
  });

  it('exits 0 on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-ops-'));
    const bin = fileURLToPath(new URL('../../../src/steward.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'serve'], { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: cwd, PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => {
      const check = (): void => void (stderr.includes('steward serving on') ? resolve() : setTimeout(check, 20));
      check();
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toMatch(/"how":"drained","msg":"stopped"/);
  });
});
