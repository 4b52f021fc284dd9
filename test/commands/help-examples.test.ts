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
