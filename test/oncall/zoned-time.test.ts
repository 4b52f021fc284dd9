import { describe, expect, it } from 'vitest';
import { formatZoned, formatZonedTime, fromWallClock, isTimeZone, offsetAt, toWallClock, zoneAbbreviation } from '../../src/core/oncall/index.js';

const wall = (y: number, mo: number, d: number, h = 0, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('zoned time (Intl only, independent of the process zone)', () => {
  it('knows zones by their IANA names', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Berlín')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('reads offsets on both sides of a change', () => {
    expect(offsetAt(new Date('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(offsetAt(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
    expect(offsetAt(new Date('2026-11-01T05:59:59Z'), 'America/New_York')).toBe(-4 * 3_600_000);
    expect(offsetAt(new Date('2026-11-01T06:00:00Z'), 'America/New_York')).toBe(-5 * 3_600_000);
    expect(offsetAt(new Date('2026-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  });

  it('turns a wall clock into an instant, in winter and in summer', () => {
    expect(iso(fromWallClock(wall(2026, 1, 5, 9), 'Europe/Berlin'))).toBe('2026-01-05T08:00:00.000Z');
    expect(iso(fromWallClock(wall(2026, 7, 6, 9), 'Europe/Berlin'))).toBe('2026-07-06T07:00:00.000Z');
    expect(iso(fromWallClock(wall(2026, 7, 6, 9), 'America/New_York'))).toBe('2026-07-06T13:00:00.000Z');
    expect(toWallClock(new Date('2026-07-06T13:00:00Z'), 'America/New_York')).toBe(wall(2026, 7, 6, 9));
  });

  it('moves a time in the spring-forward gap forward by the gap', () => {
    // Berlin jumps 02:00 → 03:00 on 29 March 2026; New York on 8 March 2026.
    expect(iso(fromWallClock(wall(2026, 3, 29, 2, 30), 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(iso(fromWallClock(wall(2026, 3, 8, 2, 30), 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
  });

  it('takes the first of a time that happens twice in the fall-back hour', () => {
    // Berlin repeats 02:00–03:00 on 25 October 2026; New York repeats 01:00–02:00 on 1 November 2026.
    expect(iso(fromWallClock(wall(2026, 10, 25, 2, 30), 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    expect(iso(fromWallClock(wall(2026, 11, 1, 1, 30), 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
  });

  it('names zones the way people in them do', () => {
    expect(zoneAbbreviation(new Date('2026-01-10T12:00:00Z'), 'Europe/Berlin')).toBe('CET');
    expect(zoneAbbreviation(new Date('2026-07-10T12:00:00Z'), 'Europe/Berlin')).toBe('CEST');
    expect(zoneAbbreviation(new Date('2026-01-10T12:00:00Z'), 'America/New_York')).toBe('EST');
    expect(zoneAbbreviation(new Date('2026-07-10T12:00:00Z'), 'America/New_York')).toBe('EDT');
    expect(zoneAbbreviation(new Date('2026-07-10T12:00:00Z'), 'UTC')).toBe('UTC');
    expect(zoneAbbreviation(new Date('2026-07-10T12:00:00Z'), 'Asia/Kolkata')).toBe('GMT+5:30');
  });

  it('formats "until" with the weekday, and the year only when it differs', () => {
    const now = new Date('2026-11-30T09:00:00Z');
    expect(formatZoned(new Date('2026-12-07T08:00:00Z'), 'Europe/Berlin', now)).toBe('Mon 7 Dec 09:00 CET');
    expect(formatZoned(new Date('2027-01-04T14:00:00Z'), 'America/New_York', now)).toBe('Mon 4 Jan 2027 09:00 EST');
    expect(formatZonedTime(new Date('2026-11-30T09:05:00Z'), 'Europe/Berlin')).toBe('10:05 CET');
  });
});
