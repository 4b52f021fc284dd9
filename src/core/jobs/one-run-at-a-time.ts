export type RunOutcome = 'ok' | 'failed';

export interface OneRunAtATime {
  /** One run now; `skipped` when one is already going (never two at once). */
  run(): Promise<RunOutcome | 'skipped'>;
  readonly running: boolean;
  /** Runs so far by outcome, for `/healthz` and `/metrics`. */
  runs(): { readonly ok: number; readonly failed: number; readonly skipped: number };
}

/**
 * A scheduled job of serve's (the GitHub sync, fact collection) as its schedule calls it: one run
 * at a time, a run due while one is going skipped and counted (`onSkip` logs it), each outcome
 * counted. `once` reports its own failures and resolves with the outcome; it never throws.
 */
export function oneRunAtATime(once: () => Promise<RunOutcome>, onSkip: () => void): OneRunAtATime {
  let running: Promise<RunOutcome> | undefined;
  const runs = { ok: 0, failed: 0, skipped: 0 };
  return {
    async run() {
      if (running) {
        runs.skipped++;
        onSkip();
        return 'skipped';
      }
      running = once();
      try {
        const outcome = await running;
        runs[outcome]++;
        return outcome;
      } finally {
        running = undefined;
      }
    },
    get running() {
      return running !== undefined;
    },
    runs: () => ({ ...runs }),
  };
}
