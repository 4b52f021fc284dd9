import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteJobRuns } from '../../src/infra/sqlite/job-runs.js';
import { openDatabase } from '../../src/infra/sqlite/open-database.js';

describe('job runs: a period is claimed once', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('lets exactly one of two connections on one database claim a period, and records the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-runs-'));
    dirs.push(dir);
    const a = openDatabase(join(dir, 's.db'));
    const b = openDatabase(join(dir, 's.db'));
    const at = new Date('2026-11-30T08:00:00Z');
    const runsA = new SqliteJobRuns(a);
    const runsB = new SqliteJobRuns(b);
    expect(runsA.claim('leaderboard', '2026-11-30T09:00', 'host-a:1', at)).toBe(true);
    expect(runsB.claim('leaderboard', '2026-11-30T09:00', 'host-b:2', at)).toBe(false);
    expect(runsA.claim('leaderboard', '2026-11-30T09:00', 'host-a:1', at)).toBe(false);
    expect(runsB.claim('nudges', '2026-11-30T09:00', 'host-b:2', at)).toBe(true);
    runsA.finish('leaderboard', '2026-11-30T09:00', { status: 'done', summary: '{"planned":2}', at });
    expect(runsB.get('leaderboard', '2026-11-30T09:00')).toMatchObject({ claimedBy: 'host-a:1', status: 'done', summary: '{"planned":2}' });
    a.close();
    b.close();
  });
});
