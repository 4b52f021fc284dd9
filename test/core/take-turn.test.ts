import { describe, expect, it } from 'vitest';
import { createTurns } from '../../src/core/commands/take-turn.js';

/** Synchronous work, as a command's SQLite reads are. */
const busyFor = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('commands take turns with the event loop', () => {
  it('lets waiting I/O in between slices of a burst of commands, never only after the whole burst', async () => {
    const turn = createTurns({ sliceMs: 5 });
    const events: string[] = [];
    const command = async (i: number): Promise<void> => {
      await turn();
      busyFor(2);
      events.push(`c${i}`);
      // Something the loop has to read meanwhile (a request arriving): due at once.
      if (i === 0) setTimeout(() => events.push('io'), 0);
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => command(i)));
    const io = events.indexOf('io');
    expect(io).toBeGreaterThan(0);
    expect(io).toBeLessThan(events.length - 4);
    // First come, first served.
    expect(events.filter((e) => e !== 'io')).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}`));
  });

  it('runs a command at once when nothing else waits', async () => {
    const turn = createTurns();
    let ran = false;
    const one = turn().then(() => (ran = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toBe(true);
    await one;
  });
});
