import type { Entity, Person, RelationType } from './entity.js';

/** What commands may read of the catalog. The SQLite store implements it; reads are synchronous. */
export interface CatalogReader {
  get(ref: string): Entity | undefined;
  /** Exact matches for a ref, `namespace/name`, name, title or alias, case-insensitively. */
  lookup(query: string, kinds?: readonly string[]): Entity[];
  /** Known names (and titles and aliases) near `query`, best first, for "did you mean". */
  suggest(query: string, kinds?: readonly string[], limit?: number): string[];
  /** Full-text search over name, title, description, tags and aliases. */
  search(text: string, options?: { kinds?: readonly string[]; limit?: number }): { entities: Entity[]; total: number };
  /** Targets of the relations of `type` that start at `ref` (dangling targets included). */
  related(ref: string, type: RelationType): string[];
  /** Entities of `kinds` related to any of `refs` by `type`, e.g. everything owned by a set of groups. */
  relatedEntities(refs: readonly string[], type: RelationType, kinds?: readonly string[]): Entity[];
  person(ref: string): Person | undefined;
  personByEmail(email: string): Person | undefined;
  /** Entity count per lower-case kind. */
  counts(): Record<string, number>;
  /** Every entity of these kinds, ordered by name. */
  list(kinds: readonly string[]): Entity[];
}

/** Kinds a chat user means by "service", in order of preference when names collide. */
export const SERVICE_KINDS = ['component', 'api', 'resource', 'system', 'domain', 'template'] as const;
export const TEAM_KINDS = ['group'] as const;
