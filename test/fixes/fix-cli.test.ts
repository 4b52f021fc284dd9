import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGithub } from '../support/fake-github.js';
import { startFakeGithub } from '../support/fake-github.js';
import type { FakeGithubWrites } from '../support/fake-github-writes.js';
import { startFakeGithubWrites } from '../support/fake-github-writes.js';
import { FIX_CATALOG, PAYMENTS_INFO, fixRepos } from './support/fix-world.js';
import { runSteward as steward } from '../support/run-binary.js';



describe('steward fix (the binary)', () => {
  let github: FakeGithub;
  let writes: FakeGithubWrites;
  let cwd: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    github = await startFakeGithub({ org: 'acme', repos: fixRepos(), teams: [{ slug: 'payments' }] });
    writes = await startFakeGithubWrites(github, { org: 'acme' });
    cwd = mkdtempSync(join(tmpdir(), 'steward-fix-'));
    env = { GITHUB_TOKEN: github.token, GITHUB_API_URL: writes.url };
    expect((await steward(['import', FIX_CATALOG], cwd, {})).code).toBe(0);
  });
  afterAll(async () => {
    await writes.close();
    await github.close();
  });

  it('--dry-run prints the change, diff-like, and writes nothing', async () => {
    const r = await steward(['fix', 'payments-api', 'documentation/techdocs', '--dry-run'], cwd, env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: would open a pull request on acme/payments against main, from a new branch steward/fix-documentation-techdocs, fixing documentation/techdocs for payments-api. Nothing was written.');
    expect(r.stdout).toContain('+++ mkdocs.yml (new file)\n+ site_name: "Payments API"\n');
    expect(r.stdout).toContain('+++ docs/index.md (new file)\n+ # Payments API\n');
    // The edit shows the added line among the untouched ones, comments included.
    expect(r.stdout).toContain(
      '--- catalog-info.yaml\n+++ catalog-info.yaml\n  # Payments API: owned by the payments team. Keep this comment.\n',
    );
    expect(r.stdout).toContain('    github.com/project-slug: acme/payments\n+     backstage.io/techdocs-ref: dir:.\n  spec:\n');
    expect(writes.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    expect(writes.pulls).toEqual([]);
  });

  it('opens the pull request and prints its URL (exit 0); a second run links it (exit 0)', async () => {
    const r = await steward(['fix', 'payments-api', 'documentation/techdocs'], cwd, env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Opened https://github.example/acme/payments/pull/1\nBranch steward/fix-documentation-techdocs on acme/payments; review asked of @acme/payments.\n');
    expect(r.code).toBe(0);
    expect(writes.branches('payments').get('steward/fix-documentation-techdocs')!['catalog-info.yaml']).toContain('backstage.io/techdocs-ref: dir:.');
    expect(writes.branches('payments').get('main')!['catalog-info.yaml']).toBe(PAYMENTS_INFO);

    const again = await steward(['fix', 'payments-api', 'documentation/techdocs'], cwd, env);
    expect(again.stdout).toBe('Already open (not opened twice): https://github.example/acme/payments/pull/1\n');
    expect(again.code).toBe(0);
    expect(writes.pulls).toHaveLength(1);
  });

  it('exits 1 when a fix is not possible here, 2 for bad usage', async () => {
    const noRepo = await steward(['fix', 'billing-worker', 'documentation/techdocs', '--dry-run'], cwd, env);
    expect(noRepo.stderr).toContain("steward: I don't know the repository of billing-worker.");
    expect(noRepo.code).toBe(1);

    const noFileFix = await steward(['fix', 'payments-api', 'production-readiness/alerts'], cwd, env);
    expect(noFileFix.stderr).toContain('has no file fix: no pull request can make it pass.');
    expect(noFileFix.code).toBe(1);

    const archived = await steward(['fix', 'platform-tools', 'documentation/techdocs'], cwd, env);
    expect(archived.stderr).toContain('steward: GitHub refused: acme/platform-tools is archived, so it is read-only.');
    expect(archived.code).toBe(1);

    const noToken = await steward(['fix', 'payments-api', 'documentation/techdocs'], cwd, {});
    expect(noToken.stderr).toContain('steward: Steward has no GitHub token, so it cannot open pull requests.');
    expect(noToken.code).toBe(1);

    const unknownService = await steward(['fix', 'paymnts-api', 'documentation/techdocs'], cwd, env);
    expect(unknownService.code).toBe(1);

    const unknownCheck = await steward(['fix', 'payments-api', 'documentation/nope'], cwd, env);
    expect(unknownCheck.stderr).toContain('There is no check called "documentation/nope". Checks a pull request can fix: ');
    expect(unknownCheck.code).toBe(2);

    const missing = await steward(['fix', 'payments-api'], cwd, env);
    expect(missing.stderr).toBe('steward: fix needs a service and a check: steward fix payments-api documentation/techdocs [--dry-run]\n');
    expect(missing.code).toBe(2);

    const badOption = await steward(['fix', 'payments-api', 'documentation/techdocs', '--force'], cwd, env);
    expect(badOption.stderr).toContain("Unknown option '--force'");
    expect(badOption.code).toBe(2);
    expect(writes.pulls).toHaveLength(1);
  });
});
