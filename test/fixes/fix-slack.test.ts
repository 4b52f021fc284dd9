import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackHarness } from '../adapters/slack/slack-harness.js';
import { startSlackHarness, textsOf } from '../adapters/slack/slack-harness.js';
import type { FakeGithub } from '../support/fake-github.js';
import { startFakeGithub } from '../support/fake-github.js';
import type { FakeGithubWrites } from '../support/fake-github-writes.js';
import { startFakeGithubWrites } from '../support/fake-github-writes.js';
import { FIX_CATALOG, fixRepos } from './support/fix-world.js';

/**
 * "Open a fix PR" in Slack, end to end: a signed `/service health` shows the button, a signed
 * block_actions click on it opens the pull request on the fake GitHub, and the answer links it.
 */
describe('Open a fix PR, clicked in Slack', () => {
  let h: SlackHarness;
  let github: FakeGithub;
  let writes: FakeGithubWrites;
  beforeEach(async () => {
    github = await startFakeGithub({ org: 'acme', repos: fixRepos(), teams: [{ slug: 'payments' }] });
    writes = await startFakeGithubWrites(github, { org: 'acme' });
    h = await startSlackHarness({ catalog: FIX_CATALOG, env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: writes.url } });
  });
  afterEach(async () => {
    await h.close();
    await writes.close();
    await github.close();
  });

  it('the health answer carries the button; Ana\'s click opens the pull request and she is told where it is', async () => {
    const health = await h.say('health payments-api documentation', { as: 'U0ANA' });
    const button = JSON.parse(health.json).blocks
      .flatMap((b: { type: string; elements?: Array<Record<string, unknown>> }) => (b.type === 'actions' ? b.elements ?? [] : []))
      .find((e: Record<string, unknown>) => e['action_id'] === 'command:fix') as { text: { text: string }; value: string; style?: string } | undefined;
    expect(button).toMatchObject({ text: { text: 'Open a fix PR: TechDocs published' }, value: 'fix component:default/payments-api documentation/techdocs', style: 'primary' });

    const clicked = await h.click('command:fix', button!.value, { as: 'U0ANA' });
    expect(clicked.answers).toHaveLength(1);
    expect(clicked.answers[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textsOf(clicked.answers[0]).join('\n')).toContain('<https://github.example/acme/payments/pull/1|acme/payments#1>');
    expect(writes.pulls.map((p) => [p.head, p.teamReviewers])).toEqual([['steward/fix-documentation-techdocs', ['payments']]]);
  });

  it('someone who does not own it is told who can, and nothing is written', async () => {
    const clicked = await h.click('command:fix', 'fix component:default/payments-api documentation/techdocs', { as: 'U0CHEN' });
    expect(String(clicked.answers[0]!['text'])).toMatch(/^Sorry, I can't open that pull request for you: fixes for payments-api can be opened by members of Payments/);
    expect(writes.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
