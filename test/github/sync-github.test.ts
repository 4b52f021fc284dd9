import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDescriptors, formatSyncReport } from '../../src/cli/sync-command.js';
import { InputError } from '../../src/core/errors.js';
import type { SyncGithubOptions } from '../../src/core/github/index.js';
import { syncGithub } from '../../src/core/github/index.js';
import { createGithubReader } from '../../src/infra/github/github-reader.js';
import { SqliteFactStore } from '../../src/infra/sqlite/fact-store.js';
import { GithubStore } from '../../src/infra/sqlite/github-store.js';
import { SqliteScoreStore } from '../../src/infra/sqlite/score-store.js';
import type { FakeGithub, FakeRepo } from '../support/fake-github.js';
import { startFakeGithub } from '../support/fake-github.js';
import type { TestBot } from '../support/test-bot.js';
import { FIXED_NOW, FIXTURES, createTestBot } from '../support/test-bot.js';

const ORG_CATALOG = join(FIXTURES, 'catalog', 'github-org.yaml');
const days = (n: number): string => new Date(FIXED_NOW.getTime() - n * 86_400_000).toISOString();

const CHECKOUT_INFO = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  description: Takes the money
spec:
  type: service
  lifecycle: production
`;

function org(): FakeRepo[] {
  return [
    {
      name: 'checkout',
      files: {
        'catalog-info.yaml': CHECKOUT_INFO,
        'README.md': 'x'.repeat(900),
        'SECURITY.md': 'report to security@acme.example',
        '.github/dependabot.yml': 'version: 2',
        '.github/CODEOWNERS': '# owners\n*       @acme/payments @octocat\n/docs/ @doctocat\n',
        'CODEOWNERS': '* @acme/search\n', // GitHub uses .github/ first: ignored
        'package-lock.json': '{}',
        'docs/architecture.svg': '<svg/>',
        'mkdocs.yml': 'site_name: checkout',
      },
      history: { 'package-lock.json': days(10), 'docs/architecture.svg': days(40) },
      protected: true,
      alerts: ['critical', 'high', 'high', 'moderate'],
      releases: [days(1), days(8), days(15), days(22), days(60)],
    },
    {
      name: 'search-svc',
      description: 'Finds things',
      files: { 'README.md': 'short', 'CODEOWNERS': '*.md @doctocat\n* @octocat\n', 'docs/CODEOWNERS': '* @acme/payments\n', 'renovate.json': '{}' },
      deny: ['vulnerabilityAlerts', 'branchProtectionRule'],
    },
    { name: 'legacy', files: { 'README.md': 'old', 'CODEOWNERS': '* @acme/ghosts\n' } },
    { name: 'old-thing', archived: true, files: { 'README.md': 'gone' } },
    { name: 'empty', hasCommits: false },
  ];
}

interface Harness {
  bot: TestBot;
  fake: FakeGithub;
  store: GithubStore;
  sync(options?: Partial<SyncGithubOptions>, token?: string): ReturnType<typeof syncGithub>;
}

let harness: Harness | undefined;
afterEach(async () => {
  harness?.bot.close();
  await harness?.fake.close();
  harness = undefined;
});

async function setup(repos: FakeRepo[] = org(), perPageMax?: number): Promise<Harness> {
  const fake = await startFakeGithub({ org: 'acme', repos, ...(perPageMax ? { perPageMax } : {}) });
  const bot = createTestBot({ catalog: ORG_CATALOG });
  const store = new GithubStore(bot.steward.db);
  const scores = new SqliteScoreStore(bot.steward.db);
  const sync: Harness['sync'] = (options = {}, token = fake.token) =>
    syncGithub(
      {
        reader: createGithubReader({
          token,
          baseUrl: fake.url,
          etags: store,
          clock: bot.steward.clock,
          logger: bot.steward.logger,
          retryAfterBaseValue: 1,
          graphqlSpacingMs: 0,
        }),
        state: store,
        catalog: { apply: (p, o) => bot.steward.catalog.apply(p, o), entitiesOfKinds: (k) => scores.entitiesOfKinds(k) },
        facts: new SqliteFactStore(bot.steward.db),
        parse: parseDescriptors,
        clock: bot.steward.clock,
      },
      { org: 'acme', ...options },
    );
  harness = { bot, fake, store, sync };
  return harness;
}

const factsOf = (h: Harness, name: string): Record<string, unknown> =>
  Object.fromEntries(new SqliteFactStore(h.bot.steward.db).factsOf(`component:default/${name}`).map((f) => [f.key, f.value]));

describe('steward sync github', () => {
  it('imports catalog-info.yaml, discovers the rest, skips archived repositories', async () => {
    const h = await setup();
    const report = await h.sync();
    expect(report).toMatchObject({ seen: 5, skippedArchived: 1, unchanged: 0, read: 4, discovered: 3, ownedFromCodeowners: 2 });
    const checkout = h.bot.steward.catalog.get('component:default/checkout')!;
    expect(checkout.source.file).toBe('acme/checkout/catalog-info.yaml');
    expect(checkout.spec['lifecycle']).toBe('production');
    const discovered = h.bot.steward.catalog.get('component:default/search-svc')!;
    expect(discovered.metadata['annotations']).toMatchObject({ 'steward.dev/discovered': 'github', 'github.com/project-slug': 'acme/search-svc' });
    expect(discovered.description).toBe('Finds things');
    expect(h.bot.steward.catalog.get('component:default/old-thing')).toBeUndefined();
    expect(report.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual(
      expect.arrayContaining([
        'acme/legacy/CODEOWNERS:1: no catalog group or user for @acme/ghosts',
        'acme/legacy:0: discovered without an owner: no CODEOWNERS rule names a team or person of the catalog',
      ]),
    );
  });

  it('answers who-owns from CODEOWNERS: the .github/ file first, teams by slug, people by login', async () => {
    const h = await setup();
    await h.sync();
    const checkout = await h.bot.say('/service who-owns checkout');
    expect(checkout.text).toContain('Payments');
    expect(checkout.text).toMatch(/codeowners/i);
    expect(checkout.text).toContain('Ownership from CODEOWNERS, acme/checkout/.github/CODEOWNERS:2; the component is defined at');
    // Root CODEOWNERS wins over docs/; the last matching rule for the README is `* @octocat`.
    const search = await h.bot.say('/service who-owns search-svc');
    expect(search.text).toContain('Mona Lisa');
    expect(search.text).toContain('acme/search-svc/CODEOWNERS:2');
  });

  it('keeps spec.owner above CODEOWNERS', async () => {
    const repos = org();
    repos[0] = { ...repos[0]!, files: { ...repos[0]!.files, 'catalog-info.yaml': `${CHECKOUT_INFO}  owner: search\n` } };
    const h = await setup(repos);
    await h.sync();
    const said = await h.bot.say('/service who-owns checkout');
    expect(said.text).toContain('spec.owner');
    expect(said.text).not.toMatch(/codeowners/i);
  });

  it('records repository facts for the scorecards', async () => {
    const h = await setup();
    const report = await h.sync();
    expect(factsOf(h, 'checkout')).toEqual({
      'readme.bytes': 900,
      'security.policy': true,
      'codeowners.present': true,
      'deps.update_tool': 'dependabot',
      'docs.techdocs': true,
      'docs.folder': true,
      'docs.architecture_diagram': true,
      'docs.architecture_updated_at': days(40),
      'deps.last_upgrade': days(10),
      'branch.protected': true,
      'dependabot.alerts.critical': 1,
      'dependabot.alerts.high': 2,
      'dependabot.alerts.medium': 1,
      'dependabot.alerts.low': 0,
      'deploys.per_week': 1,
      'deploys.counted': 'releases',
    });
    expect(factsOf(h, 'search-svc')).toMatchObject({ 'readme.bytes': 5, 'security.policy': false, 'deps.update_tool': 'renovate', 'docs.folder': true });
    expect(report.facts).toBeGreaterThan(30);
    const health = await h.bot.say('/service health checkout documentation');
    expect(health.text).not.toMatch(/no fact readme\.bytes/);
  });

  it('turns what the token may not read into unknown facts with the reason', async () => {
    const h = await setup();
    const report = await h.sync();
    const unknown = h.store.unknownFacts('component:default/search-svc');
    expect(unknown.map((u) => u.key)).toEqual(expect.arrayContaining(['branch.protected', 'dependabot.alerts.critical']));
    expect(unknown.find((u) => u.key === 'branch.protected')!.reason).toBe('FORBIDDEN: Resource not accessible by personal access token');
    expect(factsOf(h, 'search-svc')['branch.protected']).toBeUndefined();
    expect(report.unknown[0]!.reason).toMatch(/FORBIDDEN/);
    expect(h.store.unknownFacts('component:default/empty').map((u) => u.reason)).toContain('the repository is empty');
    expect(formatSyncReport('acme', report)).toMatch(/unknown \d+×: FORBIDDEN: Resource not accessible/);
  });

  it('re-reads only repositories whose pushed_at changed; an unchanged listing answers 304', async () => {
    const h = await setup();
    await h.sync();
    const before = h.fake.requests.length;
    const second = await h.sync();
    expect(second).toMatchObject({ unchanged: 4, read: 0, facts: 0 });
    const after = h.fake.requests.slice(before);
    expect(after.map((r) => r.status)).toEqual([304]);
    expect(h.bot.steward.catalog.get('component:default/checkout')).toBeDefined(); // not pruned

    h.fake.repos = h.fake.repos.map((r) => (r.name === 'legacy' ? { ...r, pushedAt: '2026-11-29T00:00:00Z', files: { 'catalog-info.yaml': CHECKOUT_INFO.replace(/checkout/g, 'legacy-app') } } : r));
    const third = await h.sync();
    expect(third).toMatchObject({ unchanged: 3, read: 1, removed: 1 });
    expect(h.bot.steward.catalog.get('component:default/legacy')).toBeUndefined();
    expect(h.bot.steward.catalog.get('component:default/legacy-app')).toBeDefined();
  });

  it('follows Link pagination and filters by --repo-pattern', async () => {
    const h = await setup(org(), 2);
    const report = await h.sync({ repoPattern: 'ch*' });
    expect(report).toMatchObject({ seen: 5, skippedPattern: 3, read: 1 });
    expect(h.fake.requests.filter((r) => r.path.includes('/orgs/acme/repos')).map((r) => new URL(r.path, 'http://x').searchParams.get('page'))).toEqual([null, '2', '3']);
  });

  it('includes archived repositories when asked', async () => {
    const h = await setup();
    expect(await h.sync({ includeArchived: true })).toMatchObject({ skippedArchived: 0, read: 5 });
  });

  it('waits out 429 and 403 rate limits (reset and retry-after headers) and retries 502s', async () => {
    const h = await setup();
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    h.fake.fault({ route: 'repos', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded for user ID 1.' } });
    h.fake.fault({ route: 'graphql', status: 429, headers: { 'retry-after': '2' }, body: { message: 'You have exceeded a secondary rate limit.' } });
    h.fake.fault({ route: 'graphql', status: 200, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] } });
    h.fake.fault({ route: 'graphql', status: 502, body: { message: 'Server Error' } });
    const report = await h.sync();
    expect(report.read).toBe(4);
    expect(h.fake.requests.map((r) => r.status)).toEqual(expect.arrayContaining([403, 429, 502]));
    expect(h.bot.logs.some((l) => /rate limit/.test(l.message))).toBe(true);
  });

  it('gives up on a repository batch GitHub keeps refusing, reads it again next time', async () => {
    const h = await setup();
    h.fake.fault({ route: 'graphql', status: 502, times: 4 });
    const first = await h.sync();
    expect(first.read).toBe(0);
    expect(first.problems[0]!.message).toMatch(/not read: .*read again next time/);
    const second = await h.sync();
    expect(second.read).toBe(4);
  });

  it('refuses a bad token and an unknown organisation as bad input', async () => {
    const h = await setup();
    await expect(h.sync({}, 'ghp_wrong')).rejects.toThrow(InputError);
    await expect(h.sync({}, 'ghp_wrong')).rejects.toThrow(/GITHUB_TOKEN/);
    await expect(h.sync({ org: 'nobody' })).rejects.toThrow(/not found/);
  });
});
