import { createHash } from 'node:crypto';
import type { CatalogMutation, CatalogReader, CatalogWriter, Entity, ImportedFile, ImportFiles, ImportSummary, KindCounts, Person, RelationType } from '../../core/catalog/index.js';
import type { EntityLister } from '../../core/scoring/index.js';
import { RELATION_PAIRS } from '../../core/catalog/index.js';
import { nearest } from '../../core/nearest.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './open-database.js';

interface EntityRow {
  rowid: number;
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  description: string | null;
  metadata: string;
  spec: string;
  source_file: string;
  source_line: number;
  flags: string;
}

interface PersonRow {
  ref: string;
  email: string | null;
  display_name: string;
  slack_user_id: string | null;
  teams_user_id: string | null;
}

const KIND_SPELLING: Record<string, string> = {
  component: 'Component', api: 'API', system: 'System', domain: 'Domain', resource: 'Resource',
  group: 'Group', user: 'User', location: 'Location', template: 'Template',
};
export const kindSpelling = (kind: string): string => KIND_SPELLING[kind.toLowerCase()] ?? kind;

const toEntity = (row: EntityRow): Entity => ({
  ref: row.ref,
  kind: row.kind,
  namespace: row.namespace,
  name: row.name,
  title: row.title ?? undefined,
  description: row.description ?? undefined,
  metadata: JSON.parse(row.metadata) as Record<string, unknown>,
  spec: JSON.parse(row.spec) as Record<string, unknown>,
  source: { file: row.source_file, line: row.source_line },
  flags: JSON.parse(row.flags) as string[],
});

/** Raw rows (`.raw()`) of the bulk reads: no column-name objects for 100,000 rows. */
type EntityTuple = [string, string, string, string, string | null, string | null, string, string, string, number, string];

const tupleToEntity = ([ref, kind, namespace, name, title, description, metadata, spec, file, line, flags]: EntityTuple): Entity => ({
  ref,
  kind,
  namespace,
  name,
  title: title ?? undefined,
  description: description ?? undefined,
  metadata: JSON.parse(metadata) as Record<string, unknown>,
  spec: JSON.parse(spec) as Record<string, unknown>,
  source: { file, line },
  flags: flags === '[]' ? [] : (JSON.parse(flags) as string[]),
});

const toPerson = (row: PersonRow): Person => ({
  ref: row.ref,
  name: row.display_name,
  email: row.email ?? undefined,
  slackId: row.slack_user_id ?? undefined,
  teamsId: row.teams_user_id ?? undefined,
});

interface ReadCache {
  version: number;
  lookups: Map<string, string[]>;
  entities: Map<string, Entity | null>;
  related: Map<string, string[]>;
  people: Map<string, Person | null>;
}

const REVERSE = Object.fromEntries(
  Object.entries(RELATION_PAIRS).flatMap(([forward, backward]) => [
    [forward, backward],
    [backward, forward],
  ]),
) as Record<RelationType, RelationType>;

/** Candidates for "did you mean" from the search index, and from names that start like the query. */
const SUGGEST_PER_PIECE = 500;
const SUGGEST_BY_PREFIX = 300;

const ENTITY_COLUMNS = 'rowid, ref, kind, namespace, name, title, description, metadata, spec, source_file, source_line, flags';

/**
 * The catalog in SQLite: applies import plans in one transaction and answers every read the
 * commands make. All of the catalog's SQL lives here.
 */
export class CatalogStore implements CatalogReader, CatalogWriter, EntityLister {
  readonly #db: Db;
  readonly #stmt;
  /**
   * Did-you-mean answers by query, until the database changes: the same typo asked again (fifty
   * people in one incident channel) costs nothing, and the candidates behind an answer (up to a
   * few thousand names each) are not kept. Keeping the candidates of 1,000 queries instead held
   * over 100 MB (a heap snapshot of serve after 10,000 commands: 550,000 name strings there).
   */
  #suggestions: { version: number; byQuery: Map<string, readonly string[]> } = { version: -1, byQuery: new Map() };
  readonly #suggestionLimit: number;
  #localWrites = 0;
  /**
   * Parsed reads, kept until the database changes: answering "who owns X" touches the same few
   * rows (the entity, its team, the team's people) again and again, and JSON.parse of metadata is
   * most of the cost. `PRAGMA data_version` changes when another connection commits (an import in
   * another process); our own writes bump #localWrites.
   */
  #cache: ReadCache = { version: -1, lookups: new Map(), entities: new Map(), related: new Map(), people: new Map() };
  static readonly #CACHE_LIMIT = 20_000;
  /**
   * Statements whose SQL varies with the kinds asked for, prepared once per variant: a statement
   * prepared per call is native memory V8 does not see, freed only when a GC happens to run.
   */
  readonly #variants = new Map<string, Statement<unknown[]>>();

  /** `suggestionCache`: did-you-mean answers kept (default 5,000, each a few names). */
  constructor(db: Db, options: { suggestionCache?: number } = {}) {
    this.#db = db;
    this.#suggestionLimit = options.suggestionCache ?? 5_000;
    this.#stmt = {
      get: db.prepare(`SELECT ${ENTITY_COLUMNS} FROM entities WHERE ref = ?`),
      byName: db.prepare(`SELECT ${ENTITY_COLUMNS} FROM entities WHERE lower(name) = ?`),
      byNamespacedName: db.prepare(`SELECT ${ENTITY_COLUMNS} FROM entities WHERE lower(name) = ? AND namespace = ?`),
      byTitle: db.prepare(`SELECT ${ENTITY_COLUMNS} FROM entities WHERE lower(title) = ?`),
      byAlias: db.prepare(`SELECT ${ENTITY_COLUMNS} FROM entities WHERE ref IN (SELECT ref FROM aliases WHERE alias = ?)`),
      // A relation is stored once, as its entity states it; the reverse type reads the target index.
      related: db.prepare(
        `SELECT target_ref AS ref FROM relations WHERE source_ref = ? AND type = ?
         UNION SELECT source_ref FROM relations WHERE target_ref = ? AND type = ? ORDER BY 1`,
      ),
      person: db.prepare('SELECT ref, email, display_name, slack_user_id, teams_user_id FROM people WHERE ref = ?'),
      personByEmail: db.prepare(
        'SELECT ref, email, display_name, slack_user_id, teams_user_id FROM people WHERE lower(email) = ? ORDER BY ref LIMIT 1',
      ),
      counts: db.prepare('SELECT lower(kind) AS kind, count(*) AS n FROM entities GROUP BY lower(kind)'),
      hashOf: db.prepare('SELECT rowid, hash FROM entities WHERE ref = ?'),
      fileStamp: db.prepare('SELECT root, size, hash, entities FROM import_files WHERE file = ?'),
      fileEntities: db.prepare('SELECT count(*) FROM entities WHERE source_root = ? AND source_file = ?').pluck(),
      refsOfFile: db.prepare('SELECT ref, source_line FROM entities WHERE source_root = ? AND source_file = ?').raw(),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
    };
  }

  // ---- reads ----------------------------------------------------------------------------

  #version(): number {
    return (this.#stmt.dataVersion.get() as number) * 1e6 + this.#localWrites;
  }

  #fresh(): ReadCache {
    const version = this.#version();
    if (this.#cache.version !== version) {
      this.#cache = { version, lookups: new Map(), entities: new Map(), related: new Map(), people: new Map() };
    }
    return this.#cache;
  }

  get(ref: string): Entity | undefined {
    const key = ref.toLowerCase();
    const { entities } = this.#fresh();
    const hit = entities.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const row = this.#stmt.get.get(key) as EntityRow | undefined;
    const entity = row ? toEntity(row) : undefined;
    if (entities.size >= CatalogStore.#CACHE_LIMIT) entities.clear();
    entities.set(key, entity ?? null);
    return entity;
  }

  lookup(query: string, kinds?: readonly string[]): Entity[] {
    const q = query.trim().toLowerCase();
    if (q === '') return [];
    const { lookups } = this.#fresh();
    let refs = lookups.get(q);
    if (!refs) {
      const rows = new Map<string, EntityRow>();
      const add = (list: unknown[]): void => {
        for (const r of list as EntityRow[]) rows.set(r.ref, r);
      };
      if (q.includes(':')) add(this.#stmt.get.all(q));
      const slash = q.indexOf('/');
      if (slash !== -1 && !q.includes(':')) add(this.#stmt.byNamespacedName.all(q.slice(slash + 1), q.slice(0, slash)));
      add(this.#stmt.byName.all(q));
      add(this.#stmt.byTitle.all(q));
      add(this.#stmt.byAlias.all(q));
      refs = [...rows.keys()];
      if (lookups.size >= CatalogStore.#CACHE_LIMIT) lookups.clear();
      lookups.set(q, refs);
    }
    const wanted = kinds?.map((k) => k.toLowerCase());
    return refs
      .map((ref) => this.get(ref))
      .filter((e): e is Entity => e !== undefined && (!wanted || wanted.includes(e.kind.toLowerCase())));
  }

  /**
   * "Did you mean": edit distances over a narrowed list, not over every name of the catalog (at
   * 100,000 entities building that list cost 370 ms and 50 MB in a one-off `ask`). Candidates are
   * the names, titles and aliases that share the most trigrams with the query (the search index,
   * best ranked first), plus those that start like it and are about as long; a near name almost
   * always shares a trigram or a prefix with the query.
   */
  suggest(query: string, kinds?: readonly string[], limit = 3): string[] {
    const q = query.trim().toLowerCase();
    if (q === '') return [];
    const key = `${limit}\u0000${kinds ? kinds.join(',').toLowerCase() : '*'}\u0000${q}`;
    const version = this.#version();
    if (this.#suggestions.version !== version) this.#suggestions = { version, byQuery: new Map() };
    const hit = this.#suggestions.byQuery.get(key);
    if (hit) return [...hit];
    const candidates = this.#suggestionCandidates(q, kinds?.map((k) => k.toLowerCase()));
    // One suggestion per entity: its name and its title may both be near the query.
    const refs = new Set<string>();
    const out: string[] = [];
    for (const label of nearest(query.trim(), candidates.keys(), limit * 3)) {
      const ref = candidates.get(label)!;
      if (refs.has(ref)) continue;
      refs.add(ref);
      out.push(label);
      if (out.length === limit) break;
    }
    if (this.#suggestions.byQuery.size >= this.#suggestionLimit) this.#suggestions.byQuery.clear();
    this.#suggestions.byQuery.set(key, out);
    return [...out];
  }

  /** How many did-you-mean answers are kept for later queries (bounded; for tests). */
  get suggestionCacheSize(): number {
    return this.#suggestions.byQuery.size;
  }

  #prepared(sql: string): Statement<unknown[]> {
    let stmt = this.#variants.get(sql);
    if (!stmt) {
      // Bounded anyway: variants differ by the kinds asked for and the number of words searched.
      if (this.#variants.size >= 100) this.#variants.clear();
      this.#variants.set(sql, (stmt = this.#db.prepare(sql)));
    }
    return stmt;
  }

  #suggestionCandidates(q: string, kinds: readonly string[] | undefined): Map<string, string> {
    const candidates = new Map<string, string>();
    const kindFilter = kinds ? `AND lower(e.kind) IN (${kinds.map(() => '?').join(',')})` : '';
    const add = (rows: Array<{ ref: string; name: string; title: string | null; aliases: string | null }>): void => {
      for (const r of rows) {
        for (const label of [r.name, ...(r.title ? [r.title] : []), ...(r.aliases ? r.aliases.split('\u001f') : [])]) {
          if (!candidates.has(label)) candidates.set(label, r.ref);
        }
      }
    };
    const columns = "e.ref, e.name, e.title, (SELECT group_concat(a.alias, char(31)) FROM aliases a WHERE a.ref = e.ref) AS aliases";
    const chars = [...q];
    if (chars.length >= 3) {
      // The query cut into pieces of three or more characters: a name one or two edits away still
      // contains one of them whole, and the trigram index finds names containing a piece without
      // ranking every name that merely shares a common trigram ("svc", "api").
      const count = Math.max(1, Math.min(5, Math.floor(chars.length / 3)));
      const pieces = new Set<string>();
      for (let p = 0; p < count; p++) {
        pieces.add(chars.slice(Math.floor((p * chars.length) / count), Math.floor(((p + 1) * chars.length) / count)).join(''));
      }
      // A piece found in more than SUGGEST_PER_PIECE names says little ("svc-", "-api"): it is
      // dropped, the others decide. Each lookup stops at its limit, so a common piece costs little.
      const piece = this.#prepared(`SELECT rowid FROM entity_search WHERE entity_search MATCH ? LIMIT ${SUGGEST_PER_PIECE + 1}`).pluck();
      const rowids = new Set<number>();
      const phrase = (text: string): string => `{name title aliases} : "${text.replace(/"/g, '""')}"`;
      for (const text of pieces) {
        const found = piece.all(phrase(text)) as number[];
        if (found.length <= SUGGEST_PER_PIECE) for (const id of found) rowids.add(id);
      }
      // Every piece common: names containing the whole query (a prefix or substring counts as near).
      if (rowids.size === 0) for (const id of piece.all(phrase(q)) as number[]) rowids.add(id);
      if (rowids.size > 0) {
        add(
          this.#prepared(`SELECT ${columns} FROM entities e WHERE e.rowid IN (SELECT value FROM json_each(?)) ${kindFilter}`)
            .all(JSON.stringify([...rowids]), ...(kinds ?? [])) as Array<{ ref: string; name: string; title: string | null; aliases: string | null }>,
        );
      }
    }
    // Same start, about the same length: catches what shares no trigram (short names, a typo in every third letter).
    const max = Math.max(2, Math.floor(q.length / 3));
    // Two characters of prefix, one for a short query (where the second may be the typo).
    const start = chars.slice(0, chars.length <= 4 ? 1 : 2);
    const prefix = start.join('');
    const upper = start.slice(0, -1).join('') + String.fromCodePoint(start.at(-1)!.codePointAt(0)! + 1);
    for (const column of ['name', 'title']) {
      add(
        this.#prepared(
          `SELECT ${columns} FROM entities e WHERE lower(e.${column}) >= ? AND lower(e.${column}) < ?
             AND length(e.${column}) BETWEEN ? AND ? ${kindFilter.replace('lower(e.kind)', '+lower(e.kind)')} LIMIT ${SUGGEST_BY_PREFIX}`,
        )
          .all(prefix, upper, q.length - max, q.length + max, ...(kinds ?? [])) as Array<{ ref: string; name: string; title: string | null; aliases: string | null }>,
      );
    }
    return candidates;
  }

  search(text: string, options: { kinds?: readonly string[]; limit?: number } = {}): { entities: Entity[]; total: number } {
    const words = text
      .toLowerCase()
      .split(/\s+/)
      .map((w) => w.replace(/"/g, ''))
      .filter((w) => w !== '');
    if (words.length === 0) return { entities: [], total: 0 };
    const limit = options.limit ?? 10;
    const kinds = options.kinds?.map((k) => k.toLowerCase());
    const kindFilter = kinds ? `AND lower(e.kind) IN (${kinds.map(() => '?').join(',')})` : '';
    // Trigram FTS needs three characters; shorter words fall back to a substring scan.
    const long = words.filter((w) => [...w].length >= 3);
    const short = words.filter((w) => [...w].length < 3);
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (long.length > 0) {
      conditions.push('e.rowid IN (SELECT rowid FROM entity_search WHERE entity_search MATCH ?)');
      params.push(long.map((w) => `"${w}"`).join(' AND '));
    }
    for (const w of short) {
      conditions.push("(lower(e.name) LIKE ? ESCAPE '\\' OR lower(coalesce(e.title, '')) LIKE ? ESCAPE '\\')");
      const like = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like);
    }
    const where = `${conditions.join(' AND ')} ${kindFilter}`;
    const all = [...params, ...(kinds ?? [])];
    const total = (this.#prepared(`SELECT count(*) AS n FROM entities e WHERE ${where}`).get(...all) as { n: number }).n;
    // Name hits first, then title, then the rest (description, tags, aliases).
    const rows = this.#prepared(
      `SELECT ${ENTITY_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')} FROM entities e WHERE ${where}
         ORDER BY (instr(lower(e.name), ?) = 0), (instr(lower(coalesce(e.title, '')), ?) = 0), length(e.name), e.ref LIMIT ?`,
    ).all(...all, words[0], words[0], limit) as EntityRow[];
    return { entities: rows.map(toEntity), total };
  }

  related(ref: string, type: RelationType): string[] {
    const key = `${ref.toLowerCase()} ${type}`;
    const { related } = this.#fresh();
    const hit = related.get(key);
    if (hit) return [...hit];
    const r = ref.toLowerCase();
    const targets = (this.#stmt.related.all(r, type, r, REVERSE[type]) as Array<{ ref: string }>).map((row) => row.ref);
    if (related.size >= CatalogStore.#CACHE_LIMIT) related.clear();
    related.set(key, targets);
    return [...targets];
  }

  relatedEntities(refs: readonly string[], type: RelationType, kinds?: readonly string[]): Entity[] {
    if (refs.length === 0) return [];
    const kindList = kinds?.map((k) => k.toLowerCase());
    const list = refs.map(() => '?').join(',');
    const lower = refs.map((r) => r.toLowerCase());
    // `+lower(e.kind)`: with the kind index SQLite scanned every entity of those kinds (10,000
    // components) to test each against the few related refs, 7 ms per `team` at 10k instead of 0.5.
    const rows = this.#prepared(
      `SELECT ${ENTITY_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')} FROM entities e
         WHERE e.ref IN (SELECT target_ref FROM relations WHERE source_ref IN (${list}) AND type = ?
                         UNION SELECT source_ref FROM relations WHERE target_ref IN (${list}) AND type = ?)
         ${kindList ? `AND +lower(e.kind) IN (${kindList.map(() => '?').join(',')})` : ''}
         ORDER BY e.name`,
    ).all(...lower, type, ...lower, REVERSE[type], ...(kindList ?? [])) as EntityRow[];
    return rows.map(toEntity);
  }

  person(ref: string): Person | undefined {
    const key = ref.toLowerCase();
    const { people } = this.#fresh();
    const hit = people.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const row = this.#stmt.person.get(key) as PersonRow | undefined;
    const person = row ? toPerson(row) : undefined;
    if (people.size >= CatalogStore.#CACHE_LIMIT) people.clear();
    people.set(key, person ?? null);
    return person;
  }

  personByEmail(email: string): Person | undefined {
    const row = this.#stmt.personByEmail.get(email.trim().toLowerCase()) as PersonRow | undefined;
    return row ? toPerson(row) : undefined;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.#stmt.counts.all() as Array<{ kind: string; n: number }>) out[r.kind] = r.n;
    return out;
  }

  list(kinds: readonly string[]): Entity[] {
    if (kinds.length === 0) return [];
    const rows = this.#db
      .prepare(`SELECT ${ENTITY_COLUMNS} FROM entities WHERE lower(kind) IN (${kinds.map(() => '?').join(',')}) ORDER BY name`)
      .all(...kinds.map((k) => k.toLowerCase())) as EntityRow[];
    return rows.map(toEntity);
  }

  /**
   * Entities of the kinds a page at a time, by ref (keyset paging): each page is its own query, so
   * nothing holds the connection between pages and the caller may write in between.
   */
  *pagesOfKinds(kinds: readonly string[], pageSize: number): Generator<Entity[]> {
    if (kinds.length === 0) return;
    const page = this.#db
      .prepare(
        `SELECT ref, kind, namespace, name, title, description, metadata, spec, source_file, source_line, flags
         FROM entities WHERE lower(kind) IN (${kinds.map(() => '?').join(',')}) AND ref > ? ORDER BY ref LIMIT ?`,
      )
      .raw();
    const lower = kinds.map((k) => k.toLowerCase());
    let after = '';
    for (;;) {
      const rows = page.all(...lower, after, pageSize) as EntityTuple[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]![0];
      yield rows.map(tupleToEntity);
      if (rows.length < pageSize) return;
    }
  }

  /** Every entity of the kinds in one query: 10,000 single reads were half of a full scoring run. */
  entitiesOfKinds(kinds: readonly string[]): Entity[] {
    if (kinds.length === 0) return [];
    const rows = this.#db
      .prepare(
        `SELECT ref, kind, namespace, name, title, description, metadata, spec, source_file, source_line, flags
         FROM entities WHERE lower(kind) IN (${kinds.map(() => '?').join(',')}) ORDER BY ref`,
      )
      .raw()
      .all(...kinds.map((k) => k.toLowerCase())) as EntityTuple[];
    return rows.map(tupleToEntity);
  }

  directOwners(): Map<string, string> {
    // The first target by name, as CatalogStore.related() orders them and resolveOwner() picks.
    const rows = this.#db
      .prepare("SELECT source_ref, min(target_ref) FROM relations WHERE type = 'ownedBy' GROUP BY source_ref")
      .raw()
      .all() as Array<[string, string]>;
    return new Map(rows);
  }

  // ---- writes ---------------------------------------------------------------------------

  /**
   * Whether a file is byte for byte what produced its stored entities, and they are all still
   * its own (none taken over by another file, none removed): then an import may skip it.
   */
  isUnchangedFile(file: { readonly file: string; readonly root: string; readonly size: number; readonly hash: string }): boolean {
    const stamp = this.#stmt.fileStamp.get(file.file) as { root: string; size: number; hash: string; entities: number } | undefined;
    if (!stamp || stamp.root !== file.root || stamp.size !== file.size || stamp.hash !== file.hash) return false;
    return this.#stmt.fileEntities.get(file.root, file.file) === stamp.entities;
  }

  /** The refs a file produced, with their lines: an import that skips the file still knows them (duplicates). */
  refsOfFile(root: string, file: string): Array<{ ref: string; line: number }> {
    return (this.#stmt.refsOfFile.all(root, file) as Array<[string, number]>).map(([ref, line]) => ({ ref, line }));
  }

  /**
   * Applies a mutation in one transaction: nothing stored is lost or half-written if any
   * step throws, including the iteration of `mutation.drafts` (a streamed import reads its files
   * inside the transaction). Unchanged entities are left alone (their content hash matches).
   */
  apply(mutation: CatalogMutation): ImportSummary {
    const options = { ...mutation, prune: mutation.type === 'full', mayPrune: mutation.type === 'full' ? mutation.mayPrune : undefined };
    const db = this.#db;
    const now = options.now.toISOString();
    const kinds: Record<string, KindCounts> = {};
    const count = (kind: string, what: keyof KindCounts, n = 1): void => {
      const k = kindSpelling(kind);
      (kinds[k] ??= { added: 0, updated: 0, unchanged: 0, removed: 0 })[what] += n;
    };
    const insertEntity = db.prepare(
      `INSERT INTO entities (ref, kind, namespace, name, title, description, metadata, spec, source_root, source_file, source_line, hash, flags, first_seen, last_seen)
       VALUES (@ref, @kind, @namespace, @name, @title, @description, @metadata, @spec, @root, @file, @line, @hash, @flags, @now, @now)`,
    );
    const updateEntity = db.prepare(
      `UPDATE entities SET kind = @kind, namespace = @namespace, name = @name, title = @title, description = @description,
         metadata = @metadata, spec = @spec, source_root = @root, source_file = @file, source_line = @line, hash = @hash,
         flags = @flags, last_seen = @now WHERE ref = @ref`,
    );
    const touch = db.prepare('UPDATE entities SET last_seen = ? WHERE ref = ?');
    // An entity's own relations are replaced with it; rows another source stated about it (origin) stay.
    const deleteRelations = db.prepare('DELETE FROM relations WHERE source_ref = ? AND origin IS NULL');
    // What the entity states is its own, even where another source had stated the same before.
    const insertRelation = db.prepare(
      'INSERT INTO relations (source_ref, type, target_ref) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET origin = NULL',
    );
    const deleteAliases = db.prepare('DELETE FROM aliases WHERE ref = ?');
    const insertAlias = db.prepare('INSERT OR IGNORE INTO aliases (alias, ref) VALUES (?, ?)');
    const deleteSearch = db.prepare('DELETE FROM entity_search WHERE rowid = ?');
    const upsertPerson = db.prepare(
      `INSERT INTO people (ref, email, display_name, slack_user_id, teams_user_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (ref) DO UPDATE SET email = excluded.email, display_name = excluded.display_name,
         slack_user_id = coalesce(excluded.slack_user_id, people.slack_user_id),
         teams_user_id = coalesce(excluded.teams_user_id, people.teams_user_id), updated_at = excluded.updated_at`,
    );
    const deletePerson = db.prepare('DELETE FROM people WHERE ref = ?');
    const exists = db.prepare('SELECT 1 FROM entities WHERE ref = ?').pluck();
    // The search index is filled from the stored rows in one statement after the loop: one call
    // instead of one per entity. Tags come from metadata (strings only, as the planner keeps them),
    // aliases from their table.
    const fillSearch = db.prepare(
      `INSERT INTO entity_search (rowid, ref, name, title, description, tags, aliases)
       SELECT e.rowid, e.ref, e.name, coalesce(e.title, ''), coalesce(e.description, ''),
         CASE json_type(e.metadata, '$.tags') WHEN 'array' THEN
           coalesce((SELECT group_concat(t.value, ' ') FROM json_each(e.metadata, '$.tags') t WHERE t.type = 'text'), '') ELSE '' END,
         coalesce((SELECT group_concat(a.alias, ' ') FROM aliases a WHERE a.ref = e.ref), '')
       FROM entities e WHERE e.rowid IN (SELECT value FROM json_each(?))`,
    );

    const run = db.transaction((): ImportSummary => {
      const seen = new Set<string>();
      // A first import has nothing to compare with: no hash lookup per entity.
      const empty = db.prepare('SELECT 1 FROM entities LIMIT 1').get() === undefined;
      const indexed: number[] = [];
      // Only what the dangling-owner check needs is kept of each draft: a streamed plan lets go of the rest.
      const owned: Array<{ ref: string; ownerRef: string; file: string; line: number }> = [];
      for (const draft of mutation.drafts) {
        const e = draft.entity;
        seen.add(e.ref);
        for (const r of draft.relations) {
          if (r.type === 'ownedBy' && r.source === e.ref) owned.push({ ref: e.ref, ownerRef: r.target, file: e.source.file, line: e.source.line });
        }
        const metadata = JSON.stringify(e.metadata);
        const spec = JSON.stringify(e.spec);
        // Fields joined with a separator, hashed in one update: stringifying them into one array would
        // escape the JSON again, and feeding a Hash part by part costs more than the hashing.
        // (Not crypto.hash(): Node 20 has it only from 20.12.)
        // Each field ends with the separator, as when they were fed one by one, so stored hashes still match.
        const fields = [e.kind, e.namespace, e.name, metadata, spec, e.source.file, e.source.line, draft.root];
        const hash = createHash('sha1').update(`${fields.join('\u0000')}\u0000`).digest('hex');
        const row = {
          ref: e.ref, kind: e.kind, namespace: e.namespace, name: e.name, title: e.title ?? null,
          description: e.description ?? null, metadata, spec, root: draft.root, file: e.source.file,
          line: e.source.line, hash, flags: JSON.stringify(e.flags), now,
        };
        const existing = empty ? undefined : (this.#stmt.hashOf.get(e.ref) as { rowid: number; hash: string } | undefined);
        let rowid: number;
        if (!existing) {
          rowid = Number(insertEntity.run(row).lastInsertRowid);
          count(e.kind, 'added');
        } else if (existing.hash !== hash) {
          updateEntity.run(row);
          rowid = existing.rowid;
          deleteSearch.run(rowid);
          count(e.kind, 'updated');
        } else {
          touch.run(now, e.ref);
          count(e.kind, 'unchanged');
          continue;
        }
        if (existing) {
          deleteRelations.run(e.ref);
          deleteAliases.run(e.ref);
        }
        // The plan lists both directions; the store keeps the entity's own and reads the reverse.
        for (const r of draft.relations) if (r.source === e.ref) insertRelation.run(r.source, r.type, r.target);
        for (const a of draft.aliases) insertAlias.run(a, e.ref);
        indexed.push(rowid);
        if (draft.person) {
          const p = draft.person;
          upsertPerson.run(p.ref, p.email ?? null, p.name, p.slackId ?? null, p.teamsId ?? null, now);
        } else if (existing) deletePerson.run(e.ref); // a User that is no longer one
      }

      if (indexed.length > 0) fillSearch.run(JSON.stringify(indexed));
      indexed.length = 0;

      const files = options.files?.() ?? { unchanged: [], read: [], stamp: [] };
      const unchangedKinds = db.prepare(
        'SELECT kind, count(*) AS n FROM entities WHERE source_root = ? AND source_file = ? GROUP BY kind',
      );
      const danglingIn = db.prepare(
        `SELECT e.ref, r.target_ref AS ownerRef, e.source_file AS file, e.source_line AS line
         FROM entities e JOIN relations r ON r.source_ref = e.ref AND r.type = 'ownedBy'
         WHERE e.source_root = ? AND e.source_file = ? AND NOT EXISTS (SELECT 1 FROM entities o WHERE o.ref = r.target_ref)
         ORDER BY e.ref, r.target_ref`,
      );
      const checked = db.prepare('UPDATE import_files SET checked_at = ? WHERE file = ?');
      // Skipped files: their entities stand as they are, counted per file, not per entity.
      for (const f of files.unchanged) {
        for (const k of unchangedKinds.all(f.root, f.file) as Array<{ kind: string; n: number }>) count(k.kind, 'unchanged', k.n);
        checked.run(now, f.file);
      }

      const forget = db.prepare('DELETE FROM import_files WHERE file = ?');
      for (const file of files.read) forget.run(file);
      if (options.prune && options.roots.length > 0) {
        const candidates = db
          .prepare(
            `SELECT rowid, ref, kind, source_file FROM entities WHERE source_root IN (${options.roots.map(() => '?').join(',')})
             AND source_file NOT IN (SELECT value FROM json_each(?))`,
          )
          .all(...options.roots, JSON.stringify(files.unchanged.map((f) => f.file))) as Array<{ rowid: number; ref: string; kind: string; source_file: string }>;
        const remove = db.prepare('DELETE FROM entities WHERE ref = ?');
        for (const c of candidates) {
          if (seen.has(c.ref)) continue;
          if (options.mayPrune && !options.mayPrune(c.source_file)) continue;
          deleteSearch.run(c.rowid);
          remove.run(c.ref);
          forget.run(c.source_file);
          count(c.kind, 'removed');
        }
      }
      if (mutation.type === 'full' && mutation.relations && mutation.roots[0] !== undefined) {
        // Relations this source states about entities it does not own: replaced as a whole, under
        // its first root; only between entities that exist, and never over one an entity states.
        const origin = mutation.roots[0];
        db.prepare('DELETE FROM relations WHERE origin = ?').run(origin);
        const overlay = db.prepare(
          `INSERT OR IGNORE INTO relations (source_ref, type, target_ref, origin)
           SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM entities WHERE ref = ?) AND EXISTS (SELECT 1 FROM entities WHERE ref = ?)`,
        );
        for (const r of mutation.relations) overlay.run(r.source, r.type, r.target, origin, r.source, r.target);
      }
      const stamp = db.prepare(
        'INSERT OR REPLACE INTO import_files (file, root, size, hash, entities, checked_at) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const f of files.stamp) stamp.run(f.file, f.root, f.size, f.hash, f.entities, now);

      // After the prune: an owner it removed is dangling now.
      const danglingOwners = owned.filter((o) => !exists.get(o.ownerRef));
      for (const f of files.unchanged) {
        for (const d of danglingIn.all(f.root, f.file) as Array<{ ref: string; ownerRef: string; file: string; line: number }>) danglingOwners.push(d);
      }

      db.prepare('INSERT INTO import_runs (started_at, finished_at, roots, summary) VALUES (?, ?, ?, ?)').run(
        now,
        new Date().toISOString(),
        JSON.stringify(options.roots),
        JSON.stringify(kinds),
      );
      return { kinds, danglingOwners };
    });
    const summary = run.immediate();
    this.#localWrites++;
    return summary;
  }

  /** Records a person's chat identity learned from Slack or Teams, e.g. after `users.lookupByEmail`. */
  setChatIdentity(ref: string, identity: { slackId?: string; teamsId?: string }): void {
    if (identity.slackId !== undefined)
      this.#db.prepare('UPDATE people SET slack_user_id = ? WHERE ref = ?').run(identity.slackId, ref);
    if (identity.teamsId !== undefined)
      this.#db.prepare('UPDATE people SET teams_user_id = ? WHERE ref = ?').run(identity.teamsId, ref);
    this.#localWrites++;
  }
}
