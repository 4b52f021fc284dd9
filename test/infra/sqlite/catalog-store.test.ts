import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EntityDraft, ImportPlan } from '../../../src/core/catalog/index.js';
import { planImport } from '../../../src/core/catalog/index.js';
import { CatalogStore } from '../../../src/infra/sqlite/catalog-store.js';
import { openDatabase } from '../../../src/infra/sqlite/open-database.js';

const doc = (name: string, spec: Record<string, unknown> = {}, file = 'a.yaml') => ({
  file,
  line: 1,
  root: file,
  value: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name }, spec: { type: 'service', owner: 'team-a', ...spec } },
});
const NOW = new Date('2026-11-30T09:00:00Z');
const dbFile = (): string => join(mkdtempSync(join(tmpdir(), 'steward-store-')), 'store.db');

describe('the catalog store', () => {
  it('counts added, updated, unchanged and removed per kind', () => {
    const store = new CatalogStore(openDatabase(dbFile()));
    const first = store.apply({ type: 'full', drafts: planImport([doc('a'), doc('b')]).drafts, roots: ['a.yaml'], now: NOW });
    expect(first.kinds['Component']).toEqual({ added: 2, updated: 0, unchanged: 0, removed: 0 });
    const second = store.apply({ type: 'full', drafts: planImport([doc('a', { lifecycle: 'production' })]).drafts, roots: ['a.yaml'], now: NOW });
    expect(second.kinds['Component']).toEqual({ added: 0, updated: 1, unchanged: 0, removed: 1 });
    expect(store.get('component:default/b')).toBeUndefined();
    expect(store.related('group:default/team-a', 'ownerOf')).toEqual(['component:default/a']);
  });

  it('prunes only entities of the imported roots that the caller says may go', () => {
    const store = new CatalogStore(openDatabase(dbFile()));
    store.apply({ type: 'delta', drafts: planImport([doc('a', {}, 'a.yaml'), doc('b', {}, 'b.yaml')]).drafts, roots: ['a.yaml', 'b.yaml'], now: NOW });
    const summary = store.apply({ type: 'full', drafts: planImport([]).drafts, roots: ['a.yaml'], mayPrune: () => false, now: NOW });
    expect(summary.kinds).toEqual({});
    const pruned = store.apply({ type: 'full', drafts: planImport([]).drafts, roots: ['a.yaml'], now: NOW });
    expect(pruned.kinds['Component']?.removed).toBe(1);
    expect(store.get('component:default/b')).toBeDefined();
  });

  it('writes nothing when a plan fails half-way', () => {
    const store = new CatalogStore(openDatabase(dbFile()));
    store.apply({ type: 'delta', drafts: planImport([doc('kept')]).drafts, roots: [], now: NOW });
    const good = planImport([doc('new-one')]).drafts[0]!;
    const broken = { ...good, entity: { ...good.entity, ref: 'component:default/broken', name: null } } as unknown as EntityDraft;
    const plan: ImportPlan = { drafts: [good, broken], problems: [] };
    expect(() => store.apply({ type: 'delta', drafts: plan.drafts, roots: [], now: NOW })).toThrow();
    expect(store.get('component:default/new-one')).toBeUndefined();
    expect(store.get('component:default/kept')).toBeDefined();
    expect(store.search('new-one').total).toBe(0);
  });

  it('writes nothing when a streamed plan stops with an error after some drafts were written', () => {
    const store = new CatalogStore(openDatabase(dbFile()));
    store.apply({ type: 'delta', drafts: planImport([doc('kept')]).drafts, roots: ['a.yaml'], now: NOW });
    function* drafts(): Generator<EntityDraft> {
      yield* planImport([doc('streamed-1'), doc('streamed-2')]).drafts;
      throw new Error('the disk went away mid-read');
    }
    expect(() => store.apply({ type: 'full', drafts: drafts(), roots: ['a.yaml'], now: NOW })).toThrow('mid-read');
    expect(store.get('component:default/streamed-1')).toBeUndefined();
    expect(store.get('component:default/kept')).toBeDefined();
    expect(store.counts()).toEqual({ component: 1 });
  });

  it('asks mayPrune only after the last draft, so a streamed import can answer from all it read', () => {
    const store = new CatalogStore(openDatabase(dbFile()));
    store.apply({ type: 'delta', drafts: planImport([doc('a', {}, 'a.yaml'), doc('gone', {}, 'b.yaml')]).drafts, roots: ['a.yaml', 'b.yaml'], now: NOW });
    let draftsTaken = 0;
    const asked: Array<{ file: string; draftsTaken: number }> = [];
    function* drafts(): Generator<EntityDraft> {
      for (const d of planImport([doc('a', {}, 'a.yaml')]).drafts) {
        draftsTaken++;
        yield d;
      }
    }
    const summary = store.apply({ type: 'full', drafts: drafts(), roots: ['a.yaml', 'b.yaml'], mayPrune: (file) => (asked.push({ file, draftsTaken }), true), now: NOW });
    expect(asked).toEqual([{ file: 'b.yaml', draftsTaken: 1 }]);
    expect(summary.kinds['Component']).toMatchObject({ unchanged: 1, removed: 1 });
  });

  it("sees another connection's import at once, despite its read cache", () => {
    const file = dbFile();
    const reader = new CatalogStore(openDatabase(file));
    const writer = new CatalogStore(openDatabase(file));
    expect(reader.get('component:default/late')).toBeUndefined();
    writer.apply({ type: 'delta', drafts: planImport([doc('late')]).drafts, roots: [], now: NOW });
    expect(reader.get('component:default/late')?.name).toBe('late');
    expect(reader.related('component:default/late', 'ownedBy')).toEqual(['group:default/team-a']);
  });

  it('keeps a chat identity learned from Slack across re-imports', () => {
    const store = new CatalogStore(openDatabase(dbFile()));
    const user = (email: string) => ({
      file: 'u.yaml', line: 1, root: 'u.yaml',
      value: { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'ana' }, spec: { memberOf: [], profile: { email } } },
    });
    store.apply({ type: 'delta', drafts: planImport([user('ana@x.example')]).drafts, roots: [], now: NOW });
    store.setChatIdentity('user:default/ana', { slackId: 'U0ANA' });
    store.apply({ type: 'delta', drafts: planImport([user('ana.ruiz@x.example')]).drafts, roots: [], now: NOW });
    expect(store.personByEmail('ANA.RUIZ@x.example')).toMatchObject({ slackId: 'U0ANA', email: 'ana.ruiz@x.example' });
  });
});

describe('did you mean, over a large catalog', () => {
  // 4,000 names that share their common parts ("svc-", "-api-", words): the narrowing must still
  // find the one a typo meant, by a piece of the query, a prefix, a title or an alias.
  const WORDS = ['amber', 'birch', 'cedar', 'delta', 'ember', 'flint', 'garnet', 'harbor'];
  const NOUNS = ['api', 'billing', 'cart', 'ledger', 'orders'];
  const db = openDatabase(dbFile());
  const store = new CatalogStore(db);
  const docs = [];
  for (let i = 0; i < 4000; i++) {
    const name = `svc-${WORDS[i % WORDS.length]}-${NOUNS[i % NOUNS.length]}-${i}`;
    const metadata: Record<string, unknown> = { name, ...(i === 77 ? { title: 'Payments Gateway', annotations: { 'steward.dev/aliases': 'paygate' } } : {}) };
    docs.push({ file: 'big.yaml', line: i + 1, root: 'big.yaml', value: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata, spec: { owner: 'team-a' } } });
  }
  docs.push({ ...doc('ab'), line: 5000 });
  store.apply({ type: 'delta', drafts: planImport(docs).drafts, roots: [], now: NOW });

  it.each([
    ['a transposition', 'svc-cedra-orders-1234', 'svc-cedar-orders-1234'],
    ['two digits swapped', 'svc-cedar-cart-1024', 'svc-cedar-cart-1042'],
    ['an extra letter', 'svc-harbor-orders-3999', 'svc-harbor-orders-399'],
    ['a title', 'Payment Gateway', 'Payments Gateway'],
    ['an alias', 'paygat', 'paygate'],
    ['a short name', 'ax', 'ab'],
  ])('finds %s', (_what, typo, meant) => {
    expect(store.suggest(typo)).toContain(meant);
  });

  it('answers a typo asked again the same, and keeps a bounded number of past answers', () => {
    // serve once kept every typo's candidates (up to a few thousand names each): over 100 MB.
    const small = new CatalogStore(db, { suggestionCache: 50 });
    const name = (i: number): string => `svc-${WORDS[i % WORDS.length]}-${NOUNS[i % NOUNS.length]}-${i}`;
    for (let i = 0; i < 120; i++) {
      expect(small.suggest(`${name(i)}x`)).toContain(name(i));
      expect(small.suggestionCacheSize).toBeLessThanOrEqual(50);
    }
    expect(small.suggest(`${name(119)}x`)).toEqual(small.suggest(`${name(119)}x`));
    expect(small.suggest(`${name(119)}x`, undefined, 1)).toEqual([name(119)]);
  });

  it('keeps to the kinds asked for and says nothing for nonsense', () => {
    expect(store.suggest('svc-cedra-orders-1234', ['group'])).toEqual([]);
    expect(store.suggest('qqqqqqqqqq')).toEqual([]);
  });
});
