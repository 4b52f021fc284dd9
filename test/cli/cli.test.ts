import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'src', 'steward.js');
const SMALL_ORG = join(ROOT, 'test', 'fixtures', 'catalog');
const BROKEN = join(ROOT, 'test', 'fixtures', 'broken', 'mixed.yaml');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real binary the way a user does, in a temp working directory. */
function steward(args: string[], options: { cwd: string; input?: string; env?: Record<string, string> }): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: options.cwd, ...options.env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the steward binary', () => {
  let cwd: string;
  let catalog: string;
  const run = (args: string[], input?: string) => steward(args, { cwd, ...(input ? { input } : {}) });

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'steward-cli-'));
    catalog = join(cwd, 'catalog');
    cpSync(SMALL_ORG, catalog, { recursive: true });
    const first = run(['import', 'catalog/all.yaml']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
  });

  it('imports and counts per kind, then finds nothing to change the second time', () => {
    const again = run(['import', 'catalog/all.yaml']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Component\s+added\s+0\s+updated\s+0\s+unchanged\s+7\s+removed\s+0/);
    expect(again.stdout).toMatch(/Warnings \(1; imported anyway\):\n  catalog\/services\.yaml:\d+: component:default\/ghost-worker: owner group:default\/team-ghost is not in the catalog/);
  });

  it('answers a question and exits 0', () => {
    const r = run(['ask', 'who-owns payments-api']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Payments API \(payments-api\)\nPayments API \(payments-api\) is owned by Payments\./);
  });

  it('exits 1 for a negative answer and 2 for bad usage', () => {
    const missing = run(['ask', 'who-owns', 'no-such-thing']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('I don\'t know a service called "no-such-thing".');
    expect(run(['ask', 'who-own payments-api']).code).toBe(2);
    expect(run(['ask', 'who-owns']).code).toBe(2);
  });

  it('prints the neutral reply as JSON', () => {
    const r = run(['ask', '--json', 'who-owns pay']);
    const reply = JSON.parse(r.stdout) as { fallback: string; visibility: string; blocks: unknown[] };
    expect(reply.fallback).toMatch(/is owned by Payments/);
    expect(reply.visibility).toBe('caller');
  });

  it('answers mine for the person named with --as', () => {
    const r = run(['ask', 'mine', '--as', 'ana.ruiz@acme.example']);
    expect(r.stdout).toMatch(/^6 owned by you and your teams/);
  });

  it('runs a shell over piped input', () => {
    const r = run(['shell'], '/service who-owns ledger-service\nteam payments\nexit\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ledger-service is owned by Payments.');
    expect(r.stdout).toContain('Members (2): Ana Ruiz <ana.ruiz@acme.example>, Ben Okafor');
  });

  it('names an unknown option and exits 2', () => {
    const r = run(['ask', '--jsn', 'help']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--jsn'");
  });

  it('refuses to ask a database that does not exist', () => {
    const r = run(['ask', '--db', 'nowhere.db', 'help']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('database nowhere.db does not exist yet');
  });

  it('reports a broken file by line, imports the rest, and loses nothing stored', () => {
    cpSync(BROKEN, join(cwd, 'mixed.yaml'));
    const r = run(['import', 'mixed.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Problems \(2; these were not imported, everything else was\):/);
    expect(r.stdout).toMatch(/  mixed\.yaml:1[56]: invalid YAML: /);
    expect(r.stdout).toMatch(/  mixed\.yaml:19: not a valid name: metadata\.name must be/);
    expect(run(['ask', 'who-owns good-service']).stdout).toContain('good-service is owned by Payments.');
    expect(run(['ask', 'who-owns payments-api']).code).toBe(0);
  });

  it('prunes exactly what is gone from the imported files', () => {
    const services = join(catalog, 'services.yaml');
    const text = readFileSync(services, 'utf8');
    writeFileSync(services, text.replace(/---\napiVersion: backstage.io\/v1alpha1\nkind: Component\nmetadata:\n  name: orphan-job[\s\S]*?(?=---)/, ''));
    const r = run(['import', 'catalog/all.yaml', '--prune']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Component\s+added\s+0\s+updated\s+\d+\s+unchanged\s+\d+\s+removed\s+1/);
    expect(run(['ask', 'who-owns orphan-job']).code).toBe(1);
    // good-service came from another file, which this import did not cover: kept.
    expect(run(['ask', 'who-owns good-service']).code).toBe(0);
    writeFileSync(services, text);
  });

  it('applies migrations on request and says so', () => {
    const r = run(['migrate', '--db', 'fresh.db']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fresh\.db: 0 migration\(s\) applied before; \d+ now: 0001_catalog\.sql/);
    expect(run(['migrate', '--db', 'fresh.db']).stdout).toMatch(/fresh\.db: \d+ migration\(s\) applied before; 0 now\./);
  });
});
