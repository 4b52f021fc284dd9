import { BotError } from '../errors.js';

/**
 * The port every on-call source implements: PagerDuty and Opsgenie in `src/infra`, and anything
 * that replaces Opsgenie after its end of support. A provider answers one question — who is on
 * call for this target right now — and throws an `OncallProviderError` for every way of not
 * answering, so the service can fall back to the last good answer.
 *
 * ```ts
 * const answer = await pagerduty.lookup({ provider: 'pagerduty', kind: 'service', id: 'PABC123' }, { signal, at });
 * answer.shifts[0]; // { level: 1, person: { name: 'Ana Ruiz', email: 'ana@…' }, until: Date }
 * ```
 */
export interface OncallProvider {
  /** Stable id used in annotations, the cache and facts: `pagerduty`, `opsgenie`. */
  readonly id: string;
  /** As people write it: `PagerDuty`, `Opsgenie`. */
  readonly name: string;
  lookup(target: OncallTarget, options: { readonly signal: AbortSignal; readonly at: Date }): Promise<OncallAnswer>;
  /** Where a person can page for the target without Steward, when it can be built without a request. */
  webLink?(target: OncallTarget): string | undefined;
}

/** What to ask a provider about, as the catalog names it. */
export interface OncallTarget {
  readonly provider: string;
  /** `service`, `escalation_policy`, `schedule`, `team`: what `id` names at the provider. */
  readonly kind: string;
  readonly id: string;
}

/** The cache key of a target: `pagerduty:service:PABC123`. */
export const targetKey = (t: OncallTarget): string => `${t.provider}:${t.kind}:${t.id}`;

/** A person as the provider knows them; the command matches them to catalog people by email. */
export interface OncallPerson {
  readonly name: string;
  readonly email?: string | undefined;
  /** A catalog User ref, when the source is the catalog itself (native rotations). */
  readonly ref?: string | undefined;
}

/** One person on call at one escalation level. */
export interface OncallShift {
  /** 1 is primary, 2 secondary, and so on up the escalation policy. */
  readonly level: number;
  readonly person: OncallPerson;
  /** When this person stops being on call at this level; null when permanent or not reported. */
  readonly until: Date | null;
  /** The schedule or layer that put them there, e.g. `Payments primary`. */
  readonly schedule?: string | undefined;
}

/** A provider's whole answer for one target. */
export interface OncallAnswer {
  /** Provider id (`pagerduty`, `opsgenie`, `rotation`). */
  readonly provider: string;
  /** What was asked, as people name it: `Payments escalation policy`, `warehouse-ops_schedule`. */
  readonly label: string;
  /** Ordered by level, then name. Empty means nobody is on call. */
  readonly shifts: readonly OncallShift[];
  /** Where to page, e.g. `https://acme.pagerduty.com/service-directory/PABC123`. */
  readonly pageUrl?: string | undefined;
  /** The zone the provider reports times in, when it says. */
  readonly timeZone?: string | undefined;
  /** Something the answer needs to say, e.g. `the rotation starts Mon 5 Jan 09:00 CET`. */
  readonly note?: string | undefined;
}

export type OncallFailureReason =
  | 'timeout'
  | 'rate_limited'
  | 'unavailable'
  | 'invalid_response'
  | 'not_found'
  | 'unauthorized';

/**
 * Every way a provider can fail to answer. `retryAfterMs` is set for `rate_limited` when the
 * provider said how long to wait (Retry-After, `ratelimit-reset`, `X-RateLimit-Period-In-Sec`).
 */
export class OncallProviderError extends BotError {
  readonly reason: OncallFailureReason;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    reason: OncallFailureReason,
    message: string,
    options: { status?: number | undefined; retryAfterMs?: number | undefined; cause?: unknown } = {},
  ) {
    super(`oncall_${reason}`, message, { cause: options.cause });
    this.name = 'OncallProviderError';
    this.reason = reason;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * How a failure reads in chat: a verb phrase after the provider's name and a detail for the
 * parentheses, e.g. "PagerDuty did not answer (timed out after 1.5 s)". Outages, slowness and
 * rate limits all read "did not answer"; a wrong id or a refused token says what to fix instead.
 */
export function describeFailure(err: OncallProviderError, timeoutMs?: number): { readonly verb: string; readonly detail: string } {
  switch (err.reason) {
    case 'timeout':
      return { verb: 'did not answer', detail: timeoutMs !== undefined ? `timed out after ${+(timeoutMs / 1000).toFixed(1)} s` : 'timed out' };
    case 'rate_limited':
      return { verb: 'did not answer', detail: 'rate-limited' };
    case 'invalid_response':
      return { verb: 'did not answer', detail: 'its reply could not be read' };
    case 'unavailable':
      return { verb: 'did not answer', detail: err.status !== undefined ? `HTTP ${err.status}` : 'could not be reached' };
    case 'not_found':
      return { verb: 'does not know the id in the annotation', detail: err.status !== undefined ? `HTTP ${err.status}` : 'not found' };
    case 'unauthorized':
      return { verb: "refused Steward's credentials", detail: err.status !== undefined ? `HTTP ${err.status}` : 'unauthorized' };
  }
}
