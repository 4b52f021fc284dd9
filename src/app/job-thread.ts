import type { ResourceLimits } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { BotError } from '../core/errors.js';
import type { LogFields, Logger } from '../core/ports.js';
import type { JobName, JobResult } from './scheduled-work.js';

/** What a job thread is started with (structured-cloned: plain data only). */
export interface JobThreadData {
  readonly job: JobName;
  readonly config: Config;
  /** The database file: the thread opens its own connection to it. */
  readonly db: string;
}

/** What a job thread sends back: its log lines as they happen, then its result or its failure. */
export type JobThreadMessage =
  | { readonly type: 'log'; readonly level: keyof Logger; readonly message: string; readonly fields?: LogFields | undefined }
  | { readonly type: 'done'; readonly result: unknown }
  | { readonly type: 'failed'; readonly message: string; readonly code?: string | undefined };

export interface JobThreads {
  /** Runs one job in a new thread and settles with its result; rejects when it fails or the thread dies. */
  run<J extends JobName>(job: J): Promise<JobResult<J>>;
  /** Jobs running now. */
  readonly running: number;
  /**
   * Stops every running job (shutdown): each thread is asked to stop at its next await, a
   * transaction under way commits first, and its promise rejects; the next scheduled run does
   * the work again. Settles when every thread has exited.
   */
  stop(): Promise<void>;
}

/**
 * The scheduled jobs (the GitHub sync, fact collection) each in a worker thread of their own with
 * their own SQLite connection: an import of 10,000 repositories is seconds of synchronous work and
 * one write transaction, and here it holds neither the event loop that acknowledges Slack nor the
 * serving connection (which never waits for a lock). The thread's connection may wait for another
 * process's write lock as long as an import takes: only the job waits. A thread per run, not a pool:
 * the jobs are hourly, and the memory of a 10k catalog read is given back when the run ends.
 */
export function createJobThreads(options: {
  readonly config: Config;
  readonly db: string;
  readonly logger: Logger;
  /** V8's memory caps for each thread: a job over them dies alone, reported; serve stays up. */
  readonly resourceLimits?: ResourceLimits | undefined;
}): JobThreads {
  const live = new Set<{ worker: Worker; job: JobName }>();
  let stopping = false;
  return {
    get running() {
      return live.size;
    },
    run<J extends JobName>(job: J): Promise<JobResult<J>> {
      if (stopping) return Promise.reject(new BotError('job_stopped', `${job}: Steward is shutting down`));
      return new Promise<JobResult<J>>((resolve, reject) => {
        const data: JobThreadData = { job, config: options.config, db: options.db };
        const worker = new Worker(entry(), { workerData: data, name: `steward ${job}`, resourceLimits: options.resourceLimits });
        const entryOf = { worker, job };
        live.add(entryOf);
        let settled = false;
        const settle = (outcome: () => void): void => {
          if (settled) return;
          settled = true;
          live.delete(entryOf);
          outcome();
          // The thread closed its connection before it answered, so no SQLite call is under way
          // (see job-thread-entry.ts); its keep-alive sockets would hold it open otherwise.
          void worker.terminate();
        };
        worker.on('message', (m: JobThreadMessage) => {
          if (m.type === 'log') options.logger[m.level](m.message, { ...m.fields, job });
          else if (m.type === 'done') settle(() => resolve(m.result as JobResult<J>));
          else settle(() => reject(new BotError(m.code ?? 'job_failed', m.message)));
        });
        // An exception nobody caught in the thread: reported with the job, never lost.
        worker.on('error', (err) => {
          settle(() => reject(new BotError('job_thread_crashed', `${job}: the job thread crashed: ${err.message}`, { cause: err })));
        });
        worker.on('exit', (code) => {
          settle(() =>
            reject(
              new BotError(
                stopping ? 'job_stopped' : 'job_thread_exited',
                stopping ? `${job}: stopped by shutdown; the next run does it again` : `${job}: the job thread exited with code ${code} before it finished`,
              ),
            ),
          );
        });
      });
    },
    async stop() {
      stopping = true;
      const running = [...live];
      // Asked, not terminated: the thread stops between two awaits, never inside SQLite (see
      // job-thread-entry.ts); a transaction under way (seconds at 10k) commits first.
      for (const { worker, job } of running) {
        options.logger.warn('scheduled job stopped by shutdown', { job });
        worker.postMessage({ type: 'stop' });
      }
      await Promise.all(running.map(({ worker }) => new Promise((resolve) => worker.once('exit', resolve))));
    },
  };
}

/**
 * The thread's entry. Built (`dist/`), it is the compiled `job-thread-entry.js`; from the sources
 * (the `steward` binary and the tests run TypeScript through tsx), a worker does not inherit tsx's
 * loader hooks on Node 20, so a small `.mjs` registers them in the thread and loads the `.ts`.
 */
function entry(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './job-thread-tsx.mjs' : './job-thread-entry.js', import.meta.url);
}

/** A logger whose lines go to the thread that started this one (see job-thread-entry.ts). */
export function forwardingLogger(post: (m: JobThreadMessage) => void): Logger {
  const line =
    (level: keyof Logger) =>
    (message: string, fields?: LogFields): void => {
      try {
        post({ type: 'log', level, message, fields });
      } catch {
        // A field that cannot be cloned (a function, a socket): the line as text instead.
        post({ type: 'log', level, message, fields: { fields: safeText(fields) } });
      }
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

function safeText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}
