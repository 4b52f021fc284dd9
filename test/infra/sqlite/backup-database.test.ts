import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planImport } from '../../../src/core/catalog/index.js';
import { backupDatabase } from '../../../src/infra/sqlite/backup-database.js';
import { CatalogStore } from '../../../src/infra/sqlite/catalog-store.js';
import { openDatabase } from '../../../src/infra/sqlite/open-database.js';

const component = (name: string) => ({
  file: 'a.yaml',
  line: 1,
  root: 'a.yaml',
  value: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name }, spec: { owner: 'team-a' } },
});

describe('backups', () => {
  it('copies a consistent snapshot while another connection keeps writing, and the copy restores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-backup-'));
    const live = join(dir, 'live.db');
    const db = openDatabase(live);
    const store = new CatalogStore(db);
    store.apply({ type: 'delta', drafts: planImport(Array.from({ length: 2000 }, (_, i) => component(`svc-${i}`))).drafts, roots: [], now: new Date() });

    const writerDb = openDatabase(live);
    const writer = new CatalogStore(writerDb);
    let writes = 0;
    let writing = true;
    const keepWriting = (): void => {
      if (!writing) return;
      writer.apply({ type: 'delta', drafts: planImport([component(`late-${writes++}`)]).drafts, roots: [], now: new Date() });
      setImmediate(keepWriting);
    };
    setImmediate(keepWriting);
    const result = await backupDatabase(db, join(dir, 'backup.db'));
    writing = false;

    expect(result.integrity).toBe('ok');
    expect(existsSync(join(dir, 'backup.db.partial'))).toBe(false);
    const copy = openDatabase(join(dir, 'backup.db'));
    const count = copy.prepare('SELECT count(*) FROM entities').pluck().get() as number;
    expect(count).toBeGreaterThanOrEqual(2000);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    db.close();
    writerDb.close();

    // Restore: stop the bot, put the backup in place of the database (without its old WAL), start.
    rmSync(`${live}-wal`, { force: true });
    rmSync(`${live}-shm`, { force: true });
    copyFileSync(join(dir, 'backup.db'), live);
    const restored = new CatalogStore(openDatabase(live));
    expect(restored.get('component:default/svc-1999')?.name).toBe('svc-1999');
  });
});
