import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BotError } from '../../core/errors.js';
import { migrate } from './migrate.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the one SQLite file Steward keeps, in WAL mode with foreign keys on,
 * and applies pending migrations. `:memory:` works for tests and benchmarks.
 */
export function openDatabase(
  path: string,
  options: { migrationsDir?: string | undefined; readonly?: boolean; migrate?: boolean; busyTimeoutMs?: number | undefined } = {},
): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path, { readonly: options.readonly ?? false });
  } catch (err) {
    throw new BotError('database_open_failed', `cannot open database ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    if (path !== ':memory:' && !options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // Migrations may wait for another process's lock; `serve` then sets 0 (see write-queue.ts).
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    if (!options.readonly && options.migrate !== false) migrate(db, options.migrationsDir);
    if (options.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** For `/healthz`: true when the database is open and answers a trivial query. */
export function createDatabasePing(db: Db): () => boolean {
  const ping = db.prepare('SELECT 1').pluck();
  return () => db.open && ping.get() === 1;
}
