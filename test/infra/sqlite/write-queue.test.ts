import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotError } from '../../../src/core/errors.js';
import type { Db } from '../../../src/infra/sqlite/open-database.js';
import { openDatabase } from '../../../src/infra/sqlite/open-database.js';
import { createWriteQueue, retryOnBusy } from '../../../src/infra/sqlite/write-queue.js';
import { memoryLogger } from '../../support/memory-logger.js';

/**
 * serve's connection has no busy timeout: a write that finds another process's lock (an import)
 * fails at once and is retried later, so the thread is never held. "Another process" here is a
 * second connection to the same file, holding an open write transaction.
 */
describe('writes while another connection holds the write lock', () => {
  let dir: string;
  let serving: Db;
  let importer: Db;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-write-queue-'));
    const path = join(dir, 'steward.db');
    importer = openDatabase(path);
    importer.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    serving = openDatabase(path, { busyTimeoutMs: 0 });
  });
  afterEach(() => {
    if (importer.inTransaction) importer.exec('ROLLBACK');
    serving.close();
    importer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const note = (text: string) => () => serving.prepare('INSERT INTO notes (text) VALUES (?)').run(text).lastInsertRowid;
  const notes = (db: Db) => db.prepare('SELECT text FROM notes ORDER BY id').pluck().all();
  const settled = async (p: Promise<unknown>): Promise<boolean> => {
    let done = false;
    void p.then(() => (done = true), () => (done = true));
    // A few turns of the event loop and timers: the queue's first retries have run by then.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    return done;
  };

  it('queues the write, keeps reading, and writes in order once the import commits', async () => {
    const { logger } = memoryLogger();
    const queue = createWriteQueue({ logger });
    importer.exec('BEGIN IMMEDIATE');
    importer.prepare('INSERT INTO notes (text) VALUES (?)').run('imported');

    const first = queue.enqueue('first note', note('a new chat user'));
    const second = queue.enqueue('second note', note('their catalog person'));
    expect(await settled(first)).toBe(false);
    expect(queue.pending).toBe(2);
    // Reads never wait in WAL mode: the import's rows are not visible yet, and nothing blocks.
    expect(notes(serving)).toEqual([]);

    importer.exec('COMMIT');
    await Promise.all([first, second]);
    expect(notes(serving)).toEqual(['imported', 'a new chat user', 'their catalog person']);
    expect(queue.pending).toBe(0);
  });

  it('writes at once when nothing holds the lock', async () => {
    const queue = createWriteQueue({ logger: memoryLogger().logger });
    const id = queue.enqueue('note', note('straight in'));
    // Already written in the same turn: no timer was needed.
    expect(notes(serving)).toEqual(['straight in']);
    expect(Number(await id)).toBe(1);
  });

  it('gives up after its limit with database_busy, logged with what it was writing', async () => {
    const { logger, logs } = memoryLogger();
    const queue = createWriteQueue({ logger, giveUpMs: 100 });
    importer.exec('BEGIN IMMEDIATE');
    const write = queue.enqueue('snooze', note('never'));
    const err = await write.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotError);
    expect((err as BotError).code).toBe('database_busy');
    expect(logs.some((l) => l.message === 'database write failed' && l.fields?.['write'] === 'snooze')).toBe(true);
  });

  it('passes other errors through without retrying', async () => {
    let calls = 0;
    const err = await retryOnBusy(() => {
      calls++;
      return serving.prepare('INSERT INTO missing_table VALUES (1)').run();
    }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/no such table/);
    expect(calls).toBe(1);
  });
});

describe('a command whose write finds the lock taken, as serve runs it', () => {
  it('is answered once the import commits, not with an apology, and the event loop stays free meanwhile', async () => {
    const { createScoringBot } = await import('../../scoring/support/scoring-bot.js');
    const bot = createScoringBot({ nonBlockingWrites: true });
    const importer = openDatabase(bot.dbPath);
    try {
      importer.exec('BEGIN IMMEDIATE');
      // `health` records what it evaluated (a write); the import holds the lock.
      const answer = bot.say('health search-api');
      let ticks = 0;
      const ticking = setInterval(() => ticks++, 5);
      await new Promise((resolve) => setTimeout(resolve, 150));
      clearInterval(ticking);
      expect(ticks).toBeGreaterThan(3);
      importer.exec('COMMIT');
      const out = await answer;
      expect(out.outcome).toBe('ok');
      expect(out.text).toContain('search-api');
      expect(Number(importer.prepare("SELECT count(*) FROM score_runs WHERE trigger = 'chat'").pluck().get())).toBe(1);
    } finally {
      if (importer.inTransaction) importer.exec('ROLLBACK');
      importer.close();
      bot.close();
    }
  });
});
