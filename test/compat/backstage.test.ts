import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { importCatalog } from '../../src/import-catalog.js';
import { createSteward } from '../../src/app/create-steward.js';
import { memoryLogger } from '../support/memory-logger.js';
import { BACKSTAGE_FIXTURES, hasShared } from './shared.js';

/**
 * Counts the entities a Location tree really contains, independently of the importer: load
 * every document, follow relative Location targets, note kind:namespace/name.
 */
function entitiesIn(file: string, seen = new Set<string>(), refs = new Set<string>()): Set<string> {
  const path = resolve(file);
  if (seen.has(path) || !existsSync(path)) return refs;
  seen.add(path);
  for (const doc of loadAll(readFileSync(path, 'utf8')) as unknown[]) {
    if (!doc || typeof doc !== 'object') continue;
    const d = doc as { kind?: string; metadata?: { name?: string; namespace?: string }; spec?: { target?: string; targets?: string[] } };
    if (!d.kind || !d.metadata?.name) continue;
    refs.add(`${d.kind}:${d.metadata.namespace ?? 'default'}/${d.metadata.name}`.toLowerCase());
    if (d.kind.toLowerCase() === 'location') {
      for (const t of [d.spec?.target, ...(d.spec?.targets ?? [])]) {
        if (typeof t === 'string' && !/^[a-z]+:\/\//.test(t)) entitiesIn(join(dirname(path), t), seen, refs);
      }
    }
  }
  return refs;
}

function freshSteward() {
  const dir = mkdtempSync(join(tmpdir(), 'steward-compat-'));
  return createSteward({ db: join(dir, 'compat.db'), logger: memoryLogger().logger });
}

const storedRefs = (steward: ReturnType<typeof freshSteward>): Set<string> =>
  new Set(steward.db.prepare('SELECT ref FROM entities').pluck().all() as string[]);

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? yamlFilesUnder(p) : /\.ya?ml$/.test(name) ? [p] : [];
  });
}

describe.skipIf(!hasShared)('Backstage compatibility: the upstream examples', () => {
  for (const entry of ['all.yaml', 'acme-corp.yaml']) {
    it(`imports backstage-examples/${entry} with exactly the entities in its files`, () => {
      const file = join(BACKSTAGE_FIXTURES, 'backstage-examples', entry);
      const expected = entitiesIn(file);
      expect(expected.size).toBeGreaterThan(5);
      const steward = freshSteward();
      const report = importCatalog(steward.catalog, [file]);
      expect(storedRefs(steward)).toEqual(expected);
      // Re-importing the same files changes nothing.
      const again = importCatalog(steward.catalog, [file]);
      for (const counts of Object.values(again.summary.kinds)) {
        expect(counts).toMatchObject({ added: 0, updated: 0, removed: 0 });
      }
      expect(again.errors).toEqual(report.errors);
      steward.close();
    });
  }

  it('answers who-owns for every acme component it imported', async () => {
    const steward = freshSteward();
    importCatalog(steward.catalog, [
      join(BACKSTAGE_FIXTURES, 'backstage-examples', 'acme-corp.yaml'),
      join(BACKSTAGE_FIXTURES, 'backstage-examples', 'all.yaml'),
    ]);
    const components = steward.db.prepare("SELECT name FROM entities WHERE kind = 'Component'").pluck().all() as string[];
    expect(components.length).toBeGreaterThan(5);
    for (const name of components) {
      const out = await steward.router.dispatch({ platform: 'shell', actor: { id: 't' }, text: `who-owns ${name}`, receivedAt: new Date() });
      expect(out.outcome, name).toBe('ok');
      expect(out.reply.fallback, name).toMatch(/ is owned by /);
    }
    steward.close();
  });
});

describe.skipIf(!hasShared)('Backstage compatibility: real-world catalogs', () => {
  const root = join(BACKSTAGE_FIXTURES, 'real-world');
  const files = hasShared ? yamlFilesUnder(root) : [];

  it('finds the real-world files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  for (const file of files) {
    it(`imports ${file.slice(root.length + 1)} with its problems reported and no crash`, () => {
      const steward = freshSteward();
      const report = importCatalog(steward.catalog, [file]);
      for (const p of [...report.errors, ...report.warnings]) {
        expect(p.file).not.toBe('');
        expect(p.message).not.toMatch(/undefined|\[object Object\]/);
      }
      const stored = storedRefs(steward).size;
      const declared = entitiesIn(file).size;
      // Everything declared is stored, unless it was reported as a problem.
      expect(stored + report.errors.length).toBeGreaterThanOrEqual(Math.min(declared, 1));
      steward.close();
    });
  }

  it('imports the whole real-world folder at once', () => {
    const steward = freshSteward();
    const report = importCatalog(steward.catalog, [root]);
    expect(report.filesRead).toBeGreaterThan(20);
    expect(steward.catalog.counts()['component'] ?? 0).toBeGreaterThan(300);
    steward.close();
  });
});
