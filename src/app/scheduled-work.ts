import type { Config } from '../config.js';
import type { CollectReport } from '../core/facts/index.js';
import { collectFacts } from '../core/facts/index.js';
import type { SyncReport } from '../core/github/index.js';
import { syncGithub } from '../core/github/index.js';
import type { Steward } from './create-steward.js';

/** The work `serve` runs on a schedule, by name: what a job thread is asked to do. */
export interface ScheduledWork {
  /** One sync of the organisation in `github:` (the catalog in one transaction, then the facts). */
  'github-sync'(): Promise<SyncReport>;
  /** One collection from every configured source, then every service scored again. */
  'facts-collect'(): Promise<CollectReport>;
}

export type JobName = keyof ScheduledWork;
export type JobResult<J extends JobName> = Awaited<ReturnType<ScheduledWork[J]>>;

/**
 * The scheduled jobs on one Steward. `serve` runs them in a job thread with its own connection
 * (src/app/job-thread.ts), so their seconds of synchronous SQLite work at 10,000 services never
 * hold the event loop; the same code runs in-process where a thread cannot (an in-memory database).
 */
export function scheduledWork(steward: Steward, config: Config): ScheduledWork {
  return {
    async 'github-sync'() {
      const sync = config.github.sync;
      const deps = await steward.githubSync();
      if (!sync || !deps) throw new Error('github-sync: the config has no `github:` organisation or no GITHUB_TOKEN');
      return syncGithub(deps, { org: sync.org, repoPattern: sync.repoPattern, includeArchived: sync.includeArchived });
    },
    async 'facts-collect'() {
      const report = await collectFacts(steward.factsCollect());
      // Scored at once, so history says when a level changed with its facts.
      try {
        steward.scoring.refreshInBatches({ trigger: 'facts' }, () => {});
      } catch (err) {
        steward.logger.error('scoring after facts collect failed', { err: err instanceof Error ? err.message : String(err) });
      }
      return report;
    },
  };
}
