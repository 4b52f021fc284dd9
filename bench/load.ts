import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stewardFromConfig } from '../src/app/create-steward.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/core/ports.js';
import { openDatabase } from '../src/infra/sqlite/open-database.js';
import { seededRandom } from '../src/core/seeded-random.js';
import { commandBody, FORM, sign, SIGNING_SECRET } from '../test/support/slack-request.js';
import { generateOrg, writeOrg } from './generate-org.js';
import type { Bench, BenchRow } from './report.js';
import { percentile } from './report.js';
import { startBareSlackServer } from './bare-slack-server.js';

/**
 * Issue 21's benchmark: answers under load. A real `steward serve` in a child process (its RSS
 * and event loop are its own, as in production) on a 10,000-component catalog, a fake Slack Web
 * API and response_url here, and 50 simulated users each sending a signed slash command of the
 * mix (who-owns, info, search, health, team, leaderboard, a typo) every 0.5-1.5 s for 20 s while
 * two `steward import --prune` runs replace the catalog; then a flood (each user sends again as
 * soon as the previous command is acknowledged); then SIGTERM under load. Beside it, in the same
 * run, a bare `node:http` server doing the same signature check gives the req/s floor.
 *
 * Knobs for quick iterations: STEWARD_BENCH_LOAD_COMPONENTS (10000), STEWARD_BENCH_LOAD_USERS (50),
 * STEWARD_BENCH_LOAD_SECONDS (20, the paced round; the flood lasts half of it), STEWARD_BENCH_LOAD_WARM
 * (2000, commands sent before RSS is taken as the warm-up baseline), STEWARD_BENCH_LOAD_PROFILE (a folder: serve's
 * CPU profile, written when it exits).
 */
const COMPONENTS = Number(process.env['STEWARD_BENCH_LOAD_COMPONENTS'] ?? 10_000);
const USERS = Number(process.env['STEWARD_BENCH_LOAD_USERS'] ?? 50);
const SECONDS = Number(process.env['STEWARD_BENCH_LOAD_SECONDS'] ?? 20);
const FLOOD_SECONDS = Math.max(2, Math.round(SECONDS / 2));
const WARM_COMMANDS = Number(process.env['STEWARD_BENCH_LOAD_WARM'] ?? 2_000);
/** Slack gives up on an ack after 3 s; past this the bench calls the request lost. */
const ACK_LIMIT_MS = 15_000;
const ANSWER_WAIT_MS = 60_000;
const GRACE_MS = 10_000;

const CLI = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
const APOLOGY = /Something went wrong on my side/;
const BUSY = /busy/i;

interface Sent {
  readonly kind: string;
  readonly sentAt: number;
  ackMs?: number;
  status?: number;
  answerMs?: number;
  answerText?: string;
}

const bench: Bench = {
  id: 'load',
  title: `Answers under load: ${USERS} Slack users on ${COMPONENTS.toLocaleString('en')} components, two imports, a flood`,
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'steward-bench-load-'));
    const db = join(dir, 'steward.db');
    const slack = await startFakeSlack();
    const bare = await startBareSlackServer(SIGNING_SECRET);
    let serve: Serve | undefined;
    try {
      // Two catalogs of the same size: each import replaces (and prunes) nearly every entity.
      writeOrg(join(dir, 'a'), generateOrg({ components: COMPONENTS, seed: 7 }));
      writeOrg(join(dir, 'b'), generateOrg({ components: COMPONENTS, seed: 8 }));
      await cli(['import', '--prune', '--db', db, join(dir, 'a')]);
      const namesA = sample(db);
      await cli(['import', '--prune', '--db', db, join(dir, 'b')]);
      const namesB = sample(db);
      await cli(['import', '--prune', '--db', db, join(dir, 'a')]);
      // Scores recorded once, as the weekly job would have, so `team` and `leaderboard` have standings.
      await cli(['score', '--db', db]);
      const names = { components: [...namesA.components, ...namesB.components], teams: [...namesA.teams, ...namesB.teams] };

      const perCommand = await timeCommands(db, names);

      serve = await startServe(db, slack.apiUrl);
      const agent = new Agent({ keepAlive: true, maxSockets: USERS * 4 });
      const send = (kind: string, text: string, user: string): Sent => {
        const sent: Sent = { kind, sentAt: performance.now() };
        const hook = slack.hook((body) => {
          sent.answerMs = performance.now() - sent.sentAt;
          sent.answerText = body;
        });
        const body = commandBody({ text, userId: user, responseUrl: hook });
        post(`${serve!.url}/slack/events`, body, agent).then(
          ({ status, text: ackText }) => {
            sent.ackMs = performance.now() - sent.sentAt;
            sent.status = status;
            // An answer in the ack itself (no response_url post follows).
            if (status === 200 && ackText.trim() !== '' && sent.answerMs === undefined) {
              sent.answerMs = sent.ackMs;
              sent.answerText = ackText;
            }
          },
          () => {
            sent.status = 0;
          },
        );
        return sent;
      };
      const random = seededRandom(21);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      const nextCommand = (): { kind: string; text: string } => {
        const kinds = ['who-owns', 'info', 'search', 'health', 'team', 'leaderboard', 'typo'] as const;
        const kind = pick(kinds);
        const name = pick(names.components);
        switch (kind) {
          case 'who-owns':
            return { kind, text: `who-owns ${name}` };
          case 'info':
            return { kind, text: `info ${name}` };
          case 'search':
            // A word of the name (`svc-amber-billing-12` → amber): the first is in every name.
            return { kind, text: `search ${name.split('-')[1] ?? name}` };
          case 'health':
            return { kind, text: `health ${name}` };
          case 'team':
            return { kind, text: `team ${pick(names.teams)}` };
          case 'leaderboard':
            return { kind, text: 'leaderboard' };
          case 'typo':
            // A misspelt service: the did-you-mean looks across every name.
            return { kind, text: `info ${name.slice(0, -1)}x${name.slice(-1)}` };
        }
      };

      // Warm-up to steady state: WARM_COMMANDS of the mix, each user sending again once answered.
      // serve's RSS climbs for the first ~2,000 commands (catalog read caches filling, V8 sizing its
      // heap to the allocation rate: ~200 MB of heap pages for ~40 MB live) and is flat after that
      // (298, 304, 304 MB after 2,000, 6,000, 10,000 commands at 10k components); 150 commands, the
      // warm-up before, compared the run with a process that had not finished starting up.
      const warm: Sent[] = [];
      await Promise.all(
        Array.from({ length: USERS }, async (_, u) => {
          while (warm.length < WARM_COMMANDS) {
            const c = nextCommand();
            const s = send(c.kind, c.text, `U0LOAD${u}`);
            warm.push(s);
            while (s.answerMs === undefined && s.status !== 0 && performance.now() - s.sentAt < ACK_LIMIT_MS) await sleep(2);
          }
        }),
      );
      await settle(warm, ANSWER_WAIT_MS);
      await sleep(2000);
      const rssWarm = serve.rssMb();

      // Round 1: the incident pace, with two imports replacing the catalog.
      const health = pollHealth(serve.url);
      const paced: Sent[] = [];
      const end = performance.now() + SECONDS * 1000;
      const imports = (async () => {
        await sleep(SECONDS * 150);
        const first = await cli(['import', '--prune', '--db', db, join(dir, 'b')]);
        await sleep(SECONDS * 100);
        const second = await cli(['import', '--prune', '--db', db, join(dir, 'a')]);
        return [first, second];
      })();
      await Promise.all(
        Array.from({ length: USERS }, async (_, u) => {
          await sleep(random() * 1000);
          while (performance.now() < end) {
            const c = nextCommand();
            paced.push(send(c.kind, c.text, `U0LOAD${u}`));
            await sleep(500 + random() * 1000);
          }
        }),
      );
      const importSeconds = await imports;
      await settle(paced, ANSWER_WAIT_MS);
      const healthTimes = await health.stop();

      // Round 2: the flood, no pause but the ack.
      const flood: Sent[] = [];
      const floodStart = performance.now();
      const floodEnd = floodStart + FLOOD_SECONDS * 1000;
      await Promise.all(
        Array.from({ length: USERS }, async (_, u) => {
          while (performance.now() < floodEnd) {
            const c = nextCommand();
            const s = send(c.kind, c.text, `U0LOAD${u}`);
            flood.push(s);
            while (s.status === undefined && performance.now() - s.sentAt < ACK_LIMIT_MS) await sleep(1);
          }
        }),
      );
      const floodAcked = flood.filter((s) => s.status === 200).length;
      const floodSeconds = (performance.now() - floodStart) / 1000;
      await settle(flood, ANSWER_WAIT_MS);
      await sleep(2000);
      const rssAfter = serve.rssMb();

      // The floor: the bare server under the same flood.
      const bareRate = await floodBare(bare.url, FLOOD_SECONDS);

      // SIGTERM while commands are arriving.
      const last: Sent[] = [];
      let stop = false;
      const lastFlood = Promise.all(
        Array.from({ length: USERS }, async (_, u) => {
          while (!stop) {
            const c = nextCommand();
            last.push(send(c.kind, c.text, `U0LOAD${u}`));
            await sleep(50);
          }
        }),
      );
      await sleep(1000);
      const logged = [...serve.problems()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([m, n]) => `${n}× ${m}`).join('; ');
      const termMs = await serve.terminate();
      stop = true;
      await lastFlood;
      serve = undefined;
      agent.destroy();

      const all = [...paced, ...flood];
      const acks = paced.flatMap((s) => (s.ackMs === undefined ? [] : [s.ackMs])).sort((a, b) => a - b);
      const answers = paced.flatMap((s) => (s.answerMs === undefined ? [] : [s.answerMs])).sort((a, b) => a - b);
      const floodAcks = flood.flatMap((s) => (s.ackMs === undefined ? [] : [s.ackMs])).sort((a, b) => a - b);
      const floodAnswers = flood.flatMap((s) => (s.answerMs === undefined ? [] : [s.answerMs])).sort((a, b) => a - b);
      const late = paced.filter((s) => s.status !== 200 || (s.ackMs ?? Infinity) > 3000).length;
      const unanswered = paced.filter((s) => s.answerMs === undefined).length;
      const errors = all.filter((s) => s.status !== 200).length;
      const apologies = all.filter((s) => APOLOGY.test(s.answerText ?? '')).length;
      const busyPaced = paced.filter((s) => BUSY.test(s.answerText ?? '')).length;
      const busyFlood = flood.filter((s) => BUSY.test(s.answerText ?? '')).length;
      const floodUnanswered = flood.filter((s) => s.answerMs === undefined).length;
      const hp99 = percentile(healthTimes, 99);
      const slowestKinds = slowestByKind(paced);
      const floodRate = floodAcked / floodSeconds;
      // The host is shared: its load says how much of a core serve could have had.
      const note = `${paced.length} commands; imports ${importSeconds.map((s) => s.toFixed(1)).join(' s, ')} s; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
      return [
        { name: 'paced: commands not acked within 3 s', value: late, unit: 'count', target: '0', pass: late === 0, note },
        { name: 'paced: ack p50', value: percentile(acks, 50), unit: 'ms' },
        { name: 'paced: ack p99', value: percentile(acks, 99), unit: 'ms', target: '< 250 ms', pass: percentile(acks, 99) < 250 },
        { name: 'paced: answer p99', value: percentile(answers, 99), unit: 'ms', target: '< 3000 ms', pass: percentile(answers, 99) < 3000, note: `slowest p99 by command: ${slowestKinds}` },
        { name: 'paced: commands never answered', value: unanswered, unit: 'count', target: '0', pass: unanswered === 0 },
        { name: 'paced: answered "busy"', value: busyPaced, unit: 'count', target: '0', pass: busyPaced === 0 },
        { name: '/healthz p99 during the paced round', value: hp99, unit: 'ms', target: '< 500 ms', pass: hp99 < 500, note: `${healthTimes.length} probes, 5 a second` },
        { name: 'errors (no 200 ack), both rounds', value: errors, unit: 'count', target: '0', pass: errors === 0 },
        { name: 'apologies, both rounds', value: apologies, unit: 'count', target: '0', pass: apologies === 0, note: logged ? `serve logged: ${logged}` : undefined },
        { name: 'flood: ack p99', value: percentile(floodAcks, 99), unit: 'ms', target: '< 3000 ms', pass: percentile(floodAcks, 99) < 3000, note: `${flood.length} commands in ${floodSeconds.toFixed(1)} s` },
        { name: 'flood: answer p99', value: percentile(floodAnswers, 99), unit: 'ms', note: `${busyFlood} answered "busy", ${floodUnanswered} never answered` },
        { name: 'flood: acked req/s', value: floodRate, unit: 'count', baseline: { name: 'bare node:http, same signature check', value: bareRate } },
        {
          name: 'flood: answers (not "busy") per second',
          value: (flood.length - busyFlood - floodUnanswered) / floodSeconds,
          unit: 'count',
          note: 'each user sends again on the ack, so past the in-flight limits most are told "busy" in the ack',
        },
        { name: 'RSS after warm-up', value: rssWarm, unit: 'MB', note: `${warm.length} commands, each user sending again once answered` },
        { name: 'RSS after both rounds', value: rssAfter, unit: 'MB', baseline: { name: 'after warm-up', value: rssWarm }, target: '≤ 1.2x warm-up', pass: rssAfter <= 1.2 * rssWarm },
        ...perCommand,
        { name: 'SIGTERM under load to exit', value: termMs, unit: 'ms', target: `< ${GRACE_MS} ms grace`, pass: termMs < GRACE_MS },
      ];
    } finally {
      await serve?.terminate().catch(() => 0);
      await slack.close();
      await bare.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

/**
 * Each command of the mix run alone through the router, in this process, on the same catalog:
 * what one command costs the thread that runs it (median of 5 after one warm-up run).
 */
async function timeCommands(db: string, names: { components: string[]; teams: string[] }): Promise<BenchRow[]> {
  const steward = stewardFromConfig(loadConfig({ STEWARD_DB: db, STEWARD_LOG_LEVEL: 'silent' }), { logger: silentLogger });
  try {
    const name = names.components[0]!;
    // A different misspelling on each run: did-you-mean keeps its answers, and a repeated typo
    // would time the cache, not the search.
    const typo = (i: number): string => {
      const n = names.components[i % names.components.length]!;
      return `info ${n.slice(0, -1)}x${n.slice(-1)}`;
    };
    const mix: Array<[string, string | ((i: number) => string), number | undefined]> = [
      ['who-owns', `who-owns ${name}`, 20],
      ['info', `info ${name}`, 20],
      ['search', `search ${name.split('-')[1] ?? name}`, 20],
      ['health', `health ${name}`, 20],
      ['typo (did-you-mean), a new one each time', typo, 20],
      ['team', `team ${names.teams[0]}`, 20],
      ['leaderboard', 'leaderboard', 20],
    ];
    const rows: BenchRow[] = [];
    for (const [kind, text, target] of mix) {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t0 = performance.now();
        await steward.router.dispatch({ platform: 'slack', actor: { id: 'U0BENCH' }, text: typeof text === 'string' ? text : text(i), receivedAt: new Date() });
        if (i > 0) times.push(performance.now() - t0);
      }
      const median = percentile(times.sort((a, b) => a - b), 50);
      rows.push({ name: `\`${kind}\` alone, median`, value: median, unit: 'ms', ...(target !== undefined ? { target: `< ${target} ms`, pass: median < target } : {}) });
    }
    return rows;
  } finally {
    steward.close();
  }
}

function slowestByKind(sent: readonly Sent[]): string {
  const byKind = new Map<string, number[]>();
  for (const s of sent) {
    if (s.answerMs === undefined) continue;
    const list = byKind.get(s.kind) ?? [];
    list.push(s.answerMs);
    byKind.set(s.kind, list);
  }
  return [...byKind]
    .map(([k, xs]) => [k, percentile(xs.sort((a, b) => a - b), 99)] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${Math.round(v)} ms`)
    .join(', ');
}

/** Component and team names of the catalog now in `db`, a few hundred of each. */
function sample(db: string): { components: string[]; teams: string[] } {
  const conn = openDatabase(db, { migrate: false });
  try {
    const components = conn.prepare("SELECT name FROM entities WHERE kind = 'Component' ORDER BY random() LIMIT 400").pluck().all() as string[];
    const teams = conn.prepare("SELECT name FROM entities WHERE kind = 'Group' ORDER BY random() LIMIT 100").pluck().all() as string[];
    return { components, teams };
  } finally {
    conn.close();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every command is acked (or lost) and answered, or `ms` passed. */
async function settle(sent: readonly Sent[], ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (sent.every((s) => s.status !== undefined && (s.status !== 200 || s.answerMs !== undefined))) return;
    await sleep(50);
  }
}

/** Runs the steward CLI to completion; resolves with its seconds, rejects on a non-zero exit. */
function cli(args: readonly string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, STEWARD_LOG_LEVEL: 'warn' } });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`steward ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

interface Serve {
  readonly url: string;
  /** Error and warning lines serve logged, counted by message. */
  problems(): Map<string, number>;
  rssMb(): number;
  /** SIGTERM; resolves with the milliseconds until the process exited. */
  terminate(): Promise<number>;
}

async function startServe(db: string, apiUrl: string): Promise<Serve> {
  // STEWARD_BENCH_LOAD_PROFILE=<dir>: serve writes a V8 CPU profile there when it exits.
  const profile = process.env['STEWARD_BENCH_LOAD_PROFILE'];
  const child: ChildProcess = spawn(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), CLI, 'serve'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: apiUrl,
      PORT: '0',
      STEWARD_DB: db,
      STEWARD_LOG_LEVEL: 'warn',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const problems = new Map<string, number>();
  let partial = '';
  child.stderr!.on('data', (c: Buffer) => {
    const lines = (partial + c.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = /"level":"(error|warn)".*?"msg":"([^"]*)"/.exec(line);
      if (m) problems.set(`${m[1]}: ${m[2]}`, (problems.get(`${m[1]}: ${m[2]}`) ?? 0) + 1);
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (c: Buffer) => {
      seen += c.toString();
      const m = /steward serving on (http:\/\/\S+)/.exec(seen);
      if (m) resolve(m[1]!);
      if (seen.length > 100_000) seen = seen.slice(-10_000);
    });
    child.once('exit', (code) => reject(new Error(`steward serve exited ${code}: ${seen.slice(-2000)}`)));
  });
  let done = false;
  return {
    url,
    problems: () => problems,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    async terminate() {
      if (done) return 0;
      done = true;
      const t0 = performance.now();
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
      return performance.now() - t0;
    },
  };
}

/** GET /healthz five times a second until stopped; the latencies, sorted. */
function pollHealth(baseUrl: string): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let running = true;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        const req = request(`${baseUrl}/healthz`, { agent, timeout: ACK_LIMIT_MS }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => resolve());
        req.end();
      });
      times.push(performance.now() - t0);
      await sleep(200);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      agent.destroy();
      return times.sort((a, b) => a - b);
    },
  };
}

/** POSTs a signed form body; the status and body once the whole answer is read. */
export function post(url: string, body: string, agent: Agent): Promise<{ status: number; text: string }> {
  const ts = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      timeout: ACK_LIMIT_MS,
      headers: {
        'content-type': FORM,
        'content-length': Buffer.byteLength(body),
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sign(SIGNING_SECRET, ts, body),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The bare server flooded by USERS clients, each sending again on the ack; acked req/s. */
async function floodBare(baseUrl: string, seconds: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: USERS * 4 });
  let acked = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      while (performance.now() < end) {
        const body = commandBody({ text: 'who-owns x', userId: `U0LOAD${u}`, responseUrl: 'http://127.0.0.1:1/unused' });
        const { status } = await post(`${baseUrl}/slack/events`, body, agent);
        if (status === 200) acked++;
      }
    }),
  );
  agent.destroy();
  return acked / ((performance.now() - start) / 1000);
}

/**
 * Exported for profiling runs against a serve started by hand.
 * The Web API calls Steward makes on its own (auth.test at start, users.info for a new user) and
 * response_url: each hook is one command's, so the answer is timed where it arrives.
 */
export async function startFakeSlack(): Promise<{ apiUrl: string; hook(onAnswer: (body: string) => void): string; close(): Promise<void> }> {
  const hooks = new Map<string, (body: string) => void>();
  let next = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path.startsWith('/hooks/')) {
        const id = path.slice('/hooks/'.length);
        hooks.get(id)?.(raw);
        hooks.delete(id);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const method = /^\/api\/([a-zA-Z.]+)/.exec(path)?.[1];
      const user = /user=([A-Z0-9]+)/.exec(`${path} ${raw}`)?.[1] ?? 'U0NOBODY';
      const body =
        method === 'auth.test'
          ? { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'steward', team_id: 'T0ACME', user_id: 'U0STEWARD', bot_id: 'B0STEWARD' }
          : method === 'users.info'
            ? { ok: true, user: { id: user, name: user, real_name: user, deleted: false, profile: { email: `${user.toLowerCase()}@bench.example` } } }
            : { ok: true };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    hook(onAnswer) {
      const id = String(next++);
      hooks.set(id, onAnswer);
      return `${base}/hooks/${id}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

