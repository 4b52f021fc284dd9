import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importCatalog } from '../src/import-catalog.js';
import { CatalogStore } from '../src/infra/sqlite/catalog-store.js';
import { openDatabase } from '../src/infra/sqlite/open-database.js';
import type { Db } from '../src/infra/sqlite/open-database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function component(name: string, extra = '', owner = 'team-a'): string {
  return `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n${extra}spec:\n  type: service\n  owner: ${owner}\n`;
}
const TEAM = 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n';

/** A catalog folder (the import's argument) and a store over a migrated temp database. */
function setUp(files: Record<string, string>): { dir: string; db: Db; store: CatalogStore; write: (f: string, text: string) => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-import-'));
  dirs.push(dir);
  const write = (f: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, 'catalog', f)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'catalog', f), text);
  };
  for (const [f, text] of Object.entries(files)) write(f, text);
  const db = openDatabase(path.join(dir, 'steward.db'));
  return { dir, db, store: new CatalogStore(db), write };
}

const T1 = new Date('2026-12-01T09:00:00Z');
const T2 = new Date('2026-12-02T09:00:00Z');

describe('importCatalog: an unchanged re-import', () => {
  it('skips unchanged files unparsed, counts their entities as unchanged and touches none of them', () => {
    const { dir, db, store } = setUp({ 'teams.yaml': TEAM, 'a.yaml': `${component('a1')}---\n${component('a2')}`, 'b.yaml': component('b1') });
    const root = path.join(dir, 'catalog');
    const first = importCatalog(store, [root], { now: T1 });
    expect(first.filesUnchanged).toBe(0);
    expect(first.summary.kinds['Component']).toEqual({ added: 3, updated: 0, unchanged: 0, removed: 0 });

    const again = importCatalog(store, [root], { now: T2, prune: true });
    expect(again.filesRead).toBe(3);
    expect(again.filesUnchanged).toBe(3);
    expect(again.summary.kinds).toEqual({
      Component: { added: 0, updated: 0, unchanged: 3, removed: 0 },
      Group: { added: 0, updated: 0, unchanged: 1, removed: 0 },
    });
    expect(again.errors).toEqual([]);
    // No statement ran per entity: a re-read unchanged entity gets last_seen = now, these kept the first import's.
    expect(db.prepare('SELECT DISTINCT last_seen FROM entities').pluck().all()).toEqual([T1.toISOString()]);
    expect(store.get('component:default/a2')).toBeDefined();
    expect(store.search('a2').total).toBe(1);
  });

  it('reads every file again when asked to (rereadUnchanged), with the same counts', () => {
    const { dir, db, store } = setUp({ 'a.yaml': component('a1') });
    const root = path.join(dir, 'catalog');
    importCatalog(store, [root], { now: T1 });
    const again = importCatalog(store, [root], { now: T2, rereadUnchanged: true });
    expect(again.filesUnchanged).toBe(0);
    expect(again.summary.kinds['Component']).toEqual({ added: 0, updated: 0, unchanged: 1, removed: 0 });
    expect(db.prepare('SELECT last_seen FROM entities').pluck().get()).toBe(T2.toISOString());
  });

  it('reads a changed file again and leaves the others alone', () => {
    const { dir, store, write } = setUp({ 'a.yaml': `${component('a1')}---\n${component('a2')}`, 'b.yaml': component('b1') });
    const root = path.join(dir, 'catalog');
    importCatalog(store, [root], { now: T1 });
    write('b.yaml', component('b1', '  description: Now with a description.\n'));
    const again = importCatalog(store, [root], { now: T2 });
    expect(again.filesUnchanged).toBe(1);
    expect(again.summary.kinds['Component']).toEqual({ added: 0, updated: 1, unchanged: 2, removed: 0 });
    expect(store.get('component:default/b1')?.description).toBe('Now with a description.');
    // Same size, different bytes: still read again.
    write('b.yaml', component('b1', '  description: Now with a descriptioN.\n'));
    expect(importCatalog(store, [root], { now: T2 }).summary.kinds['Component']?.updated).toBe(1);
  });

  it('notices a file that appeared and prunes the entities of one that disappeared', () => {
    const { dir, db, store, write } = setUp({ 'a.yaml': component('a1'), 'b.yaml': component('b1') });
    const root = path.join(dir, 'catalog');
    importCatalog(store, [root], { now: T1 });
    fs.rmSync(path.join(root, 'b.yaml'));
    write('c.yaml', component('c1'));
    const kept = importCatalog(store, [root], { now: T2 });
    expect(kept.summary.kinds['Component']).toEqual({ added: 1, updated: 0, unchanged: 1, removed: 0 });
    expect(store.get('component:default/b1')).toBeDefined(); // without --prune nothing goes
    const pruned = importCatalog(store, [root], { now: T2, prune: true });
    expect(pruned.filesUnchanged).toBe(2);
    expect(pruned.summary.kinds['Component']).toEqual({ added: 0, updated: 0, unchanged: 2, removed: 1 });
    expect(store.get('component:default/b1')).toBeUndefined();
    expect(db.prepare('SELECT file FROM import_files ORDER BY file').pluck().all()).toEqual(
      ['a.yaml', 'c.yaml'].map((f) => path.join(root, f)), // display paths: absolute outside the cwd
    );
  });

  it('still reports a duplicate of an entity whose file was skipped', () => {
    const { dir, store, write } = setUp({ 'a.yaml': component('same') });
    const root = path.join(dir, 'catalog');
    importCatalog(store, [root], { now: T1 });
    write('b.yaml', component('same', '  description: the second one\n'));
    const again = importCatalog(store, [root], { now: T2 });
    expect(again.filesUnchanged).toBe(1);
    expect(again.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^duplicate entity component:default\/same: already defined at .*a\.yaml:1; this one is skipped$/),
    ]);
    expect(store.get('component:default/same')?.description).toBeUndefined();
  });

  it('reads files with problems every time, so their problems are reported every time; dangling owners of skipped files too', () => {
    const { dir, store } = setUp({ 'a.yaml': component('a1', '  tags: [Not A Tag]\n'), 'b.yaml': component('b1', '', 'team-gone') });
    const root = path.join(dir, 'catalog');
    const first = importCatalog(store, [root], { now: T1 });
    const again = importCatalog(store, [root], { now: T2 });
    expect(again.filesUnchanged).toBe(1); // b.yaml; a.yaml has a warning of its own
    expect(again.warnings.map((w) => w.message)).toEqual(first.warnings.map((w) => w.message));
    expect(again.warnings.map((w) => w.message)).toContain('component:default/b1: owner group:default/team-gone is not in the catalog');
  });
});

describe('importCatalog: problem messages', () => {
  it('keeps the message about a 4 MB metadata.name to a few hundred characters', () => {
    const { dir, store } = setUp({ 'big.yaml': component('x'.repeat(4 * 1024 * 1024)) });
    const report = importCatalog(store, [path.join(dir, 'catalog')], { now: T1 });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.message.length).toBeLessThanOrEqual(400);
    expect(report.errors[0]!.message).toMatch(/^x{100}… \(4,194,304 characters\): metadata\.name is longer than 63 characters$/);
  });
});
