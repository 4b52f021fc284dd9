import type { GithubSyncStatus } from '../../core/github/index.js';

/** The scheduled GitHub sync in Prometheus text format, appended to `/metrics`. */
export function githubSyncMetrics(status: GithubSyncStatus): string {
  const org = JSON.stringify(status.org);
  const lines = [
    '# HELP steward_github_sync_runs_total Scheduled GitHub organisation syncs, by outcome.',
    '# TYPE steward_github_sync_runs_total counter',
    ...(['ok', 'failed', 'skipped'] as const).map((o) => `steward_github_sync_runs_total{org=${org},outcome="${o}"} ${status.runs[o]}`),
    '# HELP steward_github_sync_running Whether a GitHub sync is running now.',
    '# TYPE steward_github_sync_running gauge',
    `steward_github_sync_running{org=${org}} ${status.running ? 1 : 0}`,
  ];
  const last = status.last;
  if (last) {
    lines.push(
      '# HELP steward_github_sync_last_run_timestamp_seconds Start of the last GitHub sync.',
      '# TYPE steward_github_sync_last_run_timestamp_seconds gauge',
      `steward_github_sync_last_run_timestamp_seconds{org=${org},outcome="${last.outcome}"} ${Math.floor(Date.parse(last.startedAt) / 1000)}`,
      '# HELP steward_github_sync_last_duration_seconds Wall time of the last GitHub sync.',
      '# TYPE steward_github_sync_last_duration_seconds gauge',
      `steward_github_sync_last_duration_seconds{org=${org}} ${last.seconds.toFixed(3)}`,
    );
    if (last.counts) {
      lines.push('# HELP steward_github_sync_last_count What the last successful GitHub sync saw and did.', '# TYPE steward_github_sync_last_count gauge');
      for (const [k, v] of Object.entries(last.counts)) lines.push(`steward_github_sync_last_count{org=${org},what="${k}"} ${v}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
