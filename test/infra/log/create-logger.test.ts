import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/infra/log/create-logger.js';

/** serve logs asynchronously (a slow log reader must not stall answers) and flushes on shutdown. */
describe('the asynchronous logger', () => {
  it('holds lines back while serving and writes every one of them out on flush', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-log-'));
    try {
      const file = join(dir, 'steward.log');
      const logger = createLogger({ async: true, dest: file });
      for (let i = 0; i < 20; i++) logger.info('command answered', { n: i, token: 'xoxb-secret' });
      // 20 short lines are under the write threshold: nothing is written yet, nothing waited.
      const before = (() => {
        try {
          return readFileSync(file, 'utf8');
        } catch {
          return '';
        }
      })();
      expect(before.split('\n').filter(Boolean).length).toBeLessThan(20);

      await logger.flush();
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l['n'])).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(lines[0]).toMatchObject({ level: 'info', msg: 'command answered', token: '[redacted]' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('flushes at once when synchronous (the CLI)', async () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => void lines.push(l) });
    logger.warn('careful');
    await logger.flush();
    expect(lines).toHaveLength(1);
  });
});
