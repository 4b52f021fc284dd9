import type { Entity } from '../catalog/index.js';
import type { Exemption } from './exemption.js';
import type { Fact } from './fact.js';

/**
 * The ports scoring reads and writes through. `src/infra/sqlite` implements them; the engine
 * itself never sees them (it evaluates a snapshot).
 */

export interface FactStore {
  /** The pushed facts of one service, one per key (the latest). */
  factsOf(entityRef: string): Fact[];
  /**
   * Every pushed fact (of `keys`, when given; of the services `entityRefs`, when given), grouped by
   * service: one read for a whole evaluation run, or for one batch of it.
   */
  allFacts(keys?: readonly string[], entityRefs?: readonly string[]): Map<string, Fact[]>;
  /**
   * Stores facts, replacing values of the same keys observed earlier (a value observed later than
   * the one given is kept); returns the keys whose value changed.
   */
  putFacts(entityRef: string, facts: readonly Fact[], recordedAt: Date): string[];
  /** The same for many services at once, all or nothing (a collection run); returns how many values changed. */
  putFactsOfMany(batch: ReadonlyArray<{ readonly entityRef: string; readonly facts: readonly Fact[] }>, recordedAt: Date): number;
}

/** An exemption as recorded: the store gives it its id. */
export type NewExemption = Omit<Exemption, 'id'>;

export interface ExemptionStore {
  /** Exemptions of one service that hold at `at` or later (expired ones are history). */
  exemptionsOf(entityRef: string, at: Date): Exemption[];
  /** The same for every service. */
  allExemptions(at: Date): Map<string, Exemption[]>;
  /** Records an exemption; an earlier one for the same service and check is replaced. */
  addExemption(exemption: NewExemption): Exemption;
}

/** One character per check state in stored history: pass, fail, unknown, exempt. */
export type StateCode = 'p' | 'f' | 'u' | 'e';

export interface StoredResult {
  readonly entityRef: string;
  readonly scorecardId: string;
  /** When this state was first seen (rows are written only when something changed). */
  readonly at: Date;
  /** False when the scorecard stopped applying (filter no longer matches, or the entity is gone). */
  readonly applies: boolean;
  readonly ownerRef: string | undefined;
  readonly level: string | undefined;
  readonly levelRank: number;
  readonly score: number;
  readonly states: Readonly<Record<string, StateCode>>;
}

export type ResultInput = Omit<StoredResult, 'at'>;

/** What standings and level counts need of a stored result: no check states, no time (cheap to read for 10,000 services). */
export type ResultSummary = Pick<StoredResult, 'applies' | 'ownerRef' | 'level' | 'levelRank' | 'score'>;

export interface ScoreRun {
  readonly at: Date;
  /** What asked for it: `score` (the CLI), `facts`, `chat`, `gate`, `exempt`. */
  readonly trigger: string;
  readonly scorecardIds: readonly string[];
  /** Every service was evaluated for these scorecards: stored ones not among the results no longer apply. */
  readonly full: boolean;
}

export interface ScoreHistory {
  /**
   * Stores the results that differ from the latest stored state of their service and scorecard
   * (run-length: the state at any moment is the latest row at or before it). Returns how many
   * rows were written.
   */
  record(run: ScoreRun, results: readonly ResultInput[]): { changed: number };
  /** Rows of one service and scorecard, newest first. */
  historyOf(entityRef: string, scorecardId: string, limit?: number): StoredResult[];
  /** The state of every service under a scorecard as of `asOf` (default: now), applying ones only. */
  latest(scorecardId: string, asOf?: Date): StoredResult[];
  /** The same without check states and times: what standings and level counts read. */
  summaries(scorecardId: string, asOf?: Date): ResultSummary[];
  /** `summaries` of every scorecard at once, by scorecard id: one read for a page about all of them. */
  allSummaries(asOf?: Date): Map<string, ResultSummary[]>;
  /** Grows whenever a result is stored: views built from history are good until it moves. */
  version(): number;
  /**
   * A full run (`run.full`) recorded a batch at a time, like `record` but without holding every
   * result of a 50,000-service run at once. `finish` marks services scored before and not in any
   * batch as no longer applying, and returns how many rows the run wrote.
   */
  startRun(run: ScoreRun): RunRecorder;
}

export interface RunRecorder {
  /** Stores the batch's results that differ from their latest stored state. */
  add(results: readonly ResultInput[]): void;
  finish(): { changed: number };
}

/** Lists catalog entities by kind: what a full evaluation run walks. */
export interface EntityLister {
  /** Every entity of these kinds (lower case), in one read. */
  entitiesOfKinds(kinds: readonly string[]): Entity[];
  /** The same a page at a time, in ref order: what a full run walks without holding the whole catalog. */
  pagesOfKinds(kinds: readonly string[], pageSize: number): Iterable<Entity[]>;
  /** Each entity's own owner (`spec.owner`), for all at once; the rest resolve through their system. */
  directOwners(): Map<string, string>;
}

/**
 * What a team's standing is computed from: sums rather than averages, so one service's new result
 * can be added or taken out without reading the others (`applyResult`). Stored per scorecard.
 */
export interface TeamTotals {
  readonly ownerRef: string;
  readonly services: number;
  readonly scoreSum: number;
  /** Services at the scorecard's top level. */
  readonly atTop: number;
  readonly levels: Readonly<Record<string, number>>;
}

/** An owner of scored services that is not a team in the catalog: a person, or a Group nobody declared. */
export interface OtherOwner {
  readonly ownerRef: string;
  readonly services: number;
}

/** The standings of one scorecard as stored: what `team` and `leaderboard` read instead of every result. */
export interface StoredStandings {
  readonly computedAt: Date;
  readonly totals: readonly TeamTotals[];
  /** Owners of scored services that are not teams (people, Groups not in the catalog). */
  readonly others: readonly OtherOwner[];
}

/** Stored standings per scorecard, `now` or as of an ISO week's end (`2026-W47`). */
export interface StandingsStore {
  readStandings(scorecardId: string, asOf: string): StoredStandings | undefined;
  /** Replaces the stored standings; `update` reads and writes in one transaction (single evaluations). */
  writeStandings(scorecardId: string, asOf: string, standings: StoredStandings): void;
  updateStandings(scorecardId: string, asOf: string, update: (stored: StoredStandings | undefined) => StoredStandings | undefined): void;
}
