import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GithubSyncStatus } from '../../core/github/index.js';
import type { Metrics } from '../../core/ports.js';

export interface PrometheusMetrics extends Metrics {
  readonly contentType: string;
  /** The exposition text for `GET /metrics`. */
  render(): Promise<string>;
}

/**
 * Steward's metrics in a registry of its own (not prom-client's global one), so two servers in
 * one process (tests) never share or double-register a metric.
 */
export function createPrometheusMetrics(
  options: {
    catalogSize?: () => Record<string, number>;
    /** The scheduled GitHub organisation sync, read when `/metrics` is scraped; undefined when it is off. */
    githubSync?: () => GithubSyncStatus | undefined;
    defaults?: boolean;
  } = {},
): PrometheusMetrics {
  const registry = new Registry();
  if (options.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'steward_process_' });
  const commands = new Counter({
    name: 'steward_commands_total',
    help: 'Chat commands handled, by command, outcome and platform',
    labelNames: ['command', 'outcome', 'platform'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'steward_command_duration_seconds',
    help: 'Time from a command arriving at the router to its reply',
    labelNames: ['command'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const jobs = new Counter({ name: 'steward_job_runs_total', help: 'Scheduled job runs by job and outcome', labelNames: ['job', 'outcome'], registers: [registry] });
  const jobSeconds = new Histogram({
    name: 'steward_job_duration_seconds',
    help: 'Duration of scheduled job runs',
    labelNames: ['job'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'steward_deliveries_total',
    help: 'Outgoing messages by platform and outcome (sent, retry, failed)',
    labelNames: ['platform', 'outcome'],
    registers: [registry],
  });
  const providerCalls = new Counter({
    name: 'steward_provider_calls_total',
    help: 'Calls to on-call providers by provider and outcome',
    labelNames: ['provider', 'outcome'],
    registers: [registry],
  });
  const providerSeconds = new Histogram({
    name: 'steward_provider_call_duration_seconds',
    help: 'Latency of on-call provider calls',
    labelNames: ['provider'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 5],
    registers: [registry],
  });
  const catalogSize = options.catalogSize;
  new Gauge({
    name: 'steward_catalog_entities',
    help: 'Entities in the catalog, by kind',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      if (!catalogSize) return;
      this.reset();
      for (const [kind, n] of Object.entries(catalogSize())) this.set({ kind }, n);
    },
  });

  registerGithubSync(registry, options.githubSync);

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    commandHandled(e) {
      commands.inc({ command: e.command, outcome: e.outcome, platform: e.platform });
      latency.observe({ command: e.command }, e.seconds);
    },
    jobRun(e) {
      jobs.inc({ job: e.job, outcome: e.outcome });
      jobSeconds.observe({ job: e.job }, e.seconds);
    },
    delivery(e) {
      deliveries.inc({ platform: e.platform, outcome: e.outcome });
    },
    providerCall(e) {
      providerCalls.inc({ provider: e.provider, outcome: e.outcome });
      providerSeconds.observe({ provider: e.provider }, e.seconds);
    },
  };
}

/** The sync keeps its own counts (runs, last outcome); these metrics read them at scrape time. */
function registerGithubSync(registry: Registry, status: (() => GithubSyncStatus | undefined) | undefined): void {
  if (!status) return;
  new Counter({
    name: 'steward_github_sync_runs_total',
    help: 'Scheduled GitHub organisation syncs, by outcome',
    labelNames: ['org', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      const s = status();
      if (s) for (const outcome of ['ok', 'failed', 'skipped'] as const) this.inc({ org: s.org, outcome }, s.runs[outcome]);
    },
  });
  new Gauge({
    name: 'steward_github_sync_running',
    help: 'Whether a GitHub sync is running now',
    labelNames: ['org'],
    registers: [registry],
    collect() {
      this.reset();
      const s = status();
      if (s) this.set({ org: s.org }, s.running ? 1 : 0);
    },
  });
  new Gauge({
    name: 'steward_github_sync_last_run_timestamp_seconds',
    help: 'Start of the last GitHub sync',
    labelNames: ['org', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      const last = status()?.last;
      if (last) this.set({ org: status()!.org, outcome: last.outcome }, Math.floor(Date.parse(last.startedAt) / 1000));
    },
  });
  new Gauge({
    name: 'steward_github_sync_last_duration_seconds',
    help: 'Wall time of the last GitHub sync',
    labelNames: ['org'],
    registers: [registry],
    collect() {
      this.reset();
      const s = status();
      if (s?.last) this.set({ org: s.org }, s.last.seconds);
    },
  });
  new Gauge({
    name: 'steward_github_sync_last_count',
    help: 'What the last successful GitHub sync saw and did',
    labelNames: ['org', 'what'],
    registers: [registry],
    collect() {
      this.reset();
      const s = status();
      for (const [what, n] of Object.entries(s?.last?.counts ?? {})) this.set({ org: s!.org, what }, n);
    },
  });
}
