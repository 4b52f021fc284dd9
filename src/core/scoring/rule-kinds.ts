import { z } from 'zod';
import type { Entity } from '../catalog/index.js';
import { annotation, links } from '../catalog/index.js';
import { catalogFact } from './catalog-facts.js';
import type { Fact, FactValue } from './fact.js';
import { CATALOG_FACT_PREFIX, FACT_KEY, formatFactValue, parseFactDate } from './fact.js';
import type { ServiceSnapshot } from './service-snapshot.js';

/**
 * The kinds of rule a check may use, each with zod-checked parameters and a compiler that turns
 * the parameters into a closure once, at load time (regexes built, thresholds typed), so that
 * evaluating 10,000 services does no parsing.
 *
 * Missing catalog data fails a rule (the descriptor is the truth and can be fixed); a missing
 * fact makes it unknown (a collector may simply not have reported yet) — never a pass.
 */

export type RuleStatus = 'pass' | 'fail' | 'unknown';

export interface RuleOutcome {
  readonly status: RuleStatus;
  /** One line saying what was seen, e.g. `cve.critical is 3 (needs == 0)`. */
  readonly evidence: string;
  /** For unknown: the fact keys that were missing or unreadable. */
  readonly missing?: readonly string[] | undefined;
}

export type CompiledRule = (snapshot: ServiceSnapshot) => RuleOutcome;

const DAY_MS = 86_400_000;

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const regex = z.string().min(1).refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);
// Catalog facts name an annotation or link type after their prefix, and those keys contain `/`.
const factKey = z
  .string({ error: 'is required, e.g. alerts.configured' })
  .refine((k) => FACT_KEY.test(k) || /^catalog\.(annotation|link)\.\S+$/.test(k), 'a fact key is lower-case words joined by dots, e.g. alerts.configured');
const positiveDays = z.number({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a number of days') }).int('must be a whole number of days').positive('must be at least 1 day');

const fieldRule = z
  .object({
    kind: z.literal('field'),
    /** Dotted path into the descriptor: `spec.owner`, `metadata.description`, `metadata.labels.tier`. */
    path: z.string({ error: 'is required, e.g. spec.owner' }).regex(/^(metadata|spec|kind)(\.[A-Za-z0-9_/-]+)*$/, 'must start with metadata. or spec., e.g. spec.owner'),
    equals: z.union([scalar, z.array(scalar).min(1)]).optional(),
    matches: regex.optional(),
    minLength: z.number().int().positive().optional(),
  })
  .strict();

const annotationRule = z
  .object({
    kind: z.literal('annotation'),
    key: z.string().min(1),
    equals: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    matches: regex.optional(),
  })
  .strict();

const linkRule = z
  .object({
    kind: z.literal('link'),
    type: z.string().min(1).optional(),
    urlMatches: regex.optional(),
    titleMatches: regex.optional(),
  })
  .strict()
  .refine((r) => r.type !== undefined || r.urlMatches !== undefined || r.titleMatches !== undefined, {
    message: 'a link rule needs type, urlMatches or titleMatches',
  });

const freshness = { staleAfterDays: positiveDays.optional() };

const factRule = z
  .object({ kind: z.literal('fact'), fact: factKey, equals: z.union([scalar, z.array(scalar).min(1)]).optional(), matches: regex.optional(), ...freshness })
  .strict();

const OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
type Op = (typeof OPS)[number];

const factCompareRule = z
  .object({
    kind: z.literal('fact-compare'),
    fact: factKey,
    op: z.enum(OPS, { error: `must be one of ${OPS.join(' ')}` }),
    value: scalar,
    ...freshness,
  })
  .strict()
  .refine((r) => typeof r.value === 'number' || r.op === '==' || r.op === '!=', {
    message: 'ordering operators (< <= > >=) need a number value',
    path: ['value'],
  });

const factAgeRule = z
  .object({
    kind: z.literal('fact-age'),
    fact: factKey,
    maxDays: positiveDays,
    /** `value`: the fact's value is the date (e.g. `loadtest.last_run`); `observed`: when it was reported. */
    of: z.enum(['value', 'observed']).default('value'),
  })
  .strict();

const attestationRule = z
  .object({
    kind: z.literal('attestation'),
    /** Reads the fact `attestation.<name>`: the day someone attested, pushed with their name as source. */
    name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'an attestation name is lower-case, e.g. dr-test'),
    validForDays: positiveDays,
  })
  .strict();

const LEAF_KINDS = ['field', 'annotation', 'link', 'fact', 'fact-compare', 'fact-age', 'attestation'] as const;
export const RULE_KINDS = [...LEAF_KINDS, 'any-of'] as const;

const unknownKind = (iss: { code: string; input?: unknown }): string | undefined =>
  iss.code === 'invalid_union' ? `must be one of ${RULE_KINDS.join(', ')}` : undefined;

const leafRule = z.discriminatedUnion('kind', [fieldRule, annotationRule, linkRule, factRule, factCompareRule, factAgeRule, attestationRule], {
  error: (iss) => (iss.code === 'invalid_union' ? `must be one of ${LEAF_KINDS.join(', ')}` : undefined),
});

const anyOfRule = z.object({ kind: z.literal('any-of'), rules: z.array(leafRule).min(2, 'any-of needs at least two rules') }).strict();

export const ruleSchema = z.discriminatedUnion('kind', [fieldRule, annotationRule, linkRule, factRule, factCompareRule, factAgeRule, attestationRule, anyOfRule], {
  error: unknownKind,
});

export type RuleDefinition = z.infer<typeof ruleSchema>;
type LeafRule = z.infer<typeof leafRule>;

// ---- compilation -------------------------------------------------------------------------------

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const list = (vs: readonly unknown[]): string => (vs.length === 1 ? show(vs[0]) : `one of ${vs.map(show).join(', ')}`);

function readPath(entity: Entity, path: string): unknown {
  const [head, ...rest] = path.split('.');
  let value: unknown = head === 'metadata' ? entity.metadata : head === 'spec' ? entity.spec : head === 'kind' ? entity.kind : undefined;
  // Annotation and label keys contain dots and slashes (`backstage.io/techdocs-ref`): after
  // metadata.annotations or metadata.labels, the rest of the path is one key.
  if (head === 'metadata' && (rest[0] === 'annotations' || rest[0] === 'labels') && rest.length > 1) {
    const bag = (entity.metadata as Record<string, unknown>)[rest[0]];
    return bag !== null && typeof bag === 'object' ? (bag as Record<string, unknown>)[rest.slice(1).join('.')] : undefined;
  }
  for (const part of rest) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const isPresent = (v: unknown): boolean =>
  v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '') && !(Array.isArray(v) && v.length === 0);

const describeValue = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map((x) => String(x)).join(', ')}]`;
  if (v !== null && typeof v === 'object') return 'a mapping';
  const s = String(v);
  return s.length > 60 ? `${JSON.stringify(s.slice(0, 57))}…` : typeof v === 'string' ? JSON.stringify(s) : s;
};

/** equals / matches / present over a value that may be a list (a list passes when any item does). */
function valueTest(options: { equals?: FactValue | readonly FactValue[] | undefined; matches?: string | undefined; minLength?: number | undefined }): {
  test: (v: unknown) => boolean;
  wants: string;
} {
  if (options.equals !== undefined) {
    const wanted = (Array.isArray(options.equals) ? options.equals : [options.equals]) as FactValue[];
    const one = (v: unknown): boolean => wanted.some((w) => w === v || (typeof v === 'string' && typeof w !== 'string' && v === String(w)));
    return { test: (v) => (Array.isArray(v) ? v.some(one) : one(v)), wants: `must be ${list(wanted)}` };
  }
  if (options.matches !== undefined) {
    const re = new RegExp(options.matches);
    const one = (v: unknown): boolean => (typeof v === 'string' || typeof v === 'number') && re.test(String(v));
    return { test: (v) => (Array.isArray(v) ? v.some(one) : one(v)), wants: `must match /${options.matches}/` };
  }
  if (options.minLength !== undefined) {
    const n = options.minLength;
    return { test: (v) => typeof v === 'string' && v.trim().length >= n, wants: `must be at least ${n} characters` };
  }
  return { test: isPresent, wants: 'must be set' };
}

function compileLeaf(rule: LeafRule): CompiledRule {
  switch (rule.kind) {
    case 'field': {
      const { test, wants } = valueTest(rule);
      return ({ entity }) => {
        const v = readPath(entity, rule.path);
        if (!isPresent(v)) return { status: 'fail', evidence: `${rule.path} is not set` };
        return test(v)
          ? { status: 'pass', evidence: `${rule.path} is ${describeValue(v)}` }
          : { status: 'fail', evidence: `${rule.path} is ${describeValue(v)} (${wants})` };
      };
    }
    case 'annotation': {
      const { test, wants } = valueTest(rule);
      return ({ entity }) => {
        const v = annotation(entity, rule.key);
        if (v === undefined) return { status: 'fail', evidence: `annotation ${rule.key} is not set` };
        return test(v)
          ? { status: 'pass', evidence: `annotation ${rule.key} is ${describeValue(v)}` }
          : { status: 'fail', evidence: `annotation ${rule.key} is ${describeValue(v)} (${wants})` };
      };
    }
    case 'link': {
      const url = rule.urlMatches ? new RegExp(rule.urlMatches) : undefined;
      const title = rule.titleMatches ? new RegExp(rule.titleMatches) : undefined;
      const what = [rule.type ? `of type ${rule.type}` : '', url ? `with a URL matching /${rule.urlMatches}/` : '', title ? `titled /${rule.titleMatches}/` : '']
        .filter(Boolean)
        .join(' ');
      return ({ entity }) => {
        const found = links(entity).find(
          (l) => (rule.type === undefined || l.type === rule.type) && (!url || url.test(l.url)) && (!title || title.test(l.title ?? '')),
        );
        return found ? { status: 'pass', evidence: `link ${found.url}` } : { status: 'fail', evidence: `no link ${what} in metadata.links` };
      };
    }
    case 'fact': {
      const { test, wants } = valueTest(rule);
      const read = factReader(rule.fact, rule.staleAfterDays);
      return (snapshot) => {
        const got = read(snapshot);
        if ('outcome' in got) return got.outcome;
        return test(got.value)
          ? { status: 'pass', evidence: `${rule.fact} is ${describeValue(got.value)}${got.from}` }
          : { status: 'fail', evidence: `${rule.fact} is ${describeValue(got.value)}${got.from} (${wants})` };
      };
    }
    case 'fact-compare': {
      const read = factReader(rule.fact, rule.staleAfterDays);
      const compare = comparator(rule.op);
      const wants = `needs ${rule.op} ${formatFactValue(rule.value)}`;
      return (snapshot) => {
        const got = read(snapshot);
        if ('outcome' in got) return got.outcome;
        let left: FactValue = got.value;
        if (typeof rule.value === 'number') {
          const n = typeof left === 'number' ? left : typeof left === 'string' && left.trim() !== '' ? Number(left) : Number.NaN;
          if (Number.isNaN(n)) {
            return { status: 'unknown', evidence: `${rule.fact} is ${describeValue(left)}, not a number`, missing: [rule.fact] };
          }
          left = n;
        }
        const ok = compare(left, rule.value);
        return { status: ok ? 'pass' : 'fail', evidence: `${rule.fact} is ${describeValue(got.value)}${got.from}${ok ? '' : ` (${wants})`}` };
      };
    }
    case 'fact-age': {
      const read = factReader(rule.fact, undefined);
      return (snapshot) => {
        const got = read(snapshot);
        if ('outcome' in got) return got.outcome;
        const when = rule.of === 'observed' ? got.observedAt : parseFactDate(got.value);
        if (!when) return { status: 'unknown', evidence: `${rule.fact} is ${describeValue(got.value)}, not a date`, missing: [rule.fact] };
        const days = Math.floor((snapshot.now.getTime() - when.getTime()) / DAY_MS);
        const day = when.toISOString().slice(0, 10);
        const age = days <= 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`;
        const subject = rule.of === 'observed' ? `${rule.fact} was last reported ${day}` : `${rule.fact} is ${day}`;
        return days <= rule.maxDays
          ? { status: 'pass', evidence: `${subject}, ${age}` }
          : { status: 'fail', evidence: `${subject}, ${age} (needs within ${rule.maxDays} days)` };
      };
    }
    case 'attestation': {
      const key = `attestation.${rule.name}`;
      const read = factReader(key, undefined);
      return (snapshot) => {
        const got = read(snapshot);
        if ('outcome' in got) return { ...got.outcome, evidence: `no attestation recorded (fact ${key})` };
        const when = parseFactDate(got.value);
        if (!when) return { status: 'unknown', evidence: `${key} is ${describeValue(got.value)}, not a date`, missing: [key] };
        const expires = new Date(when.getTime() + rule.validForDays * DAY_MS);
        const by = got.source && got.source !== 'cli' && got.source !== 'api' ? ` by ${got.source}` : '';
        const day = (d: Date): string => d.toISOString().slice(0, 10);
        return snapshot.now < expires
          ? { status: 'pass', evidence: `attested${by} on ${day(when)}, valid until ${day(expires)}` }
          : { status: 'fail', evidence: `attestation${by} of ${day(when)} expired on ${day(expires)}` };
      };
    }
  }
}

type FactRead = { value: FactValue; observedAt: Date; source: string; from: string } | { outcome: RuleOutcome };

/** Reads a pushed fact (or derives a catalog one); unknown when it is missing or stale. */
function factReader(key: string, staleAfterDays: number | undefined): (snapshot: ServiceSnapshot) => FactRead {
  if (key.startsWith(CATALOG_FACT_PREFIX)) {
    return ({ entity, ownerRef, now }) => {
      const value = catalogFact(entity, ownerRef, key);
      return value === undefined
        ? { outcome: { status: 'fail', evidence: `the catalog has no ${key.slice(CATALOG_FACT_PREFIX.length)}` } }
        : { value, observedAt: now, source: 'catalog', from: '' };
    };
  }
  return ({ facts, now }) => {
    const fact: Fact | undefined = facts.get(key);
    if (!fact) return { outcome: { status: 'unknown', evidence: `no fact ${key} reported`, missing: [key] } };
    if (staleAfterDays !== undefined) {
      const days = Math.floor((now.getTime() - fact.observedAt.getTime()) / DAY_MS);
      if (days > staleAfterDays) {
        return {
          outcome: {
            status: 'unknown',
            evidence: `${key} was last reported ${fact.observedAt.toISOString().slice(0, 10)}, ${days} days ago (older than ${staleAfterDays} days)`,
            missing: [key],
          },
        };
      }
    }
    return { value: fact.value, observedAt: fact.observedAt, source: fact.source, from: '' };
  };
}

function comparator(op: Op): (a: FactValue, b: FactValue) => boolean {
  switch (op) {
    case '<':
      return (a, b) => (a as number) < (b as number);
    case '<=':
      return (a, b) => (a as number) <= (b as number);
    case '>':
      return (a, b) => (a as number) > (b as number);
    case '>=':
      return (a, b) => (a as number) >= (b as number);
    case '==':
      return (a, b) => a === b || String(a) === String(b);
    case '!=':
      return (a, b) => !(a === b || String(a) === String(b));
  }
}

/** Turns a validated rule into its closure. `any-of` passes when one rule passes. */
export function compileRule(rule: RuleDefinition): CompiledRule {
  if (rule.kind !== 'any-of') return compileLeaf(rule);
  const parts = rule.rules.map(compileLeaf);
  return (snapshot) => {
    const outcomes = parts.map((p) => p(snapshot));
    const passed = outcomes.find((o) => o.status === 'pass');
    if (passed) return passed;
    const unknown = outcomes.filter((o) => o.status === 'unknown');
    const evidence = outcomes.map((o) => o.evidence).join('; ');
    return unknown.length > 0
      ? { status: 'unknown', evidence, missing: unknown.flatMap((o) => o.missing ?? []) }
      : { status: 'fail', evidence };
  };
}

/** The fact keys a rule reads, for documentation and "unknown: push X" hints. */
export function factsRead(rule: RuleDefinition): string[] {
  switch (rule.kind) {
    case 'fact':
    case 'fact-compare':
    case 'fact-age':
      return [rule.fact];
    case 'attestation':
      return [`attestation.${rule.name}`];
    case 'any-of':
      return rule.rules.flatMap(factsRead);
    default:
      return [];
  }
}
