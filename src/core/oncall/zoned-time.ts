/**
 * Wall-clock time in a named IANA time zone, from `Intl.DateTimeFormat` alone (Node 20 ships full
 * ICU). date-fns computes in the process's own zone, and `@date-fns/tz` is not a dependency, so
 * rotations do their arithmetic on "wall-clock milliseconds" (the local date and time read as if
 * it were UTC) and convert at the edges with these helpers. Pure: no clock, no process.env.
 *
 * ```ts
 * fromWallClock(Date.UTC(2026, 2, 30, 9, 0), 'Europe/Berlin'); // 2026-03-30T07:00:00Z (CEST)
 * formatZoned(new Date('2026-12-07T08:00:00Z'), 'Europe/Berlin'); // 'Mon 7 Dec 09:00 CET'
 * ```
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    // h23, not hour12:false: some ICU versions print midnight as "24" with the latter.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** Whether `Intl` knows the zone, e.g. `Europe/Berlin` (true) or `Europe/Berlín` (false). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const MINUTE = 60_000;
const CACHE_LIMIT = 20_000;
// Offsets by zone and UTC minute. Zones change offset on whole minutes, so one lookup per minute
// is exact; rotations and answers ask about the same few handoff instants over and over, and
// formatToParts costs tens of microseconds.
const offsets = new Map<string, number>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** The zone's offset from UTC at `instant`, in milliseconds (CEST: +7,200,000). */
export function offsetAt(instant: Date | number, timeZone: string): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const minute = Math.floor(ms / MINUTE);
  const key = `${timeZone}|${minute}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const whole = minute * MINUTE;
  const parts = partsFormatter(timeZone).formatToParts(whole);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return remember(offsets, key, wall - whole);
}

/** The wall clock of `instant` in `timeZone`, as milliseconds of a UTC date with the same fields. */
export function toWallClock(instant: Date | number, timeZone: string): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return ms + offsetAt(ms, timeZone);
}

/**
 * The instant at which the wall clock in `timeZone` reads `wallClock`. Like Temporal's
 * `disambiguation: 'compatible'`: a time that happens twice (the fall-back hour) means the first
 * one; a time that never happens (the spring-forward gap) is moved forward by the gap, so a
 * 02:30 handoff on the night New York springs forward happens at 03:30 EDT.
 */
export function fromWallClock(wallClock: number, timeZone: string): number {
  // Two offsets a day apart bracket any transition: zones change at most once a day.
  const before = offsetAt(wallClock - DAY, timeZone);
  const after = offsetAt(wallClock + DAY, timeZone);
  const early = wallClock - before;
  if (before === after) return early;
  const late = wallClock - after;
  const earlyValid = toWallClock(early, timeZone) === wallClock;
  const lateValid = toWallClock(late, timeZone) === wallClock;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  // In the gap: read the wall clock with the offset from before the change, i.e. move forward.
  return early;
}

const displayFormatters = new Map<string, Intl.DateTimeFormat>();

function displayFormatter(timeZone: string, locale: string, zoneOnly: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${locale}|${zoneOnly}`;
  let f = displayFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      locale,
      zoneOnly
        ? { timeZone, timeZoneName: 'short' }
        : { timeZone, hourCycle: 'h23', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
    );
    displayFormatters.set(key, f);
  }
  return f;
}

/** The zone's short name at `instant`: `CET`, `EDT`, `UTC`; `GMT+5:30` where none is in use. */
export function zoneAbbreviation(instant: Date | number, timeZone: string): string {
  const pick = (locale: string): string =>
    displayFormatter(timeZone, locale, true)
      .formatToParts(instant)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  // en-US names American zones (EST) but not European ones (GMT+1); en-GB the other way round.
  const us = pick('en-US');
  if (!/^GMT[+-]/.test(us)) return us;
  const gb = pick('en-GB');
  return /^GMT[+-]/.test(gb) ? us : gb;
}

/**
 * `Mon 7 Dec 09:00 CET`, as a person in that zone reads it; the year is added when it is not the
 * year of `now`, so "until" a date next January is not misread.
 */
const formatted = new Map<string, string>();

export function formatZoned(instant: Date | number, timeZone: string, now?: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const nowYear = now === undefined ? '' : new Date(toWallClock(now, timeZone)).getUTCFullYear();
  const key = `${timeZone}|${ms}|${nowYear}`;
  const known = formatted.get(key);
  if (known !== undefined) return known;
  const parts = displayFormatter(timeZone, 'en-GB', false).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const year = get('year');
  const sameYear = nowYear === '' || nowYear === Number(year);
  const text = `${get('weekday')} ${get('day')} ${get('month')}${sameYear ? '' : ` ${year}`} ${get('hour')}:${get('minute')} ${zoneAbbreviation(ms, timeZone)}`;
  return remember(formatted, key, text);
}

/** `09:42 CET`: a time on the same day, for "as of" lines. */
export function formatZonedTime(instant: Date | number, timeZone: string): string {
  const wall = new Date(toWallClock(instant, timeZone));
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())} ${zoneAbbreviation(instant, timeZone)}`;
}
