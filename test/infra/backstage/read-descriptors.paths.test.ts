import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReadProgress } from '../../../src/infra/backstage/read-descriptors.js';
import { entity, problems, readIn, useTempTrees, where } from './temp-tree.js';

const tree = useTempTrees();

describe('readDescriptors: arguments and directory walks', () => {
  it('walks a directory recursively for .yaml and .yml files in sorted order, skipping node_modules and dot-entries', () => {
    const dir = tree({
      'catalog/b.yaml': entity('b'),
      'catalog/a/z.yml': entity('a-z'),
      'catalog/a/y.yaml': entity('a-y'),
      'catalog/A.yaml': entity('upper-a'),
      'catalog/c.YAML': entity('c'),
      'catalog/notes.txt': entity('not-yaml'),
      'catalog/.github/workflows/catalog.yaml': entity('dot-folder'),
      'catalog/.hidden.yaml': entity('dot-file'),
      'catalog/node_modules/pkg/catalog-info.yaml': entity('dependency'),
      'catalog/web/node_modules/pkg/catalog-info.yaml': entity('nested-dependency'),
    });
    const result = readIn(dir, ['catalog']);
    expect(where(result)).toEqual([
      'catalog/A.yaml:1 upper-a',
      'catalog/a/y.yaml:1 a-y',
      'catalog/a/z.yml:1 a-z',
      'catalog/b.yaml:1 b',
      'catalog/c.YAML:1 c',
    ]);
    expect(new Set(result.documents.map((d) => d.root))).toEqual(new Set(['catalog']));
    expect(result.problems).toEqual([]);
  });

  it('reads an explicitly named file whatever its extension', () => {
    const dir = tree({ 'catalog.txt': entity('txt') });
    expect(where(readIn(dir, ['catalog.txt']))).toEqual(['catalog.txt:1 txt']);
  });

  it('reports a missing argument with line 0 and goes on with the other arguments', () => {
    const dir = tree({ 'ok.yaml': entity('ok') });
    const result = readIn(dir, ['nope.yaml', 'ok.yaml']);
    expect(problems(result)).toEqual(['error nope.yaml:0 no such file or directory']);
    expect(where(result)).toEqual(['ok.yaml:1 ok']);
    expect([...result.brokenFiles]).toEqual(['nope.yaml']);
  });

  it('shows paths relative to the cwd when inside it, absolute otherwise', () => {
    const dir = tree({ 'inside/a.yaml': entity('a'), 'outside.yaml': entity('o') });
    const result = readIn(path.join(dir, 'inside'), ['.', '../outside.yaml']);
    expect(result.documents.map((d) => [d.file, d.root])).toEqual([
      ['a.yaml', '.'],
      [path.join(dir, 'outside.yaml'), path.join(dir, 'outside.yaml')],
    ]);
  });

  it('reads a file reached twice, or through a symlink, only once', () => {
    const dir = tree({ 'catalog/a.yaml': entity('a') });
    fs.symlinkSync(path.join(dir, 'catalog', 'a.yaml'), path.join(dir, 'link.yaml'));
    const result = readIn(dir, ['catalog', 'catalog/a.yaml', 'link.yaml', './catalog/../catalog']);
    expect(where(result)).toEqual(['catalog/a.yaml:1 a']);
    expect(result.filesRead).toBe(1);
  });

  it('follows a symlinked directory once and does not loop on a link to an ancestor', () => {
    const dir = tree({ 'catalog/team/a.yaml': entity('a'), 'shared/s.yaml': entity('s') });
    fs.symlinkSync('..', path.join(dir, 'catalog', 'team', 'up'));
    fs.symlinkSync(path.join(dir, 'shared'), path.join(dir, 'catalog', 'shared-link'));
    const result = readIn(dir, ['catalog']);
    expect(where(result)).toEqual(['catalog/shared-link/s.yaml:1 s', 'catalog/team/a.yaml:1 a']);
    expect(result.problems).toEqual([]);
  });

  it('warns about a broken symlink to a YAML file', () => {
    const dir = tree({ 'catalog/a.yaml': entity('a') });
    fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'catalog', 'b.yaml'));
    expect(problems(readIn(dir, ['catalog']))).toEqual([
      'warning catalog/b.yaml:0 broken symbolic link (no such file or directory); skipped',
    ]);
  });

  it('calls onProgress after each file with the running count', () => {
    const dir = tree({ 'a.yaml': entity('a'), 'b.yaml': 'openapi: 3.0.0\n', 'c.yaml': entity('c') });
    const progress: ReadProgress[] = [];
    readIn(dir, ['.'], { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([
      { filesRead: 1, file: 'a.yaml' },
      { filesRead: 2, file: 'b.yaml' },
      { filesRead: 3, file: 'c.yaml' },
    ]);
  });

  it('is deterministic: the same tree gives the same result twice', () => {
    const files: Record<string, string> = {};
    for (const name of ['m', 'b', 'z', 'a', 'q']) files[`${name}/${name}.yaml`] = entity(name);
    const dir = tree(files);
    expect(readIn(dir, ['.'])).toEqual(readIn(dir, ['.']));
  });
});
