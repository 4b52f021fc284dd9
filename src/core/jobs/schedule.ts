import { fromWallClock, toWallClock } from '../oncall/index.js';
import type { Schedule, Weekday } from './outreach-config.js';
import { WEEKDAYS } from './outreach-config.js';

const DAY = 86_400_000;

/** One scheduled run: when it was due, and the period it stands for (`2026-11-30T09:00`, the wall clock). */
export interface Occurrence {
  readonly at: Date;
  readonly period: string;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The five-field cron expression node-cron runs, e.g. `0 9 * * 1` for Mondays at 09:00. */
export function cronExpression(schedule: Schedule): string {
  const days = [...new Set(schedule.days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
  return `${Number(schedule.at.slice(3, 5))} ${Number(schedule.at.slice(0, 2))} * * ${days.join(',')}`;
}

/** The weekday of a wall-clock instant in a zone. */
export function weekdayIn(instant: Date, timeZone: string): Weekday {
  return WEEKDAYS[new Date(toWallClock(instant, timeZone)).getUTCDay()]!;
}

/** Minutes since local midnight in a zone. */
export function minuteOfDayIn(instant: Date, timeZone: string): number {
  const wall = new Date(toWallClock(instant, timeZone));
  return wall.getUTCHours() * 60 + wall.getUTCMinutes();
}

/**
 * The latest occurrence of the schedule at or before `now`, in `timeZone`: what should have run
 * last. On start, the scheduler runs it if no process has claimed its period (the catch-up). Pure;
 * the wall-clock arithmetic goes through the zone helpers so a DST change moves nothing.
 */
export function lastOccurrence(schedule: Schedule, now: Date, timeZone: string): Occurrence | undefined {
  const wallNow = toWallClock(now, timeZone);
  const midnight = Math.floor(wallNow / DAY) * DAY;
  const minute = minutesOf(schedule.at);
  for (let back = 0; back <= 7; back++) {
    const day = midnight - back * DAY;
    if (!schedule.days.includes(WEEKDAYS[new Date(day).getUTCDay()]!)) continue;
    const wall = day + minute * 60_000;
    const at = fromWallClock(wall, timeZone);
    if (at > now.getTime()) continue;
    return { at: new Date(at), period: new Date(wall).toISOString().slice(0, 16) };
  }
  return undefined;
}

/** Whether `instant` falls in the quiet hours (`from` after `to` spans midnight: 18:00–09:00). */
export function inQuietHours(quiet: { readonly from: string; readonly to: string } | undefined, instant: Date, timeZone: string): boolean {
  if (!quiet) return false;
  const m = minuteOfDayIn(instant, timeZone);
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return false;
  return from < to ? m >= from && m < to : m >= from || m < to;
}
