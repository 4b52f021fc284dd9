import { z } from 'zod';

/**
 * A fact is one thing known about a service: `alerts.configured = true`, pushed by CI on a date.
 * Values are JSON scalars; dates travel as ISO strings (`2026-11-02` or a full timestamp), so a
 * fact survives JSON, SQLite and a shell command line unchanged.
 */
export type FactValue = string | number | boolean;

export interface Fact {
  readonly key: string;
  readonly value: FactValue;
  /** Who said so: `catalog`, `cli`, `api`, or a name the pusher chose (`ci/github-actions`). */
  readonly source: string;
  /** When the source observed it (not when we stored it): the clock "not older than N days" reads. */
  readonly observedAt: Date;
}

/** `alerts.configured`, `cve.critical`, `loadtest.last_run`: lower-case words joined by `.`, `_` or `-`. */
export const FACT_KEY = /^[a-z][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/;

/** Keys under `catalog.` are derived from the descriptor on every evaluation; nobody pushes them. */
export const CATALOG_FACT_PREFIX = 'catalog.';

export const factKeySchema = z
  .string()
  .max(100, 'a fact key is at most 100 characters')
  .regex(FACT_KEY, 'a fact key is lower-case words joined by dots, e.g. alerts.configured')
  .refine((k) => !k.startsWith(CATALOG_FACT_PREFIX), 'catalog.* facts come from the catalog descriptor and cannot be pushed');

export const factValueSchema = z.union([z.string().max(1000, 'a fact value is at most 1000 characters'), z.number().finite(), z.boolean()], {
  error: 'a fact value is a string, a number or true/false',
});

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Reads an ISO date or timestamp; a bare date means midnight UTC. Undefined when it is not one. */
export function parseFactDate(value: FactValue): Date | undefined {
  if (typeof value !== 'string' || !ISO_DATE.test(value.trim())) return undefined;
  const text = value.trim();
  // A timestamp without an offset is read as UTC: facts come from machines in many time zones.
  const normalised = text.length === 10 ? `${text}T00:00:00Z` : /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const d = new Date(normalised.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * A value typed on a command line: `true`/`false` become booleans, numbers become numbers,
 * anything else (dates included) stays a string. Quote it (`key='"42"'`) to keep digits a string.
 */
export function parseFactText(text: string): FactValue {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (/^-?(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i.test(t)) return Number(t);
  const quoted = /^"(.*)"$/.exec(t) ?? /^'(.*)'$/.exec(t);
  return quoted ? quoted[1]! : t;
}

/** A value as a person reads it in an answer. */
export const formatFactValue = (value: FactValue): string => (typeof value === 'string' ? value : String(value));

/**
 * Checks pushed key/value pairs the same way for the CLI and the HTTP API: every problem is
 * named, none is thrown, and nothing is stored unless all of them are good.
 */
export function checkFacts(values: Readonly<Record<string, unknown>>): { facts: Array<{ key: string; value: FactValue }>; problems: string[] } {
  const problems: string[] = [];
  const facts: Array<{ key: string; value: FactValue }> = [];
  const entries = Object.entries(values);
  if (entries.length === 0) problems.push('facts: none given');
  if (entries.length > MAX_FACTS_PER_PUSH) problems.push(`facts: ${entries.length} in one push; send at most ${MAX_FACTS_PER_PUSH}`);
  for (const [key, value] of entries) {
    const k = factKeySchema.safeParse(key);
    const v = factValueSchema.safeParse(value);
    if (!k.success) problems.push(`facts.${key}: ${k.error.issues[0]!.message}`);
    if (!v.success) problems.push(`facts.${key}: ${v.error.issues[0]!.message}`);
    if (k.success && v.success) facts.push({ key, value: v.data });
  }
  return { facts, problems };
}

export const MAX_FACTS_PER_PUSH = 200;
