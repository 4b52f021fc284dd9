import type { Clock } from '../../core/ports.js';

/**
 * Keys of the requests already handled, kept for a while: Slack re-delivers events (with
 * `X-Slack-Retry-Num`) when an answer is late, and a captured signed request could be replayed
 * inside the five-minute signature window. Kept in memory: one process answers Slack, and a
 * restart loses at most a few minutes of keys, which the timestamp check then covers.
 */
export interface SeenRequests {
  /** Records the key; false when it was already there (a duplicate). */
  claim(key: string): boolean;
  /** Forgets a key, so a delivery that failed on our side can be retried. */
  release(key: string): void;
  readonly size: number;
}

export function createSeenRequests(options: { clock: Clock; ttlMs?: number; max?: number }): SeenRequests {
  const ttl = options.ttlMs ?? 10 * 60 * 1000;
  const max = options.max ?? 50_000;
  // Insertion order is expiry order, so pruning only ever looks at the front.
  const expiries = new Map<string, number>();
  const prune = (now: number): void => {
    for (const [key, expires] of expiries) {
      if (expires > now && expiries.size <= max) break;
      expiries.delete(key);
    }
  };
  return {
    claim(key) {
      const now = options.clock.now().getTime();
      prune(now);
      if (expiries.has(key)) return false;
      expiries.set(key, now + ttl);
      return true;
    },
    release(key) {
      expiries.delete(key);
    },
    get size() {
      return expiries.size;
    },
  };
}
