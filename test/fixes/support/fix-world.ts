import { join } from 'node:path';
import type { FakeGithub, FakeRepo } from '../../support/fake-github.js';
import { startFakeGithub } from '../../support/fake-github.js';
import type { FakeGithubWrites } from '../../support/fake-github-writes.js';
import { startFakeGithubWrites } from '../../support/fake-github-writes.js';
import type { TestBot } from '../../support/test-bot.js';
import { FIXTURES, createTestBot } from '../../support/test-bot.js';

/** The fix tests' world: the fixes catalog, the fake GitHub (reads and writes) and its repositories. */
export const FIX_CATALOG = join(FIXTURES, 'catalog', 'fixes.yaml');

export const PAYMENTS_INFO = `# Payments API: owned by the payments team. Keep this comment.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api   # the name the catalog knows
  annotations:
    github.com/project-slug: acme/payments
spec:
  type: service
  lifecycle: production
  owner: team-payments
`;

export function fixRepos(): FakeRepo[] {
  return [
    { name: 'payments', files: { 'catalog-info.yaml': PAYMENTS_INFO, 'README.md': 'short', 'src/main.ts': 'export {};\n' } },
    { name: 'dana-scripts', files: { 'run.sh': 'echo hi\n', '.github/dependabot.yml': 'version: 2\n' } },
    { name: 'platform-tools', files: { 'README.md': 'tools' }, archived: true },
  ];
}

export interface FixWorld {
  readonly bot: TestBot;
  readonly github: FakeGithub;
  readonly writes: FakeGithubWrites;
  close(): Promise<void>;
}

export async function startFixWorld(options: { readOnly?: boolean; restrictCreations?: string[]; token?: boolean; repos?: FakeRepo[] } = {}): Promise<FixWorld> {
  const github = await startFakeGithub({ org: 'acme', repos: options.repos ?? fixRepos(), teams: [{ slug: 'payments', name: 'Payments', members: ['ana-ruiz'] }], people: [{ login: 'ana-ruiz', email: 'ana.ruiz@acme.example' }], tokens: { ghp_read_only: ['repo'] } });
  const writes = await startFakeGithubWrites(github, {
    org: 'acme',
    readOnlyTokens: ['ghp_read_only'],
    ...(options.restrictCreations ? { restrictCreations: options.restrictCreations } : {}),
  });
  const token = options.token === false ? undefined : options.readOnly ? 'ghp_read_only' : github.token;
  const bot = createTestBot({ catalog: FIX_CATALOG, scoring: { admins: ['chen.li@acme.example'] }, github: { token, apiUrl: writes.url, writeSpacingMs: 0 } });
  return {
    bot,
    github,
    writes,
    async close() {
      bot.close();
      await writes.close();
      await github.close();
    },
  };
}

