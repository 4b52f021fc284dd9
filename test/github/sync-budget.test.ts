import { afterEach, describe, expect, it } from 'vitest';
import { parseDescriptors } from '../../src/app/parse-descriptors.js';
import { syncGithub } from '../../src/core/github/index.js';
import { createGithubReader } from '../../src/infra/github/github-reader.js';
import { SqliteFactStore } from '../../src/infra/sqlite/fact-store.js';
import { GithubStore } from '../../src/infra/sqlite/github-store.js';
import { SqliteScoreStore } from '../../src/infra/sqlite/score-store.js';
import type { FakeGithub, FakePerson, FakeRepo, FakeTeam } from '../support/fake-github.js';
import { startFakeGithub } from '../support/fake-github.js';
import type { TestBot } from '../support/test-bot.js';
import { createTestBot } from '../support/test-bot.js';

/** The organisation: 100 repositories, 12 teams, 45 people, no catalog-info.yaml anywhere. */
function organisation(): { repos: FakeRepo[]; teams: FakeTeam[]; people: FakePerson[] } {
  const people = Array.from({ length: 45 }, (_, i): FakePerson => ({ login: `dev-${i}`, name: `Dev ${i}`, ...(i % 3 === 0 ? { verifiedEmails: [`dev-${i}@acme.example`] } : { email: `dev${i}@mail.example` }) }));
  const teams = Array.from({ length: 12 }, (_, i): FakeTeam => ({
    slug: `team-${i}`,
    name: `Team ${i}`,
    ...(i > 0 && i % 4 === 0 ? { parent: 'team-0' } : {}),
    members: people.filter((_, j) => j % 12 === i).map((p, j) => (j === 0 ? { login: p.login, role: 'MAINTAINER' as const } : p.login)),
  }));
  const repos = Array.from({ length: 100 }, (_, i): FakeRepo => ({
    name: `svc-${i}`,
    files: { 'README.md': `# svc-${i}`, '.github/CODEOWNERS': `* @acme/team-${i % 12}\n/docs/ @dev-${i % 45}\n`, 'package-lock.json': '{}' },
    history: { 'package-lock.json': '2026-11-01T00:00:00Z' },
  }));
  return { repos, teams, people };
}

let bot: TestBot | undefined;
let fake: FakeGithub | undefined;
afterEach(async () => {
  bot?.close();
  await fake?.close();
  bot = undefined;
  fake = undefined;
});

describe('sync github within the request budget', () => {
  it('first sync of 100 repositories, 12 teams, 45 people: at most 0.3 requests per repository; an unchanged second: a handful', async () => {
    const org = organisation();
    fake = await startFakeGithub({ org: 'acme', ...org });
    bot = createTestBot({ catalog: null });
    const b = bot;
    const store = new GithubStore(b.steward.db);
    const scores = new SqliteScoreStore(b.steward.db);
    const run = () =>
      syncGithub(
        {
          reader: createGithubReader({ token: fake!.token, baseUrl: fake!.url, etags: store, clock: b.steward.clock, logger: b.steward.logger, graphqlSpacingMs: 0 }),
          state: store,
          catalog: b.steward.catalog,
          facts: new SqliteFactStore(b.steward.db),
          parse: parseDescriptors,
          clock: b.steward.clock,
        },
        { org: 'acme' },
      );
    const first = await run();
    // Counted by the fake, the server side: every request that reached it.
    const firstRequests = fake.requests.length;
    expect(first.organization).toMatchObject({ teams: 12, people: 45, added: 57 });
    expect(first).toMatchObject({ read: 100, discovered: 100, ownedFromCodeowners: 100 });
    expect(first.problems).toEqual([]);
    expect(firstRequests / 100).toBeLessThanOrEqual(0.3);
    expect(first.requests.rest + first.requests.graphql).toBe(firstRequests);
    expect((await b.say('/service who-owns svc-13')).text).toContain('svc-13 is owned by Team 1');

    const second = await run();
    const secondRequests = fake.requests.length - firstRequests;
    expect(second).toMatchObject({ read: 0, unchanged: 100 });
    expect(second.organization).toMatchObject({ added: 0, updated: 0, removed: 0 });
    expect(secondRequests).toBeLessThanOrEqual(3);
    console.info(`sync budget: first sync ${firstRequests} requests for 100 repositories (${firstRequests / 100}/repo), second ${secondRequests}`);
  });
});
