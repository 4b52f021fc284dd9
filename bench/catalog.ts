import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSteward } from '../src/main.js';
import { silentLogger } from '../src/core/ports.js';
import { generateOrg, writeOrg } from './generate-org.js';
import type { Bench, BenchRow } from './report.js';
import { percentile } from './report.js';

const COMPONENTS = 10_000;
const CHILD = fileURLToPath(new URL('./catalog-child.ts', import.meta.url));
const LOOKUPS = 5_000;

/**
 * Issue 2's benchmark: import a generated 10,000-component org (about 11,600 entities, 5 MB of
 * YAML), then `who-owns` through the whole router beside a bare prepared-statement lookup of the
 * same row, and the peak RSS of the process.
 */
const bench: Bench = {
  id: 'catalog',
  title: 'Catalog: import and who-owns on a 10,000-component org',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'steward-bench-catalog-'));
    const org = generateOrg({ components: COMPONENTS, seed: 7 });
    writeOrg(join(dir, 'org'), org);
    const entities = Object.values(org.counts).reduce((a, b) => a + b, 0);
    const bytes = org.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    // Import and its baseline each in a child process: a fresh heap, and a peak RSS of its own.
    const child = (...args: string[]): { seconds: number; maxRssMb: number; entities?: number; problems?: number; importSeconds?: number } => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`bench child ${args[0]} failed: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; maxRssMb: number };
    };
    const idle = child('idle');
    const bare = child('baseline', join(dir, 'org'), join(dir, 'bare.db'));
    const first = child('import', join(dir, 'org'), join(dir, 'steward.db'));
    const again = child('import', join(dir, 'org'), join(dir, 'steward.db'));
    const imported = first.entities ?? 0;
    const steward = createSteward({ db: join(dir, 'steward.db'), logger: silentLogger });

    // Lookups of the same rows both ways, interleaved so machine noise hits both alike.
    const names = steward.db.prepare("SELECT name, ref FROM entities WHERE kind = 'Component' ORDER BY random() LIMIT ?").all(LOOKUPS) as Array<{ name: string; ref: string }>;
    const byRef = steward.db.prepare('SELECT * FROM entities WHERE ref = ?');
    const routerTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (const { name, ref } of names) {
        const t0 = performance.now();
        byRef.get(ref);
        const t1 = performance.now();
        await steward.router.handle({ platform: 'shell', actor: { id: 'bench' }, text: `who-owns ${name}`, receivedAt: new Date() });
        const t2 = performance.now();
        if (round === 1) {
          bareTimes.push(t1 - t0);
          routerTimes.push(t2 - t1);
        }
      }
    }
    routerTimes.sort((a, b) => a - b);
    bareTimes.sort((a, b) => a - b);
    const miss0 = performance.now();
    for (let i = 0; i < 200; i++) {
      await steward.router.handle({ platform: 'shell', actor: { id: 'bench' }, text: `who-owns svc-nothing-like-${i}`, receivedAt: new Date() });
    }
    const missMs = (performance.now() - miss0) / 200;
    steward.close();
    rmSync(dir, { recursive: true, force: true });

    const p = (xs: number[], q: number) => percentile(xs, q);
    const routerP99 = p(routerTimes, 99);
    const bareP99 = p(bareTimes, 99);
    return [
      {
        name: `import ${imported.toLocaleString('en')} entities (${(bytes / 1e6).toFixed(1)} MB YAML, ${first.problems ?? 0} problems)`,
        value: first.importSeconds ?? first.seconds,
        unit: 's',
        baseline: { name: 'js-yaml parse + one insert transaction', value: bare.seconds },
        target: '< 2 s',
        pass: (first.importSeconds ?? first.seconds) < 2 && imported === entities,
        note: `(${first.seconds.toFixed(2)} s with opening the database and loading the scorecards)`,
      },
      { name: 're-import, nothing changed', value: again.importSeconds ?? again.seconds, unit: 's', baseline: { name: 'first import', value: first.importSeconds ?? first.seconds } },
      {
        name: 'who-owns via router, p50',
        value: p(routerTimes, 50),
        unit: 'ms',
        baseline: { name: 'prepared statement by ref', value: p(bareTimes, 50) },
      },
      {
        name: 'who-owns via router, p99',
        value: routerP99,
        unit: 'ms',
        baseline: { name: 'prepared statement by ref', value: bareP99 },
        target: '< 2 ms and ≤ 5x bare',
        pass: routerP99 < 2 && routerP99 <= 5 * Math.max(bareP99, 0.05),
        note: bareP99 < 0.05 ? '(ratio against a floor of 0.05 ms: the bare lookup is below timer resolution)' : undefined,
      },
      { name: 'who-owns of an unknown name (did-you-mean over 10k names), mean', value: missMs, unit: 'ms' },
      {
        name: 'peak RSS of the import process',
        value: first.maxRssMb,
        unit: 'MB',
        baseline: { name: 'the same process with the modules loaded, idle', value: idle.maxRssMb },
        target: '< 150 MB',
        pass: first.maxRssMb < 150,
        note: '(the idle figure is Node with tsx and the modules loaded: the import itself adds the difference)',
      },
      { name: 'peak RSS of the baseline process (parse + insert)', value: bare.maxRssMb, unit: 'MB' },
    ];
  },
};

export default bench;
