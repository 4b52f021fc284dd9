import type { CatalogReader } from './catalog-reader.js';
import type { Entity } from './entity.js';
import { annotation } from './entity.js';
import { refKind } from './entity-ref.js';

/**
 * How ownership of an entity was learned, in the order the answer trusts: the descriptor's own
 * `spec.owner`, then CODEOWNERS of its repository (`steward sync github` writes that owner into
 * spec.owner and marks it with `steward.dev/owner-source: codeowners`), then the owner of the
 * system (or domain) it is part of.
 */
export interface Ownership {
  readonly via: 'owner' | 'codeowners' | 'system' | 'domain' | 'none';
  /** The reference as the catalog states it, e.g. `group:default/team-ghost`. */
  readonly ownerRef: string | undefined;
  /** The owning Group or User, or undefined when the reference dangles. */
  readonly owner: Entity | undefined;
  /**
   * The System or Domain ownership was inherited from; for `codeowners`, a stand-in for the
   * CODEOWNERS file (name `CODEOWNERS`, source = the file and the line of the deciding rule).
   */
  readonly through: Entity | undefined;
}

const NONE: Ownership = { via: 'none', ownerRef: undefined, owner: undefined, through: undefined };

export function resolveOwner(catalog: CatalogReader, entity: Entity): Ownership {
  const own = catalog.related(entity.ref, 'ownedBy')[0];
  if (own !== undefined) {
    const rule = annotation(entity, 'steward.dev/owner-source') === 'codeowners' ? annotation(entity, 'steward.dev/codeowners') : undefined;
    if (rule === undefined) return { via: 'owner', ownerRef: own, owner: catalog.get(own), through: undefined };
    return { via: 'codeowners', ownerRef: own, owner: catalog.get(own), through: codeownersFile(entity, rule) };
  }
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

/**
 * `acme/payments/.github/CODEOWNERS:3` as an entity-shaped source, so answers can cite the rule;
 * its title is the path inside the repository (`.github/CODEOWNERS`).
 */
function codeownersFile(entity: Entity, rule: string): Entity {
  const m = /^(.*):(\d+)$/.exec(rule);
  const file = m ? m[1]! : rule;
  const slug = annotation(entity, 'github.com/project-slug');
  const inRepo = slug && file.toLowerCase().startsWith(`${slug.toLowerCase()}/`) ? file.slice(slug.length + 1) : undefined;
  return {
    ref: `location:${entity.namespace}/codeowners`,
    kind: 'Location',
    namespace: entity.namespace,
    name: 'CODEOWNERS',
    title: inRepo,
    description: undefined,
    metadata: {},
    spec: {},
    source: { file, line: m ? Number(m[2]) : 0 },
    flags: [],
  };
}
