import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import help from '../../commands/help.js';
import { createRouter, defineCommand, requiredText } from '../../src/core/commands/index.js';
import type { CatalogReader } from '../../src/core/catalog/index.js';
import { reply, toPlainText } from '../../src/core/message/index.js';
import { memoryLogger } from '../support/memory-logger.js';

/** Declared without a usage line: it comes from `params` and `args`. */
const renew = defineCommand({
  name: 'renew',
  summary: 'Renews a certificate',
  params: ['service', { name: 'days', shown: 'days, 1 to 90' }, 'note...'],
  args: z.object({
    service: requiredText('service', 'renew payments-api 30'),
    days: z.coerce.number({ error: 'missing <days>' }).int(),
    note: z.string().optional(),
  }),
  run: ({ args }) => reply(`Renewed ${args.service} for ${args.days} days.`),
});

describe('defineCommand', () => {
  it('derives the usage line from the parameters: optional where args accept them missing, labels kept', () => {
    expect(renew.usage).toBe('renew <service> <days, 1 to 90> [note]');
    expect(renew.params).toEqual(['service', 'days', 'note...']);
    const one = (params: Array<string | { name: string; shown: string }>, args: z.ZodType) =>
      defineCommand({ name: 'x', summary: 's', params, args, run: () => reply('ok') }).usage;
    expect(one([], z.object({}))).toBe('x');
    expect(one(['service', 'scorecard'], z.object({ service: z.string(), scorecard: z.string().optional() }))).toBe('x <service> [scorecard]');
    expect(one(['words...'], z.object({ words: z.string().min(1) }))).toBe('x <words>');
    expect(one([{ name: 'reason...', shown: 'reason...' }], z.object({ reason: z.string() }))).toBe('x <reason...>');
    expect(one(['limit'], z.object({ limit: z.coerce.number().default(10) }))).toBe('x [limit]');
  });

  it('refuses parameters its args do not have, and a rest-of-line parameter before the last', () => {
    const declare = (params: string[]) => () =>
      defineCommand({ name: 'x', summary: 's', params, args: z.object({ a: z.string(), b: z.string() }), run: () => reply('ok') });
    expect(declare(['a', 'c'])).toThrow('command x: parameter c is not in its args');
    expect(declare(['a...', 'b'])).toThrow('only the last parameter may take the rest of the line');
    expect(declare(['a', 'b...'])).not.toThrow();
  });

  it('shows the derived usage in help and in a usage error', async () => {
    const router = createRouter({
      commands: [help, renew],
      services: { catalog: {} as CatalogReader, clock: { now: () => new Date(0) } },
      logger: memoryLogger().logger,
    });
    const say = (text: string) => router.dispatch({ platform: 'shell', actor: { id: 't' }, text, receivedAt: new Date(0) });

    const list = await say('help');
    expect(toPlainText(list.reply)).toContain('  • renew <service> <days, 1 to 90> [note]  Renews a certificate');
    const one = await say('help renew');
    expect(one.reply.fallback).toBe('renew <service> <days, 1 to 90> [note]: Renews a certificate');
    expect(toPlainText(one.reply)).toContain('Usage: renew <service> <days, 1 to 90> [note]');

    const missing = await say('renew payments-api');
    expect(missing.outcome).toBe('usage');
    expect(missing.reply.fallback).toBe('Missing <days>. Usage: renew <service> <days, 1 to 90> [note]');
    expect((await say('renew payments-api 30 after the audit')).reply.fallback).toBe('Renewed payments-api for 30 days.');
  });
});
