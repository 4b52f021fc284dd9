import type { Entity } from '../catalog/index.js';
import { InputError } from '../errors.js';
import type { Clock, Logger } from '../ports.js';
import type { Fact, FactStore } from '../scoring/index.js';
import { factKeySchema, factValueSchema } from '../scoring/index.js';
import type { FactCollector } from './fact-collector.js';

export interface CollectFactsDeps {
  /** The services to read: every component, or the one asked for. */
  readonly services: () => readonly Entity[];
  readonly facts: FactStore;
  readonly collectors: readonly FactCollector[];
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface CollectFactsOptions {
  /** Only this service (already found in the catalog). */
  readonly service?: Entity | undefined;
  /** Only this collector, by id. */
  readonly source?: string | undefined;
  readonly onProgress?: ((progress: { source: string; done: number; total: number }) => void) | undefined;
}

/** One source's part of a run: what `facts collect` prints and `/healthz` shows. */
export interface SourceSummary {
  readonly source: string;
  readonly name: string;
  readonly outcome: 'ok' | 'failed';
  readonly read: number;
  readonly recorded: number;
  /** Unknown facts counted by reason. */
  readonly unknown: ReadonlyArray<{ readonly reason: string; readonly count: number }>;
  readonly requests: number;
  readonly seconds: number;
  readonly problems: readonly string[];
  /** When the source could not be read at all. */
  readonly error?: string | undefined;
}

export interface CollectReport {
  readonly at: Date;
  readonly services: number;
  readonly sources: readonly SourceSummary[];
}

/**
 * Runs the configured collectors over the catalog, one source after the other, and stores what
 * they observed with the source's name and the observation time. A source that fails is reported
 * and its facts stay as they were (unknown, or the last good value until it goes stale): one
 * broken integration never fails the run or the others. A value that is not a finite number, a
 * string or a boolean never becomes a fact.
 */
export async function collectFacts(deps: CollectFactsDeps, options: CollectFactsOptions = {}): Promise<CollectReport> {
  const at = deps.clock.now();
  let collectors = deps.collectors;
  if (options.source !== undefined) {
    const wanted = options.source.trim().toLowerCase();
    collectors = collectors.filter((c) => c.id === wanted);
    if (collectors.length === 0) {
      throw new InputError(
        `--source ${options.source}: no such fact source is configured; configured: ${deps.collectors.map((c) => c.id).join(', ') || 'none (set PAGERDUTY_TOKEN, OPSGENIE_API_KEY or PROMETHEUS_URL)'}`,
      );
    }
  }
  const services = options.service ? [options.service] : deps.services();
  const sources: SourceSummary[] = [];
  // "Alerts are configured" is true when any tool says so: PagerDuty seeing an integration and
  // Opsgenie seeing none for the same service is not a contradiction. So within one run a `true`
  // recorded by an earlier source is not undone by a later source's `false`.
  const trueThisRun = new Set<string>();
  for (const collector of collectors) {
    const t0 = performance.now();
    const seconds = (): number => (performance.now() - t0) / 1000;
    try {
      const outcome = await collector.collect(services, {
        now: at,
        onProgress: options.onProgress ? (done, total) => options.onProgress!({ source: collector.id, done, total }) : undefined,
      });
      const unknown = new Map<string, number>();
      const countUnknown = (reason: string): void => {
        unknown.set(reason, (unknown.get(reason) ?? 0) + 1);
      };
      for (const u of outcome.unknown) countUnknown(u.reason);
      const byService = new Map<string, Fact[]>();
      for (const f of outcome.facts) {
        if (!factKeySchema.safeParse(f.key).success || !factValueSchema.safeParse(f.value).success || (f.observedAt && Number.isNaN(f.observedAt.getTime()))) {
          countUnknown(`${f.key}: ${collector.name} gave a value that is not a number, text or true/false`);
          continue;
        }
        const fact = `${f.entityRef}\u0000${f.key}`;
        if (f.value === false && trueThisRun.has(fact)) continue;
        if (f.value === true) trueThisRun.add(fact);
        let list = byService.get(f.entityRef);
        if (!list) byService.set(f.entityRef, (list = []));
        list.push({ key: f.key, value: f.value, source: collector.id, observedAt: f.observedAt ?? at });
      }
      let recorded = 0;
      for (const facts of byService.values()) recorded += facts.length;
      deps.facts.putFactsOfMany([...byService].map(([entityRef, facts]) => ({ entityRef, facts })), at);
      const summary: SourceSummary = {
        source: collector.id,
        name: collector.name,
        outcome: 'ok',
        read: outcome.read,
        recorded,
        unknown: [...unknown].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
        requests: outcome.requests,
        seconds: seconds(),
        problems: outcome.problems ?? [],
      };
      sources.push(summary);
      deps.logger.info('facts collected', { source: collector.id, read: summary.read, recorded, requests: summary.requests, problems: summary.problems.length });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      sources.push({ source: collector.id, name: collector.name, outcome: 'failed', read: 0, recorded: 0, unknown: [], requests: 0, seconds: seconds(), problems: [], error });
      deps.logger.error('fact source failed', { source: collector.id, err: error });
    }
  }
  return { at, services: services.length, sources };
}
