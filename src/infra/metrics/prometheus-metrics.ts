import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
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
export function createPrometheusMetrics(options: { catalogSize?: () => Record<string, number>; defaults?: boolean } = {}): PrometheusMetrics {
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
