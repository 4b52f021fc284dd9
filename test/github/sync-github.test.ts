import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDescriptors } from '../../src/app/parse-descriptors.js';
import { formatSyncReport } from '../../src/cli/sync-command.js';
import { InputError } from '../../src/core/errors.js';
import type { SyncGithubOptions } from '../../src/core/github/index.js';
import { syncGithub } from '../../src/core/github/index.js';
import { createGithubReader } from '../../src/infra/github/github-reader.js';
import { SqliteFactStore } from '../../src/infra/sqlite/fact-store.js';
import { GithubStore } from '../../src/infra/sqlite/github-store.js';
import { importCatalog } from '../../src/import-catalog.js';
import type { FakeGithub, FakePerson, FakeRepo, FakeTeam } from '../support/fake-github.js';
import { startFakeGithub } from '../support/fake-github.js';
import type { TestBot } from '../support/test-bot.js';
import { FIXED_NOW, FIXTURES, createTestBot } from '../support/test-bot.js';

const ORG_CATALOG = join(FIXTURES, 'catalog', 'github-org.yaml');
const days = (n: number): string => new Date(FIXED_NOW.getTime() - n * 86_400_000).toISOString();
/** Components of the fixture organisation's repositories: each gets secrets.env_count on every sync. */
const SECRET_FACTS = 4;

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

/** payments is a Backstage Group by annotation, search by name; platform and empty-team are GitHub's only. */
const TEAMS: FakeTeam[] = [
  { slug: 'payments', name: 'Payments', parent: 'platform', members: [{ login: 'octocat', role: 'MAINTAINER' }, 'hubot'] },
  { slug: 'search', name: 'Search', members: ['doctocat'] },
  { slug: 'platform', name: 'Platform', description: 'Runs the platform', members: [{ login: 'ghostwriter', role: 'MAINTAINER' }] },
  { slug: 'empty-team', name: 'Empty team' },
];
/** octocat is a Backstage User by annotation, doctocat by email; hubot has only a verified-domain email, ghostwriter none. */
const PEOPLE: FakePerson[] = [
  { login: 'octocat', name: 'The Octocat', email: 'octocat@github.example' },
  { login: 'hubot', name: 'Hubot', email: '', verifiedEmails: ['hubot@acme.example'] },
  { login: 'doctocat', name: 'Doc', email: 'docs@acme.example' },
  { login: 'ghostwriter', name: 'Ghost Writer' },
];

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

async function setup(repos: FakeRepo[] = org(), perPageMax?: number, catalog: string | null = ORG_CATALOG): Promise<Harness> {
  const fake = await startFakeGithub({ org: 'acme', repos, teams: TEAMS, people: PEOPLE, tokens: { ghp_no_org: ['repo'] }, ...(perPageMax ? { perPageMax } : {}) });
  const bot = createTestBot({ catalog });
  const store = new GithubStore(bot.steward.db);
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
        catalog: bot.steward.catalog,
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
        'acme/legacy/CODEOWNERS:1: @acme/ghosts: acme has no team ghosts (GitHub ignores the owner)',
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
    expect(checkout.text).toContain('Ownership from CODEOWNERS, .github/CODEOWNERS line 2 of acme/checkout; the component is defined at');
    // Root CODEOWNERS wins over docs/; the last matching rule for the README is `* @octocat`.
    const search = await h.bot.say('/service who-owns search-svc');
    expect(search.text).toContain('Mona Lisa');
    expect(search.text).toContain('CODEOWNERS line 2 of acme/search-svc');
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
      // Issue 16: what the security and readiness scorecards read, from the same reads.
      'cve.critical': 1,
      'slo.defined': false,
      'secrets.env_count': 0,
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
    // Only the secret-scanning counts are recorded again: alerts open and close without a push.
    expect(second).toMatchObject({ unchanged: 4, read: 0, facts: SECRET_FACTS });
    const after = h.fake.requests.slice(before);
    // One GraphQL query for the teams and their members, the listing answered 304, the organisation's secret-scanning alerts.
    expect(after.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/graphql 200',
      expect.stringMatching(/^\/orgs\/acme\/repos\?.* 304$/),
      expect.stringMatching(/^\/orgs\/acme\/secret-scanning\/alerts\?state=open&per_page=100 200$/),
    ]);
    expect(second.organization).toMatchObject({ added: 0, updated: 0, removed: 0 });
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
    h.fake.fault({ route: 'graphql', status: 502, times: 4, match: 'repository(' });
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
    await expect(h.sync({ org: 'nobody' })).rejects.toThrow(InputError);
    await expect(h.sync({ org: 'nobody' })).rejects.toThrow(/no organisation nobody visible to the token .*read:org/);
  });
});

describe('steward sync github: the organisation as the catalog', () => {
  it('imports teams as Groups and members as Users, one entity per team and person whichever way declared', async () => {
    const h = await setup();
    const report = await h.sync();
    expect(report.organization).toMatchObject({ teams: 4, people: 4, matchedTeams: 2, matchedPeople: 2, noEmail: ['ghostwriter'] });
    const catalog = h.bot.steward.catalog;
    const platform = catalog.get('group:default/platform')!;
    expect(platform.title).toBe('Platform');
    expect(platform.description).toBe('Runs the platform');
    expect(platform.metadata['annotations']).toMatchObject({ 'github.com/team-slug': 'acme/platform', 'steward.dev/maintainers': 'user:default/ghostwriter' });
    // payments is the Backstage Group annotated acme/payments, search the one named search: no duplicates.
    expect(catalog.get('group:default/payments')).toBeUndefined();
    expect(catalog.get('group:default/payments-team')!.source.file).toContain('github-org.yaml');
    expect(catalog.get('user:default/octocat')).toBeUndefined();
    expect(catalog.get('user:default/doc')).toBeUndefined();
    // GitHub fills what the descriptors leave out: members and the parent.
    expect(catalog.related('group:default/payments-team', 'hasMember')).toEqual(['user:default/hubot', 'user:default/mona']);
    expect(catalog.related('group:default/payments-team', 'childOf')).toEqual(['group:default/platform']);
    expect(catalog.related('group:default/search', 'hasMember')).toEqual(['user:default/doctocat']);
    expect(catalog.related('group:default/platform', 'hasMember')).toEqual(['user:default/ghostwriter']);
    // A team with no members is still a team.
    expect(catalog.get('group:default/empty-team')).toBeDefined();
    expect(catalog.related('group:default/empty-team', 'hasMember')).toEqual([]);
    // The verified-domain email when the public one is private; the login in the annotation.
    expect(catalog.person('user:default/hubot')).toMatchObject({ name: 'Hubot', email: 'hubot@acme.example' });
    expect(catalog.get('user:default/hubot')!.metadata['annotations']).toMatchObject({ 'github.com/user-login': 'hubot' });
    expect(catalog.get('user:default/ghostwriter')!.metadata['annotations']).toMatchObject({ 'steward.dev/maintainer-of': 'group:default/platform' });
    const text = formatSyncReport('acme', report);
    expect(text).toContain('Teams and people: 4 teams and 4 people read; 2 teams and 2 people are catalog descriptors already (merged)');
    expect(text).toContain('No email visible for 1 person (chat cannot reach them): ghostwriter.');
    expect(text).toMatch(/Fix: they make an email public/);
  });

  it('removes a team GitHub no longer has, and keeps the Backstage descriptors', async () => {
    const h = await setup();
    await h.sync();
    h.fake.teams = h.fake.teams.filter((t) => t.slug !== 'empty-team' && t.slug !== 'payments');
    const second = await h.sync();
    // empty-team, and hubot, who was in payments only.
    expect(second.organization.removed).toBe(2);
    expect(h.bot.steward.catalog.get('group:default/empty-team')).toBeUndefined();
    expect(h.bot.steward.catalog.get('user:default/hubot')).toBeUndefined();
    expect(h.bot.steward.catalog.get('group:default/payments-team')).toBeDefined();
    expect(h.bot.steward.catalog.related('group:default/payments-team', 'hasMember')).toEqual(['user:default/mona']);
  });

  it('fills the members and parent a Backstage team leaves out, even between Backstage Users and Groups, and keeps them across a re-import', async () => {
    // search is declared in Backstage without members or parent; doctocat is a Backstage User
    // (matched by email) who does not say memberOf either: only GitHub knows they belong together.
    const dir = mkdtempSync(join(tmpdir(), 'steward-org-fill-'));
    const file = join(dir, 'org.yaml');
    const write = (title: string): void =>
      writeFileSync(
        file,
        [
          'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: search, title: ' + title + ' }\nspec: { type: team, children: [] }',
          'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: platform }\nspec: { type: team, children: [] }',
          'apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: { name: doctocat }\nspec: { profile: { email: docs@acme.example } }',
        ].join('\n---\n'),
      );
    write('Search');
    const h = await setup(org(), undefined, file);
    const catalog = h.bot.steward.catalog;
    expect(catalog.related('group:default/search', 'hasMember')).toEqual([]);
    h.fake.teams = h.fake.teams.map((t) => (t.slug === 'search' ? { ...t, parent: 'platform' } : t));
    await h.sync();
    expect(catalog.related('group:default/search', 'hasMember')).toEqual(['user:default/doctocat']);
    expect(catalog.related('user:default/doctocat', 'memberOf')).toEqual(['group:default/search']);
    expect(catalog.related('group:default/search', 'childOf')).toEqual(['group:default/platform']);
    // A re-import of the changed descriptors replaces what they state, not what GitHub filled in.
    write('Search and discovery');
    expect(importCatalog(catalog, [file], { now: FIXED_NOW }).summary.kinds['Group']).toMatchObject({ updated: 1 });
    expect(catalog.get('group:default/search')!.title).toBe('Search and discovery');
    expect(catalog.related('group:default/search', 'hasMember')).toEqual(['user:default/doctocat']);
    // GitHub drops doctocat from the team: the filled-in membership goes with the next sync.
    h.fake.teams = h.fake.teams.map((t) => (t.slug === 'search' ? { ...t, members: [] } : t));
    await h.sync();
    expect(catalog.related('group:default/search', 'hasMember')).toEqual([]);
    expect(catalog.related('group:default/search', 'childOf')).toEqual(['group:default/platform']);
  });

  it('a token without read:org, or an unknown organisation: one line naming the scope, nothing stored removed', async () => {
    const h = await setup();
    await h.sync();
    const before = h.bot.steward.catalog.counts();
    const err = await h.sync({}, 'ghp_no_org').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toMatch(/^GitHub: the token lacks the read:org scope, which reading the teams and members of acme needs/);
    expect(err!.message).not.toContain('\n');
    await expect(h.sync({ org: 'nobody' })).rejects.toThrow(/read:org/);
    expect(h.bot.steward.catalog.counts()).toEqual(before);
    expect(h.bot.steward.catalog.get('group:default/platform')).toBeDefined();
  });
});

describe('steward sync github: GitHub alone, no Backstage catalog', () => {
  /** No Backstage catalog at all: the organisation is the catalog. */
  const bare = (repos: FakeRepo[]): Promise<Harness> => setup(repos, undefined, null);

  it('answers who-owns, team and mine from the teams, people and CODEOWNERS', async () => {
    const h = await bare([
      { name: 'ledger', files: { 'README.md': 'x', '.github/CODEOWNERS': '# owners\n\n*  @acme/payments @octocat\n/docs/ @hubot\n/vendor/\n' } },
      { name: 'tools', files: { 'CODEOWNERS': '* @ghostwriter\n' } },
      { name: 'mail', files: { 'docs/CODEOWNERS': '* hubot@acme.example\n' } },
      { name: 'web', files: { 'catalog-info.yaml': CHECKOUT_INFO.replace('checkout', 'web') + '  owner: search\n', '.github/CODEOWNERS': '* @acme/payments\n' } },
      { name: 'misc', files: { '.github/CODEOWNERS': '/a/ @other-org/core\n* @acme/nope\n' } },
    ]);
    const report = await h.sync();
    expect(report.ownedFromCodeowners).toBe(3);
    const ledger = await h.bot.say('/service who-owns ledger');
    expect(ledger.text).toContain('ledger is owned by Payments');
    expect(ledger.text).toContain('Ownership from CODEOWNERS, .github/CODEOWNERS line 3 of acme/ledger');
    expect(ledger.text).toContain('Hubot');
    expect((await h.bot.say('/service who-owns tools')).text).toContain('owned by a person, Ghost Writer');
    expect((await h.bot.say('/service who-owns mail')).text).toContain('owned by a person, Hubot');
    // A descriptor's spec.owner still wins over CODEOWNERS.
    const web = await h.bot.say('/service who-owns web');
    expect(web.text).toContain('spec.owner');
    expect(web.text).toContain('Search');
    const team = await h.bot.say('/service team payments');
    expect(team.text).toContain('ledger');
    const mine = await h.bot.say('/service mine', { as: 'hubot@acme.example' });
    expect(mine.text).toContain('ledger');
    expect(report.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual(
      expect.arrayContaining([
        'acme/misc/.github/CODEOWNERS:1: @other-org/core is a team of another organisation (other-org); this sync reads acme, and GitHub ignores it here',
        'acme/misc/.github/CODEOWNERS:2: @acme/nope: acme has no team nope (GitHub ignores the owner)',
      ]),
    );
  });

  it('a whole-repository rule without owners leaves the repository without an owner', async () => {
    const h = await bare([{ name: 'attic', files: { '.github/CODEOWNERS': '* @acme/payments\n*\n' } }]);
    const report = await h.sync();
    expect(report.ownedFromCodeowners).toBe(0);
    expect((await h.bot.say('/service who-owns attic')).text).toContain('no owner on record');
  });

  it('pages teams and members: 130 teams, one of 150 members', async () => {
    const people = Array.from({ length: 150 }, (_, i): FakePerson => ({ login: `dev${i}`, email: `dev${i}@acme.example` }));
    const teams = Array.from({ length: 130 }, (_, i): FakeTeam => ({ slug: `team-${String(i).padStart(3, '0')}`, members: i === 0 ? people.map((p) => p.login) : [`dev${i}`] }));
    const fake = await startFakeGithub({ org: 'acme', repos: [], teams, people });
    const bot = createTestBot({ catalog: null });
    const store = new GithubStore(bot.steward.db);
    harness = { bot, fake, store, sync: () => Promise.reject(new Error('unused')) };
    const reader = createGithubReader({ token: fake.token, baseUrl: fake.url, etags: store, clock: bot.steward.clock, logger: bot.steward.logger, graphqlSpacingMs: 0 });
    const read = await reader.readOrganization('acme');
    expect(read.teams).toHaveLength(130);
    expect(read.teams[0]!.members).toHaveLength(150);
    expect(read.people).toHaveLength(150);
    // Two pages of teams, one more page of the big team's members.
    expect(reader.requests.graphql).toBe(3);
  });

  it('a GitHub that stops answering fails the read at the deadline, naming GitHub, instead of holding the sync', async () => {
    const fake = await startFakeGithub({ org: 'acme', repos: [], teams: [], people: [] });
    const bot = createTestBot({ catalog: null });
    const store = new GithubStore(bot.steward.db);
    harness = { bot, fake, store, sync: () => Promise.reject(new Error('unused')) };
    fake.fault({ route: 'graphql', status: 0, hang: true });
    const reader = createGithubReader({ token: fake.token, baseUrl: fake.url, etags: store, clock: bot.steward.clock, logger: bot.steward.logger, graphqlSpacingMs: 0, retries: 0, timeoutMs: 200 });
    await expect(reader.readOrganization('acme')).rejects.toThrow(/^GitHub did not answer within 0\.2 s/);
  });
});
