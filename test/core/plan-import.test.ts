import { describe, expect, it } from 'vitest';
import { planImport } from '../../src/core/catalog/index.js';

const doc = (value: unknown, line = 1) => ({ file: 'catalog.yaml', line, root: 'catalog.yaml', value });
const component = (name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, ...metadata },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a', ...spec },
});

describe('planning an import', () => {
  it('derives relations in both directions with Backstage defaults', () => {
    const plan = planImport([
      doc(component('api-gw', { system: 'edge', providesApis: ['gw'], dependsOn: ['resource:db'] }, { namespace: 'web' })),
    ]);
    expect(plan.problems).toEqual([]);
    const rel = plan.drafts[0]!.relations.map((r) => `${r.source} ${r.type} ${r.target}`);
    expect(rel).toEqual(
      expect.arrayContaining([
        'component:web/api-gw ownedBy group:web/team-a',
        'group:web/team-a ownerOf component:web/api-gw',
        'component:web/api-gw partOf system:web/edge',
        'system:web/edge hasPart component:web/api-gw',
        'component:web/api-gw providesApi api:web/gw',
        'api:web/gw apiProvidedBy component:web/api-gw',
        'component:web/api-gw dependsOn resource:web/db',
        'resource:web/db dependencyOf component:web/api-gw',
      ]),
    );
  });

  it('derives group and user membership from both sides', () => {
    const plan = planImport([
      doc({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'a' }, spec: { type: 'team', children: [], members: ['u1'], parent: 'org' } }),
      doc({ apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'u2' }, spec: { memberOf: ['a'], profile: { email: 'U2@X.example', displayName: 'U Two' } } }),
    ]);
    const all = plan.drafts.flatMap((d) => d.relations.map((r) => `${r.source} ${r.type} ${r.target}`));
    expect(all).toEqual(
      expect.arrayContaining([
        'group:default/a hasMember user:default/u1',
        'user:default/u1 memberOf group:default/a',
        'group:default/a childOf group:default/org',
        'user:default/u2 memberOf group:default/a',
        'group:default/a hasMember user:default/u2',
      ]),
    );
    expect(plan.drafts[1]!.person).toMatchObject({ name: 'U Two', email: 'u2@x.example' });
  });

  it('rejects names against Backstage rules, naming file and line', () => {
    const plan = planImport([doc(component('bad name!'), 7), doc({ kind: 'Component', metadata: { name: 'x' } }, 12)]);
    expect(plan.drafts).toHaveLength(0);
    expect(plan.problems).toEqual([
      expect.objectContaining({ file: 'catalog.yaml', line: 7, severity: 'error', message: expect.stringMatching(/bad name!: metadata.name must be/) }),
      expect.objectContaining({ line: 12, severity: 'error', message: expect.stringMatching(/apiVersion is missing/) }),
    ]);
  });

  it('keeps the first of two entities with the same ref, case-insensitively', () => {
    const plan = planImport([doc(component('svc'), 1), doc(component('SVC'), 20)]);
    expect(plan.drafts).toHaveLength(1);
    expect(plan.problems[0]).toMatchObject({ line: 20, severity: 'error', message: expect.stringMatching(/duplicate entity component:default\/svc: already defined at catalog.yaml:1/) });
  });

  it('keeps unknown kinds and bad tags, with a warning', () => {
    const plan = planImport([
      doc({ apiVersion: 'extensions.backstage.io/v1alpha1', kind: 'Plugin', metadata: { name: 'p' }, spec: {} }),
      doc(component('t', {}, { tags: ['Not Valid'] })),
    ]);
    expect(plan.drafts).toHaveLength(2);
    expect(plan.problems.map((p) => p.severity)).toEqual(['warning', 'warning']);
    expect(plan.drafts[0]!.entity.flags[0]).toMatch(/unknown kind Plugin/);
  });

  it('asks for a kind on dependsOn entries without one', () => {
    const plan = planImport([doc(component('needs', { dependsOn: ['payments-db'] }))]);
    expect(plan.problems[0]!.message).toMatch(/spec.dependsOn "payments-db" needs a kind/);
  });

  it('reads aliases from steward.dev/aliases', () => {
    const plan = planImport([doc(component('payments-api', {}, { annotations: { 'steward.dev/aliases': 'pay, payments ,payments-api' } }))]);
    expect(plan.drafts[0]!.aliases).toEqual(['pay', 'payments']);
  });
});
