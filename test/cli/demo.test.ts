import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../src/steward.js', import.meta.url));

describe('npm run demo', () => {
  it('imports the bundled catalog without a problem, seeds facts and answers in the shell', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-demo-'));
    const run = () =>
      spawnSync(process.execPath, [BIN, 'demo'], {
        cwd,
        input: 'who-owns payments-api\nwho-owns paymnets-api\nhealth payments-api production-readiness\nmine\nexit\n',
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', HOME: cwd },
      });
    const first = run();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Steward demo: a fictional company's catalog \(53 components, 14 groups, 38 people\) in \.\/data\/demo\.db\./);
    expect(first.stdout).toContain('Payments API (payments-api) is owned by Payments.');
    expect(first.stdout).toContain('Did you mean "payments-api"');
    expect(first.stdout).toMatch(/Production readiness: (Bronze|Silver|Gold) · \d+\/100/);
    expect(first.stdout).toMatch(/owned by you and your teams/);
    // A second start re-imports nothing and keeps the facts.
    const second = run();
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/Production readiness: (Bronze|Silver|Gold) · \d+\/100/);
  });
});
