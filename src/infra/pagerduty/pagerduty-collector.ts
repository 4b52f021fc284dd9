import { z } from 'zod';
import type { Entity } from '../../core/catalog/index.js';
import { annotation } from '../../core/catalog/index.js';
import { BotError } from '../../core/errors.js';
import type { CollectedFact, CollectorOutcome, FactCollector, UnknownCollectedFact } from '../../core/facts/index.js';

/**
 * PagerDuty REST API v2 as a fact source, for the services with `pagerduty.com/service-id`:
 *
 * - `alerts.configured`: the service has an integration (alerts reach it) or had an incident in
 *   the last 30 days. Read from `GET /services?include[]=integrations` (the account's services,
 *   100 a page), or `GET /services/{id}` when one service is asked for.
 * - `incidents.mttr_hours`: mean time to resolve over the last 90 days, from the analytics API
 *   (`POST /analytics/metrics/incidents/services`, 100 service ids per request). A service with
 *   no incident in the window has no MTTR: unknown, with that reason.
 *
 * At most two requests per 100 services. A token PagerDuty refuses fails the source; analytics
 * refused (an account without it) leaves `incidents.mttr_hours` unknown with the reason.
 */
export interface PagerDutyCollectorOptions {
  readonly token: string;
  readonly baseUrl: string;
  readonly fetch?: typeof fetch | undefined;
  readonly timeoutMs?: number | undefined;
}

export const PAGERDUTY_SERVICE_ID = 'pagerduty.com/service-id';
const BATCH = 100;
const DAY_MS = 86_400_000;

const service = z.object({
  id: z.string(),
  integrations: z.array(z.object({ id: z.string() })).nullish(),
  last_incident_timestamp: z.string().nullish(),
});
const servicesPage = z.object({ services: z.array(service), more: z.boolean().nullish(), offset: z.number().nullish(), limit: z.number().nullish() });
const oneService = z.object({ service });
const analytics = z.object({
  data: z.array(
    z.object({
      service_id: z.string(),
      mean_seconds_to_resolve: z.number().nullish(),
      total_incident_count: z.number().nullish(),
    }),
  ),
});

class PagerDutyError extends BotError {
  constructor(message: string, readonly status: number | undefined) {
    super('pagerduty_failed', message);
  }
}

export function createPagerDutyCollector(options: PagerDutyCollectorOptions): FactCollector {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const headers = {
    Authorization: `Token token=${options.token}`,
    Accept: 'application/vnd.pagerduty+json;version=2',
    'Content-Type': 'application/json',
  };

  async function call<T>(method: 'GET' | 'POST', path: string, params: Array<[string, string]>, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const url = new URL(path, base);
    for (const [k, v] of params) url.searchParams.append(k, v);
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new PagerDutyError(`PagerDuty could not be reached: ${(err as Error).message}`, undefined);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new PagerDutyError(`PagerDuty answered ${method} /${path} with HTTP ${res.status} and no JSON`, res.status);
    }
    if (!res.ok) {
      const message = (json as { error?: { message?: string } } | null)?.error?.message;
      if (res.status === 401) throw new PagerDutyError(`PagerDuty refused the token (HTTP 401${message ? `: ${message}` : ''}): check PAGERDUTY_TOKEN`, 401);
      throw new PagerDutyError(`PagerDuty answered ${method} /${path} with HTTP ${res.status}${message ? `: ${message}` : ''}`, res.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new PagerDutyError(`PagerDuty's answer to ${method} /${path} is not shaped as its API documents`, res.status);
    return parsed.data;
  }

  return {
    id: 'pagerduty',
    name: 'PagerDuty',
    async collect(services, context): Promise<CollectorOutcome> {
      const byId = new Map<string, Entity[]>();
      for (const e of services) {
        const id = annotation(e, PAGERDUTY_SERVICE_ID)?.trim();
        if (!id) continue;
        const list = byId.get(id) ?? [];
        list.push(e);
        byId.set(id, list);
      }
      const ids = [...byId.keys()];
      const read = [...byId.values()].reduce((n, l) => n + l.length, 0);
      if (ids.length === 0) return { read: 0, facts: [], unknown: [], requests: 0 };
      let requests = 0;
      const facts: CollectedFact[] = [];
      const unknown: UnknownCollectedFact[] = [];
      const put = (id: string, key: string, value: boolean | number): void => {
        for (const e of byId.get(id) ?? []) facts.push({ entityRef: e.ref, key, value });
      };
      const missing = (id: string, key: string, reason: string): void => {
        for (const e of byId.get(id) ?? []) unknown.push({ entityRef: e.ref, key, reason });
      };
      const steps = Math.ceil(ids.length / BATCH) + 1;
      let done = 0;

      // Integrations and the last incident: the one service, or the account's list.
      const found = new Map<string, z.infer<typeof service>>();
      if (ids.length === 1) {
        requests++;
        try {
          const { service: s } = await call('GET', `services/${encodeURIComponent(ids[0]!)}`, [['include[]', 'integrations']], undefined, oneService);
          found.set(s.id, s);
        } catch (err) {
          if (!(err instanceof PagerDutyError) || err.status !== 404) throw err;
        }
      } else {
        for (let offset = 0; ; ) {
          requests++;
          const page = await call('GET', 'services', [['include[]', 'integrations'], ['limit', String(BATCH)], ['offset', String(offset)]], undefined, servicesPage);
          for (const s of page.services) found.set(s.id, s);
          // PagerDuty caps offset + limit at 10,000 in classic pagination.
          if (!page.more || page.services.length === 0 || offset + BATCH >= 10_000) break;
          offset += page.services.length;
        }
      }
      const since30 = context.now.getTime() - 30 * DAY_MS;
      for (const id of ids) {
        const s = found.get(id);
        if (!s) {
          missing(id, 'alerts.configured', `PagerDuty has no service with the pagerduty.com/service-id given`);
          continue;
        }
        const last = s.last_incident_timestamp ? Date.parse(s.last_incident_timestamp) : Number.NaN;
        put(id, 'alerts.configured', (s.integrations?.length ?? 0) > 0 || (Number.isFinite(last) && last >= since30));
      }
      context.onProgress?.(++done, steps);

      // MTTR over 90 days, 100 services a request.
      const start = new Date(context.now.getTime() - 90 * DAY_MS).toISOString();
      const end = context.now.toISOString();
      for (let i = 0; i < ids.length; i += BATCH) {
        const chunk = ids.slice(i, i + BATCH);
        requests++;
        try {
          const answer = await call(
            'POST',
            'analytics/metrics/incidents/services',
            [],
            { filters: { created_at_start: start, created_at_end: end, service_ids: chunk } },
            analytics,
          );
          const rows = new Map(answer.data.map((r) => [r.service_id, r]));
          for (const id of chunk) {
            const row = rows.get(id);
            const mean = row?.mean_seconds_to_resolve;
            if (!row || !row.total_incident_count) missing(id, 'incidents.mttr_hours', 'no PagerDuty incident in the last 90 days');
            else if (typeof mean !== 'number' || !Number.isFinite(mean) || mean < 0) missing(id, 'incidents.mttr_hours', 'PagerDuty gave no mean time to resolve (no incident resolved in 90 days)');
            else put(id, 'incidents.mttr_hours', Math.round((mean / 3600) * 100) / 100);
          }
        } catch (err) {
          if (!(err instanceof PagerDutyError) || err.status === 401 || err.status === undefined) throw err;
          for (const id of chunk) missing(id, 'incidents.mttr_hours', err.message);
        }
        context.onProgress?.(++done, steps);
      }
      return { read, facts, unknown, requests };
    },
  };
}
