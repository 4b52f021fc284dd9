import { cpSync, mkdtempSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate } from '../../../src/infra/sqlite/migrate.js';
import { openDatabase } from '../../../src/infra/sqlite/open-database.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'steward-migrate-'));

describe('migrations', () => {
  it('applies every migration once, in order, with WAL and foreign keys on', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'a.db'));
    const applied = db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all();
    expect(applied).toEqual(readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(migrate(db).applied).toEqual([]);
    db.close();
  });

  it('every migration opens with a -- Why: comment', () => {
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'))) {
      const first = (readFileSyncText(join(MIGRATIONS_DIR, file)).split('\n')[0] ?? '').trim();
      expect(first, file).toMatch(/^-- Why: /);
    }
  });

  it('stops start-up, naming the file, when an applied migration has changed', () => {
    const dir = tempDir();
    const migrations = join(dir, 'migrations');
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    const dbFile = join(dir, 'b.db');
    openDatabase(dbFile, { migrationsDir: migrations }).close();
    appendFileSync(join(migrations, '0001_catalog.sql'), '\n-- an innocent edit\n');
    expect(() => openDatabase(dbFile, { migrationsDir: migrations })).toThrow(/migration 0001_catalog\.sql .*has changed/);
  });

  it('rolls back a failing migration entirely and names it', () => {
    const dir = tempDir();
    const migrations = join(dir, 'migrations');
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    writeFileSync(join(migrations, '9999_broken.sql'), '-- Why: test\nCREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;\n');
    const dbFile = join(dir, 'c.db');
    expect(() => openDatabase(dbFile, { migrationsDir: migrations })).toThrow(/migration 9999_broken\.sql failed/);
    const db = openDatabase(dbFile); // the real set still applies cleanly
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM schema_migrations WHERE name = '9999_broken.sql'").pluck().get()).toBe(0);
    db.close();
  });
});

import { readFileSync } from 'node:fs';
const readFileSyncText = (p: string): string => readFileSync(p, 'utf8');
