import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PlannedDelivery } from '../../src/core/jobs/index.js';
import { reply } from '../../src/core/message/index.js';
import { SqliteDeliveryLedger } from '../../src/infra/sqlite/delivery-ledger.js';
import { openDatabase } from '../../src/infra/sqlite/open-database.js';
import { startFakeSlackApi } from '../support/fake-slack-api.js';

const CHILD = fileURLToPath(new URL('./support/deliver-child.ts', import.meta.url));
const N = 40;

function runChild(db: string, apiUrl: string, staleAfterMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db, apiUrl, String(staleAfterMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  return { child, exited, output: () => out };
}

describe('a delivery pass killed mid-batch and restarted', () => {
  it('delivers every planned message, none twice; the one in flight at the kill is reported as uncertain, not resent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-deliver-crash-'));
    const slack = await startFakeSlackApi();
    try {
      const path = join(dir, 'steward.db');
      const db = openDatabase(path);
      const ledger = new SqliteDeliveryLedger(db);
      const deliveries: PlannedDelivery[] = Array.from({ length: N }, (_, i) => ({
        key: `leaderboard:readiness:C0BATCH${String(i).padStart(2, '0')}:2026-W49`,
        job: 'leaderboard',
        period: '2026-11-30T09:00',
        platform: 'slack',
        target: { kind: 'channel', channel: `C0BATCH${String(i).padStart(2, '0')}` },
        subject: undefined,
        reply: reply(`message ${i}`, [], 'channel'),
      }));
      ledger.plan(deliveries, new Date());

      const first = runChild(path, slack.apiUrl, 120_000);
      await new Promise<void>((done) => {
        const poll = setInterval(() => {
          if (slack.posted().length >= N / 4 || first.child.exitCode !== null) {
            clearInterval(poll);
            first.child.kill('SIGKILL');
            done();
          }
        }, 1);
      });
      await first.exited;
      expect(first.child.signalCode).toBe('SIGKILL');
      const atKill = slack.posted().length;
      expect(atKill).toBeLessThan(N);

      // Restarted (staleness 0: the dead process's claim is stale at once).
      const second = runChild(path, slack.apiUrl, 0);
      await second.exited;
      expect(second.child.exitCode).toBe(0);
      const report = JSON.parse(second.output()) as { sent: number; uncertain: string[]; failed: unknown[] };
      expect(report.failed).toEqual([]);
      expect(report.uncertain.length).toBeLessThanOrEqual(1); // one message was in flight at most

      const perChannel = new Map<string, number>();
      for (const p of slack.posted()) perChannel.set(p.channel, (perChannel.get(p.channel) ?? 0) + 1);
      expect([...perChannel.values()].every((n) => n === 1)).toBe(true); // nothing twice
      const counts = ledger.counts();
      expect(counts.sent + counts.uncertain).toBe(N);
      expect(counts.planned + counts.sending + counts.failed).toBe(0);
      for (const e of ledger.list()) {
        const posted = perChannel.get((e.target as { channel: string }).channel) ?? 0;
        if (e.status === 'sent') expect(posted, e.key).toBe(1);
        else expect(posted, e.key).toBeLessThanOrEqual(1);
      }
      db.close();
    } finally {
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
