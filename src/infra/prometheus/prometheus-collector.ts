import { z } from 'zod';
import type { Entity } from '../../core/catalog/index.js';
import { BotError } from '../../core/errors.js';
import type { CollectedFact, CollectorOutcome, FactCollector, UnknownCollectedFact } from '../../core/facts/index.js';

/**
 * Prometheus's HTTP API as a fact source. `GET /api/v1/rules?type=alert` once: a service whose
 * name is the `serviceLabel` label (default `service`) of an alerting rule has
 * `alerts.configured = true` (no rule records nothing: another source, PagerDuty, may know of
 * alerts Prometheus does not route). Then each configured PromQL query (`facts.prometheus.queries`):
 * without `{{service}}` it runs once (`GET /api/v1/query`) and each sample is matched to a service
 * by the label, which is what a 10,000-service catalog needs; with `{{service}}` it runs once per
 * service, the name substituted as a PromQL string. A query that errors is a problem named by its
 * config path; a sample that is NaN or infinite never becomes a fact.
 */
export interface PrometheusCollectorOptions {
  readonly url: string;
  readonly auth?: { readonly bearer: string } | { readonly username: string; readonly password: string } | undefined;
  readonly serviceLabel: string;
  /** Fact key → PromQL, in config order. */
  readonly queries: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch | undefined;
  /** One request's deadline; default 30 s. */
  readonly timeoutMs?: number | undefined;
}

const rulesResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    groups: z.array(
      z.object({
        name: z.string().optional(),
        rules: z.array(z.object({ type: z.string(), name: z.string().optional(), labels: z.record(z.string(), z.string()).nullish() })),
      }),
    ),
  }),
});

const sample = z.tuple([z.number(), z.string()]);
const queryResponse = z.object({
  status: z.literal('success'),
  data: z.discriminatedUnion('resultType', [
    z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sample })) }),
    z.object({ resultType: z.literal('scalar'), result: sample }),
    z.object({ resultType: z.literal('matrix'), result: z.array(z.unknown()) }),
    z.object({ resultType: z.literal('string'), result: z.unknown() }),
  ]),
});

const errorResponse = z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() });

/** A failure of one request: `query` problems are per query, the rest fail the source. */
class PrometheusError extends BotError {
  constructor(message: string, readonly badQuery: boolean) {
    super('prometheus_failed', message);
  }
}

export function createPrometheusCollector(options: PrometheusCollectorOptions): FactCollector {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.auth && 'bearer' in options.auth) headers['Authorization'] = `Bearer ${options.auth.bearer}`;
  else if (options.auth) headers['Authorization'] = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;

  async function get<T>(path: string, params: Record<string, string>, schema: z.ZodType<T>): Promise<T> {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetchImpl(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new PrometheusError(`Prometheus could not be reached at ${url.origin}: ${(err as Error).message}`, false);
    }
    const text = await res.text();
    // A proxy in front of Prometheus answers 401 in its own words, often not JSON.
    if (res.status === 401 || res.status === 403) throw new PrometheusError(`Prometheus refused the credentials (HTTP ${res.status}): check PROMETHEUS_TOKEN or PROMETHEUS_USERNAME/PROMETHEUS_PASSWORD`, false);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new PrometheusError(`Prometheus answered GET /${path} with HTTP ${res.status} and no JSON`, false);
    }
    const failed = errorResponse.safeParse(json);
    if (failed.success) {
      // 400 bad_data and 422 execution are the query's fault; 503 timeout and the rest are Prometheus's.
      const badQuery = res.status === 400 || res.status === 422 || failed.data.errorType === 'bad_data';
      throw new PrometheusError(`${failed.data.errorType ?? 'error'}: ${failed.data.error ?? `HTTP ${res.status}`}`, badQuery);
    }
    const parsed = schema.safeParse(json);
    if (!res.ok || !parsed.success) throw new PrometheusError(`Prometheus answered GET /${path} with HTTP ${res.status}, not shaped as its API documents`, false);
    return parsed.data;
  }

  return {
    id: 'prometheus',
    name: 'Prometheus',
    async collect(services, context): Promise<CollectorOutcome> {
      let requests = 0;
      const facts: CollectedFact[] = [];
      const unknown: UnknownCollectedFact[] = [];
      const problems: string[] = [];
      // Label values are service names; a catalog name is unique per namespace, so two services
      // of one name in two namespaces both take the sample.
      const byName = new Map<string, Entity[]>();
      for (const e of services) {
        const list = byName.get(e.name.toLowerCase()) ?? [];
        list.push(e);
        byName.set(e.name.toLowerCase(), list);
      }
      const matched = new Set<string>();

      requests++;
      const rules = await get('api/v1/rules', { type: 'alert' }, rulesResponse);
      const alerting = new Set<string>();
      for (const g of rules.data.groups) {
        for (const r of g.rules) {
          const v = r.labels?.[options.serviceLabel];
          if (r.type === 'alerting' && v) alerting.add(v.toLowerCase());
        }
      }
      for (const name of alerting) {
        for (const e of byName.get(name) ?? []) {
          facts.push({ entityRef: e.ref, key: 'alerts.configured', value: true });
          matched.add(e.ref);
        }
      }
      context.onProgress?.(1, Object.keys(options.queries).length + 1);

      let done = 1;
      for (const [key, promql] of Object.entries(options.queries)) {
        const where = `facts.prometheus.queries.${key}`;
        const perService = promql.includes('{{service}}');
        const record = (entity: Entity, value: [number, string]): void => {
          const n = Number(value[1]);
          const at = new Date(value[0] * 1000);
          if (!Number.isFinite(n) || Number.isNaN(at.getTime())) {
            unknown.push({ entityRef: entity.ref, key, reason: `${where} gave ${value[1]}, not a finite number` });
            return;
          }
          facts.push({ entityRef: entity.ref, key, value: Math.round(n * 10_000) / 10_000, observedAt: at > context.now ? context.now : at });
          matched.add(entity.ref);
        };
        try {
          if (!perService) {
            requests++;
            const answer = await get('api/v1/query', { query: promql, time: String(context.now.getTime() / 1000) }, queryResponse);
            if (answer.data.resultType !== 'vector') {
              problems.push(`${where}: the query returns a ${answer.data.resultType}; without {{service}} it must return a vector with a ${options.serviceLabel} label`);
            } else {
              const seen = new Set<string>();
              for (const s of answer.data.result) {
                const v = s.metric[options.serviceLabel]?.toLowerCase();
                if (!v || seen.has(v)) continue;
                seen.add(v);
                for (const e of byName.get(v) ?? []) record(e, s.value);
              }
              for (const e of services) if (!seen.has(e.name.toLowerCase())) unknown.push({ entityRef: e.ref, key, reason: `${where}: no sample with ${options.serviceLabel}="<service>"` });
            }
          } else {
            for (const e of services) {
              requests++;
              const answer = await get('api/v1/query', { query: promql.replaceAll('{{service}}', promString(e.name)), time: String(context.now.getTime() / 1000) }, queryResponse);
              const first = answer.data.resultType === 'vector' ? answer.data.result[0]?.value : answer.data.resultType === 'scalar' ? answer.data.result : undefined;
              if (first) record(e, first);
              else unknown.push({ entityRef: e.ref, key, reason: `${where}: no sample for the service` });
            }
          }
        } catch (err) {
          if (!(err instanceof PrometheusError) || !err.badQuery) throw err;
          problems.push(`${where}: ${err.message}`);
        }
        context.onProgress?.(++done, Object.keys(options.queries).length + 1);
      }
      return { read: matched.size, facts, unknown, requests, problems };
    },
  };
}

/** A service name inside a PromQL double-quoted string: backslashes and quotes escaped. */
const promString = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
