import { z } from 'zod';
import type { Entity } from '../../core/catalog/index.js';
import { annotation } from '../../core/catalog/index.js';
import { BotError } from '../../core/errors.js';
import type { CollectedFact, CollectorOutcome, FactCollector, UnknownCollectedFact } from '../../core/facts/index.js';

/**
 * Opsgenie's REST API as a fact source, for the services with `opsgenie.com/team` (a team name
 * or id, as the on-call provider reads it). Shapes from opsgenie/opsgenie-oas:
 *
 * - `GET /v2/teams`, once: team names and ids (integrations and alerts name teams by id only).
 * - `alerts.configured`: the team owns an enabled integration (`GET /v2/integrations`, once, the
 *   whole account) or had an alert in the last 30 days: for the teams without an integration only,
 *   `GET /v2/alerts?query=createdAt >= <ms> AND teams:("a" OR "b" …)`, 100 teams a query. A page
 *   names the teams it found and the next query leaves them out, so a noisy team cannot make us
 *   page through its thousand alerts.
 * - `incidents.mttr_hours` stays unknown: the Incident API (`GET /v1/incidents`) gives `createdAt`
 *   and `updatedAt` but no resolution time, and `updatedAt` moves with any later note or tag, so a
 *   mean built from it would be a guess. The reason is reported with each service.
 *
 * Two requests for any number of teams that all have an integration. An API key Opsgenie refuses
 * fails the source; the alerts query failing leaves `alerts.configured` unknown with the reason.
 */
export interface OpsgenieCollectorOptions {
  readonly apiKey: string;
  /** `https://api.opsgenie.com` (EU: `https://api.eu.opsgenie.com`), or a proxy or test server. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch | undefined;
  readonly timeoutMs?: number | undefined;
}

export const OPSGENIE_TEAM = 'opsgenie.com/team';
const BATCH = 100;
const DAY_MS = 86_400_000;
export const OPSGENIE_NO_MTTR = 'Opsgenie\'s Incident API gives no resolution time (only createdAt and updatedAt)';

const teamsResponse = z.object({ data: z.array(z.object({ id: z.string(), name: z.string() })) });
const integrationsResponse = z.object({
  data: z.array(z.object({ id: z.string(), enabled: z.boolean().nullish(), teamId: z.string().nullish() })),
});
const alertsResponse = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      createdAt: z.string().nullish(),
      responders: z.array(z.object({ type: z.string(), id: z.string() })).nullish(),
    }),
  ),
});

class OpsgenieError extends BotError {
  constructor(message: string, readonly status: number | undefined) {
    super('opsgenie_failed', message);
  }
}

export function createOpsgenieCollector(options: OpsgenieCollectorOptions): FactCollector {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const headers = { Authorization: `GenieKey ${options.apiKey}`, Accept: 'application/json' };

  async function get<T>(path: string, params: Array<[string, string]>, schema: z.ZodType<T>): Promise<T> {
    const url = new URL(path, base);
    for (const [k, v] of params) url.searchParams.append(k, v);
    let res: Response;
    try {
      res = await fetchImpl(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new OpsgenieError(`Opsgenie could not be reached: ${(err as Error).message}`, undefined);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OpsgenieError(`Opsgenie answered GET /${path} with HTTP ${res.status} and no JSON`, res.status);
    }
    if (!res.ok) {
      const message = (json as { message?: unknown } | null)?.message;
      const detail = typeof message === 'string' && message ? `: ${message}` : '';
      if (res.status === 401 || res.status === 403) throw new OpsgenieError(`Opsgenie refused the API key (HTTP ${res.status}${detail}): check OPSGENIE_API_KEY`, res.status);
      throw new OpsgenieError(`Opsgenie answered GET /${path} with HTTP ${res.status}${detail}`, res.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new OpsgenieError(`Opsgenie's answer to GET /${path} is not shaped as its API documents`, res.status);
    return parsed.data;
  }

  return {
    id: 'opsgenie',
    name: 'Opsgenie',
    async collect(services, context): Promise<CollectorOutcome> {
      // The annotation as written, lower-cased: a team name (Opsgenie's names are case-insensitive) or id.
      const byTeam = new Map<string, Entity[]>();
      for (const e of services) {
        const team = annotation(e, OPSGENIE_TEAM)?.trim().toLowerCase();
        if (!team) continue;
        const list = byTeam.get(team) ?? [];
        list.push(e);
        byTeam.set(team, list);
      }
      const read = [...byTeam.values()].reduce((n, l) => n + l.length, 0);
      if (byTeam.size === 0) return { read: 0, facts: [], unknown: [], requests: 0 };
      let requests = 0;
      const facts: CollectedFact[] = [];
      const unknown: UnknownCollectedFact[] = [];
      const put = (team: string, key: string, value: boolean): void => {
        for (const e of byTeam.get(team) ?? []) facts.push({ entityRef: e.ref, key, value });
      };
      const missing = (team: string, key: string, reason: string): void => {
        for (const e of byTeam.get(team) ?? []) unknown.push({ entityRef: e.ref, key, reason });
      };

      requests++;
      const { data: teams } = await get('v2/teams', [], teamsResponse);
      // Annotation → Opsgenie team, by id or by name.
      const teamOf = new Map<string, { id: string; name: string }>();
      for (const t of teams) {
        teamOf.set(t.id.toLowerCase(), t);
        if (!teamOf.has(t.name.toLowerCase())) teamOf.set(t.name.toLowerCase(), t);
      }
      const known: string[] = [];
      for (const team of byTeam.keys()) {
        if (teamOf.has(team)) known.push(team);
        else missing(team, 'alerts.configured', 'Opsgenie has no team with the opsgenie.com/team given');
        missing(team, 'incidents.mttr_hours', OPSGENIE_NO_MTTR);
      }
      const steps = Math.ceil(known.length / BATCH) + 1;
      let done = 0;

      requests++;
      const { data: integrations } = await get('v2/integrations', [], integrationsResponse);
      const integrated = new Set(integrations.filter((i) => i.enabled !== false && i.teamId).map((i) => i.teamId!));
      const rest: string[] = [];
      for (const team of known) {
        if (integrated.has(teamOf.get(team)!.id)) put(team, 'alerts.configured', true);
        else rest.push(team);
      }
      context.onProgress?.(++done, steps);

      // Teams without an integration: any alert in 30 days, 100 teams a query.
      const since = context.now.getTime() - 30 * DAY_MS;
      for (let i = 0; i < rest.length; i += BATCH) {
        const chunk = rest.slice(i, i + BATCH);
        const pending = new Map(chunk.map((team) => [teamOf.get(team)!.id, team]));
        let unsure = false;
        try {
          while (pending.size > 0) {
            const names = [...pending.values()].map((team) => quote(teamOf.get(team)!.name));
            requests++;
            const { data: alerts } = await get(
              'v2/alerts',
              [['query', `createdAt >= ${since} AND teams: (${names.join(' OR ')})`], ['limit', String(BATCH)], ['sort', 'createdAt'], ['order', 'desc']],
              alertsResponse,
            );
            let found = 0;
            for (const a of alerts) {
              const created = a.createdAt ? Date.parse(a.createdAt) : Number.NaN;
              if (!Number.isFinite(created) || created < since) continue;
              for (const r of a.responders ?? []) {
                const team = r.type === 'team' ? pending.get(r.id) : undefined;
                if (team === undefined) continue;
                put(team, 'alerts.configured', true);
                pending.delete(r.id);
                found++;
              }
            }
            // A short page has every alert of the teams left: those have none. A full page that
            // names none of them (alerts matched by team but routed elsewhere) cannot tell.
            if (alerts.length < BATCH) break;
            if (found === 0) {
              unsure = true;
              break;
            }
          }
          for (const team of pending.values()) {
            if (unsure) missing(team, 'alerts.configured', 'Opsgenie listed alerts for the team that name no team responder');
            else put(team, 'alerts.configured', false);
          }
        } catch (err) {
          if (!(err instanceof OpsgenieError) || err.status === 401 || err.status === 403 || err.status === undefined) throw err;
          for (const team of pending.values()) missing(team, 'alerts.configured', err.message);
        }
        context.onProgress?.(++done, steps);
      }
      return { read, facts, unknown, requests };
    },
  };
}

/** A team name as a quoted term of Opsgenie's search syntax. */
function quote(name: string): string {
  return `"${name.replace(/["\\]/g, '\\$&')}"`;
}
