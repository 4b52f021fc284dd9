import { parentPort, workerData } from 'node:worker_threads';
import { stewardFromConfig } from './create-steward.js';
import type { JobThreadData, JobThreadMessage } from './job-thread.js';
import { forwardingLogger } from './job-thread.js';
import { scheduledWork } from './scheduled-work.js';

/**
 * One scheduled job in a worker thread (see job-thread.ts): its own Steward on its own connection,
 * the job, the connection closed, then the result posted. A failure is posted with its code; an
 * exception that escapes anyway reaches the parent as the worker's `error` event.
 */

/** This connection may wait for another process's write lock (a `steward import`): only the job waits. */
const BUSY_TIMEOUT_MS = 120_000;

const data = workerData as JobThreadData;
const post = (m: JobThreadMessage): void => parentPort!.postMessage(m);
const steward = stewardFromConfig(data.config, { db: data.db, logger: forwardingLogger(post) });
steward.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
let outcome: JobThreadMessage;
try {
  outcome = { type: 'done', result: await scheduledWork(steward, data.config)[data.job]() };
} catch (err) {
  const code = (err as { code?: unknown }).code;
  outcome = { type: 'failed', message: err instanceof Error ? err.message : String(err), code: typeof code === 'string' ? code : undefined };
} finally {
  steward.close();
}
post(outcome);
