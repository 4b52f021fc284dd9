/**
 * A decision to stop counting one check for one service until a date, with the reason shown in
 * every answer. It ends by itself: from the day after `until` (UTC) the check counts again.
 */
export interface Exemption {
  readonly id: number;
  readonly entityRef: string;
  readonly scorecardId: string;
  readonly checkId: string;
  readonly reason: string;
  /** The last day the exemption holds, `YYYY-MM-DD` (UTC). */
  readonly until: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The first instant the exemption no longer holds: midnight UTC after its last day. */
export function exemptionEnd(until: string): Date {
  const m = DATE.exec(until);
  if (!m) return new Date(Number.NaN);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
}

export const isExemptionActive = (exemption: Exemption, now: Date): boolean => now.getTime() < exemptionEnd(exemption.until).getTime();

/** A `YYYY-MM-DD` that is a real calendar date, or undefined. */
export function parseDay(text: string): string | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text.trim() ? text.trim() : undefined;
}
