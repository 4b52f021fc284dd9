import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCommand } from '../../src/cli/sync-command.js';
import { InputError } from '../../src/core/errors.js';
import type { FakeGithub } from '../support/fake-github.js';
import { startFakeGithub } from '../support/fake-github.js';
import { runSteward as steward } from '../support/run-binary.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ORG_CATALOG = join(ROOT, 'test', 'fixtures', 'catalog', 'github-org.yaml');


describe('steward sync github (the binary)', () => {
  let fake: FakeGithub;
  let cwd: string;
  beforeAll(async () => {
    fake = await startFakeGithub({
      org: 'acme',
      repos: [
        { name: 'checkout', files: { 'README.md': 'hello', '.github/CODEOWNERS': '* @acme/payments\n' } },
        { name: 'attic', archived: true },
      ],
      teams: [{ slug: 'payments', name: 'Payments', members: ['hubot'] }, { slug: 'guild' }],
      people: [{ login: 'hubot', name: 'Hubot' }],
      tokens: { ghp_repo_only: ['repo'] },
    });
    cwd = mkdtempSync(join(tmpdir(), 'steward-sync-'));
    expect((await steward(['import', ORG_CATALOG], cwd, {})).code).toBe(0);
  });
  afterAll(() => fake.close());

  it('syncs, prints counts and log lines off a terminal, and exits 0', async () => {
    const r = await steward(['sync', 'github', '--org', 'acme'], cwd, { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url });
    expect(r.stderr).toContain('sync github: files 1/1');
    expect(r.stdout).toContain('GitHub acme: 2 repositories seen; 1 archived and 0 outside the pattern skipped; 0 unchanged since the last sync (not read); 1 read.');
    expect(r.stdout).toContain('1 components discovered (no catalog-info.yaml), 1 owned from CODEOWNERS');
    expect(r.code).toBe(0);
  });

  it('lists people without an email with what to do', async () => {
    const r = await steward(['sync', 'github', '--org', 'acme'], cwd, { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Teams and people: 2 teams and 1 people read');
    expect(r.stdout).toContain('No email visible for 1 person (chat cannot reach them): hubot.');
  });

  it('exits 2 with one line naming read:org when the token lacks it, and removes nothing', async () => {
    const before = await steward(['ask', 'team guild'], cwd, {});
    expect(before.stdout).toContain('guild');
    const r = await steward(['sync', 'github', '--org', 'acme'], cwd, { GITHUB_TOKEN: 'ghp_repo_only', GITHUB_API_URL: fake.url });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('sync github:'))).toEqual([
      expect.stringMatching(/^steward: GitHub: the token lacks the read:org scope, which reading the teams and members of acme needs/),
    ]);
    const after = await steward(['ask', 'team guild'], cwd, {});
    expect(after.stdout).toBe(before.stdout);
    const unknown = await steward(['sync', 'github', '--org', 'nobody'], cwd, { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no organisation nobody visible to the token.*read:org/);
  });

  it('takes the organisation from the config file when --org is not given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-sync-config-'));
    const file = join(dir, 'steward.config.yaml');
    writeFileSync(file, 'github:\n  org: acme\n');
    const r = await steward(['sync', 'github', '--config', file], cwd, { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('GitHub acme: 2 repositories seen');
  });

  it('exits 2 with a bad token', async () => {
    const bad = await steward(['sync', 'github', '--org', 'acme'], cwd, { GITHUB_TOKEN: 'ghp_nope', GITHUB_API_URL: fake.url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('401 Bad credentials');
  });

  it('refuses bad usage before opening anything (the binary exits 2 on InputError)', async () => {
    const io = { out() {}, err() {}, env: { GITHUB_TOKEN: fake.token }, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
    await expect(syncCommand.run(['github'], io)).rejects.toThrow(InputError);
    await expect(syncCommand.run(['gitlab', '--org', 'acme'], io)).rejects.toThrow(/sync github --org ORG/);
    await expect(syncCommand.run(['github', '--org', 'acme'], { ...io, env: {} })).rejects.toThrow(/GITHUB_TOKEN/);
    await expect(syncCommand.run(['github', '--org', 'acme', '--bogus'], io)).rejects.toThrow(InputError);
  });
});
