import type { CachedOncallAnswer, OncallAnswer, OncallCache, OncallTarget } from '../../core/oncall/index.js';
import { decodeOncallAnswer, encodeOncallAnswer, targetKey } from '../../core/oncall/index.js';
import type { Db } from './open-database.js';

interface AnswerRow {
  provider: string;
  target_kind: string;
  target_id: string;
  answer: string;
  fetched_at: string;
}

/**
 * The on-call cache in SQLite (migration 0004): the last good answer per target, and each
 * provider's Retry-After. All of on-call's SQL lives here. A row that no longer parses is treated
 * as absent rather than served: a wrong "who to page" is worse than "did not answer".
 */
export class OncallStore implements OncallCache {
  readonly #stmt;

  constructor(db: Db) {
    this.#stmt = {
      get: db.prepare('SELECT provider, target_kind, target_id, answer, fetched_at FROM oncall_answers WHERE target_key = ?'),
      put: db.prepare(
        `INSERT INTO oncall_answers (target_key, provider, target_kind, target_id, answer, fetched_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (target_key) DO UPDATE SET answer = excluded.answer, fetched_at = excluded.fetched_at
         WHERE excluded.fetched_at >= oncall_answers.fetched_at`,
      ),
      list: db.prepare('SELECT provider, target_kind, target_id, answer, fetched_at FROM oncall_answers ORDER BY fetched_at'),
      backoff: db.prepare('SELECT not_before FROM oncall_backoff WHERE provider = ?').pluck(),
      setBackoff: db.prepare(
        `INSERT INTO oncall_backoff (provider, not_before, reason) VALUES (?, ?, ?)
         ON CONFLICT (provider) DO UPDATE SET not_before = max(excluded.not_before, oncall_backoff.not_before), reason = excluded.reason`,
      ),
    };
  }

  get(target: OncallTarget): CachedOncallAnswer | undefined {
    const row = this.#stmt.get.get(targetKey(target)) as AnswerRow | undefined;
    return row ? toCached(row) : undefined;
  }

  put(target: OncallTarget, answer: OncallAnswer, fetchedAt: Date): void {
    // Only a newer answer replaces an older one: a slow refresh finishing late must not undo a
    // fresher answer a person's lookup stored meanwhile.
    this.#stmt.put.run(targetKey(target), target.provider, target.kind, target.id, encodeOncallAnswer(answer), fetchedAt.toISOString());
  }

  list(): CachedOncallAnswer[] {
    return (this.#stmt.list.all() as AnswerRow[]).flatMap((row) => {
      const cached = toCached(row);
      return cached ? [cached] : [];
    });
  }

  backoffUntil(provider: string): Date | undefined {
    const value = this.#stmt.backoff.get(provider) as string | undefined;
    return value === undefined ? undefined : new Date(value);
  }

  setBackoff(provider: string, until: Date, reason: string): void {
    this.#stmt.setBackoff.run(provider, until.toISOString(), reason.slice(0, 500));
  }
}

function toCached(row: AnswerRow): CachedOncallAnswer | undefined {
  const answer = decodeOncallAnswer(row.answer);
  if (!answer) return undefined;
  return { target: { provider: row.provider, kind: row.target_kind, id: row.target_id }, answer, fetchedAt: new Date(row.fetched_at) };
}
