import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateOrg, writeOrg } from '../../bench/generate-org.js';

const BIN = fileURLToPath(new URL('../../src/steward.js', import.meta.url));
const COMPONENTS = 4_000;

/**
 * The binary with a small V8 stack (--stack-size, in KB): a spread of one argument per result into
 * a call (Math.max(...widths)) overflows it at a few thousand results, as the default stack does at
 * 50,000. So a modest catalog shows what only a large one would otherwise.
 */
function steward(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--stack-size=120', BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd },
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe(`steward score over ${COMPONENTS.toLocaleString('en')} components`, () => {
  it('exits 0, prints a row per result and stores every result; --json is one valid document', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-score-scale-'));
    writeOrg(join(cwd, 'org'), generateOrg({ components: COMPONENTS, seed: 3 }));
    expect(steward(cwd, ['import', 'org/all.yaml']).code).toBe(0);

    const scored = steward(cwd, ['score']);
    expect(scored.stderr).toBe('');
    expect(scored.code).toBe(0);
    const lines = scored.stdout.trimEnd().split('\n');
    const summary = /^Evaluated (\d+) services against (\d+) scorecards in [\d.]+ s; (\d+) results changed since the last run\.$/.exec(lines.at(-1)!);
    expect(summary).not.toBeNull();
    expect(Number(summary![1])).toBe(COMPONENTS);
    expect(lines[0]).toMatch(/^SERVICE +SCORECARD +LEVEL +SCORE +CHECKS$/);
    const rows = lines.length - 2; // less the header and the summary
    // The import scored every service already (so the stored team standings follow the catalog):
    // this run prints every result and finds nothing changed.
    expect(Number(summary![3])).toBe(0);
    expect(rows).toBeGreaterThanOrEqual(COMPONENTS);

    const json = steward(cwd, ['score', '--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { evaluatedAt: string; results: Array<{ service: string }> };
    expect(doc.results).toHaveLength(rows);
    expect(json.stdout).toBe(`${JSON.stringify(doc, null, 2)}\n`);
  });
});
