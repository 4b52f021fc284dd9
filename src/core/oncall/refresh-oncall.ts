import type { Clock, Logger } from '../ports.js';
import { askProvider } from './ask-provider.js';
import type { OncallCache } from './oncall-cache.js';
import type { OncallFailureReason, OncallProvider, OncallTarget } from './oncall-provider.js';
import { targetKey } from './oncall-provider.js';

export interface RefreshOncallOptions {
  readonly cache: OncallCache;
  readonly providers: readonly OncallProvider[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Targets to warm besides those already cached, e.g. every annotated service after an import. */
  readonly targets?: readonly OncallTarget[];
  /** Cached answers younger than this are left alone; default 60 s. */
  readonly olderThanMs?: number;
  /** Per request; nobody is waiting, so longer than a person's 1.5 s. Default 10 s. */
  readonly timeoutMs?: number;
  /** Wait this long after a 429 that names no Retry-After; default 60 s. */
  readonly defaultBackoffMs?: number;
}

export interface RefreshReport {
  readonly refreshed: readonly string[];
  readonly failed: ReadonlyArray<{ readonly key: string; readonly reason: OncallFailureReason }>;
  /** Providers not asked because they rate-limited us, and until when. */
  readonly deferred: ReadonlyArray<{ readonly provider: string; readonly until: Date; readonly targets: number }>;
  /** When a scheduler should run the refresh again to finish the deferred work. */
  readonly nextAttemptAt: Date | undefined;
}

/**
 * Keeps cached on-call answers warm so a person in an incident gets one from the cache. Meant
 * for a scheduler; it never sleeps. It honours `Retry-After`: a provider that answered 429 is not
 * asked again before the time it named (stored, so a restart honours it too), and the report says
 * when to come back. Targets of one provider are asked one after another, never in a burst.
 */
export async function refreshOncall(options: RefreshOncallOptions): Promise<RefreshReport> {
  const { cache, clock, logger } = options;
  const olderThan = options.olderThanMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const providers = new Map(options.providers.map((p) => [p.id, p]));
  const now = clock.now();

  const byProvider = new Map<string, Map<string, OncallTarget>>();
  const add = (t: OncallTarget): void => {
    if (!providers.has(t.provider)) return;
    let targets = byProvider.get(t.provider);
    if (!targets) byProvider.set(t.provider, (targets = new Map()));
    targets.set(targetKey(t), t);
  };
  for (const t of options.targets ?? []) if (!cache.get(t)) add(t);
  for (const c of cache.list()) if (now.getTime() - c.fetchedAt.getTime() >= olderThan) add(c.target);

  const refreshed: string[] = [];
  const failed: Array<{ key: string; reason: OncallFailureReason }> = [];
  const deferred: Array<{ provider: string; until: Date; targets: number }> = [];
  for (const [id, targets] of byProvider) {
    const provider = providers.get(id)!;
    const pending = [...targets.values()];
    const backoff = cache.backoffUntil(id);
    if (backoff && backoff.getTime() > clock.now().getTime()) {
      deferred.push({ provider: id, until: backoff, targets: pending.length });
      continue;
    }
    for (let i = 0; i < pending.length; i++) {
      const target = pending[i]!;
      const at = clock.now();
      const result = await askProvider(provider, target, { timeoutMs, at });
      if (result.ok) {
        cache.put(target, result.answer, at);
        refreshed.push(targetKey(target));
        continue;
      }
      const err = result.error;
      if (err.reason === 'rate_limited') {
        const until = new Date(clock.now().getTime() + (err.retryAfterMs ?? options.defaultBackoffMs ?? 60_000));
        cache.setBackoff(id, until, err.message);
        deferred.push({ provider: id, until, targets: pending.length - i });
        logger.warn('on-call refresh rate-limited; waiting as asked', { provider: id, until: until.toISOString(), left: pending.length - i });
        break;
      }
      failed.push({ key: targetKey(target), reason: err.reason });
      logger.warn('on-call refresh failed', { provider: id, target: targetKey(target), reason: err.reason, message: err.message });
    }
  }
  const nextAttemptAt = deferred.length > 0 ? new Date(Math.min(...deferred.map((d) => d.until.getTime()))) : undefined;
  return { refreshed, failed, deferred, nextAttemptAt };
}
