import cron from 'node-cron';
import type { ScheduledTask } from 'node-cron';
import type { Logger } from '../../core/ports.js';

/**
 * node-cron behind a small interface: run `task` at each occurrence of a five-field cron
 * expression in a named time zone. Missed runs while the process was down are not node-cron's
 * business: `src/jobs.ts` runs the last one on start if no process has claimed its period.
 */
export interface CronScheduler {
  schedule(name: string, expression: string, timeZone: string, task: () => Promise<void>): void;
  /** Stops every task; a run in progress finishes. */
  stop(): Promise<void>;
}

export function createCronScheduler(options: { logger: Logger }): CronScheduler {
  const { logger } = options;
  const tasks: ScheduledTask[] = [];
  return {
    schedule(name, expression, timeZone, task) {
      if (!cron.validate(expression)) throw new Error(`invalid cron expression for ${name}: ${expression}`);
      const scheduled = cron.schedule(
        expression,
        async () => {
          try {
            await task();
          } catch (err) {
            logger.error('scheduled job failed', { job: name, err: err instanceof Error ? err.message : String(err) });
          }
        },
        { name, timezone: timeZone, noOverlap: true },
      );
      tasks.push(scheduled);
    },
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.all(tasks.map((t) => t.destroy()));
      tasks.length = 0;
    },
  };
}
