import type { Entity } from '../catalog/index.js';
import { annotation, label, links, refName, tags } from '../catalog/index.js';
import type { FactValue } from './fact.js';

/**
 * Facts the catalog states about a service, derived from the entity at evaluation time rather
 * than stored as copies: the descriptor is already in the database, a copy would go stale on the
 * next import, and 10,000 services × a dozen derived keys would be rows to keep in step for
 * nothing. Keys:
 *
 * | key | value |
 * | --- | --- |
 * | `catalog.owner` | owner name (resolved through the system when the component has none) |
 * | `catalog.lifecycle`, `catalog.type` | `spec.lifecycle`, `spec.type` |
 * | `catalog.tier` | `metadata.labels.tier`, else annotation `steward.dev/tier` |
 * | `catalog.system` | `spec.system` |
 * | `catalog.tags.count`, `catalog.links.count` | numbers |
 * | `catalog.annotation.<key>` | the annotation's value, e.g. `catalog.annotation.pagerduty.com/service-id` |
 * | `catalog.link.<type>` | the URL of the first link of that type |
 */
export function catalogFact(entity: Entity, ownerRef: string | undefined, key: string): FactValue | undefined {
  const rest = key.slice('catalog.'.length);
  const spec = (field: string): string | undefined => {
    const v = entity.spec[field];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  switch (rest) {
    case 'owner':
      return ownerRef ? refName(ownerRef) : undefined;
    case 'lifecycle':
      return spec('lifecycle');
    case 'type':
      return spec('type');
    case 'system':
      return spec('system');
    case 'tier':
      return entityTier(entity);
    case 'tags.count':
      return tags(entity).length;
    case 'links.count':
      return links(entity).length;
  }
  if (rest.startsWith('annotation.')) return annotation(entity, rest.slice('annotation.'.length));
  if (rest.startsWith('link.')) return links(entity).find((l) => l.type === rest.slice('link.'.length))?.url;
  return undefined;
}

/** The tier as the catalog states it: the `tier` label, else the `steward.dev/tier` annotation. */
export const entityTier = (entity: Entity): string | undefined => label(entity, 'tier') ?? annotation(entity, 'steward.dev/tier');
