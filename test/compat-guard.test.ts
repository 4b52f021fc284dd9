import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITEST = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

/** `npm run test:compat` without its fixtures once passed with every test skipped. */
describe('npm run test:compat without the shared fixtures', () => {
  it('fails loudly and says how to point STEWARD_SHARED at them', () => {
    const empty = mkdtempSync(join(tmpdir(), 'steward-no-shared-'));
    const r = spawnSync(process.execPath, [VITEST, 'run', '--config', 'test/compat/vitest.config.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', HOME: empty, STEWARD_SHARED: empty, CI: '1' },
      timeout: 120_000,
    });
    expect(r.status).not.toBe(0);
    const output = `${r.stdout}${r.stderr}`;
    expect(output).toContain('!!! The compatibility suite cannot run: its fixtures are missing.');
    expect(output).toContain(`!!! Not found: ${join(empty, 'fixtures', 'backstage')}`);
    expect(output).toContain('STEWARD_SHARED=/path/to/shared npm run test:compat');
  });
});
