import type { Entity } from '../catalog/index.js';
import type { FactValue } from '../scoring/index.js';

/**
 * A source of facts Steward reads itself, from a tool the team already runs (PagerDuty,
 * Prometheus…), as a port: `src/infra/<tool>/` implements it, `src/app/` builds the configured
 * ones, `collectFacts` runs them over the catalog. A collector reads in batches (many services per
 * request), never throws for one service's trouble (that is an unknown fact with its reason), and
 * throws only when the whole source cannot be read (the run reports it and goes on).
 */
export interface FactCollector {
  /** Stored as each fact's source and named by `--source`: `pagerduty`, `prometheus`. */
  readonly id: string;
  /** For people: `PagerDuty`. */
  readonly name: string;
  collect(services: readonly Entity[], context: CollectContext): Promise<CollectorOutcome>;
}

export interface CollectContext {
  readonly now: Date;
  /** Services done so far of those the collector reads (its own count: those it has an id for). */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface CollectedFact {
  readonly entityRef: string;
  readonly key: string;
  readonly value: FactValue;
  /** When the source observed it; default the run's `now`. */
  readonly observedAt?: Date | undefined;
}

export interface UnknownCollectedFact {
  readonly entityRef: string;
  readonly key: string;
  readonly reason: string;
}

export interface CollectorOutcome {
  /** Services the source had something to read for (e.g. those with a PagerDuty service id). */
  readonly read: number;
  readonly facts: readonly CollectedFact[];
  readonly unknown: readonly UnknownCollectedFact[];
  /** Requests made to the source: what the benchmark divides by the services read. */
  readonly requests: number;
  /** Problems of the configuration that did not stop the source, e.g. a PromQL query that errors, named by its config path. */
  readonly problems?: readonly string[] | undefined;
}
