import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatProfile, ChatUserSource } from '../../../src/core/people/index.js';
import { createPersonDirectory, fillMentions } from '../../../src/core/people/index.js';
import { context, fields, list, mention, reply, text } from '../../../src/core/message/index.js';
import { SqliteIdentityStore } from '../../../src/infra/sqlite/identity-store.js';
import type { Db } from '../../../src/infra/sqlite/open-database.js';
import { openDatabase } from '../../../src/infra/sqlite/open-database.js';
import { memoryLogger } from '../../support/memory-logger.js';

/**
 * The directory that answers "who is this Slack user" and "who has this email", over the SQLite
 * identity cache (migration 0002), with a scripted source in place of Slack's API.
 */
const ANA: ChatProfile = { userId: 'U0ANA', email: 'Ana.Ruiz@acme.example', name: 'Ana Ruiz' };

function scriptedSource() {
  const asked: string[] = [];
  let failing: Error | undefined;
  const people = new Map<string, ChatProfile>([[ANA.userId, ANA]]);
  const source: ChatUserSource = {
    async userById(id) {
      asked.push(`id:${id}`);
      if (failing) throw failing;
      return people.get(id);
    },
    async userByEmail(email) {
      asked.push(`email:${email}`);
      if (failing) throw failing;
      return [...people.values()].find((p) => p.email?.toLowerCase() === email);
    },
  };
  return { source, asked, people, fail: (err: Error | undefined) => (failing = err) };
}

describe('the person directory, cached in SQLite', () => {
  let dir: string;
  let db: Db;
  let now: Date;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-identity-'));
    db = openDatabase(join(dir, 'steward.db'));
    now = new Date('2026-11-30T09:00:00Z');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const setup = (options: { onLearned?: (email: string, id: string) => void } = {}) => {
    const s = scriptedSource();
    const { logger, logs } = memoryLogger();
    const directory = createPersonDirectory({
      platform: 'slack',
      source: s.source,
      store: new SqliteIdentityStore(db),
      clock: { now: () => now },
      logger,
      ...options,
    });
    return { ...s, directory, logs };
  };

  it('asks the platform once a day about a user, with the email lower-cased', async () => {
    const { directory, asked } = setup();
    expect(await directory.profile('U0ANA')).toEqual({ userId: 'U0ANA', email: 'ana.ruiz@acme.example', name: 'Ana Ruiz' });
    await directory.profile('U0ANA');
    expect(asked).toEqual(['id:U0ANA']);
    now = new Date(now.getTime() + 25 * 60 * 60 * 1000);
    await directory.profile('U0ANA');
    expect(asked).toEqual(['id:U0ANA', 'id:U0ANA']);
  });

  it('a burst of questions about one person is one request', async () => {
    const { directory, asked } = setup();
    await Promise.all(Array.from({ length: 20 }, () => directory.userIdForEmail('ana.ruiz@acme.example')));
    expect(asked).toEqual(['email:ana.ruiz@acme.example']);
  });

  it('knows an email from an earlier users.info without asking again', async () => {
    const { directory, asked } = setup();
    await directory.profile('U0ANA');
    expect(await directory.userIdForEmail(' ANA.RUIZ@acme.example ')).toBe('U0ANA');
    expect(asked).toEqual(['id:U0ANA']);
  });

  it('remembers that nobody has an email, until the cache expires', async () => {
    const { directory, asked, people } = setup();
    expect(await directory.userIdForEmail('dana.kim@acme.example')).toBeUndefined();
    people.set('U0DANA', { userId: 'U0DANA', email: 'dana.kim@acme.example', name: 'Dana Kim' });
    expect(await directory.userIdForEmail('dana.kim@acme.example')).toBeUndefined();
    now = new Date(now.getTime() + 25 * 60 * 60 * 1000);
    expect(await directory.userIdForEmail('dana.kim@acme.example')).toBe('U0DANA');
    expect(asked).toEqual(['email:dana.kim@acme.example', 'email:dana.kim@acme.example']);
  });

  it('a failing platform is logged, not cached, and a stale answer is used meanwhile', async () => {
    const { directory, asked, fail, logs } = setup();
    await directory.profile('U0ANA');
    now = new Date(now.getTime() + 25 * 60 * 60 * 1000);
    fail(new Error('ratelimited'));
    expect((await directory.profile('U0ANA')).email).toBe('ana.ruiz@acme.example');
    expect(await directory.profile('U0NEW')).toEqual({ userId: 'U0NEW', email: undefined, name: undefined });
    fail(undefined);
    await directory.profile('U0NEW');
    expect(asked).toEqual(['id:U0ANA', 'id:U0ANA', 'id:U0NEW', 'id:U0NEW']);
    expect(logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(['could not look up a chat user', 'could not look up a chat user']);
  });

  it('tells the composition root what it learned, and survives a failing listener', async () => {
    const learned: string[] = [];
    const { directory } = setup({
      onLearned: (email, id) => {
        learned.push(`${email}=${id}`);
        throw new Error('catalog is read-only');
      },
    });
    expect(await directory.userIdForEmail('ana.ruiz@acme.example')).toBe('U0ANA');
    expect(learned).toEqual(['ana.ruiz@acme.example=U0ANA']);
  });

  it('a newer "no such user" hides an older match, and a newer match clears it', () => {
    const store = new SqliteIdentityStore(db);
    store.saveProfile('slack', ANA, new Date('2026-11-01T00:00:00Z'));
    store.saveMiss('slack', 'ana.ruiz@acme.example', new Date('2026-11-02T00:00:00Z'));
    expect(store.userIdByEmail('slack', 'ana.ruiz@acme.example')?.value).toBeUndefined();
    store.saveProfile('slack', ANA, new Date('2026-11-03T00:00:00Z'));
    expect(store.userIdByEmail('slack', 'ana.ruiz@acme.example')).toEqual({ value: 'U0ANA', checkedAt: new Date('2026-11-03T00:00:00Z') });
    expect(store.userIdByEmail('teams', 'ana.ruiz@acme.example')).toBeUndefined();
  });
});

describe('fillMentions', () => {
  it('resolves each mentioned person once, wherever they are mentioned', async () => {
    const ben = { name: 'Ben Okafor', email: 'ben@acme.example' };
    const r = reply('x', [text([mention(ben)]), fields([['Members', [mention(ben)]]]), list([[mention(ben)]]), context([mention(ben)])]);
    let calls = 0;
    const out = await fillMentions(r, async (p) => {
      calls++;
      return { ...p, slackId: 'U0BEN' };
    });
    expect(calls).toBe(1);
    expect(JSON.stringify(out).match(/"slackId":"U0BEN"/g)).toHaveLength(4);
    expect(JSON.stringify(r)).not.toContain('U0BEN');
  });

  it('returns the reply itself when nobody is mentioned', async () => {
    const r = reply('plain');
    expect(await fillMentions(r, async () => ({ name: 'never' }))).toBe(r);
  });
});
