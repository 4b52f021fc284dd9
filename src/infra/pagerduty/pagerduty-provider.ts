import { z } from 'zod';
import type { OncallAnswer, OncallProvider, OncallShift, OncallTarget } from '../../core/oncall/index.js';
import { OncallProviderError, getProviderJson, retryAfterMs } from '../../core/oncall/index.js';
import type { Clock } from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';

/**
 * PagerDuty REST API v2 as an on-call provider.
 *
 * For a service (`pagerduty.com/service-id`): `GET /services/{id}` gives its escalation policy
 * and web address, then `GET /oncalls?escalation_policy_ids[]=…&include[]=users` (classic
 * offset pagination, 100 a page) gives who is on call at each level. For an escalation policy
 * (`pagerduty.com/escalation-policy-id`) the first request is skipped.
 *
 * Every failure is an `OncallProviderError`: 429 carries the wait from `Retry-After` or
 * `ratelimit-reset`; the caller decides whether to wait (background) or not (a person asking).
 */
export interface PagerDutyProviderOptions {
  readonly token: string;
  /** `https://api.pagerduty.com`, or a proxy or test server. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** The account's web address (`https://acme.pagerduty.com`), for page links before any answer. */
  readonly webUrl?: string | undefined;
  /** At most this many pages of on-calls (100 each); default 10. */
  readonly maxPages?: number;
  /** For HTTP-date `Retry-After` values. */
  readonly clock?: Clock;
  /** A deadline of the provider's own for one lookup, on top of the caller's signal. */
  readonly timeoutMs?: number;
}

const PAGE = 100;

const reference = z.object({ id: z.string(), summary: z.string().nullish(), html_url: z.string().nullish() });

const serviceResponse = z.object({
  service: z.object({
    id: z.string(),
    name: z.string().nullish(),
    summary: z.string().nullish(),
    html_url: z.string().nullish(),
    escalation_policy: reference.extend({ name: z.string().nullish() }),
  }),
});

const oncallsResponse = z.object({
  oncalls: z.array(
    z.object({
      user: reference.extend({ name: z.string().nullish(), email: z.string().nullish(), time_zone: z.string().nullish() }),
      // Direct user targets have no schedule and permanent on-calls no start or end (PagerDuty's
      // docs say so; its schema does not mark them nullable).
      schedule: reference.nullish(),
      escalation_policy: reference,
      escalation_level: z.number().int(),
      start: z.string().nullish(),
      end: z.string().nullish(),
    }),
  ),
  limit: z.number().nullish(),
  offset: z.number().nullish(),
  more: z.boolean().nullish(),
});

const errorBody = z.object({ error: z.object({ message: z.string().optional(), code: z.number().optional() }) });

export function createPagerDutyProvider(options: PagerDutyProviderOptions): OncallProvider {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const maxPages = options.maxPages ?? 10;
  const clock = options.clock ?? systemClock;
  // Learned from the first answer's html_url, so a page link can be offered even when a later
  // request for another service fails before it gets one.
  let webOrigin = options.webUrl ? new URL(options.webUrl).origin : undefined;

  async function get<T>(path: string, params: ReadonlyArray<readonly [string, string]>, schema: z.ZodType<T>, signal: AbortSignal): Promise<T> {
    const url = new URL(path, base);
    for (const [k, v] of params) url.searchParams.append(k, v);
    const headers = {
      Authorization: `Token token=${options.token}`,
      Accept: 'application/vnd.pagerduty+json;version=2',
      'Content-Type': 'application/json',
    };
    return getProviderJson({ provider: 'PagerDuty', fetch: fetchImpl, url, path, headers, schema, signal, failure: (res, text) => failure(res, text, path) });
  }

  function failure(res: Response, text: string, path: string): OncallProviderError {
    let detail = '';
    try {
      const body = errorBody.safeParse(JSON.parse(text));
      if (body.success && body.data.error.message) detail = `: ${body.data.error.message}`;
    } catch {
      // an error page that is not JSON: the status says enough
    }
    const status = res.status;
    if (status === 429) {
      return new OncallProviderError('rate_limited', `PagerDuty rate-limited GET /${path}${detail}`, { status, retryAfterMs: retryAfterMs(res.headers, clock.now().getTime(), 'ratelimit-reset') });
    }
    if (status === 404) return new OncallProviderError('not_found', `PagerDuty has no ${path.split('/')[0]} ${path.split('/')[1] ?? ''}${detail}`.trim(), { status });
    if (status === 401 || status === 403) return new OncallProviderError('unauthorized', `PagerDuty refused the token (HTTP ${status})${detail}`, { status });
    return new OncallProviderError('unavailable', `PagerDuty answered GET /${path} with HTTP ${status}${detail}`, { status });
  }

  async function oncalls(policyId: string, signal: AbortSignal): Promise<z.infer<typeof oncallsResponse>['oncalls']> {
    const all: z.infer<typeof oncallsResponse>['oncalls'] = [];
    for (let page = 0, offset = 0; page < maxPages; page++) {
      const body = await get(
        'oncalls',
        [
          ['escalation_policy_ids[]', policyId],
          ['include[]', 'users'],
          ['limit', String(PAGE)],
          ['offset', String(offset)],
        ],
        oncallsResponse,
        signal,
      );
      all.push(...body.oncalls);
      // PagerDuty caps offset + limit at 10,000; an escalation policy never comes near it.
      if (!body.more || body.oncalls.length === 0 || offset + PAGE >= 10_000) break;
      offset += body.oncalls.length;
    }
    return all;
  }

  const serviceLink = (origin: string | undefined, id: string): string | undefined =>
    origin ? `${origin}/service-directory/${encodeURIComponent(id)}` : undefined;

  return {
    id: 'pagerduty',
    name: 'PagerDuty',

    webLink(target: OncallTarget): string | undefined {
      if (target.kind === 'service') return serviceLink(webOrigin, target.id);
      return webOrigin ? `${webOrigin}/escalation_policies/${encodeURIComponent(target.id)}` : undefined;
    },

    async lookup(target, { signal: callerSignal }): Promise<OncallAnswer> {
      const signal = options.timeoutMs ? AbortSignal.any([callerSignal, AbortSignal.timeout(options.timeoutMs)]) : callerSignal;
      let policyId: string;
      let label: string | undefined;
      let pageUrl: string | undefined;
      if (target.kind === 'service') {
        const { service } = await get(`services/${encodeURIComponent(target.id)}`, [], serviceResponse, signal);
        policyId = service.escalation_policy.id;
        label = service.escalation_policy.summary ?? service.escalation_policy.name ?? undefined;
        const origin = originOf(service.html_url);
        if (origin) webOrigin = origin;
        pageUrl = serviceLink(origin ?? webOrigin, service.id);
      } else if (target.kind === 'escalation_policy') {
        policyId = target.id;
      } else {
        throw new OncallProviderError('not_found', `PagerDuty has no on-call target of kind ${target.kind}`);
      }

      const entries = await oncalls(policyId, signal);
      const byLevelAndUser = new Map<string, OncallShift>();
      for (const o of entries) {
        if (o.escalation_policy.id !== policyId) continue;
        label ??= o.escalation_policy.summary ?? undefined;
        if (target.kind === 'escalation_policy' && !pageUrl) pageUrl = o.escalation_policy.html_url ?? undefined;
        const until = o.end ? new Date(o.end) : null;
        if (until && Number.isNaN(until.getTime())) {
          throw new OncallProviderError('invalid_response', `PagerDuty gave an on-call end that is not a date: ${o.end}`);
        }
        const key = `${o.escalation_level}|${o.user.id}`;
        const earlier = byLevelAndUser.get(key);
        // On call through two schedules at one level: on call until the later end (or for good).
        if (earlier && (earlier.until === null || (until !== null && earlier.until >= until))) continue;
        byLevelAndUser.set(key, {
          level: o.escalation_level,
          person: { name: o.user.name ?? o.user.summary ?? o.user.id, email: o.user.email ?? undefined },
          until,
          schedule: o.schedule?.summary ?? undefined,
        });
      }
      const shifts = [...byLevelAndUser.values()].sort((a, b) => a.level - b.level || a.person.name.localeCompare(b.person.name));
      const name = label ?? policyId;
      return {
        provider: 'pagerduty',
        label: /\bpolicy$/i.test(name) ? name : `${name} escalation policy`,
        shifts,
        pageUrl,
      };
    },
  };
}

function originOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

