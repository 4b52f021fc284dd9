import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../infra/sqlite/open-database.js';
import { isBusy, retryOnBusy } from '../infra/sqlite/write-queue.js';
import { stewardFromConfig } from './create-steward.js';
import type { JobThreadData, JobThreadMessage } from './job-thread.js';
import { forwardingLogger } from './job-thread.js';
import { scheduledWork } from './scheduled-work.js';

/**
 * One scheduled job in a worker thread (see job-thread.ts): its own Steward on its own connection,
 * the job, the connection closed, then the result posted. A failure is posted with its code; an
 * exception that escapes anyway reaches the parent as the worker's `error` event.
 *
 * The thread is never terminated from outside while it may be inside SQLite: better-sqlite3 aborts
 * the whole process when it raises an error into a terminating thread (seen with a busy wait cut
 * short). So lock waits are short native waits retried from the event loop, and a `stop` message
 * is handled there, between two awaits, where no statement or transaction is open.
 */

/** One native wait for another process's write lock; the job is retried around it (see below). */
const BUSY_TIMEOUT_MS = 200;
/** How long the job keeps retrying while another process (an import of 50,000 entities) holds the lock. */
const LOCKED_GIVE_UP_MS = 300_000;

const data = workerData as JobThreadData;
const post = (m: JobThreadMessage): void => parentPort!.postMessage(m);
const logger = forwardingLogger(post);
let close = (): void => {};
parentPort!.on('message', (m: { type?: unknown }) => {
  if (m.type !== 'stop') return;
  close();
  post({ type: 'failed', code: 'job_stopped', message: `${data.job}: stopped by shutdown; the next run does it again` });
  process.exit(0);
});

let outcome: JobThreadMessage;
try {
  const db = openDatabase(data.db, { busyTimeoutMs: BUSY_TIMEOUT_MS });
  close = () => {
    if (db.open) db.close();
  };
  const steward = stewardFromConfig(data.config, { db, logger });
  const work = scheduledWork(steward, data.config)[data.job];
  let told = false;
  const result = await retryOnBusy(
    async () => {
      try {
        return await work();
      } catch (err) {
        // The job's transactions rolled back: it runs again once the other writer is done.
        if (isBusy(err) && !told) {
          told = true;
          logger.warn('the database is locked by another process (an import?); the job runs again when it is free');
        }
        throw err;
      }
    },
    { giveUpMs: LOCKED_GIVE_UP_MS, firstDelayMs: 250, maxDelayMs: 2_000 },
  );
  outcome = { type: 'done', result };
} catch (err) {
  const code = (err as { code?: unknown }).code;
  outcome = { type: 'failed', message: err instanceof Error ? err.message : String(err), code: typeof code === 'string' ? code : undefined };
} finally {
  close();
}
post(outcome);
