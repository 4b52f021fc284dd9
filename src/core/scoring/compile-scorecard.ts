import type { Entity } from '../catalog/index.js';
import { annotation, refName, tags, toEntityRef } from '../catalog/index.js';
import { entityTier } from './catalog-facts.js';
import type { CompiledRule, RuleDefinition } from './rule-kinds.js';
import { compileRule, factsRead } from './rule-kinds.js';
import type { RolloutPhase, ScorecardDefinition, ScorecardFilter } from './scorecard-schema.js';

export interface CompiledCheck {
  readonly id: string;
  readonly title: string;
  readonly level: string;
  /** 1 for the first level, 2 for the second, … */
  readonly levelRank: number;
  readonly weight: number;
  readonly rule: RuleDefinition;
  readonly evaluate: CompiledRule;
  readonly fix: CheckFix;
  /** Fact keys the rule reads, for "unknown: push X" and the documentation. */
  readonly facts: readonly string[];
}

/** A file Steward can add, with its template's text (read beside the scorecard at load). */
export interface FixFile {
  readonly path: string;
  readonly template: string;
  /** Paths whose presence makes the file unneeded. */
  readonly unless: readonly string[];
  /** Where the template came from, for messages: `scorecards/fixes/readme.md`. */
  readonly source: string;
}

export interface CatalogEdit {
  readonly annotations: Readonly<Record<string, string>>;
  readonly links: ReadonlyArray<{ readonly url: string; readonly title?: string | undefined; readonly type?: string | undefined }>;
}

export interface CheckFix {
  readonly how: string;
  readonly link: string | undefined;
  /** Files a pull request can add; empty when none. */
  readonly files: readonly FixFile[];
  /** What a pull request can add to catalog-info.yaml; undefined when nothing. */
  readonly catalog: CatalogEdit | undefined;
}

/** Whether a pull request can fix the check: it declares files or catalog edits. */
export const hasFileFix = (check: CompiledCheck): boolean => check.fix.files.length > 0 || check.fix.catalog !== undefined;

export interface CompiledScorecard {
  readonly id: string;
  readonly title: string;
  readonly description: string | undefined;
  readonly levels: readonly string[];
  readonly rollout: RolloutPhase;
  readonly filter: ScorecardFilter;
  readonly checks: readonly CompiledCheck[];
  readonly totalWeight: number;
  /** Where it was defined, for messages: `scorecards/security.yaml`. */
  readonly source: string | undefined;
  appliesTo(entity: Entity, ownerRef: string | undefined): boolean;
  /** The check's fix link for this service, templated and made absolute; undefined when it cannot be. */
  fixUrl(check: CompiledCheck, entity: Entity, ownerRef: string | undefined): string | undefined;
}

export interface CompileOptions {
  /** Relative fix links are joined to this; without it they are left out of answers. */
  readonly fixLinkBaseUrl?: string | undefined;
  /** From the config; wins over the scorecard's own `rollout`. Default `visible`. */
  readonly rollout?: RolloutPhase | undefined;
  readonly source?: string | undefined;
  /** Fix templates by the path the scorecard names them with, and where each was read. */
  readonly templates?: ReadonlyMap<string, { readonly text: string; readonly source: string }> | undefined;
}

const lower = (xs: readonly string[] | undefined): Set<string> | undefined => (xs ? new Set(xs.map((x) => x.toLowerCase())) : undefined);
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/** Validated definition → closures, once: filter sets, compiled rules, link templates. */
export function compileScorecard(definition: ScorecardDefinition, options: CompileOptions = {}): CompiledScorecard {
  const levels = definition.levels;
  const checks: CompiledCheck[] = definition.checks.map((c) => ({
    id: c.id,
    title: c.title,
    level: c.level,
    levelRank: levels.indexOf(c.level) + 1,
    weight: c.weight,
    rule: c.rule,
    evaluate: compileRule(c.rule),
    fix: {
      how: c.fix.how,
      link: c.fix.link,
      files: (c.fix.files ?? []).map((f) => {
        const t = options.templates?.get(f.template);
        if (!t) throw new Error(`scorecard ${definition.id}: check ${c.id}: fix template ${f.template} was not read`);
        return { path: f.path, template: t.text, source: t.source, unless: f.unless ?? [] };
      }),
      catalog: c.fix.catalog ? { annotations: c.fix.catalog.annotations ?? {}, links: c.fix.catalog.links ?? [] } : undefined,
    },
    facts: factsRead(c.rule),
  }));

  const f = definition.filter;
  const kinds = lower(f.kinds);
  const types = lower(f.types);
  const lifecycles = lower(f.lifecycles);
  const tiers = lower(f.tiers);
  const tagSet = lower(f.tags);
  const owners = f.owners ? new Set(f.owners.map((o) => toEntityRef(o, { kind: 'group' }) ?? o.toLowerCase())) : undefined;
  const specLower = (e: Entity, key: string): string => (typeof e.spec[key] === 'string' ? (e.spec[key] as string).toLowerCase() : '');

  const base = options.fixLinkBaseUrl;
  const absolute = (link: string): string | undefined => {
    if (ABSOLUTE.test(link)) return link;
    if (!base) return undefined;
    try {
      // Joined under the base, whatever the leading slash: `/runbooks/x` and `runbooks/x` alike.
      return new URL(link.replace(/^(?:\.?\/)+/, ''), base.endsWith('/') ? base : `${base}/`).toString();
    } catch {
      return undefined;
    }
  };
  // Links without placeholders are the same for every service: resolved once, here.
  const fixed = new Map<string, string | undefined>();
  for (const c of checks) if (c.fix.link !== undefined && !c.fix.link.includes('{')) fixed.set(c.id, absolute(c.fix.link));

  return {
    id: definition.id,
    title: definition.title,
    description: definition.description,
    levels,
    rollout: options.rollout ?? definition.rollout ?? 'visible',
    filter: f,
    checks,
    totalWeight: checks.reduce((n, c) => n + c.weight, 0),
    source: options.source,
    // Components only unless the scorecard says otherwise: scorecards grade services.
    appliesTo(entity, ownerRef) {
      if (!(kinds ?? DEFAULT_KINDS).has(entity.kind.toLowerCase())) return false;
      if (types && !types.has(specLower(entity, 'type'))) return false;
      if (lifecycles && !lifecycles.has(specLower(entity, 'lifecycle'))) return false;
      if (tiers && !tiers.has((entityTier(entity) ?? '').toLowerCase())) return false;
      if (tagSet && !tags(entity).some((t) => tagSet.has(t.toLowerCase()))) return false;
      if (owners && (ownerRef === undefined || !owners.has(ownerRef))) return false;
      return true;
    },
    fixUrl(check, entity, ownerRef) {
      const template = check.fix.link;
      if (template === undefined) return undefined;
      if (fixed.has(check.id)) return fixed.get(check.id);
      const values: Record<string, string | undefined> = {
        service: entity.name,
        namespace: entity.namespace,
        kind: entity.kind.toLowerCase(),
        owner: ownerRef ? refName(ownerRef) : undefined,
        system: typeof entity.spec['system'] === 'string' ? (entity.spec['system'] as string) : undefined,
        repo: annotation(entity, 'github.com/project-slug'),
        scorecard: definition.id,
        check: check.id,
      };
      let missing = false;
      const filled = template.replace(/\{([^{}]*)\}/g, (_, name: string) => {
        const v = values[name];
        if (v === undefined) {
          missing = true;
          return '';
        }
        // A repository slug keeps its slash; everything else is one path segment.
        return name === 'repo' ? v.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(v);
      });
      return missing ? undefined : absolute(filled);
    },
  };
}

const DEFAULT_KINDS = new Set(['component']);
