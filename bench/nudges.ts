import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackJobMessenger } from '../src/adapters/slack/messenger.js';
import { loadConfig } from '../src/config.js';
import type { PlannedDelivery } from '../src/core/jobs/index.js';
import { deliverPending, outreachConfig } from '../src/core/jobs/index.js';
import type { Messenger } from '../src/core/messaging/index.js';
import { silentLogger } from '../src/core/ports.js';
import { importCatalog } from '../src/import-catalog.js';
import { createOutreachSetup } from '../src/jobs.js';
import { createSteward } from '../src/app/create-steward.js';
import type { FakeSlackUser } from '../test/support/fake-slack-api.js';
import { startFakeSlackApi } from '../test/support/fake-slack-api.js';
import { generateOrg, writeOrg } from './generate-org.js';
import type { Bench, BenchRow } from './report.js';

const NUDGES = 1000;
/** What the fake Slack allows: chat.postMessage and conversations.open together, per second. */
const RATE = 400;
const STORM = Number(process.env['BENCH_STORM'] ?? 0.2);
const RETRY_AFTER_S = 1;
const CONCURRENCY = 16;

/**
 * Plan and deliver 1,000 nudges against the fake Slack Web API with 20% of the calls answered 429
 * (`Retry-After: 1`) and the rate capped: every nudge must land exactly once, and the wall time is
 * compared with the best the fake's rate allows (two rate-limited calls per nudge).
 */
const bench: Bench = {
  id: 'nudges',
  title: 'Nudges: plan and deliver 1,000 through a 429 storm',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'steward-bench-nudges-'));
    try {
      writeOrg(join(dir, 'org'), generateOrg({ components: 3000, teams: 200, seed: 5 }));
      const now = new Date('2026-11-30T10:00:00Z'); // Monday, 10:00 UTC: nobody in quiet hours
      const steward = createSteward({
        db: join(dir, 'steward.db'),
        logger: silentLogger,
        clock: { now: () => now },
        scoring: { rollout: { 'production-readiness': 'nudge', documentation: 'nudge' } },
      });
      importCatalog(steward.catalog, [join(dir, 'org', 'all.yaml')], { now });
      const config = { ...loadConfig({}), outreach: outreachConfig({ dryRun: false, nudges: { quietHours: { from: '22:00', to: '06:00' } } }) };
      const planner: Messenger = { platform: 'slack', postToChannel: () => Promise.reject(new Error('unused')), sendDirect: () => Promise.reject(new Error('unused')) };
      const planning = createOutreachSetup({ steward, config, logger: silentLogger, messengers: [planner] });
      const t0 = performance.now();
      const plan = await planning.outreach.planNudges();
      const planMs = performance.now() - t0;
      const direct = plan.deliveries.filter((d) => d.target.kind === 'person').slice(0, NUDGES);
      if (direct.length < NUDGES) throw new Error(`the synthetic org gave only ${direct.length} nudges`);

      // Slack knows everyone the plan addresses.
      const users: FakeSlackUser[] = direct.map((d, i) => {
        const p = (d.target as Extract<PlannedDelivery['target'], { kind: 'person' }>).person;
        return { id: p.slackId ?? `U9${String(i).padStart(6, '0')}`, email: p.email, name: p.name };
      });
      const slack = await startFakeSlackApi({ users });
      try {
        const ledger = planning.ledger;
        ledger.plan(direct, new Date()); // due now on the wall clock the delivery runs on
        slack.rateLimit({ fraction: STORM, retryAfter: RETRY_AFTER_S, perSecond: RATE, seed: 42 });
        const clock = { now: () => new Date() };
        const messenger = createSlackJobMessenger({ botToken: 'xoxb-bench', apiUrl: slack.apiUrl, clock });
        const t1 = performance.now();
        const report = await deliverPending({
          ledger,
          messengers: [messenger],
          clock,
          logger: silentLogger,
          owner: 'bench',
          wait: (ms) => new Promise((r) => setTimeout(r, ms)),
          concurrency: CONCURRENCY,
          maxWaitMs: 10 * 60_000,
        });
        const wallS = (performance.now() - t1) / 1000;
        const perChannel = new Map<string, number>();
        for (const p of slack.posted()) perChannel.set(p.channel, (perChannel.get(p.channel) ?? 0) + 1);
        const exactlyOnce = perChannel.size === NUDGES && [...perChannel.values()].every((n) => n === 1);
        const limited = slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'conversations.open').length - 2 * NUDGES;
        const ideal = (2 * NUDGES) / RATE;
        return [
          { name: `plan nudges (${plan.deliveries.length} due, 3,000 services)`, value: planMs, unit: 'ms' },
          {
            name: 'deliver 1,000 nudges, wall time',
            value: wallS,
            unit: 's',
            baseline: { name: `2,000 calls at the fake's ${RATE}/s`, value: ideal },
            target: 'all delivered exactly once',
            pass: exactlyOnce && report.failed.length === 0 && report.sent === NUDGES,
            note: `${report.retried} retries after ${limited} rejected calls (${STORM * 100}% 429 with Retry-After ${RETRY_AFTER_S} s, plus the rate cap); concurrency ${CONCURRENCY}`,
          },
          { name: 'delivered exactly once', value: [...perChannel.values()].filter((n) => n === 1).length, unit: 'count', target: `${NUDGES}`, pass: exactlyOnce },
        ];
      } finally {
        await slack.close();
        steward.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
