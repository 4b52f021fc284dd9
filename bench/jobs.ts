import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createSteward } from '../src/app/create-steward.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/core/ports.js';
import { importCatalog } from '../src/import-catalog.js';
import { startServer } from '../src/serve.js';
import { generateOrg, writeOrg } from './generate-org.js';
import type { Bench, BenchRow } from './report.js';
import { percentile } from './report.js';

/**
 * Issue 21, "no import stalls the bot": serve's scheduled jobs at 10,000 components. One GitHub
 * sync of an organisation of STEWARD_BENCH_JOBS_REPOS repositories (default 2,000) and one fact
 * collection from Prometheus (with the re-scoring of every service after it), run by a real
 * `startServer` here while /healthz is due every 20 ms (timed from when it was due); the event loop's delay is measured the
 * whole time. The same run twice on copies of one database: the jobs on the event loop (the
 * baseline, as before) and in threads of their own. The fakes run in a child process, so their
 * work is not this loop's.
 */
const COMPONENTS = Number(process.env['STEWARD_BENCH_JOBS_COMPONENTS'] ?? 10_000);
const REPOS = Number(process.env['STEWARD_BENCH_JOBS_REPOS'] ?? 2_000);

interface Round {
  readonly loopMaxMs: number;
  readonly loopP99Ms: number;
  readonly healthMaxMs: number;
  readonly healthP99Ms: number;
  readonly probes: number;
  readonly syncSeconds: number;
  readonly collectSeconds: number;
  readonly outcomes: string;
}

const bench: Bench = {
  id: 'jobs',
  title: `Scheduled jobs beside the bot: a GitHub sync of ${REPOS.toLocaleString('en')} repositories and a fact collection on ${COMPONENTS.toLocaleString('en')} components`,
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'steward-bench-jobs-'));
    const seed = join(dir, 'seed.db');
    const org = generateOrg({ components: COMPONENTS, seed: 11, componentsPerFile: 2_000 });
    writeOrg(join(dir, 'org'), org);
    const steward = createSteward({ db: seed, logger: silentLogger });
    importCatalog(steward.catalog, [join(dir, 'org')]);
    const services = steward.catalog.entitiesOfKinds(['component']).map((e) => e.name);
    steward.close();
    writeFileSync(join(dir, 'services.txt'), services.join('\n'));
    const fakes = await startFakes(REPOS, join(dir, 'services.txt'));
    try {
      const configFile = join(dir, 'steward.config.yaml');
      writeFileSync(configFile, 'github:\n  org: acme\n');
      const round = async (threads: boolean): Promise<Round> => {
        const db = join(dir, threads ? 'threads.db' : 'loop.db');
        copyFileSync(seed, db);
        const config = loadConfig({
          PORT: '0',
          STEWARD_DB: db,
          STEWARD_CONFIG: configFile,
          GITHUB_TOKEN: fakes.token,
          GITHUB_API_URL: fakes.github,
          PROMETHEUS_URL: fakes.prometheus,
          STEWARD_LOG_LEVEL: 'error',
        });
        const server = await startServer({ config, logger: silentLogger, jobs: false, githubSyncOnStart: false, jobThreads: threads });
        const probes: number[] = [];
        let probing = true;
        // A probe due every 20 ms, timed from when it was due: one held up by a stall counts the
        // stall (a timer fired late would otherwise hide it), as a request arriving then would see it.
        const probe = (async () => {
          let due = performance.now();
          while (probing) {
            const wait = due - performance.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
            await (await fetch(`${server.url}/healthz`)).arrayBuffer();
            probes.push(performance.now() - due);
            due += 20;
          }
        })();
        const loop = monitorEventLoopDelay({ resolution: 10 });
        loop.enable();
        try {
          let t0 = performance.now();
          const sync = await server.githubSync!.run();
          const syncSeconds = (performance.now() - t0) / 1000;
          t0 = performance.now();
          const collect = await server.factsCollect!.run();
          const collectSeconds = (performance.now() - t0) / 1000;
          loop.disable();
          probing = false;
          await probe;
          return {
            loopMaxMs: loop.max / 1e6,
            loopP99Ms: loop.percentile(99) / 1e6,
            healthMaxMs: Math.max(...probes),
            healthP99Ms: percentile(probes, 99),
            probes: probes.length,
            syncSeconds,
            collectSeconds,
            outcomes: `sync ${sync}, collect ${collect}`,
          };
        } finally {
          probing = false;
          await server.close();
        }
      };
      const onLoop = await round(false);
      const inThreads = await round(true);
      const note = (r: Round): string => `${r.outcomes}; sync ${r.syncSeconds.toFixed(1)} s, collect and re-score ${r.collectSeconds.toFixed(1)} s; ${r.probes} /healthz probes`;
      // Each row: the threads' figure beside the event loop's, from the same run.
      const row = (name: string, unit: BenchRow['unit'], of: (r: Round) => number, target?: { text: string; max: number; note?: string }): BenchRow => ({
        name,
        value: of(inThreads),
        unit,
        baseline: { name: 'jobs on the event loop', value: of(onLoop) },
        ...(target ? { target: target.text, pass: of(inThreads) < target.max, ...(target.note ? { note: target.note } : {}) } : {}),
      });
      return [
        row('event loop: longest stall during the jobs', 'ms', (r) => r.loopMaxMs, { text: '< 250 ms', max: 250, note: `threads: ${note(inThreads)}. Event loop: ${note(onLoop)}` }),
        row('event loop: delay p99 during the jobs', 'ms', (r) => r.loopP99Ms),
        row('/healthz p99 during the jobs', 'ms', (r) => r.healthP99Ms, { text: '< 500 ms', max: 500 }),
        row('/healthz slowest during the jobs', 'ms', (r) => r.healthMaxMs),
        row('sync + collect wall time', 's', (r) => r.syncSeconds + r.collectSeconds),
      ];
    } finally {
      fakes.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function startFakes(repos: number, servicesFile: string): Promise<{ github: string; token: string; prometheus: string; kill(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fakes-child.ts', import.meta.url)), String(repos), servicesFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fakes-child exited with code ${code}`)));
  });
  return { ...(JSON.parse(line) as { github: string; token: string; prometheus: string }), kill: () => child.kill() };
}

export default bench;
