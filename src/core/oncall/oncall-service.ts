import type { CatalogReader, Entity } from '../catalog/index.js';
import type { Clock, Logger } from '../ports.js';
import type { AskResult } from './ask-provider.js';
import { askProvider } from './ask-provider.js';
import type { OncallCache } from './oncall-cache.js';
import type { OncallFact } from './oncall-facts.js';
import { oncallFacts } from './oncall-facts.js';
import type { OncallAnswer, OncallProvider } from './oncall-provider.js';
import { OncallProviderError, describeFailure, targetKey } from './oncall-provider.js';
import type { RefreshOncallOptions, RefreshReport } from './refresh-oncall.js';
import { refreshOncall } from './refresh-oncall.js';
import type { OncallResolution, OncallSource } from './resolve-oncall.js';
import { oncallTimeZone, resolveOncall } from './resolve-oncall.js';
import type { Rotation } from './rotation.js';
import { computeRotation } from './rotation.js';

/**
 * "Who do I page for X, right now?", answered fast and even when the provider is down.
 *
 * The path of one question: resolve the source (annotations, then system, then owning team;
 * native rotations are computed on the spot) → a cached answer younger than `freshForMs` is
 * served as is → otherwise the provider is asked with a hard `timeoutMs` deadline → on a timeout,
 * an error, a 429 or an unreadable body, the last good answer is served with the time it is from
 * → with none, the team's native rotation if it has one → else a plain "did not answer" with the
 * links to page by hand. Concurrent questions about one target share one request.
 *
 * ```ts
 * const found = await oncall.lookup(entity);
 * found.status; // 'live' | 'cached' | 'stale' | 'unavailable' | 'unconfigured' | 'none'
 * ```
 */
export interface OncallService {
  resolve(entity: Entity): OncallResolution;
  lookup(entity: Entity): Promise<OncallLookup>;
  /** Scorecard facts for the entity, from the catalog alone. */
  facts(entity: Entity): OncallFact[];
  /** Background refresh of cached answers; see `refreshOncall`. */
  refresh(options?: Pick<RefreshOncallOptions, 'targets' | 'olderThanMs' | 'timeoutMs'>): Promise<RefreshReport>;
  /** `PagerDuty` for `pagerduty`; `rotation` reads as `Steward rotation`. */
  providerName(id: string): string;
}

export type OncallStatus =
  /** Asked the provider just now (or computed a native rotation). */
  | 'live'
  /** Served from a cached answer young enough to trust without asking. */
  | 'cached'
  /** The provider did not answer; this is its last good answer. */
  | 'stale'
  /** The provider did not answer and nothing was cached; see `fallback`. */
  | 'unavailable'
  /** Only providers that are not configured are declared (e.g. no PAGERDUTY_TOKEN). */
  | 'unconfigured'
  /** Nothing declares an on-call for the entity. */
  | 'none';

export interface OncallFailure {
  readonly provider: string;
  readonly error: OncallProviderError;
  /** "did not answer", "does not know the id in the annotation", "refused Steward's credentials". */
  readonly verb: string;
  /** "timed out after 1.5 s", "HTTP 500", "rate-limited", … */
  readonly detail: string;
  /** For rate limits: when the provider may be asked again. */
  readonly retryAt: Date | undefined;
}

export interface OncallLookup {
  readonly status: OncallStatus;
  readonly resolution: OncallResolution;
  /** The source that was asked (the first one whose provider is configured). */
  readonly source: OncallSource | undefined;
  readonly answer: OncallAnswer | undefined;
  /** When `answer` was true: now for live answers, the fetch time for cached and stale ones. */
  readonly asOf: Date | undefined;
  readonly failure: OncallFailure | undefined;
  /** When the source did not answer and nothing was cached: a native rotation that did. */
  readonly fallback: { readonly source: OncallSource; readonly answer: OncallAnswer } | undefined;
  /** Declared sources that were passed over, and the setting that would enable them. */
  readonly skipped: ReadonlyArray<{ readonly source: OncallSource; readonly setting: string }>;
  /** Where to page by hand: the answer's link, else one the provider can build. */
  readonly pageUrl: string | undefined;
  /** The team's zone, for "until". */
  readonly timeZone: string;
}

export interface OncallServiceOptions {
  readonly catalog: CatalogReader;
  readonly cache: OncallCache;
  readonly providers: readonly OncallProvider[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Rotations declared in the config file, by Group ref. */
  readonly rotations?: ReadonlyMap<string, Rotation> | undefined;
  /** For "until" when the team declares no zone; default UTC. */
  readonly timeZone?: string | undefined;
  /** The person's deadline per provider call; default 1,500 ms. */
  readonly timeoutMs?: number | undefined;
  /** A cached answer younger than this is served without asking; default 60 s. */
  readonly freshForMs?: number | undefined;
  /** Providers that exist but are not configured, with the setting that enables each. */
  readonly unconfigured?: ReadonlyMap<string, string> | undefined;
}

const NAMES: Record<string, string> = { pagerduty: 'PagerDuty', opsgenie: 'Opsgenie', rotation: 'Steward rotation' };
/** How long to leave a provider alone after a 429 that named no wait. */
const DEFAULT_BACKOFF_MS = 60_000;
const KNOWN_SETTINGS: Record<string, string> = { pagerduty: 'PAGERDUTY_TOKEN', opsgenie: 'OPSGENIE_API_KEY' };

export function createOncallService(options: OncallServiceOptions): OncallService {
  const { catalog, cache, clock, logger } = options;
  const providers = new Map(options.providers.map((p) => [p.id, p]));
  const timeoutMs = options.timeoutMs ?? 1_500;
  const freshForMs = options.freshForMs ?? 60_000;
  const defaultZone = options.timeZone ?? 'UTC';
  const inFlight = new Map<string, Promise<AskResult>>();

  // The cache is the fallback, so a cache that fails (a locked or full disk) must not turn into
  // an error reply either: it is logged and the answer goes on without it.
  const safely = <T>(what: string, work: () => T, otherwise: T): T => {
    try {
      return work();
    } catch (err) {
      logger.error('on-call cache failed', { what, err: err instanceof Error ? err.message : String(err) });
      return otherwise;
    }
  };

  const providerName = (id: string): string => providers.get(id)?.name ?? NAMES[id] ?? id;
  const resolve = (entity: Entity): OncallResolution => resolveOncall(catalog, entity, { rotations: options.rotations });

  function ask(provider: OncallProvider, source: Extract<OncallSource, { type: 'provider' }>, at: Date): Promise<AskResult> {
    const key = targetKey(source.target);
    const running = inFlight.get(key);
    if (running) return running;
    const p = askProvider(provider, source.target, { timeoutMs, at }).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  }

  async function lookup(entity: Entity): Promise<OncallLookup> {
    const resolution = resolve(entity);
    const timeZone = oncallTimeZone(resolution, defaultZone);
    const now = clock.now();
    const skipped: Array<{ source: OncallSource; setting: string }> = [];
    const usable = resolution.sources.filter((s) => {
      if (s.type === 'rotation' || providers.has(s.target.provider)) return true;
      skipped.push({ source: s, setting: options.unconfigured?.get(s.target.provider) ?? KNOWN_SETTINGS[s.target.provider] ?? `a ${s.target.provider} provider` });
      return false;
    });
    const base = { resolution, skipped, timeZone, failure: undefined, fallback: undefined };
    const source = usable[0];
    if (source === undefined) {
      return { ...base, status: resolution.sources.length === 0 ? 'none' : 'unconfigured', source: undefined, answer: undefined, asOf: undefined, pageUrl: undefined };
    }
    if (source.type === 'rotation') {
      return { ...base, status: 'live', source, answer: computeRotation(source.rotation, now), asOf: now, pageUrl: undefined };
    }

    const provider = providers.get(source.target.provider)!;
    const cached = safely('read', () => cache.get(source.target), undefined);
    const age = cached ? now.getTime() - cached.fetchedAt.getTime() : Infinity;
    const linkFor = (answer: OncallAnswer | undefined): string | undefined => answer?.pageUrl ?? provider.webLink?.(source.target);
    if (cached && age >= 0 && age < freshForMs) {
      return { ...base, status: 'cached', source, answer: cached.answer, asOf: cached.fetchedAt, pageUrl: linkFor(cached.answer) };
    }

    // A provider that rate-limited us is not asked again before its Retry-After when there is
    // an answer to give meanwhile; with none, one request is still worth the try.
    const backoff = safely('read backoff', () => cache.backoffUntil(provider.id), undefined);
    let result: AskResult;
    const waiting = Boolean(cached && backoff && backoff.getTime() > now.getTime());
    if (waiting) {
      result = { ok: false, error: new OncallProviderError('rate_limited', `${provider.name} asked us to wait until ${backoff!.toISOString()}`) };
    } else {
      result = await ask(provider, source, now);
    }

    if (result.ok) {
      safely('write', () => cache.put(source.target, result.answer, now), undefined);
      return { ...base, status: 'live', source, answer: result.answer, asOf: now, pageUrl: linkFor(result.answer) };
    }

    const error = result.error;
    let retryAt: Date | undefined;
    if (error.reason === 'rate_limited') {
      // Recorded, never waited for: a person is answered from the cache meanwhile, and the
      // background refresh does not call before this time.
      retryAt = backoff && backoff.getTime() > now.getTime() ? backoff : new Date(now.getTime() + (error.retryAfterMs ?? DEFAULT_BACKOFF_MS));
      const until = retryAt;
      if (!waiting) safely('write backoff', () => cache.setBackoff(provider.id, until, error.message), undefined);
    }
    logger.warn('on-call provider did not answer', {
      provider: provider.id,
      target: targetKey(source.target),
      entity: entity.ref,
      reason: error.reason,
      status: error.status,
      message: error.message,
      served: cached ? 'stale' : 'none',
    });
    const failure: OncallFailure = { provider: provider.id, error, ...describeFailure(error, timeoutMs), retryAt };
    if (cached) {
      return { ...base, status: 'stale', source, answer: cached.answer, asOf: cached.fetchedAt, failure, pageUrl: linkFor(cached.answer) };
    }
    const rotation = usable.find((s): s is Extract<OncallSource, { type: 'rotation' }> => s.type === 'rotation');
    return {
      ...base,
      status: 'unavailable',
      source,
      answer: undefined,
      asOf: undefined,
      failure,
      fallback: rotation ? { source: rotation, answer: computeRotation(rotation.rotation, now) } : undefined,
      pageUrl: linkFor(undefined),
    };
  }

  return {
    resolve,
    lookup,
    providerName,
    facts: (entity) => oncallFacts(resolve(entity)),
    refresh: (refreshOptions = {}) =>
      refreshOncall({ cache, clock, logger, providers: [...providers.values()], olderThanMs: freshForMs, ...refreshOptions }),
  };
}
