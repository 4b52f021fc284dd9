import type { Platform } from '../message/index.js';
import type { PersonRef, Reply } from '../message/index.js';

/**
 * What the jobs read and write through. `src/infra/sqlite` implements them (delivery-ledger.ts,
 * job-runs.ts, nudge-preferences.ts); the planners never see them.
 */

/** Where a message goes: a channel by name or id, or one person (a DM). */
export type DeliveryTarget = { readonly kind: 'channel'; readonly channel: string } | { readonly kind: 'person'; readonly person: PersonRef };

/** One message a planner decided on, before it is written to the ledger. */
export interface PlannedDelivery {
  readonly key: string;
  readonly job: string;
  readonly period: string;
  /** The Messenger that delivers it. */
  readonly platform: Platform;
  readonly target: DeliveryTarget;
  /** The person's or team's catalog ref: cooldowns and reports read it. */
  readonly subject: string | undefined;
  readonly reply: Reply;
}

export type DeliveryStatus = 'planned' | 'sending' | 'sent' | 'failed' | 'uncertain';

export interface LedgerEntry extends PlannedDelivery {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | undefined;
  readonly messageId: string | undefined;
  readonly createdAt: Date;
  readonly sentAt: Date | undefined;
}

/**
 * The delivery ledger: every planned message is written before it is sent, under its key, and
 * moves planned → sending → sent (or failed, or uncertain when a process died between the two).
 */
export interface DeliveryLedger {
  /**
   * Writes the planned messages in one transaction; keys already in the ledger are left as they
   * are. `claim` runs inside that transaction (the job's period claim): when it returns false,
   * nothing is written.
   */
  plan(deliveries: readonly PlannedDelivery[], now: Date, options?: { claim?: () => boolean }): { claimed: boolean; written: string[] };
  /** Marks the next due message of these platforms `sending` (one attempt more) and returns it; atomic across processes. */
  claimNext(now: Date, owner: string, platforms: readonly Platform[]): LedgerEntry | undefined;
  markSent(key: string, at: Date, messageId: string): void;
  /** Back to `planned`, due again at `nextAttemptAt`. */
  markRetry(key: string, error: string, nextAttemptAt: Date): void;
  markFailed(key: string, error: string, at: Date): void;
  /**
   * Messages marked `sending` before `claimedBefore` whose process is gone: they may or may not
   * have reached the platform. They become `uncertain` and are reported, never sent again.
   */
  recoverStale(claimedBefore: Date): string[];
  /** When the earliest waiting message of these platforms is due; undefined when none waits. */
  nextDue(platforms: readonly Platform[]): Date | undefined;
  /** When each subject was last sent a message of `job` (for the nudge cooldown). */
  lastSent(job: string): Map<string, Date>;
  get(key: string): LedgerEntry | undefined;
  /** Entries by status (all when omitted), newest first. */
  list(options?: { status?: readonly DeliveryStatus[]; job?: string; limit?: number }): LedgerEntry[];
  counts(): Record<DeliveryStatus, number>;
}

export interface JobRun {
  readonly job: string;
  readonly period: string;
  readonly claimedBy: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | undefined;
  readonly status: 'running' | 'done' | 'failed';
  readonly summary: string | undefined;
}

/** Every run of a scheduled job, one row per (job, period): the at-most-once claim. */
export interface JobRuns {
  /** True when this process took the period; false when any process (this one too) already had it. */
  claim(job: string, period: string, owner: string, at: Date): boolean;
  finish(job: string, period: string, outcome: { status: 'done' | 'failed'; summary: string; at: Date }): void;
  get(job: string, period: string): JobRun | undefined;
  recent(job: string, limit?: number): JobRun[];
}
