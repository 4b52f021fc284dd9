import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell } from '../../../src/adapters/shell/run-shell.js';
import { createTestBot } from '../../support/test-bot.js';

/** The shell reads the same plain words as a Slack thread, and commands as before. */
describe('the shell', () => {
  const bot = createTestBot();
  afterAll(() => bot.close());

  const session = async (lines: string): Promise<string> => {
    const input = new PassThrough();
    const output = new PassThrough();
    let said = '';
    output.on('data', (c: Buffer) => (said += c.toString('utf8')));
    input.end(lines);
    await runShell({ router: bot.steward.router, actor: { id: 'tester' }, clock: bot.steward.clock, input, output, interactive: false });
    return said;
  };

  it('answers a question in plain words like the command it names', async () => {
    const [question, command] = (await session('who owns payments-api?\nwho-owns payments-api\nexit\n')).split('\n\n');
    expect(question).toContain('Payments');
    expect(question).toBe(command);
  });

  it('answers a line it does not understand with the short help', async () => {
    expect(await session('good morning\n')).toContain('who owns payments-api?');
  });
});
