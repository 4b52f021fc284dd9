import { z } from 'zod';
import { refName, toEntityRef } from '../catalog/index.js';
import type { OncallAnswer, OncallShift } from './oncall-provider.js';
import { formatZoned, fromWallClock, isTimeZone, toWallClock } from './zoned-time.js';

/**
 * Native rotations: a team's on-call declared in the catalog (Group `spec.oncall`) or in
 * `steward.config.yaml` (`oncall.rotations.<team>`), for teams without PagerDuty or Opsgenie and
 * as the fallback when those do not answer.
 *
 * ```yaml
 * spec:
 *   oncall:
 *     rotation:
 *       members: [ana.ruiz, ben.okafor, user:chen.li]   # User refs, in rotation order
 *       length: 1w                                       # <n>h, <n>d or <n>w
 *       handoff: { weekday: monday, time: "09:00" }      # local time in `timezone`
 *       timezone: Europe/Berlin
 *       start: 2026-01-05                                # the first handoff; members[0] starts then
 *     overrides:
 *       - { user: chen.li, from: "2026-03-27 18:00", to: "2026-03-30 09:00" }
 * ```
 *
 * Handoffs keep their wall-clock time across daylight-saving changes: a weekly Monday 09:00
 * handoff in Berlin is at 09:00 CET in winter and 09:00 CEST in summer, so the shift that spans
 * the change is an hour shorter (spring) or longer (autumn). The secondary is the member after the
 * primary in the list. Override times without an offset are in the rotation's zone; a later
 * override wins over an earlier one that overlaps it.
 */

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

const overrideSchema = z
  .object({
    user: z.string({ error: 'override needs a user (a User ref)' }).trim().min(1),
    from: z.string({ error: 'override needs from (e.g. "2026-03-27 18:00")' }).regex(DATE_TIME, 'from must look like 2026-03-27 18:00'),
    to: z.string({ error: 'override needs to (e.g. "2026-03-30 09:00")' }).regex(DATE_TIME, 'to must look like 2026-03-30 09:00'),
    level: z.number().int().min(1).max(2).default(1),
  })
  .strict();

/** The declaration as written, in the catalog or the config file. */
export const rotationDeclarationSchema = z
  .object({
    rotation: z
      .object({
        members: z.array(z.string().trim().min(1), { error: 'rotation.members must be a list of User refs' }).min(1, 'rotation.members is empty'),
        length: z
          .string({ error: 'rotation.length is missing (e.g. 1w)' })
          .trim()
          .regex(/^[1-9]\d{0,2}\s*[hdw]$/i, 'rotation.length must look like 1w, 2d or 12h'),
        handoff: z
          .object({
            weekday: z
              .string()
              .trim()
              .toLowerCase()
              .refine((d) => (WEEKDAYS as readonly string[]).includes(d), 'handoff.weekday must be a day such as monday')
              .optional(),
            time: z
              .string({ error: 'handoff.time must be a quoted "HH:MM"' })
              .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'handoff.time must be "HH:MM", e.g. "09:00"')
              .default('09:00'),
          })
          .strict()
          .default({ time: '09:00' }),
        timezone: z
          .string({ error: 'rotation.timezone is missing (e.g. Europe/Berlin)' })
          .trim()
          .refine(isTimeZone, 'rotation.timezone is not a known IANA time zone (e.g. Europe/Berlin)'),
        start: z.string({ error: 'rotation.start is missing (the first handoff date, e.g. 2026-01-05)' }).trim().regex(LOCAL_DATE, 'rotation.start must be a date such as 2026-01-05'),
        secondary: z.boolean().default(true),
      })
      .strict(),
    overrides: z.array(overrideSchema).default([]),
  })
  .strict();

export type RotationDeclaration = z.input<typeof rotationDeclarationSchema>;

export interface RotationOverride {
  readonly user: string;
  readonly from: number;
  readonly to: number;
  readonly level: number;
}

/** A declaration checked and normalised: refs canonical, times in milliseconds. */
export interface Rotation {
  /** The Group it belongs to. */
  readonly team: string;
  readonly declaredIn: 'catalog' | 'config';
  readonly members: readonly string[];
  readonly length: string;
  /** Shift length in wall-clock milliseconds. */
  readonly lengthMs: number;
  readonly timeZone: string;
  /** Wall clock of the first handoff (see zoned-time.ts). */
  readonly startWall: number;
  readonly secondary: boolean;
  readonly overrides: readonly RotationOverride[];
}

export type ParsedRotation = { readonly ok: true; readonly rotation: Rotation } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks a declaration. `namespace` is where bare member names live (the Group's namespace), as
 * Backstage defaults `spec.members`.
 */
export function parseRotation(
  raw: unknown,
  where: { readonly team: string; readonly namespace: string; readonly declaredIn: 'catalog' | 'config' },
): ParsedRotation {
  const parsed = rotationDeclarationSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => (i.path.length > 0 && !i.message.includes('.') ? `${i.path.join('.')}: ${i.message}` : i.message)) };
  }
  const { rotation: r, overrides } = parsed.data;
  const problems: string[] = [];
  const userRef = (raw: string): string | null => toEntityRef(raw, { kind: 'user', namespace: where.namespace });
  const members: string[] = [];
  for (const m of r.members) {
    const ref = userRef(m);
    if (ref) members.push(ref);
    else problems.push(`rotation.members: ${JSON.stringify(m)} is not a User ref`);
  }
  const match = /^(\d+)\s*([hdw])$/i.exec(r.length)!;
  const unit = match[2]!.toLowerCase() as keyof typeof UNIT_MS;
  const lengthMs = Number(match[1]) * UNIT_MS[unit];
  const [hh, mm] = r.handoff.time.split(':').map(Number) as [number, number];
  const [y, mo, d] = LOCAL_DATE.exec(r.start)!.slice(1).map(Number) as [number, number, number];
  const startWall = Date.UTC(y, mo - 1, d, hh, mm);
  if (new Date(startWall).getUTCDate() !== d) problems.push(`rotation.start: ${r.start} is not a date`);
  if (r.handoff.weekday !== undefined) {
    if (unit !== 'w') problems.push('handoff.weekday only applies to rotations measured in weeks (length: 1w)');
    const startDay = WEEKDAYS[new Date(startWall).getUTCDay()]!;
    if (startDay !== r.handoff.weekday) problems.push(`rotation.start ${r.start} is a ${startDay}, but handoff.weekday is ${r.handoff.weekday}`);
  }
  const normalisedOverrides: RotationOverride[] = [];
  overrides.forEach((o, i) => {
    const user = userRef(o.user);
    const from = parseDateTime(o.from, r.timezone);
    const to = parseDateTime(o.to, r.timezone);
    if (!user) problems.push(`overrides.${i}.user: ${JSON.stringify(o.user)} is not a User ref`);
    if (from === null) problems.push(`overrides.${i}.from: ${o.from} is not a date and time`);
    if (to === null) problems.push(`overrides.${i}.to: ${o.to} is not a date and time`);
    if (user && from !== null && to !== null) {
      if (to <= from) problems.push(`overrides.${i}: to (${o.to}) must be after from (${o.from})`);
      else normalisedOverrides.push({ user, from, to, level: o.level });
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    rotation: {
      team: where.team,
      declaredIn: where.declaredIn,
      members,
      length: r.length.replace(/\s+/g, '').toLowerCase(),
      lengthMs,
      timeZone: r.timezone,
      startWall,
      secondary: r.secondary,
      overrides: normalisedOverrides,
    },
  };
}

/** `2026-03-27 18:00` in `timeZone`, or with its own offset (`…T18:00+01:00`, `…Z`). */
function parseDateTime(text: string, timeZone: string): number | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(wall).getUTCDate() !== d) return null;
  const zone = m[7];
  if (zone === undefined) return fromWallClock(wall, timeZone);
  if (zone.toUpperCase() === 'Z') return wall;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Who is on call at `at`, and until when: primary and (by default) secondary. */
export function computeRotation(rotation: Rotation, at: Date, label = `${refName(rotation.team)} rotation`): OncallAnswer {
  const t = at.getTime();
  const n = rotation.members.length;
  const shiftStart = (k: number): number => fromWallClock(rotation.startWall + k * rotation.lengthMs, rotation.timeZone);
  const shiftIndex = (instant: number): number => {
    let k = Math.floor((toWallClock(instant, rotation.timeZone) - rotation.startWall) / rotation.lengthMs);
    // The wall-clock estimate can be one off around a DST change; the instants decide.
    while (instant < shiftStart(k)) k--;
    while (instant >= shiftStart(k + 1)) k++;
    return k;
  };
  const override = (level: number, instant: number): RotationOverride | undefined =>
    rotation.overrides.findLast((o) => o.level === level && o.from <= instant && instant < o.to);
  const whoAt = (level: number, instant: number): string | undefined => {
    const o = override(level, instant);
    if (o) return o.user;
    const k = shiftIndex(instant);
    if (k < 0) return undefined;
    return rotation.members[(((k + level - 1) % n) + n) % n];
  };
  const until = (level: number, who: string | undefined): Date | null => {
    const k = shiftIndex(t);
    const candidates = new Set<number>();
    // n + 1 boundaries cover every member once; a person who is the only member never hands off.
    for (let i = 1; i <= Math.min(n + 1, 12); i++) candidates.add(shiftStart(k + i));
    for (const o of rotation.overrides) {
      if (o.level !== level) continue;
      if (o.from > t) candidates.add(o.from);
      if (o.to > t) candidates.add(o.to);
    }
    for (const c of [...candidates].sort((a, b) => a - b)) if (c > t && whoAt(level, c) !== who) return new Date(c);
    return null;
  };

  const shifts: OncallShift[] = [];
  const primary = whoAt(1, t);
  if (primary === undefined) {
    const first = shiftStart(0);
    return {
      provider: 'rotation',
      label,
      shifts: [],
      timeZone: rotation.timeZone,
      note: `the rotation starts ${formatZoned(first, rotation.timeZone, at)}`,
    };
  }
  shifts.push({ level: 1, person: { name: refName(primary), ref: primary }, until: until(1, primary) });
  if (rotation.secondary && n >= 2) {
    let secondary = whoAt(2, t);
    // An override can make the primary the person who would be secondary; then the next one backs up.
    if (secondary === primary && !override(2, t) && n > 2) secondary = rotation.members[(((shiftIndex(t) + 2) % n) + n) % n];
    if (secondary !== undefined && secondary !== primary) {
      shifts.push({ level: 2, person: { name: refName(secondary), ref: secondary }, until: until(2, secondary) });
    }
  }
  return { provider: 'rotation', label, shifts, timeZone: rotation.timeZone };
}
