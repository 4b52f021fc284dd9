import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeFault, RecordedRequest } from './fake-faults.js';
import { FaultInjector } from './fake-faults.js';

/**
 * A local PagerDuty REST API v2, shaped by PagerDuty's public API reference as summarised in the
 * project's contract research (§6.1): `GET /services/{id}` and `GET /oncalls` with
 * `escalation_policy_ids[]`, `include[]=users`, classic `limit`/`offset`/`more`/`total`
 * pagination, `Authorization: Token token=…`, and `{ error: { code, message, errors } }` bodies.
 * For fact collection (issue 16): `GET /services` (the account's list, `include[]=integrations`,
 * `last_incident_timestamp`) and `POST /analytics/metrics/incidents/services` (`filters.service_ids`,
 * `created_at_start`/`_end`; `mean_seconds_to_resolve`, `total_incident_count` per service), shaped
 * by PagerDuty's API reference ("List services", "Get aggregated service data").
 * Faults are switched per route: a status (429 with Retry-After or `ratelimit-reset`, 500, …), a
 * delay, a response that never comes, invalid JSON. Every request is recorded.
 */

export interface FakePdUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly timeZone?: string;
}

export interface FakePdService {
  readonly id: string;
  readonly name: string;
  readonly policyId: string;
  /** Integrations (event sources) of the service; `include[]=integrations` lists them. */
  readonly integrations?: number;
  /** Its incidents, for `last_incident_timestamp` and the analytics API. */
  readonly incidents?: ReadonlyArray<{ readonly created: string; readonly resolved?: string }>;
}

export interface FakePdOncall {
  readonly user: FakePdUser;
  readonly policyId: string;
  readonly level: number;
  readonly schedule?: { readonly id: string; readonly name: string } | null;
  readonly start: string | null;
  readonly end: string | null;
}

export interface FakePagerDuty {
  readonly url: string;
  readonly token: string;
  readonly requests: RecordedRequest[];
  readonly services: Map<string, FakePdService>;
  readonly policies: Map<string, string>;
  oncalls: FakePdOncall[];
  /** Applies `fault` to requests whose path starts with `pathPrefix` (e.g. `/oncalls`, `/services/PPAY001`). */
  fail(pathPrefix: string, fault: FakeFault): void;
  /** Removes every fault and forgets the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakePagerDutyOptions {
  readonly token?: string;
  /** The account's web subdomain: html_url values are on `https://<subdomain>.pagerduty.com`. */
  readonly subdomain?: string;
  readonly services?: readonly FakePdService[];
  /** Escalation policy names by id. */
  readonly policies?: Readonly<Record<string, string>>;
  readonly oncalls?: readonly FakePdOncall[];
  /** The most on-calls a page holds, whatever `limit` asks (PagerDuty's is 100). */
  readonly maxLimit?: number;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

export async function startFakePagerDuty(options: FakePagerDutyOptions = {}): Promise<FakePagerDuty> {
  const token = options.token ?? 'pd-test-token';
  const web = `https://${options.subdomain ?? 'acme'}.pagerduty.com`;
  const services = new Map((options.services ?? []).map((s) => [s.id, s]));
  const policies = new Map(Object.entries(options.policies ?? {}));
  const faults = new FaultInjector({
    brokenJson: '{"oncalls": [{"user": ',
    errorBody: (status) => ({ error: { code: status === 429 ? 2020 : 2001, message: status === 429 ? 'Rate Limit Exceeded' : 'Internal Error', errors: [] } }),
  });
  let base = '';

  const error = (res: ServerResponse, status: number, code: number, message: string, errors: string[] = [], headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { code, message, errors } }));
  };
  const ok = (res: ServerResponse, body: unknown): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const reference = (type: string, id: string, summary: string, webPath: string) => ({
    id,
    type: `${type}_reference`,
    summary,
    self: `${base}/${type}s/${id}`,
    html_url: `${web}/${webPath}/${id}`,
  });

  const serviceBody = (s: FakePdService, withIntegrations: boolean) => {
    const last = [...(s.incidents ?? [])].map((i) => i.created).sort().pop();
    return {
      id: s.id,
      type: 'service',
      summary: s.name,
      name: s.name,
      self: `${base}/services/${s.id}`,
      html_url: `${web}/service-directory/${s.id}`,
      status: 'active',
      escalation_policy: reference('escalation_policy', s.policyId, policies.get(s.policyId) ?? s.policyId, 'escalation_policies'),
      teams: [],
      last_incident_timestamp: last ?? null,
      integrations: Array.from({ length: s.integrations ?? 0 }, (_, i) =>
        withIntegrations
          ? { id: `PI${s.id}${i}`, type: 'generic_events_api_inbound_integration', summary: 'Prometheus Alertmanager', name: 'Prometheus Alertmanager' }
          : reference('integration', `PI${s.id}${i}`, 'Prometheus Alertmanager', `services/${s.id}/integrations`),
      ),
    };
  };

  /** Aggregated incident metrics per service, over incidents created in the window. */
  const analytics = (res: ServerResponse, body: unknown): void => {
    const filters = (body as { filters?: { service_ids?: unknown; created_at_start?: unknown; created_at_end?: unknown } } | null)?.filters;
    const ids = filters?.service_ids;
    if (!Array.isArray(ids) || typeof filters?.created_at_start !== 'string' || typeof filters.created_at_end !== 'string') {
      return error(res, 400, 2001, 'Invalid Input Provided', ['filters.service_ids, created_at_start and created_at_end are required']);
    }
    if (ids.length > 100) return error(res, 400, 2001, 'Invalid Input Provided', ['at most 100 service_ids']);
    const from = Date.parse(filters.created_at_start);
    const to = Date.parse(filters.created_at_end);
    const data = ids.flatMap((id: unknown) => {
      const s = services.get(String(id));
      if (!s) return [];
      const inWindow = (s.incidents ?? []).filter((i) => Date.parse(i.created) >= from && Date.parse(i.created) < to);
      const resolved = inWindow.filter((i) => i.resolved !== undefined);
      const mean = resolved.length === 0 ? null : resolved.reduce((n, i) => n + (Date.parse(i.resolved!) - Date.parse(i.created)) / 1000, 0) / resolved.length;
      return [{ service_id: s.id, service_name: s.name, team_id: null, team_name: null, mean_seconds_to_resolve: mean, total_incident_count: inWindow.length }];
    });
    ok(res, { data, filters, aggregate_unit: null, time_zone: 'Etc/UTC' });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    faults.serve(req, res, url, () => {
      if (req.method === 'POST' && url.pathname === '/analytics/metrics/incidents/services') {
        if (req.headers.authorization !== `Token token=${token}`) return error(res, 401, 2006, 'Unauthorized');
        return void readJson(req).then((body) => analytics(res, body));
      }
      if (req.method !== 'GET') return error(res, 405, 2000, 'Method Not Allowed');
      if (req.headers.authorization !== `Token token=${token}`) return error(res, 401, 2006, 'Unauthorized');

      if (url.pathname === '/services') {
        const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 25));
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const all = [...services.values()];
        const page = all.slice(offset, offset + limit);
        return ok(res, {
          services: page.map((s) => serviceBody(s, url.searchParams.getAll('include[]').includes('integrations'))),
          limit,
          offset,
          more: offset + limit < all.length,
          total: null,
        });
      }

      const service = /^\/services\/([^/]+)$/.exec(url.pathname);
      if (service) {
        const s = services.get(decodeURIComponent(service[1]!));
        if (!s) return error(res, 404, 2100, 'Not Found', ['Service not found']);
        return ok(res, { service: serviceBody(s, url.searchParams.getAll('include[]').includes('integrations')) });
      }

      if (url.pathname === '/oncalls') {
        const ids = url.searchParams.getAll('escalation_policy_ids[]');
        const include = url.searchParams.getAll('include[]');
        const limit = Math.min(options.maxLimit ?? 100, Number(url.searchParams.get('limit') ?? 25));
        const offset = Number(url.searchParams.get('offset') ?? 0);
        if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
          return error(res, 400, 2001, 'Invalid Input Provided', ['limit and offset must be non-negative integers']);
        }
        if (offset + limit > 10_000) return error(res, 400, 2001, 'Invalid Input Provided', ['Offset + limit must not exceed 10000']);
        const matching = ids.length === 0 ? state.oncalls : state.oncalls.filter((o) => ids.includes(o.policyId));
        const page = matching.slice(offset, offset + limit);
        return ok(res, {
          oncalls: page.map((o) => ({
            user: include.includes('users')
              ? {
                  id: o.user.id,
                  type: 'user',
                  summary: o.user.name,
                  name: o.user.name,
                  email: o.user.email,
                  time_zone: o.user.timeZone ?? 'Europe/Berlin',
                  self: `${base}/users/${o.user.id}`,
                  html_url: `${web}/users/${o.user.id}`,
                }
              : reference('user', o.user.id, o.user.name, 'users'),
            schedule: o.schedule ? reference('schedule', o.schedule.id, o.schedule.name, 'schedules') : null,
            escalation_policy: reference('escalation_policy', o.policyId, policies.get(o.policyId) ?? o.policyId, 'escalation_policies'),
            escalation_level: o.level,
            start: o.start,
            end: o.end,
          })),
          limit,
          offset,
          more: offset + limit < matching.length,
          total: url.searchParams.get('total') === 'true' ? matching.length : null,
        });
      }
      return error(res, 404, 2100, 'Not Found');
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: FakePagerDuty = {
    url: base,
    token,
    requests: faults.requests,
    services,
    policies,
    oncalls: [...(options.oncalls ?? [])],
    fail: (prefix, fault) => faults.fail(prefix, fault),
    reset: () => faults.reset(),
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}
