import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { BotError } from '../../core/errors.js';
import { packagePath } from '../../package-root.js';

export const MIGRATIONS_DIR = packagePath('migrations');

export interface MigrationResult {
  readonly applied: string[];
  readonly alreadyApplied: number;
}

const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/**
 * Applies `migrations/*.sql` in lexical order, each in its own transaction, recording name and
 * checksum. A migration that was applied and has since changed on disk stops start-up: a merged
 * migration is never edited (house rule 9), and running on a schema we cannot vouch for would be
 * worse than not running.
 */
export function migrate(db: Database.Database, dir: string = MIGRATIONS_DIR): MigrationResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = new Map(
    (db.prepare('SELECT name, checksum FROM schema_migrations').all() as Array<{ name: string; checksum: string }>).map(
      (r) => [r.name, r.checksum],
    ),
  );
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const result: string[] = [];
  for (const file of files) {
    const sql = readFileSync(join(dir, file), 'utf8');
    const sum = checksum(sql);
    const known = applied.get(file);
    if (known !== undefined) {
      if (known !== sum) {
        throw new BotError(
          'migration_changed',
          `migration ${file} was applied to this database but has changed since (checksum ${known.slice(0, 12)} → ${sum.slice(0, 12)}); ` +
            'restore the original file and add the change as a new migration',
        );
      }
      continue;
    }
    const run = db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)').run(
        file,
        sum,
        new Date().toISOString(),
      );
    });
    try {
      run();
    } catch (err) {
      throw new BotError('migration_failed', `migration ${file} failed: ${(err as Error).message}`, { cause: err });
    }
    result.push(file);
  }
  return { applied: result, alreadyApplied: files.length - result.length };
}
