import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredStandings } from '../../../src/core/scoring/index.js';
import { openDatabase } from '../../../src/infra/sqlite/open-database.js';
import { SqliteScoreStore } from '../../../src/infra/sqlite/score-store.js';

const standings = (ownerRef: string): StoredStandings => ({ computedAt: new Date('2026-12-07T02:00:00Z'), totals: [], others: [{ ownerRef, services: 1 }] });

describe('stored standings, read again and again under load', () => {
  it('are read anew once another process (an import) or another store on the connection wrote them', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'steward-standings-')), 'steward.db');
    const serve = openDatabase(file);
    const reader = new SqliteScoreStore(serve);
    reader.writeStandings('docs', 'now', standings('user:default/ana'));
    expect(reader.readStandings('docs', 'now')?.others[0]?.ownerRef).toBe('user:default/ana');

    // `steward import` in its own process stores new standings.
    const importer = openDatabase(file);
    new SqliteScoreStore(importer).writeStandings('docs', 'now', standings('user:default/ben'));
    importer.close();
    expect(reader.readStandings('docs', 'now')?.others[0]?.ownerRef).toBe('user:default/ben');

    // A second store on serve's own connection (no data_version change for it).
    new SqliteScoreStore(serve).writeStandings('docs', 'now', standings('user:default/cai'));
    expect(reader.readStandings('docs', 'now')?.others[0]?.ownerRef).toBe('user:default/cai');
    expect(reader.readStandings('docs', '2026-W49')).toBeUndefined();
    serve.close();
  });
});
