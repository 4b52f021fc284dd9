import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDescriptors } from '../../src/app/parse-descriptors.js';
import { syncGithub } from '../../src/core/github/index.js';
import { createGithubReader } from '../../src/infra/github/github-reader.js';
import type { FixWorld } from './support/fix-world.js';
import { startFixWorld } from './support/fix-world.js';

const ANA = 'ana.ruiz@acme.example';

describe('a repository with no catalog-info.yaml, fixed and merged', () => {
  let world: FixWorld;
  beforeEach(async () => {
    world = await startFixWorld({ repos: [{ name: 'widgets', description: 'Makes widgets', files: { '.github/CODEOWNERS': '* @acme/payments\n', 'index.js': '' } }] });
  });
  afterEach(async () => world.close());

  const sync = async (): Promise<void> => {
    const s = world.bot.steward;
    const reader = createGithubReader({ token: world.github.token, baseUrl: world.writes.url, etags: s.stores.github, clock: s.clock, logger: s.logger, graphqlSpacingMs: 0, retryAfterBaseValue: 1 });
    await syncGithub({ reader, state: s.stores.github, catalog: s.catalog, facts: s.stores.facts, parse: parseDescriptors, clock: s.clock }, { org: 'acme' });
  };

  it('gets a descriptor owned as CODEOWNERS says, and passes TechDocs after the merge and the next sync', async () => {
    await sync();
    const before = await world.bot.say('health widgets documentation', { as: ANA });
    expect(before.text).toContain('✗ TechDocs published');

    const opened = await world.bot.say('fix widgets documentation/techdocs', { as: ANA });
    expect(opened.outcome).toBe('ok');
    const pull = world.writes.pulls[0]!;
    expect(pull.teamReviewers).toEqual(['payments']);
    const info = world.writes.branches('widgets').get(pull.head)!['catalog-info.yaml']!;
    expect(info).toContain('  name: "widgets"\n');
    expect(info).toContain('  description: "Makes widgets"\n');
    // The owner CODEOWNERS gave the discovered component, as a descriptor names it.
    expect(info).toContain('  owner: "team-payments"\n');
    expect(info).toContain('    backstage.io/techdocs-ref: dir:.\n');

    world.writes.merge('widgets', pull.number);
    await sync();
    const after = await world.bot.say('health widgets documentation', { as: ANA });
    expect(after.text).not.toContain('✗ TechDocs published');
    expect(after.text).toContain('TechDocs published');
    const entity = world.bot.steward.catalog.get('component:default/widgets')!;
    expect(entity.metadata['annotations']).toMatchObject({ 'backstage.io/techdocs-ref': 'dir:.' });
  });
});
