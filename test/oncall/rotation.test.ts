import { describe, expect, it } from 'vitest';
import type { Rotation, RotationDeclaration } from '../../src/core/oncall/index.js';
import { computeRotation, parseRotation } from '../../src/core/oncall/index.js';

const where = { team: 'group:default/team-x', namespace: 'default', declaredIn: 'catalog' as const };

function rotation(declaration: RotationDeclaration): Rotation {
  const parsed = parseRotation(declaration, where);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.rotation;
}

/** Who is primary (and secondary) at an instant, and until when, as ISO strings. */
function at(r: Rotation, instant: string): { primary?: string; until?: string | null; secondary?: string; secondaryUntil?: string | null } {
  const { shifts } = computeRotation(r, new Date(instant));
  const p = shifts.find((s) => s.level === 1);
  const s = shifts.find((x) => x.level === 2);
  return {
    ...(p ? { primary: p.person.name, until: p.until?.toISOString() ?? null } : {}),
    ...(s ? { secondary: s.person.name, secondaryUntil: s.until?.toISOString() ?? null } : {}),
  };
}

const berlinWeekly = rotation({
  rotation: {
    members: ['ana', 'ben', 'chen'],
    length: '1w',
    handoff: { weekday: 'monday', time: '09:00' },
    timezone: 'Europe/Berlin',
    start: '2026-01-05',
  },
});

describe('native rotations: weekly handoffs in Berlin', () => {
  it('starts with the first member at the first handoff, then takes turns', () => {
    expect(at(berlinWeekly, '2026-01-05T08:00:00Z')).toEqual({
      primary: 'ana',
      until: '2026-01-12T08:00:00.000Z',
      secondary: 'ben',
      secondaryUntil: '2026-01-12T08:00:00.000Z',
    });
    expect(at(berlinWeekly, '2026-01-12T08:00:00Z').primary).toBe('ben');
    expect(at(berlinWeekly, '2026-01-19T08:00:00Z').primary).toBe('chen');
    expect(at(berlinWeekly, '2026-01-26T08:00:00Z').primary).toBe('ana');
  });

  it('hands off at 09:00 local on the Monday after spring-forward (a 167-hour shift)', () => {
    // Week 11 (Mon 23 Mar 09:00 CET = 08:00Z) is chen's; week 12 starts Mon 30 Mar 09:00 CEST = 07:00Z.
    expect(at(berlinWeekly, '2026-03-23T08:00:00Z')).toMatchObject({ primary: 'chen', until: '2026-03-30T07:00:00.000Z' });
    expect(at(berlinWeekly, '2026-03-30T06:59:59Z')).toMatchObject({ primary: 'chen', until: '2026-03-30T07:00:00.000Z' });
    expect(at(berlinWeekly, '2026-03-30T07:00:00Z')).toMatchObject({ primary: 'ana', until: '2026-04-06T07:00:00.000Z' });
  });

  it('hands off at 09:00 local on the Monday after fall-back (a 169-hour shift)', () => {
    // Mon 19 Oct 09:00 CEST = 07:00Z; Mon 26 Oct 09:00 CET = 08:00Z.
    expect(at(berlinWeekly, '2026-10-19T07:00:00Z')).toMatchObject({ primary: 'chen', until: '2026-10-26T08:00:00.000Z' });
    expect(at(berlinWeekly, '2026-10-26T07:30:00Z')).toMatchObject({ primary: 'chen', until: '2026-10-26T08:00:00.000Z' });
    expect(at(berlinWeekly, '2026-10-26T08:00:00Z')).toMatchObject({ primary: 'ana', until: '2026-11-02T08:00:00.000Z' });
  });

  it('has nobody on call before the first handoff, and says when it starts', () => {
    const answer = computeRotation(berlinWeekly, new Date('2026-01-05T07:59:59Z'));
    expect(answer.shifts).toEqual([]);
    expect(answer.note).toBe('the rotation starts Mon 5 Jan 09:00 CET');
  });
});

describe('native rotations: handoffs inside the DST gap and overlap', () => {
  const berlinNightly = rotation({
    rotation: { members: ['ana', 'ben'], length: '1d', handoff: { time: '02:30' }, timezone: 'Europe/Berlin', start: '2026-03-01' },
  });

  it('moves a 02:30 handoff that does not exist (Berlin, 29 March) to 03:30 CEST', () => {
    expect(at(berlinNightly, '2026-03-29T01:29:59Z')).toMatchObject({ until: '2026-03-29T01:30:00.000Z' });
    const before = at(berlinNightly, '2026-03-29T01:29:59Z').primary;
    const after = at(berlinNightly, '2026-03-29T01:30:00Z');
    expect(after.primary).not.toBe(before);
    expect(after.until).toBe('2026-03-30T00:30:00.000Z'); // 02:30 CEST the next night
  });

  it('hands off at the first 02:30 when it happens twice (Berlin, 25 October)', () => {
    expect(at(berlinNightly, '2026-10-25T00:29:59Z').until).toBe('2026-10-25T00:30:00.000Z');
    expect(at(berlinNightly, '2026-10-25T01:15:00Z').until).toBe('2026-10-26T01:30:00.000Z'); // 02:30 CET
  });

  const newYorkTwiceDaily = rotation({
    rotation: { members: ['frank', 'gina'], length: '12h', handoff: { time: '08:00' }, timezone: 'America/New_York', start: '2026-03-01' },
    overrides: [],
  });

  it('keeps 08:00 and 20:00 handoffs in New York across spring-forward (an 11-hour night)', () => {
    // Sat 7 Mar 20:00 EST = 01:00Z Sun; Sun 8 Mar 08:00 EDT = 12:00Z; Sun 20:00 EDT = 00:00Z Mon.
    const night = at(newYorkTwiceDaily, '2026-03-08T06:00:00Z');
    expect(night.until).toBe('2026-03-08T12:00:00.000Z');
    const day = at(newYorkTwiceDaily, '2026-03-08T12:00:00Z');
    expect(day.primary).not.toBe(night.primary);
    expect(day.until).toBe('2026-03-09T00:00:00.000Z');
  });

  it('keeps them across fall-back (a 13-hour night)', () => {
    // Sat 31 Oct 20:00 EDT = 00:00Z Sun 1 Nov; Sun 08:00 EST = 13:00Z.
    expect(at(newYorkTwiceDaily, '2026-11-01T05:30:00Z').until).toBe('2026-11-01T13:00:00.000Z');
    expect(at(newYorkTwiceDaily, '2026-11-01T13:00:00Z').until).toBe('2026-11-02T01:00:00.000Z');
  });

  const newYorkWeeklySunday = rotation({
    rotation: { members: ['frank', 'gina'], length: '1w', handoff: { weekday: 'sunday', time: '01:30' }, timezone: 'America/New_York', start: '2026-01-04' },
  });

  it('hands off a weekly Sunday 01:30 once, at 01:30 EDT, on the fall-back Sunday', () => {
    expect(at(newYorkWeeklySunday, '2026-11-01T05:29:59Z').until).toBe('2026-11-01T05:30:00.000Z');
    // 06:30Z is 01:30 EST, the second 01:30: no second handoff.
    expect(at(newYorkWeeklySunday, '2026-11-01T06:30:00Z').until).toBe('2026-11-08T06:30:00.000Z');
  });
});

describe('native rotations: overrides', () => {
  const r = rotation({
    rotation: { members: ['ana', 'ben', 'chen'], length: '1w', handoff: { weekday: 'monday', time: '09:00' }, timezone: 'Europe/Berlin', start: '2026-01-05' },
    overrides: [
      { user: 'dana', from: '2026-03-27 18:00', to: '2026-03-30 09:00' }, // across spring-forward, local times
      { user: 'eve', from: '2026-03-28T10:00:00Z', to: '2026-03-28T12:00:00Z' }, // later, overlapping: wins
      { user: 'user:default/fay', from: '2026-02-03T09:00:00+01:00', to: '2026-02-04T09:00:00+01:00', level: 2 },
    ],
  });

  it("ends a primary's shift early at an override's start", () => {
    expect(at(r, '2026-03-27T12:00:00Z')).toMatchObject({ primary: 'chen', until: '2026-03-27T17:00:00.000Z' });
  });

  it('puts the override on call until it ends, local times read in the rotation zone', () => {
    expect(at(r, '2026-03-27T17:00:00Z')).toMatchObject({ primary: 'dana', until: '2026-03-28T10:00:00.000Z' });
    // The override ends Monday 09:00 CEST (07:00Z), which is also ana's regular handoff.
    expect(at(r, '2026-03-29T12:00:00Z')).toMatchObject({ primary: 'dana', until: '2026-03-30T07:00:00.000Z' });
    expect(at(r, '2026-03-30T07:00:00Z')).toMatchObject({ primary: 'ana' });
  });

  it('lets a later override win where two overlap', () => {
    expect(at(r, '2026-03-28T11:00:00Z')).toMatchObject({ primary: 'eve', until: '2026-03-28T12:00:00.000Z' });
    expect(at(r, '2026-03-28T12:00:00Z')).toMatchObject({ primary: 'dana', until: '2026-03-30T07:00:00.000Z' });
  });

  it('overrides the secondary when it says level 2', () => {
    // Week 4 is ben's; chen would back him up.
    expect(at(r, '2026-02-03T12:00:00Z')).toMatchObject({ primary: 'ben', secondary: 'fay', secondaryUntil: '2026-02-04T08:00:00.000Z' });
    expect(at(r, '2026-02-04T08:00:00Z')).toMatchObject({ primary: 'ben', secondary: 'chen' });
  });

  it('lists people as catalog User refs, so the answer can mention them', () => {
    const answer = computeRotation(r, new Date('2026-03-28T11:00:00Z'));
    expect(answer.shifts[0]!.person).toEqual({ name: 'eve', ref: 'user:default/eve' });
    expect(answer.provider).toBe('rotation');
    expect(answer.label).toBe('team-x rotation');
  });

  it('never hands a one-person rotation off', () => {
    const solo = rotation({ rotation: { members: ['ana'], length: '1d', timezone: 'UTC', start: '2026-01-01' } });
    expect(at(solo, '2026-05-05T05:05:00Z')).toEqual({ primary: 'ana', until: null });
  });
});

describe('native rotations: declarations are checked', () => {
  const problems = (declaration: unknown): readonly string[] => {
    const parsed = parseRotation(declaration, where);
    return parsed.ok ? [] : parsed.problems;
  };
  const good = { members: ['ana'], length: '1w', handoff: { weekday: 'monday', time: '09:00' }, timezone: 'Europe/Berlin', start: '2026-01-05' };

  it('accepts a good one with defaults (09:00, secondary on, no overrides)', () => {
    expect(problems({ rotation: { members: ['ana', 'ben'], length: '2d', timezone: 'UTC', start: '2026-01-01' } })).toEqual([]);
  });

  it('names every problem', () => {
    expect(problems({ rotation: { ...good, timezone: 'Europe/Berlín' } })).toEqual([
      'rotation.timezone is not a known IANA time zone (e.g. Europe/Berlin)',
    ]);
    expect(problems({ rotation: { ...good, length: 'weekly' } })).toEqual(['rotation.length must look like 1w, 2d or 12h']);
    expect(problems({ rotation: { ...good, handoff: { weekday: 'friday', time: '09:00' } } })).toEqual([
      'rotation.start 2026-01-05 is a monday, but handoff.weekday is friday',
    ]);
    expect(problems({ rotation: { ...good, handoff: { time: '9am' } } })).toEqual(['handoff.time must be "HH:MM", e.g. "09:00"']);
    expect(problems({ rotation: { ...good, members: [] } })).toEqual(['rotation.members is empty']);
    expect(problems({ rotation: { ...good, timeZone: 'UTC' } })[0]).toMatch(/timeZone/);
    expect(problems({ rotation: good, overrides: [{ user: 'ben', from: '2026-02-02 10:00', to: '2026-02-02 09:00' }] })).toEqual([
      'overrides.0: to (2026-02-02 09:00) must be after from (2026-02-02 10:00)',
    ]);
    expect(problems({ rotation: { ...good, length: '1d' } })).toEqual(['handoff.weekday only applies to rotations measured in weeks (length: 1w)']);
    expect(problems({ rotation: { ...good, start: '2026-02-30' } })[0]).toMatch(/2026-02-30 is not a date|is a/);
  });
});
