/**
 * How many commands may be in flight (asked and not yet answered) at once, in all and per
 * person. Past either limit the asker is told the bot is busy, at once, instead of their command
 * joining a pile that answers everyone late: Slack gives up on an ack after 3 s and people ask
 * again, which makes the pile grow. At an incident's pace (fifty people, a command a second
 * each, answers in milliseconds) the counts stay far below the defaults.
 */
export interface InFlightLimits {
  /** Commands in flight in all (config `limits.commandsInFlight`, default 100). */
  readonly global: number;
  /** Commands in flight per person (config `limits.commandsInFlightPerUser`, default 5). */
  readonly perUser: number;
}

export const DEFAULT_IN_FLIGHT_LIMITS: InFlightLimits = Object.freeze({ global: 100, perUser: 5 });

export interface InFlightLimit {
  /** Counts a command of `user` in: the function that counts it out, or undefined when over a limit. */
  enter(user: string): (() => void) | undefined;
  readonly inFlight: number;
}

export function createInFlightLimit(limits: InFlightLimits = DEFAULT_IN_FLIGHT_LIMITS): InFlightLimit {
  let total = 0;
  // Only people with a command in flight have an entry: the map never outgrows the global limit.
  const perUser = new Map<string, number>();
  return {
    enter(user) {
      const mine = perUser.get(user) ?? 0;
      if (total >= limits.global || mine >= limits.perUser) return undefined;
      total++;
      perUser.set(user, mine + 1);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        total--;
        const now = (perUser.get(user) ?? 1) - 1;
        if (now <= 0) perUser.delete(user);
        else perUser.set(user, now);
      };
    },
    get inFlight() {
      return total;
    },
  };
}

/** What someone past a limit reads: short, and says what to do. */
export const BUSY_TEXT = "I'm busy answering a lot of questions right now; try again in a moment.";
