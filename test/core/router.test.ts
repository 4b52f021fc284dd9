import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { CommandError, createRouter, defineCommand, requiredText } from '../../src/core/commands/index.js';
import type { Actor } from '../../src/core/commands/index.js';
import type { CatalogReader, Person } from '../../src/core/catalog/index.js';
import type { ScoringService } from '../../src/core/scoring/index.js';
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

describe('an adminOnly command', () => {
  const setupAdmin = () => {
    const recorded: string[] = [];
    const grant = defineCommand({
      name: 'grant',
      summary: 'Records a grant',
      params: ['what'],
      args: z.object({ what: requiredText('what', 'grant x') }),
      adminOnly: { refusal: 'Only Steward admins can grant things.', hint: 'Ask one.' },
      run: ({ args }) => {
        recorded.push(args.what);
        return reply(`Granted ${args.what}.`);
      },
    });
    const wipe = defineCommand({
      name: 'wipe',
      summary: 'Records a wipe',
      params: [],
      args: z.object({}),
      adminOnly: true,
      run: () => {
        recorded.push('wipe');
        return reply('Wiped.');
      },
    });
    // Admins come from the config through the scoring service; only isAdmin is asked here.
    const scoring = { isAdmin: (email: string | undefined) => email === 'ana@acme.example' } as unknown as ScoringService;
    const router = createRouter({
      commands: [grant, wipe],
      services: { catalog: {} as CatalogReader, clock: { now: () => new Date(0) }, scoring },
      logger: memoryLogger().logger,
    });
    const say = (text: string, actor: Actor) => router.dispatch({ platform: 'slack', actor, text, receivedAt: new Date(0) });
    return { say, recorded };
  };

  it('is refused before run for anyone who is not an admin, with its own words', async () => {
    const { say, recorded } = setupAdmin();
    const out = await say('grant x', { id: 'U0BEN', email: 'ben@acme.example' });
    expect(out).toMatchObject({ command: 'grant', outcome: 'user_error', errorCode: 'not_admin' });
    expect(out.reply.fallback).toBe('Only Steward admins can grant things. Ask one.');
    expect((await say('grant x', { id: 'U0NOBODY' })).errorCode).toBe('not_admin');
    const wipe = await say('wipe', { id: 'U0BEN', email: 'ben@acme.example' });
    expect(wipe.errorCode).toBe('not_admin');
    expect(toPlainText(wipe.reply)).toBe('Only Steward admins can use wipe.\nAdmins are listed under admins in the config.');
    expect(recorded).toEqual([]);
  });

  it('checks its arguments first, and runs for an admin, known by email or by catalog person', async () => {
    const { say, recorded } = setupAdmin();
    expect((await say('grant', { id: 'U0BEN', email: 'ben@acme.example' })).outcome).toBe('usage');
    expect((await say('grant x', { id: 'U0ANA', email: 'ana@acme.example' })).reply.fallback).toBe('Granted x.');
    const person = { ref: 'user:default/ana', email: 'ana@acme.example' } as Person;
    expect((await say('wipe', { id: 'U0ANA', person })).outcome).toBe('ok');
    expect(recorded).toEqual(['x', 'wipe']);
  });
});
