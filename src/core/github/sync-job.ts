import type { RunOutcome } from '../jobs/index.js';
import { oneRunAtATime } from '../jobs/index.js';
import type { Clock, Logger } from '../ports.js';
import type { SyncReport } from './sync-github.js';

/** The last scheduled sync: what `/healthz` shows and `/metrics` counts. */
export interface GithubSyncOutcome {
  readonly outcome: 'ok' | 'failed';
  readonly startedAt: string;
  readonly seconds: number;
  /** On success: what it did. */
  readonly counts?: {
    readonly teams: number;
    readonly people: number;
    readonly repositories: number;
    readonly read: number;
    readonly unchanged: number;
    readonly ownedFromCodeowners: number;
    readonly removed: number;
    readonly problems: number;
    readonly requests: number;
  };
  /** On failure: the one line an operator reads. */
  readonly error?: string;
}

export interface GithubSyncStatus {
  readonly org: string;
  readonly schedule: string;
  readonly running: boolean;
  readonly runs: { readonly ok: number; readonly failed: number; readonly skipped: number };
  readonly last: GithubSyncOutcome | undefined;
}

export interface GithubSyncJob {
  /** One sync now; `skipped` when one is already running (never two at once). */
  run(): Promise<'ok' | 'failed' | 'skipped'>;
  status(): GithubSyncStatus;
}

/**
 * The organisation sync as `serve` schedules it: one at a time, its last outcome and counts kept
 * for `/healthz` and `/metrics`, a failure logged (never thrown into the scheduler). `work` is one
 * sync (`syncGithub` here, or in a job thread with its own connection: see src/app/job-thread.ts).
 */
export function createGithubSyncJob(options: {
  readonly work: () => Promise<SyncReport>;
  readonly sync: { readonly org: string };
  readonly schedule: string;
  readonly clock: Clock;
  readonly logger: Logger;
}): GithubSyncJob {
  let last: GithubSyncOutcome | undefined;
  const once = async (): Promise<RunOutcome> => {
    const started = options.clock.now();
    const t0 = performance.now();
    try {
      const report = await options.work();
      last = {
        outcome: 'ok',
        startedAt: started.toISOString(),
        seconds: (performance.now() - t0) / 1000,
        counts: {
          teams: report.organization.teams,
          people: report.organization.people,
          repositories: report.seen,
          read: report.read,
          unchanged: report.unchanged,
          ownedFromCodeowners: report.ownedFromCodeowners,
          removed: report.removed + report.organization.removed,
          problems: report.problems.length,
          requests: report.requests.rest + report.requests.graphql,
        },
      };
      options.logger.info('github sync done', { org: options.sync.org, ...last.counts, noEmail: report.organization.noEmail.length });
      return 'ok';
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      last = { outcome: 'failed', startedAt: started.toISOString(), seconds: (performance.now() - t0) / 1000, error };
      options.logger.error('github sync failed', { org: options.sync.org, err: error });
      return 'failed';
    }
  };
  const runner = oneRunAtATime(once, () => options.logger.warn('github sync still running; this run is skipped', { org: options.sync.org }));
  return {
    run: () => runner.run(),
    status: () => ({ org: options.sync.org, schedule: options.schedule, running: runner.running, runs: runner.runs(), last }),
  };
}

const FIELD = /^(\*|[0-9]+(-[0-9]+)?|[A-Za-z]{3}(-[A-Za-z]{3})?)(\/[0-9]+)?$/;

/** A five-field cron expression (minute hour day month weekday: numbers, ranges, lists, steps, names). */
export function isCronExpression(expression: string): boolean {
  const fields = expression.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => f.split(',').every((part) => FIELD.test(part)));
}
