import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/serve.js';
import { memoryLogger } from '../support/memory-logger.js';

const BIN = fileURLToPath(new URL('../../src/steward.js', import.meta.url));

/** `serve` with a config it cannot run: exit 2 with the key, never a server left half-started. */
function serve(cwd: string, config: string, env: Record<string, string> = {}) {
  writeFileSync(join(cwd, 'steward.config.yaml'), config);
  // The timeout only stops a server that wrongly started; the assertions are on the exit code.
  const r = spawnSync(process.execPath, [BIN, 'serve'], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, PORT: '0', STEWARD_LOG_LEVEL: 'silent', ...env },
  });
  return { code: r.status, stderr: r.stderr };
}

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('steward serve refuses a config it cannot run', () => {
  it('exits 2 on an unknown time zone, naming the key', () => {
    const r = serve(mkdtempSync(join(tmpdir(), 'steward-serve-')), 'timezone: Europe/Berln\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('timezone: unknown time zone "Europe/Berln"');
    expect(r.stderr).not.toContain('serving on');
  });

  it('exits 2 on a rollout for a scorecard that does not exist', () => {
    const r = serve(mkdtempSync(join(tmpdir(), 'steward-serve-')), 'scorecards:\n  rollout:\n    nosuch: gate\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scorecards.rollout.nosuch');
  });

  it('exits 2 with a Slack bot token but neither a signing secret nor an app token', () => {
    const r = serve(mkdtempSync(join(tmpdir(), 'steward-serve-')), '{}\n', { SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SLACK_SIGNING_SECRET');
  });

  it('closes its port when start-up fails after listening (the jobs refuse the zone)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-serve-'));
    const port = await freePort();
    const config = { ...loadConfig({ STEWARD_DB: join(dir, 's.db') }), port, timezone: 'Europe/Berln' };
    await expect(startServer({ config, logger: memoryLogger().logger })).rejects.toThrow();
    // Listening again on the same port works only if the failed start let go of it.
    await new Promise<void>((resolve, reject) => {
      const s = createServer().once('error', reject).listen(port, () => s.close(() => resolve()));
    });
  });
});

describe('steward serve on an empty catalog', () => {
  it('says how to import one', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-serve-'));
    const child = spawn(process.execPath, [BIN, 'serve'], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: cwd, PORT: '0', STEWARD_LOG_LEVEL: 'silent' },
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('is empty')) resolve();
      });
      child.once('exit', () => resolve());
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('serving on');
    expect(stderr).toMatch(/catalog in \S+ is empty; import one with steward import/);
  });
});
