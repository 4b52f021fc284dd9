import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { CommandError, createRouter, defineCommand, requiredText } from '../../src/core/commands/index.js';
import type { CatalogReader } from '../../src/core/catalog/index.js';
import { reply, toPlainText } from '../../src/core/message/index.js';
import { memoryLogger } from '../support/memory-logger.js';

const echo = defineCommand({
  name: 'echo',
  summary: 'Says it back',
  params: ['words...'],
  args: z.object({ words: requiredText('word', 'echo hi') }),
  run: ({ args }) => reply(args.words),
});
const pair = defineCommand({
  name: 'pair',
  summary: 'Two things',
  params: ['a', 'b'],
  args: z.object({ a: z.string(), b: z.string().optional() }),
  run: ({ args }) => reply(`${args.a}+${args.b ?? '-'}`),
});
const refuse = defineCommand({
  name: 'refuse',
  summary: 'Fails politely',
  params: [],
  args: z.object({}),
  run: () => {
    throw new CommandError('nope', 'No can do.', { hint: 'Try again tomorrow.' });
  },
});
const explode = defineCommand({
  name: 'explode',
  summary: 'Fails badly',
  params: [],
  args: z.object({}),
  run: () => {
    throw new Error('SQLITE_CORRUPT at /srv/secret/path');
  },
});

const setup = () => {
  const { logger, logs } = memoryLogger();
  const router = createRouter({
    commands: [echo, pair, refuse, explode],
    services: { catalog: {} as CatalogReader, clock: { now: () => new Date(0) } },
    logger,
    referenceId: () => 'abc123',
  });
  const say = (text: string) => router.dispatch({ platform: 'shell', actor: { id: 't' }, text, receivedAt: new Date(0) });
  return { say, logs };
};

describe('the router', () => {
  it('runs a command with the rest of the line as its last argument', async () => {
    const { say } = setup();
    expect(toPlainText((await say('/service echo hello   world')).reply)).toBe('hello world');
    expect((await say('pair x y')).reply.fallback).toBe('x+y');
    expect((await say('PAIR x')).reply.fallback).toBe('x+-');
  });

  it('turns validation problems into a usage reply', async () => {
    const { say } = setup();
    const missing = await say('pair');
    expect(missing.outcome).toBe('usage');
    expect(missing.reply.fallback).toBe('Missing <a>. Usage: pair <a> [b]');
    const extra = await say('pair a b c');
    expect(extra.reply.fallback).toBe('Unexpected "c". Usage: pair <a> [b]');
  });

  it('suggests a command for a typo', async () => {
    const { say } = setup();
    const out = await say('ecko hi');
    expect(out.outcome).toBe('unknown_command');
    expect(out.reply.fallback).toContain('Did you mean `echo`?');
  });

  it('shows a CommandError to the caller only', async () => {
    const { say } = setup();
    const out = await say('refuse');
    expect(out).toMatchObject({ outcome: 'user_error', errorCode: 'nope' });
    expect(out.reply.visibility).toBe('caller');
    expect(toPlainText(out.reply)).toBe('No can do.\nTry again tomorrow.');
  });

  it('hides internal errors behind a reference id that is in the log', async () => {
    const { say, logs } = setup();
    const out = await say('explode');
    expect(out.outcome).toBe('internal_error');
    expect(out.reply.fallback).toContain('ref abc123');
    expect(out.reply.fallback).not.toContain('SQLITE');
    expect(logs).toEqual([expect.objectContaining({ level: 'error', fields: expect.objectContaining({ ref: 'abc123', command: 'explode' }) })]);
  });

  it('refuses text longer than the limit before parsing it', async () => {
    const { say } = setup();
    const out = await say(`echo ${'x'.repeat(5000)}`);
    expect(out.outcome).toBe('usage');
    expect(out.reply.fallback).toMatch(/at most 2000/);
  });
});
