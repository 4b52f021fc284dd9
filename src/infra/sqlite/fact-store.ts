import type { Fact, FactStore, FactValue } from '../../core/scoring/index.js';
import type { Db } from './open-database.js';

interface FactRow {
  entity_ref: string;
  key: string;
  value: string;
  source: string;
  observed_at: string;
}

/** Values are stored as JSON scalars; only strings need the full parser. */
const parseValue = (text: string): FactValue =>
  text === 'true' ? true : text === 'false' ? false : text.charCodeAt(0) === 34 ? (JSON.parse(text) as string) : Number(text);

const toFact = (row: FactRow): Fact => ({
  key: row.key,
  value: parseValue(row.value),
  source: row.source,
  observedAt: new Date(row.observed_at),
});

/** Pushed and collected facts: the newest observation per service and key, with its source and time. */
export class SqliteFactStore implements FactStore {
  readonly #db: Db;
  readonly #stmt;

  constructor(db: Db) {
    this.#db = db;
    this.#stmt = {
      of: db.prepare('SELECT entity_ref, key, value, source, observed_at FROM facts WHERE entity_ref = ? ORDER BY key'),
      allRaw: db.prepare('SELECT entity_ref, key, value, source, observed_at FROM facts').raw(),
      stored: db.prepare('SELECT value, observed_at FROM facts WHERE entity_ref = ? AND key = ?').raw(),
      // The newest observation wins, whoever reports it: a CI push and a collector may both know
      // `alerts.configured`, and a late report of an older observation must not undo a newer one.
      upsert: db.prepare(
        `INSERT INTO facts (entity_ref, key, value, source, observed_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (entity_ref, key) DO UPDATE SET value = excluded.value, source = excluded.source,
           observed_at = excluded.observed_at, recorded_at = excluded.recorded_at
         WHERE excluded.observed_at >= facts.observed_at`,
      ),
    };
  }

  factsOf(entityRef: string): Fact[] {
    return (this.#stmt.of.all(entityRef) as FactRow[]).map(toFact);
  }

  allFacts(keys?: readonly string[], entityRefs?: readonly string[]): Map<string, Fact[]> {
    const out = new Map<string, Fact[]>();
    if ((keys !== undefined && keys.length === 0) || entityRefs?.length === 0) return out;
    // Raw rows, iterated, and a scalar fast path: a full run reads every fact of every service
    // (130,000 at 10,000 services), and object rows plus JSON.parse per value were most of its load.
    // A batch of services (entityRefs) reads through the primary key, one list as JSON.
    const where = [
      ...(keys === undefined ? [] : [`key IN (${keys.map(() => '?').join(',')})`]),
      ...(entityRefs === undefined ? [] : ['entity_ref IN (SELECT value FROM json_each(?))']),
    ];
    const rows = (where.length === 0
      ? this.#stmt.allRaw.iterate()
      : this.#db
          .prepare(`SELECT entity_ref, key, value, source, observed_at FROM facts WHERE ${where.join(' AND ')}`)
          .raw()
          .iterate(...(keys ?? []), ...(entityRefs === undefined ? [] : [JSON.stringify(entityRefs)]))) as IterableIterator<
      [string, string, string, string, string]
    >;
    // A push stamps all its facts with one time, so most rows share a few: one Date per time
    // (they are never mutated) spares the garbage collector 100,000 objects per run.
    const dates = new Map<string, Date>();
    for (const [ref, key, value, source, observed] of rows) {
      let list = out.get(ref);
      if (!list) out.set(ref, (list = []));
      let observedAt = dates.get(observed);
      if (!observedAt) dates.set(observed, (observedAt = new Date(observed)));
      list.push({ key, value: parseValue(value), source, observedAt });
    }
    return out;
  }

  putFacts(entityRef: string, facts: readonly Fact[], recordedAt: Date): string[] {
    const recorded = recordedAt.toISOString();
    return this.#db.transaction((): string[] => this.#put(entityRef, facts, recorded)).immediate();
  }

  putFactsOfMany(batch: ReadonlyArray<{ readonly entityRef: string; readonly facts: readonly Fact[] }>, recordedAt: Date): number {
    const recorded = recordedAt.toISOString();
    // One transaction for a whole collection run: a commit per service was most of its time.
    return this.#db
      .transaction((): number => {
        let changed = 0;
        for (const { entityRef, facts } of batch) changed += this.#put(entityRef, facts, recorded).length;
        return changed;
      })
      .immediate();
  }

  /** Upserts inside the caller's transaction; returns the keys whose value changed. */
  #put(entityRef: string, facts: readonly Fact[], recorded: string): string[] {
    const changed: string[] = [];
    for (const f of facts) {
      const value = JSON.stringify(f.value);
      const observed = f.observedAt.toISOString();
      const stored = this.#stmt.stored.get(entityRef, f.key) as [string, string] | undefined;
      if (stored && stored[1] > observed) continue;
      if (stored?.[0] !== value) changed.push(f.key);
      this.#stmt.upsert.run(entityRef, f.key, value, f.source, observed, recorded);
    }
    return changed;
  }
}
