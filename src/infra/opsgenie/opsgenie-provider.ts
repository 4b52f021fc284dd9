import { z } from 'zod';
import type { OncallAnswer, OncallPerson, OncallProvider, OncallShift, OncallTarget } from '../../core/oncall/index.js';
import { OncallProviderError, getProviderJson, retryAfterMs } from '../../core/oncall/index.js';
import type { Clock } from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';

/**
 * Opsgenie's Who-is-on-call API as an on-call provider (shapes from opsgenie/opsgenie-oas).
 * Opsgenie is at end of sale, so nothing outside this folder knows it.
 *
 * - `opsgenie.com/schedule` (id or name): `GET /v2/schedules/{schedule}/on-calls`.
 * - `opsgenie.com/team`: `GET /v2/schedules`, keep the enabled schedules whose `ownerTeam` is the
 *   team, and ask each for its on-calls. Each schedule is one level, the team's default schedule
 *   (`<team>_schedule`, as Opsgenie names it) first, then by name; so `…_primary` and
 *   `…_secondary` schedules read as primary and secondary.
 *
 * The on-calls answer has no end time, so each schedule's timeline is asked alongside; "until"
 * is left out when the timeline is slow (it gets a short grace after the on-calls arrive) or fails.
 */
export interface OpsgenieProviderOptions {
  readonly apiKey: string;
  /** `https://api.opsgenie.com` (EU: `https://api.eu.opsgenie.com`), or a proxy or test server. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** Where people page by hand, e.g. `https://acme.app.opsgenie.com/alert/list`. */
  readonly webUrl?: string | undefined;
  readonly clock?: Clock;
  /** A deadline of the provider's own for one lookup, on top of the caller's signal. */
  readonly timeoutMs?: number;
  /** How long to wait for timelines once the on-calls are in; default 250 ms. */
  readonly timelineGraceMs?: number;
  /** At most this many of a team's schedules are asked; default 5. */
  readonly maxSchedules?: number;
}

type Participant = {
  id?: string | undefined;
  name?: string | undefined;
  type?: string | undefined;
  onCallParticipants?: Participant[] | undefined;
};

const participant: z.ZodType<Participant> = z.lazy(() =>
  z.object({
    id: z.string().optional(),
    name: z.string().optional(),
    type: z.string().optional(),
    onCallParticipants: z.array(participant).optional(),
  }),
);

const onCallsResponse = z.object({
  data: z.object({
    _parent: z.object({ id: z.string().optional(), name: z.string().optional(), enabled: z.boolean().optional() }).optional(),
    onCallParticipants: z.array(participant).optional(),
    onCallRecipients: z.array(z.string()).optional(),
  }),
});

const schedulesResponse = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      enabled: z.boolean().optional(),
      timezone: z.string().optional(),
      ownerTeam: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
    }),
  ),
});

const timelineResponse = z.object({
  data: z.object({
    startDate: z.string().optional(),
    endDate: z.string().optional(),
    finalTimeline: z
      .object({
        rotations: z
          .array(
            z.object({
              name: z.string().optional(),
              periods: z
                .array(
                  z.object({
                    startDate: z.string(),
                    endDate: z.string(),
                    type: z.string().optional(),
                    recipient: z.object({ id: z.string().optional(), name: z.string().optional(), type: z.string().optional() }).optional(),
                  }),
                )
                .optional(),
            }),
          )
          .optional(),
      })
      .optional(),
  }),
});

const errorBody = z.object({ message: z.string().optional(), code: z.number().optional() });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ScheduleRef {
  readonly identifier: string;
  readonly type: 'id' | 'name';
  readonly name: string;
  readonly timeZone?: string | undefined;
}

export function createOpsgenieProvider(options: OpsgenieProviderOptions): OncallProvider {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const clock = options.clock ?? systemClock;
  const grace = options.timelineGraceMs ?? 250;
  const maxSchedules = options.maxSchedules ?? 5;

  async function get<T>(path: string, params: ReadonlyArray<readonly [string, string]>, schema: z.ZodType<T>, signal: AbortSignal): Promise<T> {
    const url = new URL(path, base);
    for (const [k, v] of params) url.searchParams.append(k, v);
    const headers = { Authorization: `GenieKey ${options.apiKey}`, Accept: 'application/json' };
    return getProviderJson({ provider: 'Opsgenie', fetch: fetchImpl, url, path, headers, schema, signal, failure: (res, text) => failure(res, text, path) });
  }

  function failure(res: Response, text: string, path: string): OncallProviderError {
    let detail = '';
    try {
      const body = errorBody.safeParse(JSON.parse(text));
      if (body.success && body.data.message) detail = `: ${body.data.message}`;
    } catch {
      // not JSON: the status says enough
    }
    const status = res.status;
    if (status === 429) return new OncallProviderError('rate_limited', `Opsgenie rate-limited GET /${path}${detail}`, { status, retryAfterMs: retryAfterMs(res.headers, clock.now().getTime(), 'x-ratelimit-period-in-sec') });
    if (status === 404) return new OncallProviderError('not_found', `Opsgenie does not know GET /${path}${detail}`, { status });
    if (status === 401 || status === 403) return new OncallProviderError('unauthorized', `Opsgenie refused the API key (HTTP ${status})${detail}`, { status });
    return new OncallProviderError('unavailable', `Opsgenie answered GET /${path} with HTTP ${status}${detail}`, { status });
  }

  async function teamSchedules(team: string, signal: AbortSignal): Promise<ScheduleRef[]> {
    const { data } = await get('v2/schedules', [], schedulesResponse, signal);
    const wanted = team.toLowerCase();
    const owned = data.filter(
      (s) => s.enabled !== false && (s.ownerTeam?.name?.toLowerCase() === wanted || s.ownerTeam?.id === team),
    );
    if (owned.length === 0) throw new OncallProviderError('not_found', `Opsgenie has no enabled schedule owned by team ${team}`);
    const defaultName = `${wanted}_schedule`;
    owned.sort((a, b) => Number(b.name.toLowerCase() === defaultName) - Number(a.name.toLowerCase() === defaultName) || a.name.localeCompare(b.name));
    return owned.slice(0, maxSchedules).map((s) => ({ identifier: s.id, type: 'id', name: s.name, timeZone: s.timezone }));
  }

  async function scheduleShifts(schedule: ScheduleRef, level: number, at: Date, signal: AbortSignal): Promise<{ name: string; shifts: OncallShift[] }> {
    const path = `v2/schedules/${encodeURIComponent(schedule.identifier)}`;
    const date = at.toISOString();
    const timeline = get(
      `${path}/timeline`,
      [['identifierType', schedule.type], ['interval', '2'], ['intervalUnit', 'weeks'], ['date', date]],
      timelineResponse,
      signal,
    ).catch(() => undefined);
    const onCalls = await get(`${path}/on-calls`, [['scheduleIdentifierType', schedule.type], ['flat', 'false'], ['date', date]], onCallsResponse, signal);
    const people = flatten(onCalls.data.onCallParticipants ?? []);
    // Older accounts answer flat lists of usernames only.
    if (people.length === 0) for (const r of onCalls.data.onCallRecipients ?? []) people.push({ name: r, email: r.includes('@') ? r : undefined });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const periods = await Promise.race([
      timeline,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(resolve, grace, undefined);
      }),
    ]);
    clearTimeout(timer);
    const name = onCalls.data._parent?.name ?? schedule.name;
    const seen = new Set<string>();
    const shifts: OncallShift[] = [];
    for (const p of people) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      shifts.push({ level, person: { name: p.name, email: p.email }, until: periods ? untilOf(periods, p, at) : null, schedule: name });
    }
    return { name, shifts };
  }

  return {
    id: 'opsgenie',
    name: 'Opsgenie',

    webLink: () => options.webUrl,

    async lookup(target: OncallTarget, { signal: callerSignal, at }): Promise<OncallAnswer> {
      const signal = options.timeoutMs ? AbortSignal.any([callerSignal, AbortSignal.timeout(options.timeoutMs)]) : callerSignal;
      let schedules: ScheduleRef[];
      if (target.kind === 'schedule') {
        schedules = [{ identifier: target.id, type: UUID.test(target.id) ? 'id' : 'name', name: target.id }];
      } else if (target.kind === 'team') {
        schedules = await teamSchedules(target.id, signal);
      } else {
        throw new OncallProviderError('not_found', `Opsgenie has no on-call target of kind ${target.kind}`);
      }
      const results = await Promise.all(schedules.map((s, i) => scheduleShifts(s, i + 1, at, signal)));
      const shifts = results.flatMap((r) => r.shifts).sort((a, b) => a.level - b.level || a.person.name.localeCompare(b.person.name));
      return {
        provider: 'opsgenie',
        label: target.kind === 'team' && results.length > 1 ? `${target.id} schedules` : (results[0]?.name ?? target.id),
        shifts,
        pageUrl: options.webUrl,
        timeZone: schedules[0]?.timeZone,
      };
    },
  };
}

/** Users on call, through nested team, escalation and schedule participants. */
function flatten(participants: readonly Participant[]): OncallPerson[] {
  const out: OncallPerson[] = [];
  for (const p of participants) {
    if ((p.type ?? 'user') === 'user' && p.name) out.push({ name: p.name, email: p.name.includes('@') ? p.name : undefined });
    else if (p.onCallParticipants) out.push(...flatten(p.onCallParticipants));
  }
  return out;
}

/** The end of the person's period that covers `at`; null when none does or it is cut off by the window. */
function untilOf(timeline: z.infer<typeof timelineResponse>, person: OncallPerson, at: Date): Date | null {
  const t = at.getTime();
  const windowEnd = timeline.data.endDate ? Date.parse(timeline.data.endDate) : Number.NaN;
  let until: number | null = null;
  for (const rotation of timeline.data.finalTimeline?.rotations ?? []) {
    for (const period of rotation.periods ?? []) {
      if (period.recipient?.name !== person.name) continue;
      const start = Date.parse(period.startDate);
      const end = Date.parse(period.endDate);
      if (Number.isNaN(start) || Number.isNaN(end) || !(start <= t && t < end)) continue;
      if (until === null || end > until) until = end;
    }
  }
  // A period that runs to the edge of the window asked for may go on beyond it: unknown.
  if (until === null || until >= windowEnd) return null;
  return new Date(until);
}

