import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchRow } from './report.js';
import { formatRows } from './report.js';

/**
 * `npm run bench`: every benchmark of the project in one run, one markdown table each, written
 * to bench/out/report.md and printed. `npm run bench -- catalog` runs only the named ones.
 * Figures are compared with a baseline measured in the same run: the machines are shared.
 */
const available: Record<string, () => Promise<{ default: Bench }>> = {
  catalog: () => import('./catalog.js'),
  'catalog-scale': () => import('./catalog-scale.js'),
  facts: () => import('./facts-collect.js'),
  github: () => import('./github.js'),
  nudges: () => import('./nudges.js'),
  oncall: () => import('./oncall.js'),
  scoring: () => import('./scoring.js'),
  'slack-latency': () => import('./slack-latency.js'),
  web: () => import('./web.js'),
  load: () => import('./load.js'),
  jobs: () => import('./jobs.js'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in available));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(available).join(', ')}\n`);
  process.exit(2);
}

const sections: string[] = [`# Steward benchmarks`, '', `Node ${process.version}, ${new Date().toISOString()}`, ''];
let failed = 0;
for (const id of wanted.length > 0 ? wanted : Object.keys(available)) {
  const bench = (await available[id]!()).default;
  process.stderr.write(`running ${bench.id}…\n`);
  let rows: BenchRow[];
  try {
    rows = await bench.run();
  } catch (err) {
    process.stderr.write(`${bench.id} failed: ${(err as Error).stack}\n`);
    failed++;
    continue;
  }
  const table = formatRows(bench.title, rows);
  sections.push(table, '');
  process.stdout.write(`${table}\n\n`);
}
const outDir = fileURLToPath(new URL('./out/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'report.md'), sections.join('\n'));
process.stderr.write(`report written to bench/out/report.md\n`);
process.exitCode = failed > 0 ? 1 : 0;
