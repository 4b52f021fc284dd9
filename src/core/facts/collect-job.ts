import type { Clock, Logger } from '../ports.js';
import type { CollectFactsDeps, SourceSummary } from './collect-facts.js';
import { collectFacts } from './collect-facts.js';

export interface FactsCollectStatus {
  readonly schedule: string;
  readonly sources: readonly string[];
  readonly running: boolean;
  readonly runs: { readonly ok: number; readonly skipped: number };
  /** The last run's summary per source (a failed source is there with its error). */
  readonly last: { readonly startedAt: string; readonly sources: readonly SourceSummary[] } | undefined;
}

export interface FactsCollectJob {
  /** One run now; `skipped` when one is already running. */
  run(): Promise<'ok' | 'skipped'>;
  status(): FactsCollectStatus;
}

/**
 * `facts collect` as `serve` schedules it: one run at a time, the last summary kept for `/healthz`.
 * A failing source is in the summary, never thrown into the scheduler.
 */
export function createFactsCollectJob(options: {
  readonly deps: CollectFactsDeps;
  readonly schedule: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** After each run: serve re-scores every service, so history says when a level changed with its facts. */
  readonly afterRun?: (() => void) | undefined;
}): FactsCollectJob {
  let running: Promise<'ok'> | undefined;
  let last: FactsCollectStatus['last'];
  const runs = { ok: 0, skipped: 0 };
  const once = async (): Promise<'ok'> => {
    const report = await collectFacts(options.deps);
    last = { startedAt: report.at.toISOString(), sources: report.sources };
    try {
      options.afterRun?.();
    } catch (err) {
      options.logger.error('scoring after facts collect failed', { err: err instanceof Error ? err.message : String(err) });
    }
    runs.ok++;
    return 'ok';
  };
  return {
    async run() {
      if (running) {
        runs.skipped++;
        options.logger.warn('facts collect still running; this run is skipped');
        return 'skipped';
      }
      running = once();
      try {
        return await running;
      } finally {
        running = undefined;
      }
    },
    status: () => ({
      schedule: options.schedule,
      sources: options.deps.collectors.map((c) => c.id),
      running: running !== undefined,
      runs: { ...runs },
      last,
    }),
  };
}
