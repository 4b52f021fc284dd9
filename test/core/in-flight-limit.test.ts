import { describe, expect, it } from 'vitest';
import type { Asker, Invocation, Outcome } from '../../src/core/commands/index.js';
import { BUSY_TEXT, createAnswerSession, createInFlightLimit } from '../../src/core/commands/index.js';
import { reply } from '../../src/core/message/index.js';
import { memoryLogger } from '../support/memory-logger.js';

/**
 * Back-pressure: past the limit on commands in flight, the asker hears "busy, try again" at once,
 * never silence; below it nobody does. The router here holds each command until released, as a
 * slow provider would.
 */
const ask = (user: string, text: string): Invocation => ({ platform: 'slack', actor: { id: user }, text, receivedAt: new Date(0) });

function bot(limits: { global: number; perUser: number }) {
  const { logger, logs } = memoryLogger();
  const held: Array<() => void> = [];
  const heard: Array<{ user: string; text: string }> = [];
  const limit = createInFlightLimit(limits);
  const session = createAnswerSession({
    platform: 'slack',
    logger,
    limit,
    router: {
      dispatch: (i): Promise<Outcome> =>
        new Promise((resolve) => held.push(() => resolve({ reply: reply(`answer to ${i.text}`), command: 'x', outcome: 'ok' }))),
    },
  });
  const to = (user: string): Asker => ({
    answer: async (r) => void heard.push({ user, text: r.fallback }),
    say: async (line) => void heard.push({ user, text: line }),
  });
  const say = (user: string, text: string) => session.answer({ invocation: async () => ask(user, text), to: to(user), fields: { user } });
  // A few turns of the event loop: commands wait for their turn before they run (take-turn.ts).
  const turn = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return { say, held, heard, logs, limit, turn, idle: () => session.idle() };
}

describe('commands in flight', () => {
  it('tells the one person past their own limit they are busy, and still answers everyone else', async () => {
    const b = bot({ global: 10, perUser: 2 });
    const answers = [b.say('U1', 'one'), b.say('U1', 'two'), b.say('U1', 'three'), b.say('U2', 'other')];
    await b.turn();
    expect(b.heard).toEqual([{ user: 'U1', text: BUSY_TEXT }]);
    expect(b.limit.inFlight).toBe(3);
    for (const release of b.held) release();
    await Promise.all(answers);
    expect(b.heard.map((h) => h.text)).toEqual([BUSY_TEXT, 'answer to one', 'answer to two', 'answer to other']);
    expect(b.logs.find((l) => l.message === 'slack command refused: busy')?.fields).toMatchObject({ user: 'U1', inFlight: 3 });
    // Everything answered: nothing is counted any more, and the same person may ask again.
    expect(b.limit.inFlight).toBe(0);
    const again = b.say('U1', 'four');
    await b.turn();
    b.held.at(-1)!();
    await again;
    expect(b.heard.at(-1)).toEqual({ user: 'U1', text: 'answer to four' });
  });

  it('past the global limit, says busy to whoever asks next', async () => {
    const b = bot({ global: 2, perUser: 5 });
    const answers = [b.say('U1', 'a'), b.say('U2', 'b'), b.say('U3', 'c')];
    await b.turn();
    expect(b.heard).toEqual([{ user: 'U3', text: BUSY_TEXT }]);
    for (const release of b.held) release();
    await Promise.all(answers);
    expect(b.heard).toHaveLength(3);
  });

  it('at an incident pace (fifty people, each waiting for their answer before asking again), nobody is told busy', async () => {
    const b = bot({ global: 100, perUser: 5 });
    for (let round = 0; round < 3; round++) {
      const answers = Array.from({ length: 50 }, (_, u) => b.say(`U${u}`, `round ${round}`));
      await b.turn();
      for (const release of b.held.splice(0)) release();
      await Promise.all(answers);
    }
    expect(b.heard.filter((h) => h.text === BUSY_TEXT)).toEqual([]);
    expect(b.heard).toHaveLength(150);
  });
});
