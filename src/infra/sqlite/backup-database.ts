import { existsSync, renameSync, rmSync } from 'node:fs';
import type { Db } from './open-database.js';
import { openDatabase } from './open-database.js';
import { BotError } from '../../core/errors.js';

export interface BackupResult {
  readonly file: string;
  readonly pages: number;
  readonly integrity: string;
}

/**
 * An online copy of the database with SQLite's backup API: safe while `steward serve` writes,
 * because the copy is of a consistent snapshot. Written to a temporary name, checked with
 * `PRAGMA integrity_check`, then renamed, so a half-written backup never carries the real name.
 */
export async function backupDatabase(db: Db, file: string): Promise<BackupResult> {
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  let pages = 0;
  try {
    // All pages in one step: the backup API restarts whenever another connection writes between
    // steps, so a busy bot could starve a paged backup. One step holds a read snapshot briefly.
    const progress = await db.backup(partial, { progress: () => 1_000_000 });
    pages = progress.totalPages;
  } catch (err) {
    rmSync(partial, { force: true });
    throw new BotError('backup_failed', `backup to ${file} failed: ${(err as Error).message}`, { cause: err });
  }
  const copy = openDatabase(partial, { migrate: false });
  let integrity: string;
  try {
    copy.pragma('journal_mode = DELETE');
    integrity = copy.pragma('integrity_check', { simple: true }) as string;
  } finally {
    copy.close();
  }
  if (integrity !== 'ok') {
    throw new BotError('backup_failed', `backup ${partial} failed its integrity check: ${integrity}`);
  }
  if (existsSync(file)) rmSync(file);
  renameSync(partial, file);
  return { file, pages, integrity };
}
