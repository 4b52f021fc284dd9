import { describe, expect, it } from 'vitest';
import { cronExpression, inQuietHours, lastOccurrence, weekIn } from '../../src/core/jobs/index.js';

describe('schedules in the configured zone', () => {
  const monday9 = { days: ['mon' as const], at: '09:00' };

  it('turns a schedule into the cron expression node-cron runs', () => {
    expect(cronExpression(monday9)).toBe('0 9 * * 1');
    expect(cronExpression({ days: ['fri', 'mon', 'wed'], at: '10:30' })).toBe('30 10 * * 1,3,5');
  });

  it('finds the last due run across a week boundary: Sunday night still belongs to last Monday', () => {
    // Sunday 6 Dec 2026 23:30 in Berlin (CET) → the run of Monday 30 Nov 09:00.
    expect(lastOccurrence(monday9, new Date('2026-12-06T22:30:00Z'), 'Europe/Berlin')).toEqual({
      at: new Date('2026-11-30T08:00:00Z'),
      period: '2026-11-30T09:00',
    });
    // Monday 7 Dec 08:59 Berlin: not yet; 09:00: this week's.
    expect(lastOccurrence(monday9, new Date('2026-12-07T07:59:00Z'), 'Europe/Berlin')?.period).toBe('2026-11-30T09:00');
    expect(lastOccurrence(monday9, new Date('2026-12-07T08:00:00Z'), 'Europe/Berlin')?.period).toBe('2026-12-07T09:00');
  });

  it('keeps 09:00 local across a DST change (Berlin springs forward on 29 March 2026)', () => {
    const before = lastOccurrence(monday9, new Date('2026-03-25T12:00:00Z'), 'Europe/Berlin');
    const after = lastOccurrence(monday9, new Date('2026-04-01T12:00:00Z'), 'Europe/Berlin');
    expect(before?.at.toISOString()).toBe('2026-03-23T08:00:00.000Z'); // CET, UTC+1
    expect(after?.at.toISOString()).toBe('2026-03-30T07:00:00.000Z'); // CEST, UTC+2
    expect(after?.period).toBe('2026-03-30T09:00');
  });

  it('reads the ISO week as the calendar in the zone does', () => {
    // Sunday 23:30 UTC is already Monday in Berlin: the new week.
    expect(weekIn(new Date('2026-12-06T23:30:00Z'), 'UTC')).toBe('2026-W49');
    expect(weekIn(new Date('2026-12-06T23:30:00Z'), 'Europe/Berlin')).toBe('2026-W50');
    expect(weekIn(new Date('2026-12-28T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(weekIn(new Date('2027-01-04T12:00:00Z'), 'UTC')).toBe('2027-W01');
  });

  it('spans midnight with quiet hours from 18:00 to 09:00', () => {
    const quiet = { from: '18:00', to: '09:00' };
    expect(inQuietHours(quiet, new Date('2026-11-30T09:00:00Z'), 'Europe/Berlin')).toBe(false); // 10:00
    expect(inQuietHours(quiet, new Date('2026-11-30T09:00:00Z'), 'Asia/Tokyo')).toBe(true); // 18:00
    expect(inQuietHours(quiet, new Date('2026-11-30T07:30:00Z'), 'Europe/Berlin')).toBe(true); // 08:30
    expect(inQuietHours(undefined, new Date('2026-11-30T23:00:00Z'), 'UTC')).toBe(false);
  });
});
