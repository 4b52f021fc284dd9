/**
 * The nudge controls people have (opt-out, snoozed checks, "not my service"), kept apart from the
 * jobs so that the commands, the jobs and the stores can all read them without importing each other.
 * `src/infra/sqlite/nudge-preferences.ts` implements the port.
 */

export interface Snooze {
  readonly personRef: string;
  readonly entityRef: string;
  readonly scorecardId: string;
  readonly checkId: string;
  readonly until: Date;
}

export interface Disowned {
  readonly personRef: string;
  readonly entityRef: string;
  readonly at: Date;
}

/** What people told Steward about nudges: opt-out, snoozed checks, "not my service". */
export interface NudgePreferences {
  isOptedOut(personRef: string): boolean;
  optedOut(): Set<string>;
  setOptedOut(personRef: string, optedOut: boolean, at: Date): void;
  snooze(snooze: Snooze, at: Date): void;
  /** Snoozes that still hold at `at`. */
  snoozes(at: Date): Snooze[];
  disown(personRef: string, entityRef: string, at: Date): void;
  disowned(): Disowned[];
}
