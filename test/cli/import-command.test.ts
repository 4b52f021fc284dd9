import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../src/steward.js', import.meta.url));

function steward(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: cwd }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const component = (name: string): string =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  owner: team-a\n`;
const TEAM = 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n';

describe('steward import', () => {
  it('says how many files were unchanged and not parsed again', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-cli-import-'));
    mkdirSync(join(cwd, 'catalog'));
    writeFileSync(join(cwd, 'catalog', 'team.yaml'), TEAM);
    writeFileSync(join(cwd, 'catalog', 'svc.yaml'), `${component('one')}---\n${component('two')}`);
    expect(steward(['import', 'catalog'], cwd).code).toBe(0);
    const again = steward(['import', 'catalog', '--prune'], cwd);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^2 files unchanged since the last import, not parsed again\.$/m);
    expect(again.stdout).toMatch(/Component\s+added\s+0\s+updated\s+0\s+unchanged\s+2\s+removed\s+0/);
  });

  it('refuses a Location target outside the imported folders (exit 2), and follows it with --allow-outside', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-cli-import-'));
    mkdirSync(join(cwd, 'catalog'));
    mkdirSync(join(cwd, 'elsewhere'));
    writeFileSync(join(cwd, 'elsewhere', 'x.yaml'), component('elsewhere'));
    writeFileSync(
      join(cwd, 'catalog', 'all.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: all\nspec:\n  targets:\n    - ../elsewhere/x.yaml\n    - /etc/hostname\n',
    );
    const refused = steward(['import', 'catalog/all.yaml'], cwd);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('catalog/all.yaml:1: target ../elsewhere/x.yaml is outside the imported folders');
    expect(refused.stdout).toContain('catalog/all.yaml:1: target /etc/hostname is outside the imported folders');
    expect(steward(['ask', 'who-owns elsewhere'], cwd).code).toBe(1);
    const allowed = steward(['import', 'catalog/all.yaml', '--allow-outside'], cwd);
    expect(allowed.stdout).toMatch(/Component\s+added\s+1/);
    expect(steward(['ask', 'who-owns elsewhere'], cwd).code).toBe(0);
  });
});
