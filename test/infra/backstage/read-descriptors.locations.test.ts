import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entity, problems, readIn, useTempTrees, where } from './temp-tree.js';

const tree = useTempTrees();
const fixtures = fileURLToPath(new URL('../../fixtures/backstage/location-tree', import.meta.url));

function location(targets: string, extra = ''): string {
  return `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: loc\nspec:\n${targets}${extra}\n`;
}

describe('readDescriptors: Location entities (fixture tree)', () => {
  const result = readIn(fixtures, ['all.yaml']);

  it('follows relative, nested and glob targets depth-first, in target order', () => {
    expect(where(result)).toEqual([
      'all.yaml:2 all',
      'org.yaml:2 payments-team',
      'org.yaml:10 jane.doe',
      'systems/all-systems.yaml:1 all-systems', // kind: location (lower case) is still a Location
      'systems/payments-system.yaml:1 payments', // relative to systems/, not to all.yaml
      'plugins/billing/catalog-info.yaml:1 billing',
      'plugins/frontend/checkout/catalog-info.yaml:2 checkout', // ** spans two directories; README.md is not matched
    ]);
  });

  it('gives followed files the root of the argument they were reached from', () => {
    expect(new Set(result.documents.map((d) => d.root))).toEqual(new Set(['all.yaml']));
    expect(result.filesRead).toBe(6);
  });

  it('warns about a glob that matches nothing and reports a missing target on the Location line', () => {
    expect(problems(result)).toEqual([
      'warning all.yaml:2 Location target ./utils/**/catalog-info.yaml matched no files',
      'error all.yaml:2 Location target ./missing-team.yaml not found',
    ]);
  });

  it('does not count the Location file as broken because of a missing target', () => {
    expect(result.brokenFiles.size).toBe(0);
  });
});

describe('readDescriptors: a directory walk and Locations over the same tree (fixture tree)', () => {
  it('reads every file once, whichever way it is reached, and skips the OpenAPI spec with a warning', () => {
    const result = readIn(fixtures, ['.']);
    expect(result.filesRead).toBe(8);
    expect(where(result)).toEqual([
      'all.yaml:2 all',
      'org.yaml:2 payments-team',
      'org.yaml:10 jane.doe',
      'systems/all-systems.yaml:1 all-systems',
      'systems/payments-system.yaml:1 payments',
      'plugins/billing/catalog-info.yaml:1 billing',
      'plugins/frontend/checkout/catalog-info.yaml:2 checkout',
      'apis/billing-api.yaml:1 billing-api',
    ]);
    expect(problems(result)).toEqual([
      'warning all.yaml:2 Location target ./utils/**/catalog-info.yaml matched no files',
      'error all.yaml:2 Location target ./missing-team.yaml not found',
      'warning apis/billing.oas.yaml:0 not a Backstage descriptor (no apiVersion or kind); skipped',
    ]);
    expect(new Set(result.documents.map((d) => d.root))).toEqual(new Set(['.']));
  });
});

describe('readDescriptors: Location targets', () => {
  it('resolves targets against the Location file directory, not the cwd', () => {
    const dir = tree({
      'catalog/all.yaml': location('  target: ./team.yaml'),
      'catalog/team.yaml': entity('team-a', 'Group'),
      'team.yaml': entity('wrong-team', 'Group'),
    });
    expect(where(readIn(dir, ['catalog/all.yaml']))).toEqual(['catalog/all.yaml:1 loc', 'catalog/team.yaml:1 team-a']);
  });

  it('follows both spec.target and spec.targets, and a target that is a directory', () => {
    const dir = tree({
      'all.yaml': location('  target: one.yaml\n  targets: [./more]'),
      'one.yaml': entity('one'),
      'more/b.yaml': entity('b'),
      'more/a.yml': entity('a'),
    });
    expect(where(readIn(dir, ['all.yaml']))).toEqual(['all.yaml:1 loc', 'one.yaml:1 one', 'more/a.yml:1 a', 'more/b.yaml:1 b']);
  });

  it('reports nothing for a missing target or an empty glob when presence is optional', () => {
    const dir = tree({ 'all.yaml': location('  targets: [./gone.yaml, ./plugins/*/catalog-info.yaml]\n  presence: optional') });
    const result = readIn(dir, ['all.yaml']);
    expect(result.problems).toEqual([]);
    expect(result.documents).toHaveLength(1);
  });

  it('matches * and ? within one segment only, and skips dot-folders and node_modules', () => {
    const dir = tree({
      'all.yaml': location('  targets: [./svc-?/*.yaml, ./libs/**/catalog-info.yaml]'),
      'svc-a/x.yaml': entity('svc-a-x'),
      'svc-a/deep/y.yaml': entity('too-deep'),
      'svc-bb/x.yaml': entity('two-chars'),
      'libs/catalog-info.yaml': entity('libs-root'),
      'libs/one/catalog-info.yaml': entity('libs-one'),
      'libs/node_modules/dep/catalog-info.yaml': entity('dependency'),
      'libs/.cache/catalog-info.yaml': entity('cached'),
    });
    const result = readIn(dir, ['all.yaml']);
    expect(where(result)).toEqual(['all.yaml:1 loc', 'svc-a/x.yaml:1 svc-a-x', 'libs/catalog-info.yaml:1 libs-root', 'libs/one/catalog-info.yaml:1 libs-one']);
    expect(result.problems).toEqual([]);
  });

  it('does not fetch remote targets and says what to do instead', () => {
    const dir = tree({
      'org.yaml': location(
        '  type: github\n  targets:\n    - https://github.com/acme/catalog/blob/main/team-a.yaml\n    - http://example.com/team-b.yaml\n    - ./local.yaml',
      ),
      'local.yaml': entity('local'),
    });
    const result = readIn(dir, ['org.yaml']);
    expect(problems(result)).toEqual([
      'warning org.yaml:1 remote target https://github.com/acme/catalog/blob/main/team-a.yaml not followed; import a local copy or use steward sync github',
      'warning org.yaml:1 remote target http://example.com/team-b.yaml not followed; import a local copy or use steward sync github',
    ]);
    expect(where(result)).toEqual(['org.yaml:1 loc', 'local.yaml:1 local']);
  });

  it('follows a file:// URL target as a local path', () => {
    const dir = tree({ 'local.yaml': entity('local') });
    fs.writeFileSync(path.join(dir, 'all.yaml'), location(`  target: ${pathToFileURL(path.join(dir, 'local.yaml')).href}`));
    const result = readIn(dir, ['all.yaml']);
    expect(result.problems).toEqual([]);
    expect(where(result)).toEqual(['all.yaml:1 loc', 'local.yaml:1 local']);
  });

  it('detects a cycle, names the chain, and reads each file once', () => {
    const dir = tree({
      'a.yaml': location('  target: ./b.yaml'),
      'b.yaml': location('  target: ./a.yaml'),
    });
    const result = readIn(dir, ['a.yaml']);
    expect(result.filesRead).toBe(2);
    expect(where(result)).toEqual(['a.yaml:1 loc', 'b.yaml:1 loc']);
    expect(problems(result)).toEqual(['warning b.yaml:1 Location cycle a.yaml → b.yaml → a.yaml; a.yaml is not read again']);
    expect(result.brokenFiles.size).toBe(0);
  });

  it('detects a Location that targets its own file', () => {
    const dir = tree({ 'self.yaml': location('  target: ./self.yaml') });
    expect(problems(readIn(dir, ['self.yaml']))).toEqual(['warning self.yaml:1 Location cycle self.yaml → self.yaml; self.yaml is not read again']);
  });

  it('reads a file reached twice (two Locations, or a Location and a directory walk) once, without a warning', () => {
    const dir = tree({
      'catalog/all.yaml': location('  targets: [./apis.yaml, ./components.yaml]'),
      'catalog/apis.yaml': location('  target: ./shared.yaml'),
      'catalog/components.yaml': location('  target: ./shared.yaml'),
      'catalog/shared.yaml': entity('shared'),
    });
    const result = readIn(dir, ['catalog/all.yaml', 'catalog']);
    expect(result.filesRead).toBe(4);
    expect(result.documents.filter((d) => d.file === 'catalog/shared.yaml')).toHaveLength(1);
    expect(result.problems).toEqual([]);
  });

  it('keeps the root of the argument that reached a file first', () => {
    const dir = tree({
      'org/org.yaml': location('  target: ../shared/team.yaml'),
      'shared/team.yaml': entity('team', 'Group'),
    });
    const result = readIn(dir, ['org', 'shared']);
    expect(result.documents.map((d) => `${d.file} <- ${d.root}`)).toEqual(['org/org.yaml <- org', 'shared/team.yaml <- org']);
  });

  it('ignores targets that are not strings, with a warning', () => {
    const dir = tree({ 'all.yaml': location('  targets: [42, ""]') });
    expect(problems(readIn(dir, ['all.yaml']))).toEqual([
      'warning all.yaml:1 Location target 42 is not a path; ignored',
      'warning all.yaml:1 Location target "" is not a path; ignored',
    ]);
  });

  it('accepts an empty targets list', () => {
    const dir = tree({ 'all.yaml': location('  targets: []') });
    const result = readIn(dir, ['all.yaml']);
    expect(result.problems).toEqual([]);
    expect(result.documents).toHaveLength(1);
  });

  it('reports a Location target line inside a multi-document file', () => {
    const dir = tree({ 'catalog-info.yaml': `${entity('a')}\n---\n# the rest\n${location('  target: ./nope.yaml')}` });
    expect(problems(readIn(dir, ['catalog-info.yaml']))).toEqual(['error catalog-info.yaml:9 Location target ./nope.yaml not found']);
  });
});
