import type { CatalogReader } from './catalog-reader.js';
import type { Entity } from './entity.js';

export type FindResult =
  | { readonly status: 'found'; readonly entity: Entity }
  | { readonly status: 'missing'; readonly suggestions: readonly string[] };

/**
 * Finds the one entity a person means. Exact matches (ref, namespace/name, name, title, alias)
 * win; when several kinds share a name the earlier kind in `kinds` wins (a Component over the
 * System of the same name), because that is what "who owns X" usually asks about.
 */
export function findEntity(catalog: CatalogReader, query: string, kinds: readonly string[]): FindResult {
  const matches = catalog.lookup(query, kinds);
  if (matches.length > 0) {
    const q = query.trim().toLowerCase();
    const strength = (e: Entity): number =>
      e.ref === q || `${e.namespace}/${e.name}`.toLowerCase() === q || e.name.toLowerCase() === q
        ? 0
        : e.title?.toLowerCase() === q
          ? 1
          : 2;
    const rank = (e: Entity): number => {
      const i = kinds.indexOf(e.kind.toLowerCase());
      return i === -1 ? kinds.length : i;
    };
    const sorted = [...matches].sort(
      (a, b) =>
        strength(a) - strength(b) ||
        rank(a) - rank(b) ||
        Number(a.namespace !== 'default') - Number(b.namespace !== 'default') ||
        a.ref.localeCompare(b.ref),
    );
    return { status: 'found', entity: sorted[0]! };
  }
  return { status: 'missing', suggestions: catalog.suggest(query, kinds, 3) };
}
