import type { JobRun, JobRuns } from '../../core/jobs/index.js';
import type { Db } from './open-database.js';

interface JobRunRow {
  job: string;
  period: string;
  claimed_by: string;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'done' | 'failed';
  summary: string | null;
}

const toRun = (r: JobRunRow): JobRun => ({
  job: r.job,
  period: r.period,
  claimedBy: r.claimed_by,
  startedAt: new Date(r.started_at),
  finishedAt: r.finished_at ? new Date(r.finished_at) : undefined,
  status: r.status,
  summary: r.summary ?? undefined,
});

/**
 * The at-most-once claim of a scheduled period: `INSERT … ON CONFLICT DO NOTHING` and a look at
 * `changes`. SQLite serialises writers, so of two processes on one file exactly one inserts.
 */
export class SqliteJobRuns implements JobRuns {
  readonly #stmt;

  constructor(db: Db) {
    this.#stmt = {
      claim: db.prepare(
        `INSERT INTO job_runs (job, period, claimed_by, started_at, status) VALUES (?, ?, ?, ?, 'running')
         ON CONFLICT (job, period) DO NOTHING`,
      ),
      finish: db.prepare('UPDATE job_runs SET status = ?, summary = ?, finished_at = ? WHERE job = ? AND period = ?'),
      get: db.prepare('SELECT * FROM job_runs WHERE job = ? AND period = ?'),
      recent: db.prepare('SELECT * FROM job_runs WHERE job = ? ORDER BY started_at DESC, period DESC LIMIT ?'),
    };
  }

  claim(job: string, period: string, owner: string, at: Date): boolean {
    return this.#stmt.claim.run(job, period, owner, at.toISOString()).changes === 1;
  }

  finish(job: string, period: string, outcome: { status: 'done' | 'failed'; summary: string; at: Date }): void {
    this.#stmt.finish.run(outcome.status, outcome.summary, outcome.at.toISOString(), job, period);
  }

  get(job: string, period: string): JobRun | undefined {
    const row = this.#stmt.get.get(job, period) as JobRunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  recent(job: string, limit = 10): JobRun[] {
    return (this.#stmt.recent.all(job, limit) as JobRunRow[]).map(toRun);
  }
}
