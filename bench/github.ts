import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDescriptors } from '../src/app/parse-descriptors.js';
import { syncGithub } from '../src/core/github/index.js';
import { silentLogger } from '../src/core/ports.js';
import { createGithubReader } from '../src/infra/github/github-reader.js';
import { SqliteFactStore } from '../src/infra/sqlite/fact-store.js';
import { GithubStore } from '../src/infra/sqlite/github-store.js';
import { SqliteScoreStore } from '../src/infra/sqlite/score-store.js';
import { createSteward } from '../src/app/create-steward.js';
import type { FakePerson, FakeRepo, FakeTeam } from '../test/support/fake-github.js';
import { startFakeGithub } from '../test/support/fake-github.js';
import type { Bench, BenchRow } from './report.js';

const REPOS = 500;
const TEAMS = 50;
const PEOPLE = 400;
/** The files one-file-one-request must ask for to learn what one batched query learns. */
const NAIVE_FILES = ['catalog-info.yaml', '.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS', 'README.md', 'SECURITY.md', '.github/dependabot.yml', 'renovate.json', 'mkdocs.yml', 'package-lock.json'];

function repos(): FakeRepo[] {
  return Array.from({ length: REPOS }, (_, i): FakeRepo => {
    const name = `svc-${String(i).padStart(3, '0')}`;
    const files: Record<string, string> = {
      'README.md': `# ${name}\n${'words '.repeat(100 + (i % 50))}`,
      '.github/CODEOWNERS': `* @acme/team-${i % TEAMS}\n/docs/ @dev-${i % PEOPLE}\n`,
      'package-lock.json': '{}',
    };
    if (i % 2 === 0) files['catalog-info.yaml'] = `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-${i % TEAMS}\n`;
    if (i % 3 === 0) files['SECURITY.md'] = 'report to security@';
    if (i % 4 === 0) files['docs/architecture.svg'] = '<svg/>';
    return {
      name,
      files,
      history: { 'package-lock.json': '2026-11-01T00:00:00Z', 'docs/architecture.svg': '2026-06-01T00:00:00Z' },
      protected: i % 2 === 0,
      alerts: i % 5 === 0 ? ['high'] : [],
      releases: ['2026-11-20T00:00:00Z'],
    };
  });
}

/** 50 teams (every fifth nested under team-0), 400 people (a third with only a verified-domain email, some in two teams). */
function organisation(): { teams: FakeTeam[]; people: FakePerson[] } {
  const people = Array.from({ length: PEOPLE }, (_, i): FakePerson => ({
    login: `dev-${i}`,
    name: `Developer ${i}`,
    ...(i % 3 === 0 ? { email: '', verifiedEmails: [`dev-${i}@acme.example`] } : { email: `dev${i}@mail.example` }),
  }));
  const teams = Array.from({ length: TEAMS }, (_, t): FakeTeam => ({
    slug: `team-${t}`,
    name: `Team ${t}`,
    ...(t > 0 && t % 5 === 0 ? { parent: 'team-0' } : {}),
    members: people
      .filter((_, j) => j % TEAMS === t || j % 97 === t)
      .map((p, j) => (j === 0 ? { login: p.login, role: 'MAINTAINER' as const } : p.login)),
  }));
  return { teams, people };
}

/**
 * Issue 7's benchmark, grown by issue 15 to an organisation's teams and people: `sync github` of a 500-repository organisation on the local fake GitHub.
 * Requests per repository for the file reads (target ≤ 0.2) beside one-file-one-request over
 * REST contents in the same run (≥ 5), wall time of a first and an unchanged second sync.
 * GraphQL spacing is off here (it measures Steward, not the throttle): in production
 * plugin-throttling spaces GraphQL queries by 1 s, which the last row adds back.
 */
const bench: Bench = {
  id: 'github',
  title: `GitHub sync: ${REPOS} repositories, ${TEAMS} teams, ${PEOPLE} people on the local fake (REST + GraphQL)`,
  async run(): Promise<BenchRow[]> {
    const fake = await startFakeGithub({ org: 'acme', repos: repos(), ...organisation() });
    const dir = mkdtempSync(join(tmpdir(), 'steward-bench-github-'));
    const steward = createSteward({ db: join(dir, 'steward.db'), logger: silentLogger });
    try {
      const store = new GithubStore(steward.db);
      const scores = new SqliteScoreStore(steward.db);
      const deps = (reader: ReturnType<typeof createGithubReader>) => ({
        reader,
        state: store,
        catalog: steward.catalog,
        facts: new SqliteFactStore(steward.db),
        parse: parseDescriptors,
        clock: steward.clock,
      });
      const newReader = () =>
        createGithubReader({ token: fake.token, baseUrl: fake.url, etags: store, clock: steward.clock, logger: silentLogger, graphqlSpacingMs: 0 });

      let started = performance.now();
      const first = await syncGithub(deps(newReader()), { org: 'acme' });
      const firstSeconds = (performance.now() - started) / 1000;
      const fileReads = first.requests.graphql / REPOS;
      const allPerRepo = (first.requests.graphql + first.requests.rest) / REPOS;

      started = performance.now();
      const second = await syncGithub(deps(newReader()), { org: 'acme' });
      const secondSeconds = (performance.now() - started) / 1000;

      // Baseline: one REST contents request per file per repository, 10 at a time, plain fetch.
      let naiveRequests = 0;
      started = performance.now();
      const jobs = fake.repos.flatMap((r) => NAIVE_FILES.map((f) => `${fake.url}/repos/acme/${r.name}/contents/${f}`));
      for (let i = 0; i < jobs.length; i += 10) {
        await Promise.all(
          jobs.slice(i, i + 10).map(async (url) => {
            naiveRequests++;
            const res = await fetch(url, { headers: { authorization: `token ${fake.token}` } });
            await res.arrayBuffer();
          }),
        );
      }
      const naiveSeconds = (performance.now() - started) / 1000;

      return [
        {
          name: 'file-read requests per repository (GraphQL queries ÷ repositories)',
          value: fileReads,
          unit: 'req/repo',
          baseline: { name: 'one file, one REST request', value: naiveRequests / REPOS },
          target: '≤ 0.2 (vs ≥ 5)',
          pass: fileReads <= 0.2,
          note: `${first.requests.graphql} GraphQL queries for ${REPOS} repositories`,
        },
        {
          name: 'all requests per repository, first sync (teams, members, listing included)',
          value: allPerRepo,
          unit: 'req/repo',
          target: '≤ 0.3',
          pass: allPerRepo <= 0.3,
          note: `${first.requests.rest} REST + ${first.requests.graphql} GraphQL = ${first.requests.rest + first.requests.graphql} requests; ${first.organization.teams} teams, ${first.organization.people} people`,
        },
        {
          name: 'first sync wall time',
          value: firstSeconds,
          unit: 's',
          baseline: { name: 'one file, one request (10 concurrent)', value: naiveSeconds },
          note: `${first.imported} entities from repositories, ${first.organization.added} Groups and Users, ${first.ownedFromCodeowners} owned from CODEOWNERS, ${first.facts} facts`,
        },
        {
          name: 'second sync, nothing pushed: requests',
          value: second.requests.rest + second.requests.graphql,
          unit: 'count',
          target: 'a handful: the listing pages (304, free) and 1–2 GraphQL',
          pass: second.requests.graphql <= 2 && second.requests.notModified === second.requests.rest && second.requests.rest <= Math.ceil(REPOS / 100),
          note: `${second.requests.graphql} GraphQL (teams and members), ${second.requests.notModified} answered 304 (free of the rate limit); ${second.unchanged} repositories not read`,
        },
        { name: 'second sync wall time', value: secondSeconds, unit: 's' },
        {
          name: 'first sync with production GraphQL spacing (est.: + 1 s per query)',
          value: firstSeconds + first.requests.graphql,
          unit: 's',
          target: 'minutes',
          pass: firstSeconds + first.requests.graphql < 300,
        },
      ];
    } finally {
      steward.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
