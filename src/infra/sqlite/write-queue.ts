import { BotError } from '../../core/errors.js';
import type { IdentityStore } from '../../core/people/person-directory.js';
import type { Logger } from '../../core/ports.js';

/**
 * better-sqlite3 is synchronous: with a busy timeout, a write that finds another connection
 * holding the write lock (a `steward import` of 10,000 entities, a scoring run) blocks the whole
 * thread for up to the timeout, and with it every request the server is handling. `serve` opens
 * its connection with no busy timeout instead, so such a write fails at once with SQLITE_BUSY,
 * and retries it from here: later, on a timer, the event loop free in between. Reads never wait
 * in WAL mode, so only writes come through here.
 */
export const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
};

export interface RetryOptions {
  /** Give up after this long (default 60 s: longer than an import of 50,000 entities). */
  readonly giveUpMs?: number | undefined;
  /** First pause; doubled each time up to `maxDelayMs` (defaults 10 ms and 250 ms). */
  readonly firstDelayMs?: number | undefined;
  readonly maxDelayMs?: number | undefined;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work`, and again after a growing pause each time it fails because the database is
 * locked, until `giveUpMs`; then fails with `database_busy`. Other errors pass through. A
 * transaction that fails with SQLITE_BUSY has been rolled back, so running it again is safe.
 */
export async function retryOnBusy<T>(work: () => T | Promise<T>, options: RetryOptions = {}): Promise<T> {
  const giveUp = performance.now() + (options.giveUpMs ?? 60_000);
  let delay = options.firstDelayMs ?? 10;
  const maxDelay = options.maxDelayMs ?? 250;
  for (;;) {
    try {
      return await work();
    } catch (err) {
      if (!isBusy(err)) throw err;
      if (performance.now() + delay > giveUp) {
        throw new BotError('database_busy', `the database stayed locked by another process for ${options.giveUpMs ?? 60_000} ms`, { cause: err });
      }
      await pause(delay);
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}

export interface WriteQueue {
  /**
   * Runs `write` now when nothing is waiting, otherwise after the writes queued before it (in
   * order: a profile saved, then the person it names); retried while the database is locked.
   * The promise settles with the write; a failure is also logged with `label`.
   */
  enqueue<T>(label: string, write: () => T): Promise<T>;
  /** Settles once every write queued so far has run or given up (shutdown waits for it). */
  drain(): Promise<void>;
  readonly pending: number;
}

export function createWriteQueue(options: RetryOptions & { readonly logger: Logger }): WriteQueue {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  return {
    enqueue<T>(label: string, write: () => T): Promise<T> {
      pending++;
      const run = async (): Promise<T> => {
        try {
          return await retryOnBusy(write, options);
        } catch (err) {
          options.logger.error('database write failed', { write: label, err: err instanceof Error ? err.message : String(err) });
          throw err;
        } finally {
          pending--;
        }
      };
      // Nothing waiting: run now, in this turn, so the common case is as quick as a plain write.
      const result = pending === 1 ? tryNow(label, write, run) : tail.then(run, run);
      tail = result.catch(() => undefined);
      return result;
    },
    drain: () => tail.then(() => undefined),
    get pending() {
      return pending;
    },
  };

  function tryNow<T>(label: string, write: () => T, run: () => Promise<T>): Promise<T> {
    try {
      const value = write();
      pending--;
      return Promise.resolve(value);
    } catch (err) {
      if (!isBusy(err)) {
        pending--;
        options.logger.error('database write failed', { write: label, err: err instanceof Error ? err.message : String(err) });
        return Promise.reject(err);
      }
      return run();
    }
  }
}

/**
 * The chat identity cache with its writes queued: learning who a Slack user is happens on the
 * way to an answer, and must not wait for an import's lock. A write not made yet only means the
 * next command may ask Slack again.
 */
export function queuedIdentityStore(store: IdentityStore, queue: WriteQueue): IdentityStore {
  return {
    profileById: (platform, userId) => store.profileById(platform, userId),
    userIdByEmail: (platform, email) => store.userIdByEmail(platform, email),
    saveProfile: (platform, profile, at) => void queue.enqueue('chat identity', () => store.saveProfile(platform, profile, at)).catch(() => {}),
    saveMiss: (platform, email, at) => void queue.enqueue('chat identity miss', () => store.saveMiss(platform, email, at)).catch(() => {}),
  };
}
