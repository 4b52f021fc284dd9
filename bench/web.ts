import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/core/ports.js';
import { seededRandom } from '../src/core/seeded-random.js';
import { importCatalog } from '../src/import-catalog.js';
import type { RunningServer } from '../src/serve.js';
import { startServer } from '../src/serve.js';
import { generateOrg, writeOrg } from './generate-org.js';
import type { Bench, BenchRow } from './report.js';
import { percentile } from './report.js';

const COMPONENTS = 10_000;
const ROUNDS = 20;
const COLD_ROUNDS = 6;
const DAY_MS = 86_400_000;
const PUBLIC = 'http://bench.invalid';

/**
 * Issue 18's benchmark: the web scoreboard's home page on a 10,000-service org scored twice a week
 * apart (so the leaderboard has changes to show), fetched signed in over loopback. The server
 * time is the request to the last byte, beside `/healthz` on the same server in the same run (the
 * HTTP floor); the size is the HTML as sent. The page is kept until history moves, so it is also
 * measured just after a change (rebuilt from the database). The other pages are for information.
 */
const bench: Bench = {
  id: 'web',
  title: 'Web scoreboard: pages at 10,000 services, signed in, over loopback',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'steward-bench-web-'));
    let now = new Date('2026-11-23T09:00:00Z');
    let server: RunningServer | undefined;
    try {
      server = await startServer({
        config: loadConfig({ PORT: '0', STEWARD_PUBLIC_URL: PUBLIC }),
        logger: silentLogger,
        db: join(dir, 'steward.db'),
        clock: { now: () => now },
        jobs: false,
      });
      const { steward } = server;
      writeOrg(join(dir, 'org'), generateOrg({ components: COMPONENTS, seed: 7 }));
      importCatalog(steward.catalog, [join(dir, 'org', 'all.yaml')], { now });
      const refs = steward.db.prepare("SELECT ref FROM entities WHERE kind = 'Component'").pluck().all() as string[];
      const random = seededRandom(18);
      const push = (): void => {
        steward.db.transaction(() => {
          for (const ref of refs) {
            const entity = steward.catalog.get(ref)!;
            steward.stores.facts.putFacts(
              entity.ref,
              [
                { key: 'alerts.configured', value: random() < 0.8, source: 'bench', observedAt: now },
                { key: 'slo.defined', value: random() < 0.6, source: 'bench', observedAt: now },
                { key: 'cve.critical', value: random() < 0.7 ? 0 : 2, source: 'bench', observedAt: now },
                { key: 'readme.bytes', value: Math.floor(random() * 4000), source: 'bench', observedAt: now },
                { key: 'deploys.per_week', value: Math.round(random() * 50) / 10, source: 'bench', observedAt: now },
              ],
              now,
            );
          }
        })();
        steward.scoring.refresh({ trigger: 'score' });
      };
      push();
      now = new Date(now.getTime() + 7 * DAY_MS);
      push();

      const { url } = server;
      const link = steward.signIn.mint({ platform: 'slack', id: 'U-bench', name: 'Bench' }).url.replace(PUBLIC, url);
      const signedIn = await fetch(link, { method: 'POST', redirect: 'manual' });
      const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
      const service = refs[0]!.split('/')[1]!;
      const team = steward.db.prepare("SELECT o.name FROM entities o JOIN relations r ON r.target_ref = o.ref WHERE o.kind = 'Group' AND r.type = 'ownedBy' LIMIT 1").pluck().get() as string;

      const timed = async (path: string): Promise<{ ms: number; bytes: number; status: number }> => {
        const t0 = performance.now();
        const res = await fetch(`${url}${path}`, { headers: { cookie } });
        const body = await res.arrayBuffer();
        return { ms: performance.now() - t0, bytes: body.byteLength, status: res.status };
      };
      // Interleaved, so machine noise hits the page and the floor alike; the first round warms up.
      await timed('/');
      await timed('/healthz');
      const home: number[] = [];
      const floor: number[] = [];
      let homeBytes = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const h = await timed('/');
        if (h.status !== 200) throw new Error(`/ answered ${h.status}`);
        home.push(h.ms);
        homeBytes = h.bytes;
        floor.push((await timed('/healthz')).ms);
      }
      home.sort((a, b) => a - b);
      floor.sort((a, b) => a - b);
      const p50 = percentile(home, 50);
      // Cold: history just moved (CI pushed a fact that changed a score), so the page is rebuilt.
      const probe = steward.catalog.get(steward.scoring.latest('production-readiness')[0]!.entityRef)!;
      const cold: number[] = [];
      for (let i = 0; i < COLD_ROUNDS; i++) {
        const before = steward.scoring.historyVersion();
        steward.scoring.pushFacts(probe, { 'alerts.configured': i % 2 === 0, 'slo.defined': i % 2 === 0, 'readme.bytes': i % 2 === 0 ? 4000 : 0 }, { source: 'bench' });
        if (steward.scoring.historyVersion() === before) throw new Error('the pushed facts did not move history');
        cold.push((await timed('/')).ms);
      }
      cold.sort((a, b) => a - b);
      const others: BenchRow[] = [];
      for (const path of ['/scorecards/production-readiness', `/teams/${team}`, `/services/${service}`]) {
        const first = await timed(path);
        if (first.status !== 200) throw new Error(`${path} answered ${first.status}`);
        const runs = [await timed(path), await timed(path), await timed(path)].sort((a, b) => a.ms - b.ms);
        others.push({ name: `${path.replace(/\/[^/]+$/, '/<name>')} (median of 3), ${(runs[1]!.bytes / 1024).toFixed(1)} KB`, value: runs[1]!.ms, unit: 'ms' });
      }
      return [
        {
          name: `GET / signed in, p50 of ${ROUNDS} (${refs.length.toLocaleString('en')} services, 5 scorecards)`,
          value: p50,
          unit: 'ms',
          baseline: { name: 'GET /healthz, same server, interleaved', value: percentile(floor, 50) },
          target: '< 200 ms',
          pass: p50 < 200,
        },
        { name: `GET / p90 of ${ROUNDS}`, value: percentile(home, 90), unit: 'ms' },
        {
          name: `GET / just after history moved (rebuilt), p50 of ${COLD_ROUNDS}`,
          value: percentile(cold, 50),
          unit: 'ms',
          baseline: { name: 'GET /healthz', value: percentile(floor, 50) },
          target: '< 200 ms',
          pass: percentile(cold, 50) < 200,
        },
        { name: 'GET / HTML size', value: homeBytes / 1024, unit: 'KB', target: '< 150 KB', pass: homeBytes < 150 * 1024 },
        ...others,
      ];
    } finally {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
