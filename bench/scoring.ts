import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveOwner } from '../src/core/catalog/index.js';
import type { Fact, FactValue, ResultInput, ScorecardResult, ServiceSnapshot, StateCode } from '../src/core/scoring/index.js';
import { evaluateScorecard } from '../src/core/scoring/index.js';
import { silentLogger } from '../src/core/ports.js';
import { importCatalog } from '../src/import-catalog.js';
import { createSteward } from '../src/app/create-steward.js';
import { SqliteExemptionStore } from '../src/infra/sqlite/exemption-store.js';
import { SqliteFactStore } from '../src/infra/sqlite/fact-store.js';
import { SqliteScoreStore } from '../src/infra/sqlite/score-store.js';
import { generateOrg, writeOrg } from './generate-org.js';
import type { Bench, BenchRow } from './report.js';
import { seededRandom } from '../src/core/seeded-random.js';

const COMPONENTS = 10_000;
const DAY_MS = 86_400_000;
const NOW = new Date('2026-11-30T09:00:00Z');
const CHURN = 0.05;


/** The facts the five default scorecards read, with a realistic spread of good, bad and missing. */
function factsFor(random: () => number): Record<string, FactValue> {
  const day = (maxAgo: number): string => new Date(NOW.getTime() - Math.floor(random() * maxAgo) * DAY_MS).toISOString().slice(0, 10);
  const out: Record<string, FactValue> = {};
  const maybe = (key: string, value: () => FactValue): void => {
    if (random() < 0.85) out[key] = value();
  };
  maybe('alerts.configured', () => random() < 0.8);
  maybe('slo.defined', () => random() < 0.6);
  maybe('loadtest.last_run', () => day(200));
  maybe('sbom.generated_at', () => day(60));
  maybe('cve.critical', () => (random() < 0.7 ? 0 : Math.floor(random() * 4)));
  maybe('secrets.env_count', () => (random() < 0.6 ? 0 : Math.floor(random() * 3)));
  maybe('deps.last_upgrade', () => day(180));
  maybe('readme.bytes', () => Math.floor(random() * 4000));
  maybe('docs.architecture_updated_at', () => day(400));
  maybe('slo.error_budget_remaining', () => Math.round(random() * 120 - 20));
  maybe('deploys.per_week', () => Math.round(random() * 100) / 10);
  maybe('incidents.mttr_hours', () => Math.round(random() * 80) / 10);
  maybe('cost.untagged_resources', () => (random() < 0.7 ? 0 : Math.floor(random() * 5)));
  maybe('cost.idle_ratio', () => Math.round(random() * 60) / 100);
  maybe('cost.reserved_coverage', () => Math.round(random() * 100) / 100);
  return out;
}

const STATE: Record<string, StateCode> = { pass: 'p', fail: 'f', unknown: 'u', exempt: 'e' };
const toInput = (r: ScorecardResult): ResultInput => ({
  entityRef: r.entityRef,
  scorecardId: r.scorecard.id,
  applies: true,
  ownerRef: r.ownerRef,
  level: r.level,
  levelRank: r.levelRank,
  score: r.score,
  states: Object.fromEntries(r.checks.map((c) => [c.check.id, STATE[c.state]!])),
});

const time = <T>(fn: () => T): { value: T; seconds: number } => {
  const t0 = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
};

/**
 * Issue 6's benchmark: 10,000 services (a generated org) with 15 facts each, against the five
 * default scorecards. Loading, pure evaluation and storage are measured apart, each beside the
 * least the same step could do in the same run; then the whole `steward score` path, first on
 * an empty history and again with nothing changed; then what a week of 5% churn writes.
 */
const bench: Bench = {
  id: 'scoring',
  title: 'Scoring: 10,000 services × the five default scorecards',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'steward-bench-scoring-'));
    let now = NOW;
    const steward = createSteward({ db: join(dir, 'steward.db'), logger: silentLogger, clock: { now: () => now } });
    try {
      writeOrg(join(dir, 'org'), generateOrg({ components: COMPONENTS, seed: 7 }));
      importCatalog(steward.catalog, [join(dir, 'org', 'all.yaml')], { now });
      const db = steward.db;
      const facts = new SqliteFactStore(db);
      const exemptions = new SqliteExemptionStore(db);
      const history = new SqliteScoreStore(db);
      const refs = steward.catalog.entitiesOfKinds(['component']).map((e) => e.ref);
      const random = seededRandom(11);
      const seeded = time(() =>
        db.transaction(() => {
          let n = 0;
          for (const ref of refs) {
            const values = factsFor(random);
            n += facts.putFacts(
              ref,
              Object.entries(values).map(([key, value]): Fact => ({ key, value, source: 'bench', observedAt: new Date(NOW.getTime() - DAY_MS) })),
              now,
            ).length;
          }
          return n;
        })(),
      );
      const cards = steward.scoring.scorecards;

      // 1. Collection: entities, owners, facts and exemptions into snapshots — what a full run reads.
      const load = time(() => {
        const all = facts.allFacts();
        const ex = exemptions.allExemptions(now);
        const owners = steward.catalog.directOwners();
        return steward.catalog.entitiesOfKinds(['component']).map((entity): ServiceSnapshot => {
          const f = all.get(entity.ref) ?? [];
          const ownerRef = owners.get(entity.ref) ?? resolveOwner(steward.catalog, entity).ownerRef;
          return { entity, ownerRef, facts: new Map(f.map((x) => [x.key, x])), exemptions: ex.get(entity.ref) ?? [], now };
        });
      });
      const bareLoad = time(() => {
        const rows = db.prepare("SELECT ref, metadata, spec FROM entities WHERE lower(kind) = 'component'").all() as Array<{ metadata: string; spec: string }>;
        for (const r of rows) {
          JSON.parse(r.metadata);
          JSON.parse(r.spec);
        }
        return db.prepare('SELECT entity_ref, key, value FROM facts').all().length;
      });
      const snapshots = load.value;

      // 2. Pure evaluation over the snapshots, best of three (the first run also warms the JIT).
      let results: ScorecardResult[] = [];
      let evalSeconds = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        const run = time(() => {
          const out: ScorecardResult[] = [];
          for (const snap of snapshots) for (const card of cards) if (card.appliesTo(snap.entity, snap.ownerRef)) out.push(evaluateScorecard(card, snap));
          return out;
        });
        results = run.value;
        evalSeconds = Math.min(evalSeconds, run.seconds);
      }
      const keys = cards.flatMap((c) => c.checks.flatMap((k) => k.facts));
      let bareEval = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        bareEval = Math.min(
          bareEval,
          time(() => {
            let seen = 0;
            for (const snap of snapshots) for (const k of keys) if (snap.facts.get(k) !== undefined) seen++;
            return seen;
          }).seconds,
        );
      }
      const checksEvaluated = results.reduce((n, r) => n + r.checks.length, 0);

      // 3. Storage: the first run writes every result; a run where nothing changed writes nothing.
      const inputs = results.map(toInput);
      const run = { at: now, trigger: 'score', scorecardIds: cards.map((c) => c.id), full: true };
      const firstStore = time(() => history.record(run, inputs));
      const againStore = time(() => history.record({ ...run, at: new Date(now.getTime() + 1000) }, inputs));
      db.exec('CREATE TABLE bench_bare (entity_ref TEXT, scorecard_id TEXT, at TEXT, level TEXT, score INTEGER, states TEXT) STRICT');
      const bareInsert = db.prepare('INSERT INTO bench_bare VALUES (?, ?, ?, ?, ?, ?)');
      const at = now.toISOString();
      const bareStore = time(() =>
        db.transaction(() => {
          for (const r of inputs) bareInsert.run(r.entityRef, r.scorecardId, at, r.level ?? null, r.score, JSON.stringify(r.states));
        })(),
      );
      db.exec('DROP TABLE bench_bare');
      db.exec('DELETE FROM score_results; DELETE FROM score_runs;');

      // 4. The whole path `steward score` takes, on an empty history and again unchanged; best of
      // three (history emptied before each pair), since the host is shared and noisy.
      let fullFirst = { value: { results: [] as ScorecardResult[], changed: 0 }, seconds: Number.POSITIVE_INFINITY };
      let fullAgain = { value: { results: [] as ScorecardResult[], changed: 0 }, seconds: Number.POSITIVE_INFINITY };
      for (let round = 0; round < 3; round++) {
        db.exec('DELETE FROM score_results; DELETE FROM score_runs;');
        now = new Date(NOW.getTime() + DAY_MS);
        const first = time(() => steward.scoring.refresh({ trigger: 'score' }));
        now = new Date(NOW.getTime() + 2 * DAY_MS);
        const again = time(() => steward.scoring.refresh({ trigger: 'score' }));
        if (first.seconds < fullFirst.seconds) fullFirst = first;
        if (again.seconds < fullAgain.seconds) fullAgain = again;
      }
      const bareTotal = bareLoad.seconds + bareEval + bareStore.seconds;

      // 5. A week later, 5% of services have new facts: what history grows by.
      // CI re-reports every service weekly (fresh observation times); 5% report different values.
      now = new Date(NOW.getTime() + 8 * DAY_MS);
      const churned = refs.filter(() => random() < CHURN);
      const churnedSet = new Set(churned);
      const current = facts.allFacts();
      db.transaction(() => {
        for (const ref of refs) {
          const values = churnedSet.has(ref) ? Object.entries(factsFor(random)) : (current.get(ref) ?? []).map((f) => [f.key, f.value] as const);
          facts.putFacts(ref, values.map(([key, value]): Fact => ({ key, value, source: 'bench', observedAt: now })), now);
        }
      })();
      now = new Date(NOW.getTime() + 9 * DAY_MS);
      const week = time(() => steward.scoring.refresh({ trigger: 'score' }));
      const resultRows = db.prepare('SELECT count(*) FROM score_results').pluck().get() as number;
      const bytesPerRow = resultRows > 0 ? (db.prepare('SELECT avg(length(states) + length(entity_ref) + length(scorecard_id) + 60) FROM score_results').pluck().get() as number) : 0;
      const yearRows = fullFirst.value.changed + 51 * week.value.changed;
      const dbMb = statSync(join(dir, 'steward.db')).size / 1e6;

      const standings = time(() => steward.scoring.standings('production-readiness', { since: '2026-W48' }));

      return [
        { name: `setup: ${refs.length.toLocaleString('en')} components, ${seeded.value.toLocaleString('en')} facts pushed`, value: seeded.seconds, unit: 's' },
        {
          name: 'load snapshots (entities, owners, facts, exemptions)',
          value: load.seconds,
          unit: 's',
          baseline: { name: 'SELECT + JSON.parse of the same rows', value: bareLoad.seconds },
        },
        {
          name: `evaluate (pure): ${results.length.toLocaleString('en')} scorecard results, ${checksEvaluated.toLocaleString('en')} checks`,
          value: evalSeconds,
          unit: 's',
          baseline: { name: 'one Map lookup per fact read', value: bareEval },
          target: '< 1 s',
          pass: evalSeconds < 1,
        },
        {
          name: `store results, first run (${firstStore.value.changed.toLocaleString('en')} rows)`,
          value: firstStore.seconds,
          unit: 's',
          baseline: { name: 'bare INSERT of the same rows, one transaction', value: bareStore.seconds },
        },
        { name: `store results, nothing changed (${againStore.value.changed} rows)`, value: againStore.seconds, unit: 's' },
        {
          name: `steward score: load + evaluate + store, empty history (${fullFirst.value.changed.toLocaleString('en')} rows)`,
          value: fullFirst.seconds,
          unit: 's',
          baseline: { name: 'the three bare steps above, added', value: bareTotal },
          target: '< 2 s',
          pass: fullFirst.seconds < 2,
        },
        {
          name: 'steward score again, nothing changed',
          value: fullAgain.seconds,
          unit: 's',
          baseline: { name: 'the three bare steps above, added', value: bareTotal },
          target: '< 2 s',
          pass: fullAgain.seconds < 2,
        },
        {
          name: `a week later, ${Math.round(CHURN * 100)}% of services with new facts: rows written`,
          value: week.value.changed,
          unit: 'count',
          note: `(${churned.length} services changed, the rest re-reported unchanged; the run took ${week.seconds.toFixed(2)} s)`,
        },
        {
          name: 'history rows after a year of weekly runs at that churn (projected)',
          value: yearRows,
          unit: 'count',
          baseline: { name: 'one row per service × scorecard × week', value: results.length * 52 },
          note: `(~${((yearRows * bytesPerRow) / 1e6).toFixed(0)} MB of rows; database now ${dbMb.toFixed(0)} MB)`,
        },
        { name: 'standings of one scorecard with week-over-week change', value: standings.seconds * 1000, unit: 'ms' },
      ];
    } finally {
      steward.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
