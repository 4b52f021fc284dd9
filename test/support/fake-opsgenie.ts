import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeFault, RecordedRequest } from './fake-faults.js';
import { FaultInjector } from './fake-faults.js';

/**
 * A local Opsgenie API, following the shapes of opsgenie/opsgenie-oas (Apache-2.0; the response
 * shapes below are written from its `ListSchedulesResponse`, `GetOnCallResponse`,
 * `GetScheduleTimelineResponse` and `ErrorResponse` definitions, nothing copied verbatim):
 *
 * - `GET /v2/schedules` → `{ data: [Schedule], expandable, took, requestId }`
 * - `GET /v2/schedules/{identifier}/on-calls?scheduleIdentifierType=id|name&flat&date`
 *   → `{ data: { _parent, onCallParticipants | onCallRecipients }, took, requestId }`
 * - `GET /v2/schedules/{identifier}/timeline?identifierType&interval&intervalUnit&date`
 *   → `{ data: { _parent, startDate, endDate, finalTimeline: { rotations: [{ periods }] } }, … }`
 * - errors `{ message, code?, took, requestId }`; auth `Authorization: GenieKey <key>`.
 */

export interface FakeOgShift {
  readonly username: string;
  readonly userId?: string;
  readonly from: string;
  readonly to: string;
}

export interface FakeOgSchedule {
  readonly id: string;
  readonly name: string;
  readonly team: string;
  readonly timezone?: string;
  readonly enabled?: boolean;
  readonly shifts: readonly FakeOgShift[];
  /** Raw participants instead of those computed from `shifts`, e.g. nested escalations. */
  readonly participants?: readonly unknown[];
}

export interface FakeOpsgenie {
  readonly url: string;
  readonly apiKey: string;
  readonly requests: RecordedRequest[];
  schedules: FakeOgSchedule[];
  fail(pathPrefix: string, fault: FakeFault): void;
  reset(): void;
  close(): Promise<void>;
}

const INTERVAL_MS = { days: 86_400_000, weeks: 7 * 86_400_000, months: 31 * 86_400_000 } as const;

export async function startFakeOpsgenie(options: { apiKey?: string; schedules?: readonly FakeOgSchedule[] } & FakeOgFactOptions = {}): Promise<FakeOpsgenie & FakeOgFacts> {
  const apiKey = options.apiKey ?? 'og-test-key';
  const meta = () => ({ took: 0.01, requestId: randomUUID() });
  const faults = new FaultInjector({
    brokenJson: '<html>Bad gateway</html>',
    errorBody: (status) => ({ message: status === 429 ? 'You are making too many requests!' : 'Internal Server Error', ...meta() }),
  });
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': randomUUID(), ...headers });
    res.end(JSON.stringify(body));
  };
  const teamId = (name: string): string => `team-${name}`;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    faults.serve(req, res, url, () => {
      if (req.headers.authorization !== `GenieKey ${apiKey}`) return send(res, 401, { message: 'Could not authenticate', code: 40101, ...meta() });
      if (req.method !== 'GET') return send(res, 405, { message: 'Method not allowed', ...meta() });

      if (url.pathname === '/v2/schedules') {
        return send(res, 200, {
          data: state.schedules.map((s) => ({
            id: s.id,
            name: s.name,
            description: '',
            timezone: s.timezone ?? 'Europe/Berlin',
            enabled: s.enabled ?? true,
            ownerTeam: { id: teamId(s.team), name: s.team },
            rotations: [],
          })),
          expandable: ['rotation'],
          ...meta(),
        });
      }

      const m = /^\/v2\/schedules\/([^/]+)\/(on-calls|timeline)$/.exec(url.pathname);
      if (m) {
        const identifier = decodeURIComponent(m[1]!);
        const byName = (m[2] === 'on-calls' ? url.searchParams.get('scheduleIdentifierType') : url.searchParams.get('identifierType')) === 'name';
        const schedule = state.schedules.find((s) => (byName ? s.name === identifier : s.id === identifier));
        if (!schedule) return send(res, 404, { message: `No schedule exists with ${byName ? 'name' : 'id'} [${identifier}]`, ...meta() });
        const dateParam = url.searchParams.get('date');
        const at = dateParam ? Date.parse(dateParam) : Date.now();
        if (Number.isNaN(at)) return send(res, 422, { message: 'date is not a valid date-time', ...meta() });
        const parent = { id: schedule.id, name: schedule.name, enabled: schedule.enabled ?? true };

        if (m[2] === 'on-calls') {
          const now = schedule.shifts.filter((s) => Date.parse(s.from) <= at && at < Date.parse(s.to));
          if (url.searchParams.get('flat') === 'true') {
            return send(res, 200, { data: { _parent: parent, onCallRecipients: now.map((s) => s.username) }, ...meta() });
          }
          const participants = schedule.participants ?? now.map((s) => ({ id: s.userId ?? `id-${s.username}`, name: s.username, type: 'user' }));
          return send(res, 200, { data: { _parent: parent, onCallParticipants: participants }, ...meta() });
        }

        const unit = (url.searchParams.get('intervalUnit') ?? 'weeks') as keyof typeof INTERVAL_MS;
        const interval = Number(url.searchParams.get('interval') ?? 1);
        const end = at + interval * (INTERVAL_MS[unit] ?? INTERVAL_MS.weeks);
        const periods = schedule.shifts
          .filter((s) => Date.parse(s.from) < end && Date.parse(s.to) > at)
          .map((s) => ({
            // Periods are clipped to the window asked for, as Opsgenie's timeline is.
            startDate: new Date(Math.max(Date.parse(s.from), at)).toISOString(),
            endDate: new Date(Math.min(Date.parse(s.to), end)).toISOString(),
            type: 'default',
            recipient: { id: s.userId ?? `id-${s.username}`, type: 'user', name: s.username },
          }));
        return send(res, 200, {
          data: {
            _parent: parent,
            startDate: new Date(at).toISOString(),
            endDate: new Date(end).toISOString(),
            finalTimeline: { rotations: [{ id: `${schedule.id}-rot`, name: 'Rotation 1', order: 1, periods }] },
          },
          expandable: ['base', 'forwarding', 'override'],
          ...meta(),
        });
      }
      const facts = serveFacts(state, url);
      if (facts) return send(res, facts.status, { ...facts.body, ...meta() });
      return send(res, 404, { message: 'Not found', ...meta() });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: FakeOpsgenie & FakeOgFacts = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    requests: faults.requests,
    schedules: [...(options.schedules ?? [])],
    teams: [...(options.teams ?? [])],
    integrations: [...(options.integrations ?? [])],
    alerts: [...(options.alerts ?? [])],
    fail: (prefix, fault) => faults.fail(prefix, fault),
    reset: () => faults.reset(),
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

// --- Facts: teams, integrations and alerts (the Opsgenie fact collector) ---------------------
//
// Shapes from opsgenie-oas's `ListTeamsResponse`, `ListIntegrationsResponse` (`IntegrationMeta`:
// id, name, enabled, type, teamId) and `ListAlertsResponse` (`BaseAlert` with `responders`
// `{type, id}`); the alert search query follows docs.opsgenie.com "Alerts Search Query Help"
// (`createdAt` in epoch milliseconds with `>`/`>=`, `teams: ("a" OR "b")` by team name). Only that
// shape of query is understood; anything else is a 422, as Opsgenie answers a query it cannot parse.

export interface FakeOgIntegration {
  readonly team: string;
  readonly enabled?: boolean;
  readonly type?: string;
}

export interface FakeOgAlert {
  readonly team: string;
  readonly createdAt: string;
}

export interface FakeOgFactOptions {
  /** Team names beyond the schedules' owners. */
  readonly teams?: readonly string[];
  readonly integrations?: readonly FakeOgIntegration[];
  readonly alerts?: readonly FakeOgAlert[];
}

export interface FakeOgFacts {
  teams: string[];
  integrations: FakeOgIntegration[];
  alerts: FakeOgAlert[];
}

type FactAnswer = { status: number; body: Record<string, unknown> } | undefined;

function serveFacts(state: FakeOpsgenie & FakeOgFacts, url: URL): FactAnswer {
  const id = (name: string): string => `team-${name}`;
  if (url.pathname === '/v2/teams') {
    const names = [...new Set([...state.schedules.map((s) => s.team), ...state.teams])];
    return { status: 200, body: { data: names.map((name) => ({ id: id(name), name, description: '' })), expandable: ['member'] } };
  }
  if (url.pathname === '/v2/integrations') {
    return {
      status: 200,
      body: { data: state.integrations.map((i, n) => ({ id: `int-${n}`, name: `${i.team} ${i.type ?? 'API'}`, enabled: i.enabled ?? true, type: i.type ?? 'API', teamId: id(i.team) })) },
    };
  }
  if (url.pathname === '/v2/alerts') {
    const query = url.searchParams.get('query') ?? '';
    const m = /^createdAt\s*(>=|>)\s*(\d+)\s+AND\s+teams:\s*\(([^()]*)\)$/.exec(query.trim());
    if (!m) return { status: 422, body: { message: `Invalid query [${query}]` } };
    const since = Number(m[2]);
    const teams = new Set(m[3]!.split(/\s+OR\s+/).map((t) => t.trim().replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1').toLowerCase()));
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    if (!(limit >= 1 && limit <= 100)) return { status: 422, body: { message: 'limit must be between 1 and 100' } };
    const matching = state.alerts
      .filter((a) => teams.has(a.team.toLowerCase()))
      .filter((a) => (m[1] === '>' ? Date.parse(a.createdAt) > since : Date.parse(a.createdAt) >= since))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    const page = matching.slice(offset, offset + limit);
    return {
      status: 200,
      body: {
        data: page.map((a, n) => ({
          id: `alert-${offset + n}`,
          tinyId: String(offset + n + 1),
          message: `Alert for ${a.team}`,
          status: 'closed',
          createdAt: a.createdAt,
          updatedAt: a.createdAt,
          responders: [{ type: 'team', id: id(a.team) }],
        })),
        paging: {},
      },
    };
  }
  return undefined;
}
