import type { CatalogReader } from './catalog-reader.js';
import type { Entity } from './entity.js';
import { refKind } from './entity-ref.js';

/**
 * How ownership of an entity was learned, in the order the answer trusts: the descriptor's own
 * `spec.owner`, then the owner of the system (or domain) it is part of. CODEOWNERS joins this
 * chain with GitHub discovery.
 */
export interface Ownership {
  readonly via: 'owner' | 'system' | 'domain' | 'none';
  /** The reference as the catalog states it, e.g. `group:default/team-ghost`. */
  readonly ownerRef: string | undefined;
  /** The owning Group or User, or undefined when the reference dangles. */
  readonly owner: Entity | undefined;
  /** The System or Domain ownership was inherited from. */
  readonly through: Entity | undefined;
}

const NONE: Ownership = { via: 'none', ownerRef: undefined, owner: undefined, through: undefined };

export function resolveOwner(catalog: CatalogReader, entity: Entity): Ownership {
  const own = catalog.related(entity.ref, 'ownedBy')[0];
  if (own !== undefined) return { via: 'owner', ownerRef: own, owner: catalog.get(own), through: undefined };
  // Walk up partOf at most three steps: component → system → domain → parent domain.
  let current: Entity = entity;
  for (let depth = 0; depth < 3; depth++) {
    const parentRef = catalog.related(current.ref, 'partOf').find((r) => ['system', 'domain'].includes(refKind(r)));
    const parent = parentRef ? catalog.get(parentRef) : undefined;
    if (!parent) return NONE;
    const ownerRef = catalog.related(parent.ref, 'ownedBy')[0];
    if (ownerRef !== undefined) {
      return {
        via: parent.kind.toLowerCase() === 'domain' ? 'domain' : 'system',
        ownerRef,
        owner: catalog.get(ownerRef),
        through: parent,
      };
    }
    current = parent;
  }
  return NONE;
}
