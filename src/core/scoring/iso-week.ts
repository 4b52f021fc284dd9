/**
 * ISO 8601 weeks in UTC (`2026-W48`), computed by hand because date-fns reads the process's local
 * time zone and a week boundary must not move with the server's TZ setting.
 */
const WEEK = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

/** Monday 00:00 UTC of ISO week 1 of `year`: the week that holds 4 January. */
function weekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * DAY_MS;
}

/** The ISO week a moment falls in, e.g. `2026-W49`. */
export function isoWeek(at: Date): string {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const thursday = day + (3 - ((new Date(day).getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - weekOneMonday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday 00:00 UTC of an ISO week, or undefined when `week` is not one (`2026-W53` does not exist). */
export function isoWeekStart(week: string): Date | undefined {
  const m = WEEK.exec(week.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1) return undefined;
  const start = new Date(weekOneMonday(year) + (n - 1) * 7 * DAY_MS);
  return isoWeek(start) === `${year}-W${m[2]}` ? start : undefined;
}

/** The first instant after an ISO week: where "as of the end of week W" reads history. */
export function isoWeekEnd(week: string): Date | undefined {
  const start = isoWeekStart(week);
  return start ? new Date(start.getTime() + 7 * DAY_MS) : undefined;
}
