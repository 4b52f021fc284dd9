import type { Platform } from '../message/index.js';
import type { Messenger } from '../messaging/index.js';
import { DeliveryError } from '../messaging/index.js';
import type { Clock, Logger } from '../ports.js';
import type { DeliveryLedger, LedgerEntry } from './outreach-ports.js';

export interface DeliverOptions {
  readonly ledger: DeliveryLedger;
  /** One per configured platform; messages for a platform without one wait in the ledger. */
  readonly messengers: readonly Messenger[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Who is sending (`host:pid`), recorded on each claim. */
  readonly owner: string;
  /** How to wait for a retry that is due soon: a timer in production, a clock step in tests. */
  readonly wait: (ms: number) => Promise<void>;
  /** Messages in flight at once. Default 4. */
  readonly concurrency?: number | undefined;
  /** Attempts before a retryable failure becomes a recorded failure. Default 8. */
  readonly maxAttempts?: number | undefined;
  /** Stop when nothing is due within this long; the rest waits for the next pass. Default 60 s. */
  readonly maxWaitMs?: number | undefined;
  /** A `sending` mark older than this belongs to a process that died. Default 2 minutes. */
  readonly staleAfterMs?: number | undefined;
  /** First backoff after a 5xx or network error; doubles per attempt, at most 5 minutes. Default 1 s. */
  readonly backoffMs?: number | undefined;
}

export interface DeliveryReport {
  readonly sent: number;
  readonly retried: number;
  readonly failed: Array<{ readonly key: string; readonly error: string }>;
  /** Sends interrupted by a crash: possibly delivered, never repeated. */
  readonly uncertain: string[];
  /** Messages still waiting when the pass ended, and when the first is due. */
  readonly nextDue: Date | undefined;
}

const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * The delivery worker: claim the next due message (it becomes `sending`), send it with one
 * attempt, then mark it `sent`, schedule a retry (at `Retry-After`, else exponential backoff), or
 * record a permanent failure. A 429 delays its message by `Retry-After`; five in a row pause the
 * whole platform for it too, since that is a workspace-wide limit rather than one busy channel
 * (Slack limits chat.postMessage per channel as well as per app).
 *
 * The crash window: the send and the `sent` mark cannot be one transaction, and neither Slack nor
 * Teams takes an idempotency key. A message left `sending` by a dead process is therefore marked
 * `uncertain` and reported (`steward nudge` lists them), never sent again: a duplicate nudge or
 * leaderboard is the spam this feature promises not to send, and a lost one is at most one
 * message per process crash, visible to the operator. Every message not in flight at the crash
 * is delivered exactly once.
 */
export async function deliverPending(options: DeliverOptions): Promise<DeliveryReport> {
  const { ledger, clock, logger, owner } = options;
  const concurrency = options.concurrency ?? 4;
  const maxAttempts = options.maxAttempts ?? 8;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const backoffMs = options.backoffMs ?? 1_000;
  const messengers = new Map<Platform, Messenger>(options.messengers.map((m) => [m.platform, m]));
  const platforms = [...messengers.keys()];
  const pausedUntil = new Map<Platform, number>();
  const limitedInARow = new Map<Platform, number>();
  const PAUSE_AFTER = 5;
  const report = { sent: 0, retried: 0, failed: [] as Array<{ key: string; error: string }>, uncertain: [] as string[] };

  const startedAt = clock.now().getTime();
  const uncertain = ledger.recoverStale(new Date(startedAt - (options.staleAfterMs ?? 120_000)));
  if (uncertain.length > 0) {
    logger.warn('deliveries interrupted by a crash are marked uncertain and not sent again', { keys: uncertain });
    report.uncertain.push(...uncertain);
  }
  if (platforms.length === 0) return { ...report, nextDue: undefined };

  const open = (now: number): Platform[] => platforms.filter((p) => (pausedUntil.get(p) ?? 0) <= now);

  async function attempt(entry: LedgerEntry): Promise<void> {
    const messenger = messengers.get(entry.platform)!;
    try {
      const sent =
        entry.target.kind === 'channel'
          ? await messenger.postToChannel(entry.target.channel, entry.reply)
          : await messenger.sendDirect(entry.target.person, entry.reply);
      ledger.markSent(entry.key, clock.now(), sent.id);
      limitedInARow.set(entry.platform, 0);
      report.sent++;
    } catch (err) {
      const now = clock.now().getTime();
      const message = err instanceof Error ? `${err instanceof DeliveryError ? err.code : err.name}: ${err.message}` : String(err);
      if (err instanceof DeliveryError && err.permanent) {
        ledger.markFailed(entry.key, message, new Date(now));
        report.failed.push({ key: entry.key, error: message });
        logger.warn('delivery failed for good', { key: entry.key, platform: entry.platform, error: message });
        return;
      }
      if (entry.attempts >= maxAttempts) {
        const error = `gave up after ${entry.attempts} attempts; last: ${message}`;
        ledger.markFailed(entry.key, error, new Date(now));
        report.failed.push({ key: entry.key, error });
        logger.warn('delivery failed for good', { key: entry.key, platform: entry.platform, error });
        return;
      }
      const retryAfter = err instanceof DeliveryError ? err.retryAfterMs : undefined;
      const delay = retryAfter ?? Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (entry.attempts - 1));
      if (retryAfter !== undefined) {
        const streak = (limitedInARow.get(entry.platform) ?? 0) + 1;
        limitedInARow.set(entry.platform, streak);
        if (streak >= PAUSE_AFTER) pausedUntil.set(entry.platform, Math.max(pausedUntil.get(entry.platform) ?? 0, now + retryAfter));
      }
      ledger.markRetry(entry.key, message, new Date(now + delay));
      report.retried++;
      if (!(err instanceof DeliveryError)) logger.error('delivery failed unexpectedly; will retry', { key: entry.key, error: message });
    }
  }

  async function worker(): Promise<void> {
    for (;;) {
      const now = clock.now().getTime();
      const usable = open(now);
      const entry = usable.length > 0 ? ledger.claimNext(new Date(now), owner, usable) : undefined;
      if (entry) {
        await attempt(entry);
        continue;
      }
      const due = ledger.nextDue(platforms)?.getTime();
      if (due === undefined) return;
      // Due again when the message is and its platform's pause (a 429's Retry-After) is over.
      const resume = Math.max(due, Math.min(...platforms.map((p) => pausedUntil.get(p) ?? 0)));
      if (resume - startedAt > maxWaitMs) return;
      await options.wait(Math.max(resume - now, 1));
    }
  }

  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return { ...report, nextDue: ledger.nextDue(platforms) };
}
