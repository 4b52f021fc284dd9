import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateOrg, writeOrg } from '../../bench/generate-org.js';
import { openDatabase } from '../../src/infra/sqlite/open-database.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'src', 'steward.js');

describe('an import killed with SIGKILL', () => {
  it('leaves the old catalog or the new one, never a mix, and a sound database', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-crash-'));
    const env = { PATH: process.env['PATH'] ?? '', HOME: cwd };
    const old = spawnSync(process.execPath, [BIN, 'import', join(ROOT, 'test', 'fixtures', 'catalog', 'all.yaml')], { cwd, env, encoding: 'utf8' });
    expect(old.status).toBe(0);
    const db = join(cwd, 'data', 'steward.db');
    const before = openDatabase(db);
    const oldCount = before.prepare('SELECT count(*) FROM entities').pluck().get() as number;
    before.close();

    const org = generateOrg({ components: 3000, seed: 3 });
    writeOrg(join(cwd, 'big'), org);
    const newCount = Object.values(org.counts).reduce((a, b) => a + b, 0);

    // Kill the import once its write transaction is under way (the WAL is growing).
    const child = spawn(process.execPath, [BIN, 'import', 'big/all.yaml'], { cwd, env, stdio: 'ignore' });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const wal = `${db}-wal`;
    const baseline = existsSync(wal) ? statSync(wal).size : 0;
    await new Promise<void>((done) => {
      const poll = setInterval(() => {
        const grown = existsSync(wal) && statSync(wal).size > baseline + 64 * 1024;
        if (grown || child.exitCode !== null) {
          clearInterval(poll);
          child.kill('SIGKILL');
          done();
        }
      }, 2);
    });
    await exited;
    expect(child.signalCode).toBe('SIGKILL'); // it was killed, not finished

    const after = openDatabase(db);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    const count = after.prepare('SELECT count(*) FROM entities').pluck().get() as number;
    expect([oldCount, oldCount + newCount]).toContain(count);
    const orphans = after
      .prepare('SELECT count(*) FROM relations r LEFT JOIN entities e ON e.ref = r.source_ref WHERE e.ref IS NULL')
      .pluck()
      .get();
    expect(orphans).toBe(0);
    after.close();

    // And the bot starts and answers on it.
    const ask = spawnSync(process.execPath, [BIN, 'ask', 'who-owns payments-api'], { cwd, env, encoding: 'utf8' });
    expect(ask.status).toBe(0);
  });
});
