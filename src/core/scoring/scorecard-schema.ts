import { z } from 'zod';
import { ruleSchema } from './rule-kinds.js';
import { isRecord } from '../is-record.js';

/**
 * A scorecard as written in `scorecards/*.yaml`. Validation names every problem by its path
 * (`checks[2].rule.op`), and the file reader turns paths into line numbers.
 *
 * ```yaml
 * id: production-readiness
 * title: Production readiness
 * filter: { kinds: [component], lifecycles: [production] }
 * levels: [bronze, silver, gold]          # optional; this is the default
 * checks:
 *   - id: runbook
 *     title: Runbook linked
 *     level: bronze
 *     weight: 3
 *     rule: { kind: link, type: runbook }
 *     fix:
 *       link: https://backstage.io/docs/features/software-catalog/descriptor-format#links-optional
 *       how: Add a metadata.links entry with type runbook to catalog-info.yaml.
 * ```
 */

export const ROLLOUT_PHASES = ['visible', 'nudge', 'leaderboard', 'gate'] as const;
export type RolloutPhase = (typeof ROLLOUT_PHASES)[number];

export const DEFAULT_LEVELS = ['bronze', 'silver', 'gold'] as const;

/** Placeholders a fix link may use; each is URL-encoded into the link. */
export const FIX_LINK_VARIABLES = ['service', 'namespace', 'kind', 'owner', 'system', 'repo', 'scorecard', 'check'] as const;

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const id = (example: string) => z.string({ error: 'is required' }).regex(ID, `must be lower-case words joined by -, e.g. ${example}`);
const words = () => z.array(z.string().min(1), { error: 'must be a list' }).min(1, 'must not be empty');

/** Placeholders a fix template may use (`{{name}}`), each escaped for the file it fills. */
export const FIX_TEMPLATE_VARIABLES = ['name', 'title', 'description', 'owner', 'system', 'links', 'repo', 'codeowners'] as const;

// A path inside a repository or beside the scorecard: relative, no `..`, no empty segment.
const relativePath = (example: string) =>
  z
    .string({ error: `must be a relative path, e.g. ${example}` })
    .min(1, 'must not be empty')
    .refine((p) => !p.startsWith('/') && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), `must be a relative path without .. or //, e.g. ${example}`);

const fixFileSchema = z
  .object({
    /** Where the file goes in the repository; an existing file is never overwritten. */
    path: relativePath('docs/index.md'),
    /** The template, relative to the scorecard's folder. */
    template: relativePath('fixes/readme.md'),
    /** Not added when any of these exists (another tool's config already does the job). */
    unless: z.array(relativePath('.github/dependabot.yml'), { error: 'must be a list of paths' }).min(1).optional(),
  })
  .strict();

const fixLinkSchema = z
  .object({
    url: z.string({ error: 'is required' }).url('must be an absolute URL'),
    title: z.string().trim().min(1).optional(),
    type: z.string().trim().min(1).optional(),
  })
  .strict();

/** Edits to the repository's `catalog-info.yaml`: what is added; what is there stays as written. */
const catalogEditSchema = z
  .object({
    annotations: z.record(z.string().regex(/^[A-Za-z0-9.\/_-]+$/, 'an annotation key looks like backstage.io/techdocs-ref'), z.string().min(1, 'must not be empty')).optional(),
    links: z.array(fixLinkSchema, { error: 'must be a list of links' }).min(1, 'must not be empty').optional(),
  })
  .strict()
  .refine((c) => c.annotations !== undefined || c.links !== undefined, 'a catalog fix adds annotations or links');

const fixSchema = z
  .object({
    link: z
      .string({ error: 'must be a URL or a path' })
      .min(1)
      .refine((l) => !/\s/.test(l), 'must not contain spaces')
      .optional(),
    how: z.string({ error: 'is required: one line saying how to fix it' }).trim().min(1, 'must not be empty').max(300, 'is one line (at most 300 characters)'),
    /** Files Steward can add in a pull request (`steward fix`). */
    files: z.array(fixFileSchema, { error: 'must be a list of { path, template }' }).min(1, 'must not be empty').max(20).optional(),
    /** Annotations and links Steward can add to catalog-info.yaml in a pull request. */
    catalog: catalogEditSchema.optional(),
  })
  .strict();

const checkSchema = z
  .object({
    id: id('load-test'),
    title: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(120),
    level: z.string({ error: 'is required: one of the scorecard levels' }).min(1),
    weight: z.number({ error: 'must be a number from 1 to 100' }).int('must be a whole number').min(1).max(100).default(1),
    description: z.string().optional(),
    rule: ruleSchema,
    fix: fixSchema,
  })
  .strict();

const filterSchema = z
  .object({
    kinds: words().optional(),
    types: words().optional(),
    lifecycles: words().optional(),
    tiers: z.array(z.union([z.string(), z.number()]).transform(String), { error: 'must be a list' }).min(1, 'must not be empty').optional(),
    tags: words().optional(),
    owners: words().optional(),
  })
  .strict();

export const scorecardSchema = z
  .object({
    id: id('production-readiness'),
    title: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(80),
    description: z.string().trim().optional(),
    /** Where it sorts in answers (lower first, then by id); default 100. */
    order: z.number().int().min(0).max(1000).default(100),
    /** The phase when the config does not say; the config's `scorecards.rollout` wins. */
    rollout: z.enum(ROLLOUT_PHASES, { error: `rollout must be one of ${ROLLOUT_PHASES.join(', ')}` }).optional(),
    filter: filterSchema.default({}),
    levels: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a level name is lower-case, e.g. silver'))
      .min(1, 'levels must name at least one level')
      .max(10)
      .default([...DEFAULT_LEVELS]),
    checks: z.array(checkSchema, { error: 'must be a list of checks' }).min(1, 'a scorecard needs at least one check'),
  })
  .strict();

export type ScorecardDefinition = z.infer<typeof scorecardSchema>;
export type CheckDefinition = ScorecardDefinition['checks'][number];
export type ScorecardFilter = ScorecardDefinition['filter'];
export type FixDefinition = CheckDefinition['fix'];

export const templateVariables = (link: string): string[] => [...link.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);

export interface DefinitionIssue {
  /** Where in the document: `['checks', 2, 'rule', 'op']`. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export type ParsedScorecard =
  | { readonly ok: true; readonly scorecard: ScorecardDefinition }
  | { readonly ok: false; readonly issues: readonly DefinitionIssue[] };

/**
 * Validates one parsed YAML document; every problem comes back with its path, none thrown. The
 * checks across fields (levels, duplicate ids, link placeholders) run on the raw document too, so
 * a file with a bad operator and a duplicate id reports both at once.
 */
export function parseScorecard(raw: unknown): ParsedScorecard {
  const parsed = scorecardSchema.safeParse(raw);
  const issues: DefinitionIssue[] = parsed.success ? [] : parsed.error.issues.map(toIssue);
  const seen = new Set(issues.map((i) => formatPath(i.path)));
  for (const issue of crossChecks(raw)) if (!seen.has(formatPath(issue.path))) issues.push(issue);
  if (parsed.success && issues.length === 0) return { ok: true, scorecard: parsed.data };
  return { ok: false, issues };
}


function crossChecks(raw: unknown): DefinitionIssue[] {
  if (!isRecord(raw) || !Array.isArray(raw['checks'])) return [];
  const issues: DefinitionIssue[] = [];
  const levels = Array.isArray(raw['levels']) ? raw['levels'].filter((l): l is string => typeof l === 'string') : [...DEFAULT_LEVELS];
  const seenLevels = new Set<string>();
  levels.forEach((level, i) => {
    if (seenLevels.has(level)) issues.push({ path: ['levels', i], message: `${level} is listed twice` });
    seenLevels.add(level);
  });
  const seenChecks = new Map<string, number>();
  raw['checks'].forEach((check: unknown, i) => {
    if (!isRecord(check)) return;
    const { id: checkId, level, fix } = check;
    if (typeof checkId === 'string') {
      const earlier = seenChecks.get(checkId);
      if (earlier !== undefined) issues.push({ path: ['checks', i, 'id'], message: `${checkId} is already the id of checks[${earlier}]` });
      else seenChecks.set(checkId, i);
    }
    if (typeof level === 'string' && !seenLevels.has(level)) {
      issues.push({ path: ['checks', i, 'level'], message: `${level} is not one of this scorecard's levels (${levels.join(', ')})` });
    }
    const files = isRecord(fix) && Array.isArray(fix['files']) ? fix['files'] : [];
    const paths = new Map<string, number>();
    files.forEach((f: unknown, j) => {
      if (!isRecord(f) || typeof f['path'] !== 'string') return;
      const earlier = paths.get(f['path']);
      if (earlier !== undefined) issues.push({ path: ['checks', i, 'fix', 'files', j, 'path'], message: `${f['path']} is already the path of files[${earlier}]` });
      else paths.set(f['path'], j);
    });
    const link = isRecord(fix) && typeof fix['link'] === 'string' ? fix['link'] : '';
    for (const name of templateVariables(link)) {
      if (!(FIX_LINK_VARIABLES as readonly string[]).includes(name)) {
        issues.push({
          path: ['checks', i, 'fix', 'link'],
          message: `unknown placeholder {${name}}; a fix link may use ${FIX_LINK_VARIABLES.map((v) => `{${v}}`).join(' ')}`,
        });
      }
    }
  });
  return issues;
}

function toIssue(issue: z.core.$ZodIssue): DefinitionIssue {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // An unknown key is reported at the key itself, so the line number points at it.
  if (issue.code === 'unrecognized_keys') return { path: [...path, issue.keys[0]!], message: `unknown key${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''}` };
  if (issue.code === 'invalid_type' && issue.input === undefined && issue.message.startsWith('Invalid input')) return { path, message: 'is required' };
  return { path, message: issue.message };
}

/** `checks[2].rule.op`: a path as people write it. */
export const formatPath = (path: ReadonlyArray<string | number>): string =>
  path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out === '' ? p : `${out}.${p}`), '');
