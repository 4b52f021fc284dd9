import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { readPlainWords, withPlainWords } from '../../src/core/commands/index.js';
import { toPlainText } from '../../src/core/message/index.js';
import type { TestBot } from '../support/test-bot.js';
import { createTestBot, FIXED_NOW } from '../support/test-bot.js';

/**
 * What people type in a thread or a direct message, and the command Steward runs for it. The
 * grammar is a table; so is this test.
 */
const names = new Set(commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]));
const read = (line: string) => readPlainWords(line, (w) => names.has(w));

describe('plain words become commands', () => {
  it.each([
    ['who owns ledger-api?', 'who-owns ledger-api'],
    ['Who owns ledger-api', 'who-owns ledger-api'],
    ['WHO OWNS LEDGER-API??', 'who-owns ledger-api'],
    ['who owns the ledger-api service?', 'who-owns ledger-api'],
    ['please, who owns ledger-api?', 'who-owns ledger-api'],
    ['who owns ledger-api please', 'who-owns ledger-api'],
    ['<@U0STEWARD> who owns ledger-api?', 'who-owns ledger-api'],
    ['<@U0STEWARD|steward>: who owns ledger-api?', 'who-owns ledger-api'],
    ['hey, can you tell me who owns ledger-api?', 'who-owns ledger-api'],
    ['who is the owner of ledger-api', 'who-owns ledger-api'],
    ["who's on call for payments?", 'oncall payments'],
    ['who’s on call for payments?', 'oncall payments'],
    ['Whos oncall for the payments team', 'oncall payments'],
    ['who is on-call for payments right now?', 'oncall payments'],
    ['on call for payments-api', 'oncall payments-api'],
    ['who do I page for checkout?', 'oncall checkout'],
    ['is checkout healthy?', 'health checkout'],
    ['Is the checkout service healthy?', 'health checkout'],
    ['is payments api ok?', 'health "payments api"'],
    ['how healthy is checkout-web', 'health checkout-web'],
    ['what does billing own?', 'team billing'],
    ['What does the billing team own', 'team billing'],
    ["what's owned by payments?", 'team payments'],
    ['what do I own?', 'mine'],
    ['tell me about ledger-api', 'info ledger-api'],
    ["what's ledger-api?", 'info ledger-api'],
    ['look for ledger', 'search ledger'],
    ['find ledger', 'search ledger'],
  ])('%s → %s', (line, command) => {
    expect(read(line)).toEqual({ kind: 'command', text: command });
  });

  it.each([
    ['who-owns payments-api', 'who-owns payments-api'],
    ['/service who-owns payments-api', 'who-owns payments-api'],
    ['<@U0STEWARD> health payments-api security-posture', 'health payments-api security-posture'],
    ['help', 'help'],
    ['oncall payments', 'oncall payments'],
  ])('a line that already is a command stays that command: %s', (line, command) => {
    expect(read(line)).toEqual({ kind: 'command', text: command });
  });

  it.each(['', '<@U0STEWARD>', 'thanks!', 'the build is red again', 'who', 'is?', 'what does own?'])('anything else is help: %j', (line) => {
    expect(read(line)).toEqual({ kind: 'help' });
  });
});

describe('the plain-words router', () => {
  let bot: TestBot;
  const ask = async (text: string) => {
    bot ??= createTestBot();
    const outcome = await withPlainWords(bot.steward.router).dispatch({ platform: 'shell', actor: { id: 'tester' }, text, receivedAt: FIXED_NOW });
    return { ...outcome, text: toPlainText(outcome.reply) };
  };

  it('runs the command a question names, with its answer', async () => {
    const said = await ask('who owns payments-api?');
    expect(said.command).toBe('who-owns');
    expect(said.outcome).toBe('ok');
    expect(said.text).toBe((await bot.say('who-owns payments-api')).text);
  });

  it('answers a line it does not understand with a short help, never silence, and never echoes it', async () => {
    const said = await ask('<!channel> the build is red');
    expect(said.outcome).toBe('usage');
    expect(said.text).toContain('who owns payments-api?');
    expect(said.text).toContain('help');
    expect(said.text).not.toContain('<!channel>');
    expect(said.text.split('\n').length).toBeLessThan(10);
  });

  it('names the command a typo was close to', async () => {
    const said = await ask('who-own payments-api');
    expect(said.text).toContain('Did you mean who-owns?');
    bot.close();
  });
});
