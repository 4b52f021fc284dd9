import { describe, expect, it } from 'vitest';
import type { Entity } from '../../src/core/catalog/index.js';
import { planOrganization } from '../../src/core/github/index.js';

const entity = (kind: string, name: string, metadata: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): Entity => ({
  ref: `${kind}:default/${name}`.toLowerCase(),
  kind,
  namespace: 'default',
  name,
  title: undefined,
  description: undefined,
  metadata: { name, ...metadata },
  spec,
  source: { file: 'catalog.yaml', line: 1 },
  flags: [],
});

const organization = {
  org: 'acme',
  teams: [
    { slug: 'core', name: 'Core', description: undefined, parentSlug: undefined, members: [{ login: 'ana', role: 'MAINTAINER' as const }, { login: 'bo', role: 'MEMBER' as const }] },
    { slug: 'web', name: 'Web', description: 'The web', parentSlug: 'core', members: [{ login: 'cy', role: 'MEMBER' as const }] },
  ],
  people: [
    { login: 'ana', name: 'Ana', email: undefined, verifiedEmails: ['ana@acme.example'] },
    { login: 'bo', name: undefined, email: 'bo@mail.example', verifiedEmails: [] },
    { login: 'cy', name: 'Cy', email: undefined, verifiedEmails: [] },
  ],
};

const doc = (plan: ReturnType<typeof planOrganization>, name: string): Record<string, unknown> =>
  plan.documents.map((d) => d.value as { metadata: { name: string } }).find((v) => v.metadata.name === name) as Record<string, unknown>;

describe('planOrganization', () => {
  it('writes every team and person when the catalog has none', () => {
    const plan = planOrganization(organization, []);
    expect(plan.documents.map((d) => d.file)).toEqual(['github:acme/teams/core', 'github:acme/teams/web', 'github:acme/people/ana', 'github:acme/people/bo', 'github:acme/people/cy']);
    expect(doc(plan, 'web')).toMatchObject({
      kind: 'Group',
      metadata: { title: 'Web', description: 'The web', annotations: { 'github.com/team-slug': 'acme/web' } },
      spec: { type: 'team', parent: 'group:default/core', members: ['user:default/cy'], children: [] },
    });
    expect(doc(plan, 'core')).toMatchObject({ spec: { children: ['group:default/web'] }, metadata: { annotations: { 'steward.dev/maintainers': 'user:default/ana' } } });
    expect(doc(plan, 'ana')).toMatchObject({ kind: 'User', spec: { profile: { displayName: 'Ana', email: 'ana@acme.example' }, memberOf: ['group:default/core'] } });
    expect(plan.noEmail).toEqual(['cy']);
  });

  it('matches a User by login annotation, then email; a Group by team-slug annotation, then name', () => {
    const catalog = [
      entity('Group', 'platform-core', { annotations: { 'github.com/team-slug': 'acme/core' } }),
      entity('Group', 'web'),
      entity('User', 'ana.ruiz', { annotations: { 'github.com/user-login': 'ana' } }),
      entity('User', 'bo.lind', {}, { profile: { email: 'BO@mail.example' } }),
      entity('User', 'cy-person', {}, { profile: { email: 'cy@acme.example' } }),
      entity('Group', 'other', { annotations: { 'github.com/team-slug': 'elsewhere/core' } }),
    ];
    const plan = planOrganization(organization, catalog);
    expect(plan.documents.map((d) => d.file)).toEqual(['github:acme/people/cy']);
    expect(plan.teams.get('core')).toBe('group:default/platform-core');
    expect(plan.teams.get('web')).toBe('group:default/web');
    expect(plan.people.get('ana')).toBe('user:default/ana.ruiz');
    expect(plan.people.get('bo')).toBe('user:default/bo.lind');
    expect(doc(plan, 'cy')).toMatchObject({ spec: { memberOf: ['group:default/web'] } });
    expect(plan).toMatchObject({ matchedTeams: 2, matchedPeople: 2, noEmail: ['cy'] });
  });

  it('does not match what an earlier sync wrote: it is rewritten', () => {
    const ours = entity('Group', 'core', { annotations: { 'github.com/team-slug': 'acme/core', 'steward.dev/discovered': 'github-org' } });
    const plan = planOrganization(organization, [ours]);
    expect(plan.matchedTeams).toBe(0);
    expect(plan.documents.some((d) => d.file === 'github:acme/teams/core')).toBe(true);
  });
});
