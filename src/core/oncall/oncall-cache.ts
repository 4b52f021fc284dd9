import { z } from 'zod';
import type { OncallAnswer, OncallTarget } from './oncall-provider.js';

/**
 * Where the last good answer per target is kept (SQLite in production), and when each provider
 * may be asked again after it rate-limited us. It is what answers during an outage, so it
 * survives restarts.
 */
export interface OncallCache {
  get(target: OncallTarget): CachedOncallAnswer | undefined;
  put(target: OncallTarget, answer: OncallAnswer, fetchedAt: Date): void;
  /** Every cached target, oldest first: what a background refresh keeps warm. */
  list(): CachedOncallAnswer[];
  /** Until when the provider asked not to be called (429 with Retry-After); undefined when free. */
  backoffUntil(provider: string): Date | undefined;
  setBackoff(provider: string, until: Date, reason: string): void;
}

export interface CachedOncallAnswer {
  readonly target: OncallTarget;
  readonly answer: OncallAnswer;
  readonly fetchedAt: Date;
}

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const answerSchema = z.object({
  provider: z.string(),
  label: z.string(),
  shifts: z.array(
    z.object({
      level: z.number().int(),
      person: z.object({ name: z.string(), email: z.string().optional(), ref: z.string().optional() }),
      until: isoDate.nullable(),
      schedule: z.string().optional(),
    }),
  ),
  pageUrl: z.string().optional(),
  timeZone: z.string().optional(),
  note: z.string().optional(),
});

/** The answer as JSON for the cache row; dates as ISO strings. */
export const encodeOncallAnswer = (answer: OncallAnswer): string => JSON.stringify(answer);

/** Reads a cached row back; undefined when it does not parse (a row from a newer or broken writer). */
export function decodeOncallAnswer(json: string): OncallAnswer | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = answerSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
