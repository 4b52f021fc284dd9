import { afterEach, describe, expect, it } from 'vitest';
import { parseDescriptors } from '../../src/app/parse-descriptors.js';
import { formatSyncReport } from '../../src/cli/sync-command.js';
import { syncGithub } from '../../src/core/github/index.js';
import { createGithubReader } from '../../src/infra/github/github-reader.js';
import type { FakeGithub, FakeRepo } from '../support/fake-github.js';
import { startFakeGithub } from '../support/fake-github.js';
import type { TestBot } from '../support/test-bot.js';
import { createTestBot } from '../support/test-bot.js';

const info = (name: string): string =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: octocat\n`;

const REPOS: FakeRepo[] = [
  { name: 'with-slo', files: { 'catalog-info.yaml': info('with-slo'), 'slo.yml': 'apiVersion: openslo/v1' }, alerts: ['critical', 'low'], secretAlerts: 2 },
  { name: 'no-slo', files: { 'catalog-info.yaml': info('no-slo'), 'README.md': 'hi' }, deny: ['vulnerabilityAlerts'] },
];

describe('sync github: the security and readiness facts', () => {
  let fake: FakeGithub | undefined;
  let bot: TestBot | undefined;
  afterEach(async () => {
    bot?.close();
    await fake?.close();
  });

  const sync = async (secretScanning?: 'forbidden' | 'not_found') => {
    fake = await startFakeGithub({ org: 'acme', repos: REPOS, ...(secretScanning ? { secretScanning } : {}) });
    bot = createTestBot({ catalog: null });
    const deps = {
      reader: createGithubReader({ token: fake.token, baseUrl: fake.url, etags: bot.steward.stores.github, clock: bot.steward.clock, logger: bot.steward.logger, graphqlSpacingMs: 0 }),
      state: bot.steward.stores.github,
      catalog: bot.steward.catalog,
      facts: bot.steward.stores.facts,
      parse: parseDescriptors,
      clock: bot.steward.clock,
    };
    return syncGithub(deps, { org: 'acme' });
  };
  const facts = (name: string) => Object.fromEntries(bot!.steward.stores.facts.factsOf(`component:default/${name}`).map((f) => [f.key, f.value]));

  it('cve.critical from open critical Dependabot alerts, secrets.env_count from secret scanning, slo.defined from an OpenSLO spec', async () => {
    await sync();
    expect(facts('with-slo')).toMatchObject({ 'cve.critical': 1, 'secrets.env_count': 2, 'slo.defined': true });
    expect(facts('no-slo')).toMatchObject({ 'secrets.env_count': 0, 'slo.defined': false });
    expect(facts('no-slo')['cve.critical']).toBeUndefined();
    expect(bot!.steward.stores.github.unknownFacts('component:default/no-slo').find((u) => u.key === 'cve.critical')?.reason).toMatch(/^FORBIDDEN: /);
  });

  it('secret-scanning alerts the token may not read stay unknown, with GitHub\'s reason, and the sync goes on', async () => {
    const report = await sync('forbidden');
    expect(facts('with-slo')['secrets.env_count']).toBeUndefined();
    expect(facts('with-slo')['slo.defined']).toBe(true);
    const reason = bot!.steward.stores.github.unknownFacts('component:default/with-slo').find((u) => u.key === 'secrets.env_count')?.reason;
    expect(reason).toMatch(/^secret-scanning alerts not readable \(HTTP 403: Resource not accessible by personal access token\): the token needs "Secret scanning alerts: read"/);
    expect(formatSyncReport('acme', report)).toContain(`  unknown 2×: ${reason}`);
  });
});
