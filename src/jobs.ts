import { hostname } from 'node:os';
import type { Config } from './config.js';
import type { Platform } from './core/message/index.js';
import type { DeliveryLedger, DeliveryReport, JobRuns, Outreach, OutreachJob, RunResult } from './core/jobs/index.js';
import { LEADERBOARD_JOB, NUDGE_JOB, createOutreach, cronExpression, deliverPending, lastOccurrence } from './core/jobs/index.js';
import type { Messenger } from './core/messaging/index.js';
import type { Clock, Logger, Metrics } from './core/ports.js';
import { noMetrics } from './core/ports.js';
import type { CronScheduler } from './infra/cron/cron-scheduler.js';
import { createCronScheduler } from './infra/cron/cron-scheduler.js';
import { isBusy, retryOnBusy } from './infra/sqlite/write-queue.js';
import type { Steward } from './app/create-steward.js';

/**
 * The jobs' composition file, as `serve.ts` is for HTTP: the messengers each configured platform
 * offers, the outreach service over the SQLite stores, the node-cron schedules in the configured
 * zone, the catch-up on start, and the delivery worker.
 *
 * The messengers are the Steward's (src/app/create-steward.ts builds them; a platform plugs in
 * there). The planners address only platforms that have a messenger, and the ledger stores the
 * platform per message.
 */
export interface OutreachSetup {
  readonly outreach: Outreach;
  readonly ledger: DeliveryLedger;
  readonly runs: JobRuns;
  readonly messengers: readonly Messenger[];
  /** Sends what is due; waits (with `wait`) for retries due within `maxWaitMs`. */
  deliver(options?: { maxWaitMs?: number; concurrency?: number }): Promise<DeliveryReport>;
}

export interface OutreachOptions {
  readonly steward: Steward;
  readonly config: Config;
  readonly logger: Logger;
  /** Messengers to use instead of the Steward's (tests, benches). */
  readonly messengers?: readonly Messenger[] | undefined;
  readonly wait?: ((ms: number) => Promise<void>) | undefined;
  readonly owner?: string | undefined;
  /** Job runs and delivery outcomes for /metrics. */
  readonly metrics?: Metrics | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createOutreachSetup(options: OutreachOptions): OutreachSetup {
  const { steward, config, logger } = options;
  const owner = options.owner ?? `${hostname()}:${process.pid}`;
  const messengers = options.messengers ?? steward.messengers();
  const platforms: Platform[] = messengers.map((m) => m.platform);
  const { ledger, jobRuns: runs } = steward.stores;
  const outreach = createOutreach({
    catalog: steward.catalog,
    scoring: steward.scoring,
    history: steward.stores.scores,
    ledger,
    runs,
    preferences: steward.nudges,
    oncall: steward.oncall,
    fixes: steward.fixes,
    config: config.outreach,
    timeZone: config.timezone,
    platforms,
    clock: steward.clock,
    logger,
    owner,
    publicUrl: steward.signIn.publicUrl,
  });
  return {
    outreach,
    ledger,
    runs,
    messengers,
    deliver: (o = {}) =>
      deliverPending({
        ledger,
        messengers,
        clock: steward.clock,
        logger,
        owner,
        wait: options.wait ?? sleep,
        maxWaitMs: o.maxWaitMs,
        concurrency: o.concurrency,
      }),
  };
}

export interface RunningJobs {
  readonly setup: OutreachSetup;
  /** Runs the last due occurrence of each job unless a process has claimed it, then delivers. */
  catchUp(): Promise<RunResult[]>;
  stop(): Promise<void>;
}

/** `steward serve`'s jobs: the weekly leaderboard, the nudges, and a delivery pass every minute. */
export async function startJobs(options: OutreachOptions & { readonly scheduler?: CronScheduler | undefined; readonly clock?: Clock | undefined }): Promise<RunningJobs> {
  const { config, logger } = options;
  const setup = createOutreachSetup(options);
  const clock = options.steward.clock;
  const scheduler = options.scheduler ?? createCronScheduler({ logger });
  const zone = config.timezone;
  const schedules: Record<OutreachJob, typeof config.outreach.nudges.schedule> = {
    [LEADERBOARD_JOB]: config.outreach.leaderboard.schedule,
    [NUDGE_JOB]: config.outreach.nudges.schedule,
  };
  let delivering: Promise<unknown> = Promise.resolve();
  // One delivery pass at a time in this process; other processes are kept apart by the claims.
  const metrics = options.metrics ?? noMetrics;
  const countDeliveries = (report: DeliveryReport): void => {
    for (const [outcome, n] of [['sent', report.sent], ['retry', report.retried], ['failed', report.failed.length], ['uncertain', report.uncertain.length]] as const) {
      for (let i = 0; i < n; i++) metrics.delivery({ platform: 'all', outcome });
    }
  };
  const deliver = (): Promise<unknown> =>
    (delivering = delivering
      .then(() => setup.deliver())
      .then(countDeliveries)
      .catch((err: unknown) =>
        // Another process's write lock (an import of several seconds) is expected, not an error:
        // nothing was sent twice or lost, and the next pass is a minute away.
        isBusy(err) || (err as { code?: unknown } | null)?.code === 'database_busy'
          ? logger.warn('delivery pass skipped: the database is locked by another process (an import?); the next pass retries', { err: String(err) })
          : logger.error('delivery pass failed', { err: String(err) }),
      ));

  async function runDue(job: OutreachJob): Promise<RunResult | undefined> {
    const due = lastOccurrence(schedules[job], clock.now(), zone);
    if (!due) return undefined;
    const started = performance.now();
    try {
      // Claim and plan are one transaction: one that found the database locked (an import) is
      // retried a moment later instead of waiting with the whole thread (serve's connection has no busy timeout).
      const result = await retryOnBusy(() => setup.outreach.run(job, due.period));
      metrics.jobRun({ job, outcome: result.claimed ? 'ran' : 'already_claimed', seconds: (performance.now() - started) / 1000 });
      if (result.claimed) await deliver();
      return result;
    } catch (err) {
      metrics.jobRun({ job, outcome: 'failed', seconds: (performance.now() - started) / 1000 });
      throw err;
    }
  }

  for (const job of [LEADERBOARD_JOB, NUDGE_JOB] as const) {
    scheduler.schedule(job, cronExpression(schedules[job]), zone, async () => {
      await runDue(job);
    });
  }
  scheduler.schedule('deliveries', '* * * * *', zone, async () => {
    await deliver();
  });
  logger.info('outreach scheduled', {
    timezone: zone,
    dryRun: config.outreach.dryRun,
    leaderboard: cronExpression(schedules[LEADERBOARD_JOB]),
    nudges: cronExpression(schedules[NUDGE_JOB]),
    platforms: setup.messengers.map((m) => m.platform),
  });

  return {
    setup,
    async catchUp() {
      const results: RunResult[] = [];
      for (const job of [LEADERBOARD_JOB, NUDGE_JOB] as const) {
        try {
          const r = await runDue(job);
          if (r) results.push(r);
        } catch (err) {
          logger.error('catch-up run failed', { job, err: err instanceof Error ? err.message : String(err) });
        }
      }
      await deliver();
      return results;
    },
    async stop() {
      await scheduler.stop();
      await delivering;
    },
  };
}
