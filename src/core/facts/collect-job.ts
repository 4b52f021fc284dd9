import type { RunOutcome } from '../jobs/index.js';
import { oneRunAtATime } from '../jobs/index.js';
import type { Clock, Logger } from '../ports.js';
import type { CollectReport, SourceSummary } from './collect-facts.js';

export interface FactsCollectStatus {
  readonly schedule: string;
  readonly sources: readonly string[];
  readonly running: boolean;
  readonly runs: { readonly ok: number; readonly failed: number; readonly skipped: number };
  /** The last run's summary per source (a failed source is there with its error). */
  readonly last: { readonly startedAt: string; readonly sources: readonly SourceSummary[] } | undefined;
}

export interface FactsCollectJob {
  /** One run now; `skipped` when one is already running; `failed` when the run itself broke (logged). */
  run(): Promise<'ok' | 'failed' | 'skipped'>;
  status(): FactsCollectStatus;
}

/**
 * `facts collect` as `serve` schedules it: one run at a time, the last summary kept for `/healthz`.
 * A failing source is in the summary, never thrown into the scheduler. `work` is one collection
 * and the re-scoring after it (in a job thread with its own connection: see src/app/job-thread.ts).
 */
export function createFactsCollectJob(options: {
  readonly work: () => Promise<CollectReport>;
  /** The configured sources' ids, for `/healthz`. */
  readonly sources: readonly string[];
  readonly schedule: string;
  readonly clock: Clock;
  readonly logger: Logger;
}): FactsCollectJob {
  let last: FactsCollectStatus['last'];
  const once = async (): Promise<RunOutcome> => {
    try {
      const report = await options.work();
      last = { startedAt: report.at.toISOString(), sources: report.sources };
      return 'ok';
    } catch (err) {
      // A failing source is in the report; this is the run itself (the database, a job thread that died).
      options.logger.error('facts collect failed', { err: err instanceof Error ? err.message : String(err) });
      return 'failed';
    }
  };
  const runner = oneRunAtATime(once, () => options.logger.warn('facts collect still running; this run is skipped'));
  return {
    run: () => runner.run(),
    status: () => ({
      schedule: options.schedule,
      sources: options.sources,
      running: runner.running,
      runs: runner.runs(),
      last,
    }),
  };
}
