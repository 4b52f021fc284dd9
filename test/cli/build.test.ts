import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * `npm run build` is what production runs (`npm start` builds, then runs dist/src/cli.js), so the
 * compiled tree must find its data files (migrations, scorecards, the demo catalog) from dist/.
 */
describe('the compiled build', () => {
  let cwd: string;
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', HOME: cwd },
      timeout: 60_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(() => {
    const build = spawnSync(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json')], { encoding: 'utf8', timeout: 120_000 });
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);
    cwd = mkdtempSync(join(tmpdir(), 'steward-build-'));
  }, 150_000);

  it('builds the binary and nothing from test/ or bench/', () => {
    expect(existsSync(CLI)).toBe(true);
    expect(existsSync(join(ROOT, 'dist', 'test'))).toBe(false);
    expect(existsSync(join(ROOT, 'dist', 'bench'))).toBe(false);
  });

  it('migrates a new database, imports a catalog and answers from it', () => {
    const imported = run(['import', join(ROOT, 'src', 'demo', 'catalog'), '--db', 'steward.db']);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/Component +added +53/);
    expect(imported.code).toBe(0);
    const answer = run(['ask', 'who-owns payments-api', '--db', 'steward.db']);
    expect(answer.stdout).toContain('Payments API (payments-api) is owned by Payments.');
    expect(answer.code).toBe(0);
  });

  it('loads the bundled scorecards', () => {
    const health = run(['ask', 'health payments-api', '--db', 'steward.db']);
    expect(health.stdout).toMatch(/Production readiness/i);
    expect(health.code).toBe(0);
  });
});
