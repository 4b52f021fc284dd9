import { describe, expect, it } from 'vitest';
import type { Asker, Invocation, Outcome } from '../../src/core/commands/index.js';
import { createAnswerSession } from '../../src/core/commands/index.js';
import type { Reply } from '../../src/core/message/index.js';
import { reply, toPlainText } from '../../src/core/message/index.js';
import { memoryLogger } from '../support/memory-logger.js';

/** The answer session both chat adapters use, with a stub router and a recording asker. */
const invocation = (text: string): Invocation => ({ platform: 'slack', actor: { id: 'U1', name: 'Ana' }, text, receivedAt: new Date(0) });

function setup(dispatch: (i: Invocation) => Promise<Outcome>) {
  const { logger, logs } = memoryLogger();
  const heard: Array<{ reply?: Reply; share?: string | undefined; line?: string }> = [];
  const to: Asker = {
    answer: async (r, share) => void heard.push({ reply: r, share }),
    say: async (line) => void heard.push({ line }),
  };
  let refs = 0;
  const session = createAnswerSession({ platform: 'slack', router: { dispatch }, logger, referenceId: () => `ref${++refs}`, budgetMs: 20 });
  return { session, logs, heard, to };
}

describe('answer session', () => {
  it('answers an ok private reply with the command text to share, and logs one line with the outcome', async () => {
    const { session, logs, heard, to } = setup(async () => ({ reply: reply('hello'), command: 'echo', outcome: 'ok' }));
    await session.answer({ invocation: async () => invocation('echo hello'), to, fields: { user: 'U1' } });
    expect(heard).toEqual([{ reply: reply('hello'), share: 'echo hello' }]);
    expect(logs.find((l) => l.message === 'slack command answered')?.fields).toMatchObject({ user: 'U1', command: 'echo', outcome: 'ok' });
  });

  it('offers no sharing for errors, channel answers, or when the request says so', async () => {
    const { session, heard, to } = setup(async (i) =>
      i.text === 'bad' ? { reply: reply('no'), command: 'x', outcome: 'user_error' } : { reply: reply('all', [], 'channel'), command: 'x', outcome: 'ok' },
    );
    await session.answer({ invocation: async () => invocation('bad'), to, fields: {} });
    await session.answer({ invocation: async () => invocation('all'), to, fields: {} });
    const s = setup(async () => ({ reply: reply('hi'), command: 'x', outcome: 'ok' }));
    await s.session.answer({ invocation: async () => invocation('x'), to: s.to, fields: {}, shareable: false });
    expect(heard.map((h) => h.share)).toEqual([undefined, undefined]);
    expect(s.heard.map((h) => h.share)).toEqual([undefined]);
  });

  it('turns any failure into one apology with a reference, logged with the same reference', async () => {
    const { session, logs, heard, to } = setup(async () => {
      throw new Error('disk on fire');
    });
    await session.answer({ invocation: async () => invocation('x'), to, fields: { user: 'U1' } });
    expect(heard).toEqual([{ line: 'Something went wrong on my side (ref ref1). The team running Steward can look it up by that reference.' }]);
    expect(logs.find((l) => l.level === 'error')).toMatchObject({ message: 'slack answer failed', fields: { user: 'U1', ref: 'ref1', err: 'Error: disk on fire' } });
  });

  it('shares an ok answer in the channel with who shared it, and an error only with the clicker', async () => {
    const { session, heard, to } = setup(async (i) =>
      i.text === 'gone' ? { reply: reply('no such thing'), command: 'x', outcome: 'user_error' } : { reply: reply('the answer'), command: 'x', outcome: 'ok' },
    );
    const posted: Reply[] = [];
    const share = { to, fields: {}, sharer: () => 'Ana', quote: (t: string) => `/service ${t}`, post: async (r: Reply) => void posted.push(r) };
    await session.share({ ...share, invocation: async () => invocation('who-owns x') });
    await session.share({ ...share, invocation: async () => invocation('gone') });
    expect(posted.map((r) => [r.visibility, toPlainText(r)])).toEqual([['channel', 'the answer\nShared by Ana · /service who-owns x']]);
    expect(heard.map((h) => h.reply && toPlainText(h.reply))).toEqual(['no such thing']);
  });

  it('gives up on a slow platform lookup after the budget, and knows what is in flight', async () => {
    const { session } = setup(async () => ({ reply: reply('x'), command: 'x', outcome: 'ok' }));
    expect(await session.within(new Promise<string>(() => {}), 'fallback')).toBe('fallback');
    expect(await session.within(Promise.resolve('fast'), 'fallback')).toBe('fast');
    let done = false;
    void session.track(new Promise<void>((resolve) => setTimeout(() => resolve(), 10)).then(() => void (done = true)));
    await session.idle();
    expect(done).toBe(true);
  });
});
