import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entity, problems, readIn, useTempTrees, where } from './temp-tree.js';

const tree = useTempTrees();
const MB = 1024 * 1024;

describe('readDescriptors guard: file size', () => {
  it('rejects a file over the default 5 MB limit without parsing it, and reads the others', () => {
    const dir = tree({ 'huge.yaml': '#'.repeat(Math.round(6.2 * MB)), 'ok.yaml': entity('ok') });
    const result = readIn(dir, ['.']);
    expect(problems(result)).toEqual(['error huge.yaml:0 file is 6.2 MB, over the 5 MB limit']);
    expect(where(result)).toEqual(['ok.yaml:1 ok']);
    expect([...result.brokenFiles]).toEqual(['huge.yaml']);
  });

  it('honours maxFileBytes, and a file exactly at the limit is fine', () => {
    const atLimit = `${entity('at-limit')}\n`;
    const dir = tree({ 'over.yaml': 'x'.repeat(1300), 'at.yaml': atLimit });
    const limit = Buffer.byteLength(atLimit);
    expect(problems(readIn(dir, ['over.yaml'], { maxFileBytes: 1024 }))).toEqual(['error over.yaml:0 file is 1.3 KB, over the 1 KB limit']);
    expect(where(readIn(dir, ['at.yaml'], { maxFileBytes: limit }))).toEqual(['at.yaml:1 at-limit']);
  });

  it('gives exact byte counts when the rounded sizes would read the same', () => {
    const dir = tree({ 'just-over.yaml': 'x'.repeat(1025) });
    expect(problems(readIn(dir, ['just-over.yaml'], { maxFileBytes: 1024 }))).toEqual([
      'error just-over.yaml:0 file is 1025 bytes, over the 1024-byte limit',
    ]);
  });
});

describe('readDescriptors guard: invalid UTF-8', () => {
  it('reports the line of the first bad byte and imports nothing from the file', () => {
    const before = `${entity('cafe')}\n  description: caf`; // the bad byte lands on line 7
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xe9]), Buffer.from('\n')]); // Latin-1 é
    const dir = tree({ 'latin1.yaml': bytes });
    const result = readIn(dir, ['latin1.yaml']);
    expect(problems(result)).toEqual([
      `error latin1.yaml:7 invalid UTF-8 (byte 0xe9 at offset ${Buffer.byteLength(before)}); save the file as UTF-8`,
    ]);
    expect(result.documents).toEqual([]);
    expect([...result.brokenFiles]).toEqual(['latin1.yaml']);
  });

  it.each([
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a sequence cut off at the end of the file', [0xe2, 0x82]],
  ])('rejects %s', (_name, bad) => {
    const dir = tree({ 'bad.yaml': Buffer.concat([Buffer.from('# ok\nname: '), Buffer.from(bad)]) });
    expect(problems(readIn(dir, ['bad.yaml']))).toEqual([
      `error bad.yaml:2 invalid UTF-8 (byte 0x${bad[0]!.toString(16)} at offset 11); save the file as UTF-8`,
    ]);
  });

  it('accepts multi-byte characters, including 4-byte ones', () => {
    const dir = tree({ 'ok.yaml': `${entity('ok')}\n  description: "Café ☕ 𝄞"\n` });
    expect(readIn(dir, ['ok.yaml']).documents[0]?.value).toMatchObject({ spec: { description: 'Café ☕ 𝄞' } });
  });
});

describe('readDescriptors guard: alias bombs', () => {
  /** The classic "billion laughs": 9 levels of 9 references, 9^9 strings once expanded. */
  function billionLaughs(): string {
    const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    const lines = ['apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', '  name: lol', '  annotations:'];
    lines.push(`    a: &a [${Array(9).fill('"lol"').join(', ')}]`);
    for (let i = 1; i < levels.length; i++) lines.push(`    ${levels[i]}: &${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(', ')}]`);
    return lines.join('\n');
  }

  it('stops counting past maxNodesPerDocument, skips the document, and keeps the rest of the file', () => {
    const dir = tree({ 'bomb.yaml': `${billionLaughs()}\n---\n${entity('after-the-bomb')}\n` });
    const result = readIn(dir, ['bomb.yaml']);
    expect(problems(result)).toEqual([
      'error bomb.yaml:1 document has more than 100000 YAML nodes once aliases are expanded (a possible alias bomb); skipped',
    ]);
    expect(where(result)).toEqual(['bomb.yaml:16 after-the-bomb']);
    expect([...result.brokenFiles]).toEqual(['bomb.yaml']);
  });

  it('counts shared references each time they are visited', () => {
    // Expanded: the root, `x`, the shared list and its 2 items, the `uses` list, and 3 nodes for each
    // of the 10 references: 1 + 1 + 3 + 1 + 10 * 3 = 36, although the text has only one copy of [1, 2].
    const text = `kind: x\nshared: &s [1, 2]\nuses: [${Array(10).fill('*s').join(', ')}]\n`;
    const dir = tree({ 'a.yaml': text });
    expect(readIn(dir, ['a.yaml'], { maxNodesPerDocument: 36 }).problems).toEqual([]);
    expect(problems(readIn(dir, ['a.yaml'], { maxNodesPerDocument: 35 }))).toEqual([
      'error a.yaml:1 document has more than 35 YAML nodes once aliases are expanded (a possible alias bomb); skipped',
    ]);
  });

  it("also uses js-yaml's own alias limit (maxAliases) while parsing", () => {
    const text = `kind: x\nshared: &s 1\nuses: [${Array(30).fill('*s').join(', ')}]\n`;
    const dir = tree({ 'a.yaml': text });
    expect(problems(readIn(dir, ['a.yaml'], { maxNodesPerDocument: 20 }))).toEqual([
      'error a.yaml:3 document uses more than 20 YAML aliases (a possible alias bomb); skipped',
    ]);
  });

  it('rejects a recursive alias instead of recursing forever', () => {
    const text = `${entity('loop')}\n  labels: &self\n    again: *self\n`;
    const dir = tree({ 'loop.yaml': text });
    expect(problems(readIn(dir, ['loop.yaml']))).toEqual([
      'error loop.yaml:1 document nests deeper than 1000 levels (a recursive alias?); skipped',
    ]);
  });
});

describe('readDescriptors guard: number of files', () => {
  it('stops after maxFiles files, reports it, and marks the root as broken so nothing is pruned', () => {
    const dir = tree({
      'many/a.yaml': entity('a'),
      'many/b.yaml': entity('b'),
      'many/c.yaml': entity('c'),
      'many/d.yaml': entity('d'),
      'later.yaml': entity('later'),
    });
    const result = readIn(dir, ['many', 'later.yaml'], { maxFiles: 3 });
    expect(result.filesRead).toBe(3);
    expect(where(result)).toEqual(['many/a.yaml:1 a', 'many/b.yaml:1 b', 'many/c.yaml:1 c']);
    expect(problems(result)).toEqual([
      'error many/d.yaml:0 stopped: more than 3 files to read (the maxFiles limit); this file and any later ones were not read',
    ]);
    expect(new Set(result.brokenFiles)).toEqual(new Set(['many/d.yaml', 'many']));
  });

  it('reads exactly maxFiles files without complaint', () => {
    const dir = tree({ 'a.yaml': entity('a'), 'b.yaml': entity('b') });
    expect(readIn(dir, ['.'], { maxFiles: 2 }).problems).toEqual([]);
  });

  it('imports a directory of 10,000 small files', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) {
      files[`team-${String(i % 100).padStart(2, '0')}/svc-${String(i).padStart(5, '0')}.yaml`] = `${entity(`svc-${i}`)}\n`;
    }
    const dir = tree(files);
    let progressCalls = 0;
    const result = readIn(dir, ['.'], { onProgress: () => progressCalls++ });
    expect(result.problems).toEqual([]);
    expect(result.filesRead).toBe(10_000);
    expect(result.documents).toHaveLength(10_000);
    expect(progressCalls).toBe(10_000);
    expect(result.documents[0]?.file).toBe(path.join('team-00', 'svc-00000.yaml'));
    expect(result.documents[1]?.file).toBe(path.join('team-00', 'svc-00100.yaml'));
  });
});

describe('readDescriptors guard: files that cannot be read', () => {
  it('refuses device files as arguments and as Location targets, instead of blocking on them', () => {
    const dir = tree({ 'all.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: dev\nspec:\n  target: /dev/zero\n' });
    const result = readIn(dir, ['/dev/null', 'all.yaml']);
    // A Location never leads to a special file system, not even with allowOutside: it is not opened at all.
    const refused = 'error all.yaml:1 target /dev/zero is outside the imported folders (a special file system is never read)';
    expect(problems(result)).toEqual(['error /dev/null:0 not a regular file or directory', refused]);
    expect(new Set(result.brokenFiles)).toEqual(new Set(['/dev/null']));
    expect(problems(readIn(dir, ['all.yaml'], { allowOutside: true }))).toEqual([refused]);
  });

  it.skipIf(process.getuid?.() === 0)('reports a file without read permission (EACCES) and reads the others', () => {
    const dir = tree({ 'locked.yaml': entity('locked'), 'open.yaml': entity('open') });
    fs.chmodSync(path.join(dir, 'locked.yaml'), 0o000);
    const result = readIn(dir, ['.']);
    expect(problems(result)).toEqual(['error locked.yaml:0 permission denied']);
    expect(where(result)).toEqual(['open.yaml:1 open']);
  });
});

describe('readDescriptors: a large generated catalog', () => {
  it('reads a ~5 MB file of 11,000 entities in one piece (a guard against quadratic behaviour, not a benchmark)', () => {
    const parts: string[] = ['# generated by the catalog exporter\n'];
    for (let i = 0; i < 11_000; i++) {
      parts.push(
        `---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: service-${i}\n  namespace: default\n` +
          `  description: "Generated service ${i}"\n  annotations:\n    github.com/project-slug: example-org/service-${i}\n` +
          `    pagerduty.com/service-id: P${i.toString(36).toUpperCase()}\n  tags: [java, backend, tier-${i % 3}]\n` +
          `spec:\n  type: service\n  lifecycle: production\n  owner: group:default/team-${i % 50}\n  system: system-${i % 20}\n` +
          `  dependsOn:\n    - resource:default/db-${i % 100}\n    - component:default/service-${(i + 1) % 11_000}\n`,
      );
    }
    const text = parts.join('');
    expect(text.length).toBeGreaterThan(4.5 * MB);
    expect(text.length).toBeLessThan(5 * MB);
    const dir = tree({ 'components.yaml': text });
    const result = readIn(dir, ['components.yaml']);
    expect(result.problems).toEqual([]);
    expect(result.documents).toHaveLength(11_000);
    expect(result.documents[10_999]?.line).toBe(3 + 10_999 * 19);
  });
});
