import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../src/core/ports.js';
import { createSteward } from '../src/app/create-steward.js';
import { generateOrg, writeOrg } from './generate-org.js';
import type { Bench, BenchRow } from './report.js';
import { percentile } from './report.js';

const CHILD = fileURLToPath(new URL('./catalog-child.ts', import.meta.url));
const MAX_RSS = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));
const COMPILED_CLI = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));

/**
 * Component counts to run, e.g. `STEWARD_BENCH_SIZES=10000,50000,100000 npm run bench -- catalog-scale`.
 * Only 10,000 by default: 50k and 100k take several minutes on a shared 2-core machine (a first
 * import of 100k is about 40 s, its js-yaml + SQLite floor 10 s, score at 50k 20-50 s).
 */
const SIZES = (process.env['STEWARD_BENCH_SIZES'] ?? '10000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);

interface Run {
  readonly seconds: number;
  readonly wallSeconds: number;
  readonly maxRssMb: number;
  readonly stdout: string;
  readonly code: number | null;
}

/** The compiled `steward` in a process of its own, as production runs it, with its peak RSS. */
function cli(args: string[]): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', MAX_RSS, COMPILED_CLI, ...args], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const wallSeconds = (performance.now() - started) / 1000;
  const rss = /^bench-max-rss-kb (\d+)$/m.exec(r.stderr)?.[1];
  if (rss === undefined) throw new Error(`steward ${args[0]} exited ${r.status}: ${r.stdout.slice(0, 2000)}${r.stderr.slice(0, 2000)}`);
  const printed = /^Read \d+ files? in ([\d.]+) s\./m.exec(r.stdout)?.[1];
  return { seconds: printed === undefined ? wallSeconds : Number(printed), wallSeconds, maxRssMb: Number(rss) / 1024, stdout: r.stdout, code: r.status };
}

function floor(dir: string, db: string): { seconds: number; maxRssMb: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, 'baseline', dir, db], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench child baseline failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; maxRssMb: number };
}

const dbMb = (db: string): number => ['', '-wal'].reduce((n, s) => n + (existsSync(db + s) ? statSync(db + s).size : 0), 0) / 1e6;
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Issue 14: import and unchanged re-import at each size beside the js-yaml + SQLite floor of the
 * same files, `steward score` at 50k (or the largest size run), and a typo at 100k (or the
 * largest): in a running process and as a one-off `ask`. Components are 1,000 to a file.
 */
const bench: Bench = {
  id: 'catalog-scale',
  title: `Catalog at scale (components: ${SIZES.map((n) => n.toLocaleString('en')).join(', ')}; set STEWARD_BENCH_SIZES)`,
  async run(): Promise<BenchRow[]> {
    if (!existsSync(COMPILED_CLI)) throw new Error(`${COMPILED_CLI} is missing: run npm run build first (npm run bench does)`);
    if (SIZES.length === 0) throw new Error('STEWARD_BENCH_SIZES names no size');
    const rows: BenchRow[] = [];
    const tmp = mkdtempSync(join(tmpdir(), 'steward-bench-scale-'));
    const tiny = join(tmp, 'tiny.yaml');
    writeFileSync(tiny, 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: only-one\nspec:\n  owner: nobody\n');
    const startup = cli(['import', tiny, '--db', join(tmp, 'tiny.db')]);
    rows.push({ name: 'start-up: steward import of one entity, wall time', value: startup.wallSeconds, unit: 's', note: `(peak RSS ${startup.maxRssMb.toFixed(0)} MB)` });
    // A handful of sizes: spreading them into Math.max is fine (unlike results, see score-command.ts).
    const scoreAt = SIZES.includes(50_000) ? 50_000 : Math.max(...SIZES);
    const typoAt = SIZES.includes(100_000) ? 100_000 : Math.max(...SIZES);
    try {
      for (const size of SIZES) {
        const dir = join(tmp, `org-${size}`);
        const org = generateOrg({ components: size, seed: 7, componentsPerFile: 1000 });
        writeOrg(dir, org);
        const entities = Object.values(org.counts).reduce((a, b) => a + b, 0);
        const label = `${size.toLocaleString('en')} components (${entities.toLocaleString('en')} entities, ${org.files.length} files)`;
        const bare = floor(dir, join(tmp, `floor-${size}.db`));
        const db = join(tmp, `steward-${size}.db`);
        const first = cli(['import', join(dir, 'all.yaml'), '--db', db]);
        const again = cli(['import', join(dir, 'all.yaml'), '--db', db, '--prune']);
        const floorRow = { name: 'js-yaml parse + one insert transaction (floor)', value: bare.seconds };
        rows.push(
          { name: `${label}: first import`, value: first.seconds, unit: 's', baseline: floorRow, note: `(the time steward import prints; floor peak RSS ${bare.maxRssMb.toFixed(0)} MB)` },
          {
            name: `${label}: unchanged re-import`,
            value: again.seconds,
            unit: 's',
            baseline: { name: 'first import', value: first.seconds },
            target: size >= 100_000 ? '< 2 s (+ start-up)' : size >= 50_000 ? '≤ 25% of the first import' : undefined,
            pass: size >= 100_000 ? again.seconds < 2 : size >= 50_000 ? again.seconds <= 0.25 * first.seconds : undefined,
            note: `(wall ${again.wallSeconds.toFixed(2)} s; ${/^(\d+) files? unchanged/m.exec(again.stdout)?.[1] ?? 0} of ${org.files.length} files skipped; ratio to floor ${(again.seconds / bare.seconds).toFixed(2)}x)`,
          },
          { name: `${label}: peak RSS, first import / re-import`, value: first.maxRssMb, unit: 'MB', baseline: { name: 'floor', value: bare.maxRssMb }, note: `(re-import ${again.maxRssMb.toFixed(0)} MB)` },
          { name: `${label}: database size`, value: dbMb(db), unit: 'MB' },
        );
        if (size === scoreAt) {
          const scored = cli(['score', '--db', db]);
          rows.push({
            name: `${label}: steward score, wall time`,
            value: scored.wallSeconds,
            unit: 's',
            baseline: floorRow,
            note: `(exit ${scored.code}; ${scored.stdout.trimEnd().split('\n').pop()})`,
          });
          rows.push({ name: `${label}: steward score, peak RSS`, value: scored.maxRssMb, unit: 'MB', target: '< 300 MB at 50k', pass: scored.code === 0 && scored.maxRssMb < 300 });
        }
        if (size === typoAt) for (const row of await typoRows(db, label)) rows.push(row);
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return rows;
  },
};

/** A who-owns typo beside a who-owns hit: in a running process (the router), and as a one-off `ask`. */
async function typoRows(db: string, label: string): Promise<BenchRow[]> {
  const steward = createSteward({ db, logger: silentLogger });
  const names = steward.db.prepare("SELECT name FROM entities WHERE kind = 'Component' ORDER BY name LIMIT 40 OFFSET 1000").pluck().all() as string[];
  // Two neighbouring letters swapped in the middle: a typo that is not a prefix of anything.
  const typo = (n: string): string => {
    const i = Math.floor(n.length / 2);
    return n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2);
  };
  const time = async (text: string): Promise<number> => {
    const t0 = performance.now();
    await steward.router.handle({ platform: 'shell', actor: { id: 'bench' }, text, receivedAt: new Date() });
    return performance.now() - t0;
  };
  const hits: number[] = [];
  const misses: number[] = [];
  for (const n of names) {
    hits.push(await time(`who-owns ${n}`));
    misses.push(await time(`who-owns ${typo(n)}`));
  }
  steward.close();
  hits.sort((a, b) => a - b);
  misses.sort((a, b) => a - b);
  const oneOff = (text: string): Run => cli(['ask', text, '--db', db]);
  const hitRuns: Run[] = [];
  const typoRuns: Run[] = [];
  for (let i = 0; i < 3; i++) {
    hitRuns.push(oneOff(`who-owns ${names[i]!}`));
    typoRuns.push(oneOff(`who-owns ${typo(names[i]!)}`));
  }
  const hitWall = median(hitRuns.map((r) => r.wallSeconds)) * 1000;
  const typoWall = median(typoRuns.map((r) => r.wallSeconds)) * 1000;
  const hitRss = median(hitRuns.map((r) => r.maxRssMb));
  const typoRss = median(typoRuns.map((r) => r.maxRssMb));
  const p50 = percentile(misses, 50);
  return [
    {
      name: `${label}: who-owns with a typo in a running process, p50 of ${names.length}`,
      value: p50,
      unit: 'ms',
      baseline: { name: 'who-owns of an existing name, p50', value: percentile(hits, 50) },
      target: '< 50 ms',
      pass: p50 < 50,
      note: `(p99 ${percentile(misses, 99).toFixed(1)} ms)`,
    },
    {
      name: `${label}: one-off steward ask with a typo, wall time, median of 3`,
      value: typoWall,
      unit: 'ms',
      baseline: { name: 'the same ask of an existing name (start-up included)', value: hitWall },
      target: '< 300 ms over start-up',
      pass: typoWall - hitWall < 300,
    },
    {
      name: `${label}: one-off steward ask with a typo, peak RSS`,
      value: typoRss,
      unit: 'MB',
      baseline: { name: 'the same ask of an existing name', value: hitRss },
      target: '< 60 MB over start-up',
      pass: typoRss - hitRss < 60,
    },
  ];
}

export default bench;
