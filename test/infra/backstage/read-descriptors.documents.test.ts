import { describe, expect, it } from 'vitest';
import { entity, problems, readIn, useTempTrees, where } from './temp-tree.js';

const tree = useTempTrees();

/** Reads one file called `catalog-info.yaml` with the given text. */
function readText(text: string | Uint8Array) {
  const dir = tree({ 'catalog-info.yaml': text });
  return readIn(dir, ['catalog-info.yaml']);
}

describe('readDescriptors: multi-document files', () => {
  it('reports each document at its first content line when the file starts with ---', () => {
    const result = readText(`---\n${entity('a')}\n---\n${entity('b')}\n`);
    expect(where(result)).toEqual(['catalog-info.yaml:2 a', 'catalog-info.yaml:9 b']);
    expect(result.problems).toEqual([]);
    expect(result.documents[0]?.root).toBe('catalog-info.yaml');
  });

  it('skips a header comment block and comment lines between documents', () => {
    const text = [
      '# This file is generated automatically.', // 1
      '# Do not edit.', // 2
      '', // 3
      '---', // 4
      entity('a'), // 5-10
      '# https://backstage.io/docs/features/software-catalog/descriptor-format', // 11
      '---', // 12
      '# yaml-language-server: $schema=https://json.schemastore.org/catalog-info.json', // 13
      entity('b'), // 14-19
      '',
    ].join('\n');
    expect(where(readText(text))).toEqual(['catalog-info.yaml:5 a', 'catalog-info.yaml:14 b']);
  });

  it('handles blank lines around --- and skips the empty document after a trailing ---', () => {
    const text = `${entity('a')}\n\n---\n\n${entity('b')}\n---\n`;
    const result = readText(text);
    expect(where(result)).toEqual(['catalog-info.yaml:1 a', 'catalog-info.yaml:10 b']);
    expect(result.problems).toEqual([]);
  });

  it('skips empty documents between markers, even with comments in them', () => {
    const text = `---\n---\n# nothing here\n---\n${entity('a')}\n---\n---\n`;
    const result = readText(text);
    expect(where(result)).toEqual(['catalog-info.yaml:5 a']);
    expect(result.problems).toEqual([]);
  });

  it('reads the last document of a file without a final newline', () => {
    const result = readText(`${entity('a')}\n---\n${entity('b')}`);
    expect(where(result)).toEqual(['catalog-info.yaml:1 a', 'catalog-info.yaml:8 b']);
    expect(result.documents[1]?.value).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'b' },
      spec: { owner: 'team-a' },
    });
  });

  it('handles CRLF line endings without leaving \\r in values', () => {
    const text = `---\r\n${entity('a')}\r\n---\r\n\r\n${entity('b')}\r\n`.replace(/(?<!\r)\n/g, '\r\n');
    const result = readText(text);
    expect(where(result)).toEqual(['catalog-info.yaml:2 a', 'catalog-info.yaml:10 b']);
    expect(JSON.stringify(result.documents.map((d) => d.value))).not.toContain('\\r');
  });

  it('strips a UTF-8 byte order mark', () => {
    const result = readText(`\uFEFF${entity('a')}\n`);
    expect(where(result)).toEqual(['catalog-info.yaml:1 a']);
    expect(Object.keys(result.documents[0]?.value as object)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });

  it('accepts 4-space indentation and flow lists', () => {
    const text = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '    name: payments',
      '    tags: [java, "backend"]',
      'spec:',
      '    owner: group:giantswarm/team-phoenix',
      '    dependsOn: [component:ledger, resource:payments-db]',
      '',
    ].join('\n');
    const value = readText(text).documents[0]?.value;
    expect(value).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'payments', tags: ['java', 'backend'] },
      spec: { owner: 'group:giantswarm/team-phoenix', dependsOn: ['component:ledger', 'resource:payments-db'] },
    });
  });

  it('ends a document at ... and accepts comments after --- and a flow document on the marker line', () => {
    const text = [
      `${entity('a')}`, // 1-6
      '...', // 7
      '--- # second', // 8
      `${entity('b')}`, // 9-14
      '--- {apiVersion: backstage.io/v1alpha1, kind: Group, metadata: {name: c}}', // 15
      '',
    ].join('\n');
    const result = readText(text);
    expect(where(result)).toEqual(['catalog-info.yaml:1 a', 'catalog-info.yaml:9 b', 'catalog-info.yaml:15 c']);
    expect(result.problems).toEqual([]);
  });

  it('does not split at --- that is indented or part of a longer token', () => {
    const text = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: a',
      '  description: |',
      '    ---',
      '    not a marker',
      '---not-a-marker-either: 1',
      '',
    ].join('\n');
    const result = readText(text);
    expect(where(result)).toEqual(['catalog-info.yaml:1 a']);
    expect(result.documents[0]?.value).toMatchObject({ metadata: { description: '---\nnot a marker\n' }, '---not-a-marker-either': 1 });
  });

  it('keeps values JSON-safe: timestamps stay strings, YAML 1.1 booleans stay strings, .inf becomes a string', () => {
    const text = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: a',
      '  annotations:',
      '    created: 2024-01-31',
      '    deployed: 2024-01-31T10:00:00Z',
      '    legacy-flag: yes',
      '    count: 0x1F',
      '    ratio: .inf',
      '    nothing: ~',
      '',
    ].join('\n');
    const value = readText(text).documents[0]?.value;
    expect(value).toMatchObject({
      metadata: {
        annotations: { created: '2024-01-31', deployed: '2024-01-31T10:00:00Z', 'legacy-flag': 'yes', count: 31, ratio: '.inf', nothing: null },
      },
    });
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  });

  it('expands aliases into independent copies', () => {
    const text = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: a',
      '  labels: &labels { tier: gold }',
      '  annotations: *labels',
      '',
    ].join('\n');
    const value = readText(text).documents[0]?.value as { metadata: { labels: object; annotations: object } };
    expect(value.metadata.annotations).toEqual({ tier: 'gold' });
    expect(value.metadata.annotations).not.toBe(value.metadata.labels);
  });

  it('skips a document that is only null (~) without a problem', () => {
    const result = readText(`~\n---\n${entity('a')}\n`);
    expect(where(result)).toEqual(['catalog-info.yaml:3 a']);
    expect(result.problems).toEqual([]);
  });

  it('warns about an empty file and a comments-only file', () => {
    const dir = tree({ 'empty.yaml': '', 'comments.yaml': '# nothing yet\n---\n' });
    const result = readIn(dir, ['empty.yaml', 'comments.yaml']);
    expect(problems(result)).toEqual([
      'warning empty.yaml:0 no YAML documents in the file; skipped',
      'warning comments.yaml:0 no YAML documents in the file; skipped',
    ]);
    expect(result.brokenFiles.size).toBe(0);
  });
});

describe('readDescriptors: documents that cannot be used', () => {
  it('reports a non-mapping root as an error at the document line and returns the other documents', () => {
    const text = [
      entity('a'), // 1-6
      '---', // 7
      '- a', // 8
      '- b', // 9
      '---', // 10
      'just a string', // 11
      '---', // 12
      '42', // 13
      '---', // 14
      'true', // 15
      '---', // 16
      entity('b'), // 17-22
      '',
    ].join('\n');
    const result = readText(text);
    expect(where(result)).toEqual(['catalog-info.yaml:1 a', 'catalog-info.yaml:17 b']);
    expect(problems(result)).toEqual([
      'error catalog-info.yaml:8 expected a mapping at the document root, got a list',
      'error catalog-info.yaml:11 expected a mapping at the document root, got a string',
      'error catalog-info.yaml:13 expected a mapping at the document root, got a number',
      'error catalog-info.yaml:15 expected a mapping at the document root, got a boolean',
    ]);
    expect([...result.brokenFiles]).toEqual(['catalog-info.yaml']);
  });

  it('reports a YAML syntax error at its file line and still returns the other documents', () => {
    const text = [
      entity('a'), // 1-6
      '---', // 7
      'apiVersion: backstage.io/v1alpha1', // 8
      'kind: Component', // 9
      'metadata:', // 10
      '  name: broken', // 11
      '    title: bad indent', // 12
      '---', // 13
      entity('b'), // 14-19
      '',
    ].join('\n');
    const result = readText(text);
    expect(where(result)).toEqual(['catalog-info.yaml:1 a', 'catalog-info.yaml:14 b']);
    expect(problems(result)).toEqual(['error catalog-info.yaml:12 invalid YAML: bad indentation of a mapping entry (column 10)']);
    expect([...result.brokenFiles]).toEqual(['catalog-info.yaml']);
  });

  it('reports errors in several documents, each at its own line, counting header comments and CRLF', () => {
    const text = [
      '# header', // 1
      '---', // 2
      entity('dup'), // 3-8
      '  owner: team-b', // 9: duplicate key
      '---', // 10
      entity('ok'), // 11-16
      '---', // 17
      'apiVersion: backstage.io/v1alpha1', // 18
      'kind: Component', // 19
      'metadata:', // 20
      '\tname: tabbed', // 21
      '---', // 22
      'kind: [unclosed', // 23
      '',
    ].join('\r\n');
    const result = readText(text);
    expect(where(result)).toEqual(['catalog-info.yaml:11 ok']);
    expect(problems(result)).toEqual([
      'error catalog-info.yaml:9 invalid YAML: duplicated mapping key (column 3)',
      'error catalog-info.yaml:21 invalid YAML: tab characters must not be used in indentation (column 1)',
      'error catalog-info.yaml:23 invalid YAML: deficient indentation',
    ]);
  });
});

describe('readDescriptors: descriptor detection', () => {
  it('skips a YAML file without apiVersion or kind (an OpenAPI spec) with one warning', () => {
    const dir = tree({
      'apis/petstore-api.yaml': entity('petstore', 'API'),
      'apis/petstore.oas.yaml': 'openapi: 3.0.0\ninfo:\n  title: Petstore\n  version: 1.0.0\npaths: {}\n',
      'apis/multi.yaml': 'a: 1\n---\nb: 2\n---\n- c\n',
    });
    const result = readIn(dir, ['apis']);
    expect(where(result)).toEqual(['apis/petstore-api.yaml:1 petstore']);
    expect(problems(result)).toEqual([
      'warning apis/multi.yaml:0 not a Backstage descriptor (no apiVersion or kind); skipped',
      'warning apis/petstore.oas.yaml:0 not a Backstage descriptor (no apiVersion or kind); skipped',
    ]);
    expect(result.brokenFiles.size).toBe(0);
  });

  it('returns every object document of a file that has at least one descriptor', () => {
    const result = readText(`${entity('a')}\n---\nfoo: bar\n`);
    expect(result.documents.map((d) => d.value)).toEqual([
      { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'a' }, spec: { owner: 'team-a' } },
      { foo: 'bar' },
    ]);
    expect(result.problems).toEqual([]);
  });

  it('treats a document with a top-level kind: line as a descriptor even when it fails to parse', () => {
    const result = readText('apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [broken\n');
    expect(result.problems).toEqual([expect.objectContaining({ severity: 'error', file: 'catalog-info.yaml' })]);
    expect([...result.brokenFiles]).toEqual(['catalog-info.yaml']);
  });

  it('warns, but does not break the file, when unparseable YAML has no apiVersion or kind (a Helm values template)', () => {
    const result = readText('replicas: {{ .Values.replicas }}\nimage: "{{ .Values.image }}"\n');
    expect(result.documents).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.severity).toBe('warning');
    expect(result.problems[0]?.message).toMatch(/^not a Backstage descriptor \(no apiVersion or kind\); it is also not valid YAML \(line 1: .*\); skipped$/);
    expect(result.brokenFiles.size).toBe(0);
  });

  it('reports a list of entities at the root as an error rather than skipping the file', () => {
    const result = readText(`- ${entity('a').replace(/\n/g, '\n  ')}\n`);
    expect(problems(result)).toEqual(['error catalog-info.yaml:1 expected a mapping at the document root, got a list']);
  });
});

describe('readDescriptors: __proto__ keys', () => {
  it('drops __proto__ keys with a warning and never changes a prototype', () => {
    const text = [
      'apiVersion: backstage.io/v1alpha1', // 1
      'kind: Component',
      '__proto__: { polluted: root }',
      'metadata:',
      '  name: a',
      '  __proto__:',
      '    polluted: metadata',
      '  annotations: { "__proto__": { polluted: quoted }, constructor: kept }',
      '',
    ].join('\n');
    const result = readText(text);
    const value = result.documents[0]?.value as Record<string, Record<string, unknown>>;
    expect(value).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'a', annotations: { constructor: 'kept' } },
    });
    for (const object of [value, value['metadata'], value['metadata']?.['annotations']]) {
      expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
      expect(Object.hasOwn(object as object, '__proto__')).toBe(false);
      expect((object as { polluted?: unknown }).polluted).toBeUndefined();
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(value)).not.toContain('polluted');
    expect(problems(result)).toEqual([
      'warning catalog-info.yaml:1 key __proto__ dropped: __proto__ is not allowed in a descriptor',
      'warning catalog-info.yaml:1 key metadata.__proto__ dropped: __proto__ is not allowed in a descriptor',
      'warning catalog-info.yaml:1 key metadata.annotations.__proto__ dropped: __proto__ is not allowed in a descriptor',
    ]);
    expect(result.brokenFiles.size).toBe(0);
  });
});
