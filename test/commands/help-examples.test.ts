import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { TestBot } from '../support/test-bot.js';
import { createTestBot } from '../support/test-bot.js';

/**
 * Every example `help` shows is something a new user types first, on the demo catalog: each must
 * answer, not "I don't know a service called…". Run as the demo user, who is made an admin here so
 * that the admin-only examples (exempt) are tried too.
 */
const DEMO = fileURLToPath(new URL('../../src/demo/catalog/all.yaml', import.meta.url));
const DEMO_USER = 'ana.ruiz@larkspan.example';

const examples = commands.flatMap((c) => (c.examples ?? []).map((e) => [c.name, e] as const));

describe('the examples in help', () => {
  let bot: TestBot;
  beforeAll(() => {
    bot = createTestBot({ catalog: DEMO, scoring: { admins: [DEMO_USER] } });
  });
  afterAll(() => bot.close());

  it('are many: every command with arguments has one', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
  });

  it.each(examples)('%s: %s works on the demo catalog', async (_name, example) => {
    const out = await bot.say(example, { as: DEMO_USER });
    expect({ example, outcome: out.outcome, text: out.outcome === 'ok' ? '' : out.text }).toEqual({ example, outcome: 'ok', text: '' });
  });
});

/** `src/demo/README.md`'s "Things to try": each line is a command and what its answer shows. */
const DEMO_README = readFileSync(fileURLToPath(new URL('../../src/demo/README.md', import.meta.url)), 'utf8');
const tries = (/## Things to try\s+```text\n([\s\S]*?)```/.exec(DEMO_README)?.[1] ?? '')
  .split('\n')
  .filter(Boolean)
  .map((l) => /^(\S+(?: \S+)?)\s{2,}(.*)$/.exec(l)!.slice(1, 3) as [string, string]);

describe('the demo README', () => {
  let bot: TestBot;
  beforeAll(() => {
    bot = createTestBot({ catalog: DEMO });
  });
  afterAll(() => bot.close());

  it('has things to try', () => {
    expect(tries.length).toBeGreaterThanOrEqual(6);
  });

  it.each(tries)('%s answers as it says (%s)', async (command, says) => {
    const out = await bot.say(command, { as: DEMO_USER });
    if (!command.includes('paymnets')) expect(out.outcome).toBe('ok');
    // Where the README names an on-call source, the answer must come from it.
    if (command.startsWith('oncall')) {
      const source = /native rotation|Opsgenie|PagerDuty/.exec(says)?.[0];
      expect(source).toBeDefined();
      // The answer's source line: `Steward rotation · …`, `Opsgenie · …` or `PagerDuty · …`.
      const answered = /^(Steward rotation|Opsgenie|PagerDuty) · /m.exec(out.text)?.[1];
      expect(answered).toBe(source === 'native rotation' ? 'Steward rotation' : source);
    }
  });
});
