import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entity, problems, readIn, useTempTrees, where } from './temp-tree.js';

const tree = useTempTrees();

function location(targets: string): string {
  return `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: loc\nspec:\n  targets:\n${targets}\n`;
}
const outside = (target: string, line = 1): string =>
  `error catalog/all.yaml:${line} target ${target} is outside the imported folders (not read; steward import --allow-outside follows it)`;

describe('readDescriptors: Location targets stay in the imported folders', () => {
  it('reports `..` out, an absolute path and a file:// URL outside the folder, and reads none of them', () => {
    const dir = tree({ 'outside/x.yaml': entity('secret'), 'catalog/in.yaml': entity('inside') });
    const abs = path.join(dir, 'outside', 'x.yaml');
    const url = pathToFileURL(abs).href;
    fs.writeFileSync(path.join(dir, 'catalog', 'all.yaml'), location(`    - ./in.yaml\n    - ../outside/x.yaml\n    - ${abs}\n    - ${url}`));
    const result = readIn(dir, ['catalog']);
    expect(where(result)).toEqual(['catalog/all.yaml:1 loc', 'catalog/in.yaml:1 inside']);
    expect(problems(result)).toEqual([outside('../outside/x.yaml'), outside(abs), outside(url)]);
    expect(result.filesRead).toBe(2);
    expect(result.brokenFiles.size).toBe(0); // the Location's own file was read in full
  });

  it('follows them with allowOutside', () => {
    const dir = tree({ 'outside/x.yaml': entity('elsewhere') });
    fs.mkdirSync(path.join(dir, 'catalog'));
    fs.writeFileSync(path.join(dir, 'catalog', 'all.yaml'), location('    - ../outside/x.yaml'));
    const result = readIn(dir, ['catalog/all.yaml'], { allowOutside: true });
    expect(problems(result)).toEqual([]);
    expect(where(result)).toEqual(['catalog/all.yaml:1 loc', 'outside/x.yaml:1 elsewhere']);
  });

  it('confines a file argument to its folder: siblings and subfolders are in, the parent is out', () => {
    const dir = tree({ 'catalog/team/a.yaml': entity('a'), 'b.yaml': entity('b') });
    fs.writeFileSync(path.join(dir, 'catalog', 'all.yaml'), location('    - ./team/a.yaml\n    - ../b.yaml'));
    const result = readIn(dir, ['catalog/all.yaml']);
    expect(where(result)).toEqual(['catalog/all.yaml:1 loc', 'catalog/team/a.yaml:1 a']);
    expect(problems(result)).toEqual([outside('../b.yaml')]);
  });

  it('checks the real path: a symlink inside the folder that leads out is not followed', () => {
    const dir = tree({ 'outside/x.yaml': entity('secret'), 'outside/more/y.yaml': entity('secret-2') });
    fs.mkdirSync(path.join(dir, 'catalog'));
    fs.symlinkSync(path.join(dir, 'outside', 'x.yaml'), path.join(dir, 'catalog', 'link.yaml'));
    fs.symlinkSync(path.join(dir, 'outside', 'more'), path.join(dir, 'catalog', 'more'));
    fs.mkdirSync(path.join(dir, 'catalog', 'sub'));
    fs.symlinkSync(path.join(dir, 'outside', 'x.yaml'), path.join(dir, 'catalog', 'sub', 'x.yaml'));
    fs.writeFileSync(path.join(dir, 'catalog', 'sub', 'ok.yaml'), entity('ok'));
    fs.writeFileSync(path.join(dir, 'catalog', 'all.yaml'), location('    - ./link.yaml\n    - ./more\n    - ./sub'));
    const result = readIn(dir, ['catalog/all.yaml']);
    expect(where(result)).toEqual(['catalog/all.yaml:1 loc', 'catalog/sub/ok.yaml:1 ok']);
    expect(problems(result)).toHaveLength(3);
    expect(problems(result)[0]).toBe(outside('./link.yaml'));
    expect(problems(result)[1]).toBe(outside('./more'));
    // A file of a target folder that is a symlink leading out: named with where it leads.
    expect(problems(result)[2]).toMatch(/^error catalog\/all\.yaml:1 target \.\/sub \(.*sub\/x\.yaml leads to .*outside\/x\.yaml\) is outside the imported folders/);
  });

  it('refuses a glob whose walk would start outside before listing anything, and bounds one inside', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`catalog/svc/s${String(i).padStart(2, '0')}.yaml`] = entity(`s${i}`);
    const dir = tree(files);
    fs.writeFileSync(path.join(dir, 'catalog', 'all.yaml'), location('    - /**/*.yaml\n    - ./svc/*.yaml'));
    const result = readIn(dir, ['catalog/all.yaml'], { maxFiles: 11 });
    expect(problems(result)[0]).toBe(outside('/**/*.yaml'));
    expect(problems(result)[1]).toBe(
      'error catalog/all.yaml:1 Location target ./svc/*.yaml: the glob stopped after 10 files; the files it found so far are read, narrow the pattern to read the rest',
    );
    expect(result.filesRead).toBe(11);
  });

  it('keeps a problem about a 4 MB target to a few hundred characters', () => {
    const huge = `../${'x'.repeat(4 * 1024 * 1024)}.yaml`;
    const dir = tree({ 'catalog/all.yaml': location(`    - ${huge}`) });
    const result = readIn(dir, ['catalog'], { maxFileBytes: 8 * 1024 * 1024 });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message.length).toBeLessThan(400);
    expect(result.problems[0]!.message).toMatch(/is outside the imported folders/);
  });
});
