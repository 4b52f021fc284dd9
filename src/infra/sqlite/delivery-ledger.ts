import type { Platform } from '../../core/commands/index.js';
import type { DeliveryLedger, DeliveryStatus, DeliveryTarget, LedgerEntry, PlannedDelivery } from '../../core/jobs/index.js';
import type { Reply } from '../../core/message/index.js';
import type { Db } from './open-database.js';

interface DeliveryRow {
  key: string;
  job: string;
  period: string;
  platform: string;
  target_kind: 'channel' | 'person';
  target: string;
  subject: string | null;
  reply: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  message_id: string | null;
  created_at: string;
  sent_at: string | null;
}

const toEntry = (r: DeliveryRow): LedgerEntry => ({
  key: r.key,
  job: r.job,
  period: r.period,
  platform: r.platform as Platform,
  target: (r.target_kind === 'channel' ? { kind: 'channel', channel: r.target } : { kind: 'person', person: JSON.parse(r.target) }) as DeliveryTarget,
  subject: r.subject ?? undefined,
  reply: JSON.parse(r.reply) as Reply,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: new Date(r.next_attempt_at),
  lastError: r.last_error ?? undefined,
  messageId: r.message_id ?? undefined,
  createdAt: new Date(r.created_at),
  sentAt: r.sent_at ? new Date(r.sent_at) : undefined,
});

const STATUSES: readonly DeliveryStatus[] = ['planned', 'sending', 'sent', 'failed', 'uncertain'];

/**
 * The delivery ledger in SQLite. A claim is one `UPDATE … RETURNING` on the oldest due row, so two
 * workers (or two processes) never take the same message; ISO-8601 UTC strings sort as time.
 */
export class SqliteDeliveryLedger implements DeliveryLedger {
  readonly #db: Db;
  readonly #stmt;

  constructor(db: Db) {
    this.#db = db;
    this.#stmt = {
      insert: db.prepare(
        `INSERT INTO deliveries (key, job, period, platform, target_kind, target, subject, reply, status, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?) ON CONFLICT (key) DO NOTHING`,
      ),
      sent: db.prepare(`UPDATE deliveries SET status = 'sent', sent_at = ?, message_id = ?, last_error = NULL WHERE key = ? AND status = 'sending'`),
      retry: db.prepare(`UPDATE deliveries SET status = 'planned', last_error = ?, next_attempt_at = ? WHERE key = ? AND status = 'sending'`),
      failed: db.prepare(`UPDATE deliveries SET status = 'failed', last_error = ?, next_attempt_at = ? WHERE key = ? AND status = 'sending'`),
      stale: db.prepare(
        `UPDATE deliveries SET status = 'uncertain', last_error = 'the process sending it stopped before it could record the result'
         WHERE status = 'sending' AND claimed_at < ? RETURNING key`,
      ),
      lastSent: db.prepare(`SELECT subject, max(sent_at) AS at FROM deliveries WHERE job = ? AND status IN ('sent', 'uncertain') AND subject IS NOT NULL GROUP BY subject`),
      get: db.prepare('SELECT * FROM deliveries WHERE key = ?'),
      counts: db.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status'),
    };
  }

  plan(deliveries: readonly PlannedDelivery[], now: Date, options: { claim?: () => boolean } = {}): { claimed: boolean; written: string[] } {
    const at = now.toISOString();
    return this.#db.transaction(() => {
      if (options.claim && !options.claim()) return { claimed: false, written: [] };
      const written: string[] = [];
      for (const d of deliveries) {
        const target = d.target.kind === 'channel' ? d.target.channel : JSON.stringify(d.target.person);
        const r = this.#stmt.insert.run(d.key, d.job, d.period, d.platform, d.target.kind, target, d.subject ?? null, JSON.stringify(d.reply), at, at);
        if (r.changes === 1) written.push(d.key);
      }
      return { claimed: true, written };
    }).immediate();
  }

  claimNext(now: Date, owner: string, platforms: readonly Platform[]): LedgerEntry | undefined {
    if (platforms.length === 0) return undefined;
    const at = now.toISOString();
    const row = this.#db
      .prepare(
        `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = ?, claimed_by = ?
         WHERE key = (SELECT key FROM deliveries WHERE status = 'planned' AND next_attempt_at <= ? AND platform IN (${platforms.map(() => '?').join(', ')})
                      ORDER BY next_attempt_at, created_at, key LIMIT 1)
         RETURNING *`,
      )
      .get(at, owner, at, ...platforms) as DeliveryRow | undefined;
    return row ? toEntry(row) : undefined;
  }

  markSent(key: string, at: Date, messageId: string): void {
    this.#stmt.sent.run(at.toISOString(), messageId, key);
  }

  markRetry(key: string, error: string, nextAttemptAt: Date): void {
    this.#stmt.retry.run(error.slice(0, 500), nextAttemptAt.toISOString(), key);
  }

  markFailed(key: string, error: string, at: Date): void {
    this.#stmt.failed.run(error.slice(0, 500), at.toISOString(), key);
  }

  recoverStale(claimedBefore: Date): string[] {
    return this.#stmt.stale.pluck().all(claimedBefore.toISOString()) as string[];
  }

  nextDue(platforms: readonly Platform[]): Date | undefined {
    if (platforms.length === 0) return undefined;
    const at = this.#db
      .prepare(`SELECT min(next_attempt_at) FROM deliveries WHERE status = 'planned' AND platform IN (${platforms.map(() => '?').join(', ')})`)
      .pluck()
      .get(...platforms) as string | null;
    return at ? new Date(at) : undefined;
  }

  lastSent(job: string): Map<string, Date> {
    const rows = this.#stmt.lastSent.all(job) as Array<{ subject: string; at: string | null }>;
    return new Map(rows.filter((r) => r.at !== null).map((r) => [r.subject, new Date(r.at!)]));
  }

  get(key: string): LedgerEntry | undefined {
    const row = this.#stmt.get.get(key) as DeliveryRow | undefined;
    return row ? toEntry(row) : undefined;
  }

  list(options: { status?: readonly DeliveryStatus[]; job?: string; limit?: number } = {}): LedgerEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.status && options.status.length > 0) {
      where.push(`status IN (${options.status.map(() => '?').join(', ')})`);
      params.push(...options.status);
    }
    if (options.job) {
      where.push('job = ?');
      params.push(options.job);
    }
    const sql = `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, key LIMIT ?`;
    return (this.#db.prepare(sql).all(...params, options.limit ?? 1000) as DeliveryRow[]).map(toEntry);
  }

  counts(): Record<DeliveryStatus, number> {
    const out = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const r of this.#stmt.counts.all() as Array<{ status: DeliveryStatus; n: number }>) out[r.status] = r.n;
    return out;
  }
}
