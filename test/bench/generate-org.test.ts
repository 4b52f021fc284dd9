import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, it, expect } from 'vitest';
import { generateOrg, writeOrg } from '../../bench/generate-org.js';
import type { GeneratedOrg } from '../../bench/generate-org.js';

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

interface Entity {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, unknown>; labels?: Record<string, unknown> };
  spec: Record<string, unknown>;
}

function parse(org: GeneratedOrg): Map<string, Entity[]> {
  const byFile = new Map<string, Entity[]>();
  for (const file of org.files) {
    byFile.set(file.path, loadAll(file.content).filter((doc) => doc != null) as Entity[]);
  }
  return byFile;
}

const refKey = (kind: string, name: string): string => `${kind}:default/${name}`.toLowerCase();

/** `[kind:][namespace/]name` with the field's default kind; everything here is in `default`. */
function resolveRef(ref: string, defaultKind: string | null): string {
  const colon = ref.indexOf(':');
  const kind = colon >= 0 ? ref.slice(0, colon) : defaultKind;
  const rest = colon >= 0 ? ref.slice(colon + 1) : ref;
  expect(kind, `${ref} needs a kind`).not.toBeNull();
  expect(rest, `${ref} should not name a namespace`).not.toContain('/');
  return refKey(kind as string, rest);
}

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]);

describe('generateOrg', () => {
  const org = generateOrg({ components: 600, seed: 42 });
  const files = parse(org);
  const entities = [...files.values()].flat();

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateOrg({ components: 600, seed: 42 })).toEqual(org);
    const other = generateOrg({ components: 600, seed: 43 });
    expect(other.counts).toEqual(org.counts);
    expect(other.files.find((f) => f.path === 'components.yaml')?.content).not.toBe(
      org.files.find((f) => f.path === 'components.yaml')?.content,
    );
  });

  it('writes one file per kind and an all.yaml Location that lists them', () => {
    const paths = org.files.map((f) => f.path);
    expect(paths[0]).toBe('all.yaml');
    const location = files.get('all.yaml') ?? [];
    expect(location).toHaveLength(1);
    expect(location[0]?.kind).toBe('Location');
    expect(location[0]?.spec.targets).toEqual(paths.slice(1).map((p) => `./${p}`));
    for (const [path, docs] of files) {
      if (path === 'all.yaml') continue;
      expect(new Set(docs.map((d) => d.kind)).size, `${path} holds one kind`).toBe(1);
    }
  });

  it('produces the counts it reports, scaled from the component count', () => {
    const counted: Record<string, number> = {};
    for (const e of entities) counted[e.kind] = (counted[e.kind] ?? 0) + 1;
    expect(counted).toEqual(org.counts);
    expect(org.counts.Component).toBe(600);
    const teams = entities.filter((e) => e.kind === 'Group' && e.spec.type === 'team');
    expect(teams).toHaveLength(10); // ceil(600 / 60)
    expect(org.counts.User).toBe(60); // 6 per team
    expect(org.counts.System).toBe(15);
    expect(org.counts.API).toBe(15);
    expect(org.counts.Resource).toBe(15);
  });

  it('honours explicit teams and people', () => {
    const small = generateOrg({ components: 30, teams: 4, people: 9, seed: 1 });
    const parsed = [...parse(small).values()].flat();
    expect(parsed.filter((e) => e.kind === 'Group' && e.spec.type === 'team')).toHaveLength(4);
    expect(parsed.filter((e) => e.kind === 'User')).toHaveLength(9);
    expect(() => generateOrg({ components: 0 })).toThrow(RangeError);
    expect(() => generateOrg({ components: 10, teams: 1.5 })).toThrow(RangeError);
  });

  it('uses valid, unique Backstage names', () => {
    const seen = new Set<string>();
    for (const e of entities) {
      expect(e.apiVersion).toBe('backstage.io/v1alpha1');
      expect(e.metadata.name, e.metadata.name).toMatch(NAME);
      expect(e.metadata.name.length).toBeLessThanOrEqual(63);
      const key = refKey(e.kind, e.metadata.name);
      expect(seen.has(key), `duplicate ${key}`).toBe(false);
      seen.add(key);
      for (const value of Object.values(e.metadata.annotations ?? {})) expect(typeof value).toBe('string');
      for (const value of Object.values(e.metadata.labels ?? {})) expect(value).toMatch(NAME);
    }
  });

  it('resolves every reference', () => {
    const known = new Set(entities.map((e) => refKey(e.kind, e.metadata.name)));
    const fields: Record<string, Array<[string, string | null]>> = {
      Component: [['owner', 'group'], ['system', 'system'], ['providesApis', 'api'], ['consumesApis', 'api'], ['dependsOn', null]],
      API: [['owner', 'group'], ['system', 'system']],
      Resource: [['owner', 'group'], ['system', 'system']],
      System: [['owner', 'group'], ['domain', 'domain']],
      Domain: [['owner', 'group']],
      Group: [['parent', 'group'], ['children', 'group']],
      User: [['memberOf', 'group']],
    };
    const checked: Record<string, number> = {};
    for (const e of entities) {
      for (const [field, defaultKind] of fields[e.kind] ?? []) {
        for (const ref of asList(e.spec[field])) {
          expect(known.has(resolveRef(ref, defaultKind)), `${e.kind} ${e.metadata.name}: ${field} ${ref}`).toBe(true);
          checked[`${e.kind}.${field}`] = (checked[`${e.kind}.${field}`] ?? 0) + 1;
        }
      }
      if (e.kind === 'Component') expect(e.spec.owner, `${e.metadata.name} has an owner`).toBeTypeOf('string');
    }
    // Every field of every kind occurs, so none of them goes unchecked.
    for (const [kind, list] of Object.entries(fields)) {
      for (const [field] of list) expect(checked[`${kind}.${field}`], `${kind}.${field}`).toBeGreaterThan(0);
    }
    expect(checked['Component.owner']).toBe(600);
    expect(checked['Component.system']).toBe(600);
  });

  it('builds a consistent org tree where every team has people', () => {
    const groups = entities.filter((e) => e.kind === 'Group');
    const byName = new Map(groups.map((g) => [g.metadata.name, g]));
    for (const g of groups) {
      for (const child of asList(g.spec.children)) expect(byName.get(child)?.spec.parent).toBe(g.metadata.name);
    }
    expect(groups.filter((g) => g.spec.parent === undefined).map((g) => g.spec.type)).toEqual(['organization']);
    const members = new Set(entities.filter((e) => e.kind === 'User').flatMap((u) => asList(u.spec.memberOf)));
    for (const team of groups.filter((g) => g.spec.type === 'team')) expect(members.has(team.metadata.name)).toBe(true);
  });

  it('puts a PagerDuty service id on half of the components', () => {
    const components = entities.filter((e) => e.kind === 'Component');
    const paged = components.filter((c) => c.metadata.annotations?.['pagerduty.com/service-id'] !== undefined);
    expect(paged).toHaveLength(300);
    for (const c of paged) expect(c.metadata.annotations?.['pagerduty.com/service-id']).toMatch(/^P[A-Z0-9]{6}$/);
  });

  it('reaches benchmark scale at 10,000 components', () => {
    const big = generateOrg({ components: 10_000 });
    const total = Object.values(big.counts).reduce((sum, n) => sum + n, 0);
    const bytes = big.files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
    expect(total).toBeGreaterThanOrEqual(11_000);
    expect(total).toBeLessThanOrEqual(12_000);
    expect(bytes).toBeGreaterThan(4_500_000);
    expect(bytes).toBeLessThan(6_000_000);
    // The descriptor reader refuses files over 5 MiB by default; the benchmark catalog must load as is.
    for (const file of big.files) expect(Buffer.byteLength(file.content), file.path).toBeLessThan(5 * 1024 * 1024);
  });
});

describe('writeOrg', () => {
  it('writes every file under the directory, creating it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'steward-org-')), 'nested', 'catalog');
    try {
      const org = generateOrg({ components: 50, seed: 3 });
      writeOrg(dir, org);
      expect(readdirSync(dir).sort()).toEqual(org.files.map((f) => f.path).sort());
      for (const file of org.files) expect(readFileSync(join(dir, file.path), 'utf8')).toBe(file.content);
    } finally {
      rmSync(join(dir, '..', '..'), { recursive: true, force: true });
    }
  });
});
