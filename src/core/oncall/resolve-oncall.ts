import type { CatalogReader, Entity } from '../catalog/index.js';
import { annotation, refKind, resolveOwner } from '../catalog/index.js';
import type { OncallTarget } from './oncall-provider.js';
import type { Rotation } from './rotation.js';
import { parseRotation } from './rotation.js';
import { isTimeZone } from './zoned-time.js';

/**
 * Which on-call source applies to an entity, and in which order to fall back. Pure: it reads the
 * catalog and the configured rotations, never a provider.
 *
 * Sources are collected from, in order: the entity's own annotations; those of the System it is
 * part of; those of its owning Group. A Group contributes its native rotation too (the config's
 * `oncall.rotations.<group>` wins over the Group's `spec.oncall`). The first source is the
 * answer; the others are fallbacks, so a team's native rotation still answers when PagerDuty is
 * down and nothing was cached.
 */

/** Annotations read, in order of preference on one entity: [annotation, provider, kind]. */
export const ONCALL_ANNOTATIONS = [
  ['pagerduty.com/service-id', 'pagerduty', 'service'],
  ['pagerduty.com/escalation-policy-id', 'pagerduty', 'escalation_policy'],
  ['opsgenie.com/schedule', 'opsgenie', 'schedule'],
  ['opsgenie.com/team', 'opsgenie', 'team'],
] as const;

/** The team's zone for "until" times: Group annotation `steward.dev/timezone`. */
export const TIMEZONE_ANNOTATION = 'steward.dev/timezone';

/** Where a source was found, relative to the entity asked about. */
export type OncallVia = 'self' | 'system' | 'owner';

export type OncallSource =
  | {
      readonly type: 'provider';
      readonly target: OncallTarget;
      /** The annotation it came from, e.g. `pagerduty.com/service-id`. */
      readonly annotation: string;
      readonly from: Entity;
      readonly via: OncallVia;
    }
  | { readonly type: 'rotation'; readonly rotation: Rotation; readonly from: Entity; readonly via: OncallVia };

export interface OncallResolution {
  readonly entity: Entity;
  /** The owning Group, or the entity itself when it is a Group. */
  readonly team: Entity | undefined;
  /** Best first; empty when nothing declares an on-call. */
  readonly sources: readonly OncallSource[];
  /** Declarations that were ignored and why, e.g. an invalid `spec.oncall`. */
  readonly problems: readonly string[];
}

export interface ResolveOncallOptions {
  /** Rotations from the config file, by Group ref. */
  readonly rotations?: ReadonlyMap<string, Rotation> | undefined;
}

export function resolveOncall(catalog: CatalogReader, entity: Entity, options: ResolveOncallOptions = {}): OncallResolution {
  const isGroup = (e: Entity): boolean => e.kind.toLowerCase() === 'group';
  const levels: Array<{ entity: Entity; via: OncallVia }> = [{ entity, via: 'self' }];
  if (!isGroup(entity)) {
    const systemRef = catalog.related(entity.ref, 'partOf').find((r) => refKind(r) === 'system');
    const system = systemRef ? catalog.get(systemRef) : undefined;
    if (system) levels.push({ entity: system, via: 'system' });
  }
  const ownership = isGroup(entity) ? undefined : resolveOwner(catalog, entity);
  const owner = ownership?.owner && isGroup(ownership.owner) ? ownership.owner : undefined;
  if (owner) levels.push({ entity: owner, via: 'owner' });
  const team = isGroup(entity) ? entity : owner;

  const sources: OncallSource[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const level of levels) {
    for (const [key, provider, kind] of ONCALL_ANNOTATIONS) {
      const id = annotation(level.entity, key);
      if (id === undefined) continue;
      const seenKey = `${provider}:${kind}:${id}`;
      if (seen.has(seenKey)) continue;
      seen.add(seenKey);
      sources.push({ type: 'provider', target: { provider, kind, id }, annotation: key, from: level.entity, via: level.via });
    }
    if (isGroup(level.entity)) {
      const rotation = rotationOf(level.entity, options.rotations, problems);
      if (rotation) sources.push({ type: 'rotation', rotation, from: level.entity, via: level.via });
    }
  }
  return { entity, team, sources, problems };
}

function rotationOf(group: Entity, configured: ReadonlyMap<string, Rotation> | undefined, problems: string[]): Rotation | undefined {
  const fromConfig = configured?.get(group.ref);
  if (fromConfig) return fromConfig;
  const raw = group.spec['oncall'];
  if (raw === undefined || raw === null) return undefined;
  const parsed = parseRotation(raw, { team: group.ref, namespace: group.namespace, declaredIn: 'catalog' });
  if (parsed.ok) return parsed.rotation;
  problems.push(...parsed.problems.map((p) => `${group.ref} spec.oncall: ${p}`));
  return undefined;
}

/** The zone "until" is shown in: the team's annotation, else its rotation's zone, else `fallback`. */
export function oncallTimeZone(resolution: OncallResolution, fallback: string): string {
  const declared = resolution.team ? annotation(resolution.team, TIMEZONE_ANNOTATION) : undefined;
  if (declared && isTimeZone(declared)) return declared;
  const rotation = resolution.sources.find((s) => s.type === 'rotation');
  if (rotation?.type === 'rotation') return rotation.rotation.timeZone;
  return fallback;
}
