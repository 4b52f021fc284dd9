import { CommandError } from '../errors.js';
import type { CatalogReader } from './catalog-reader.js';
import type { Entity } from './entity.js';
import { findEntity } from './find-entity.js';

/**
 * The entity a person named, or a `not_found` CommandError whose text is the answer:
 * "I don't know a service called …" with up to three near names.
 */
export function requireEntity(catalog: CatalogReader, query: string, kinds: readonly string[], noun: string): Entity {
  const found = findEntity(catalog, query, kinds);
  if (found.status === 'found') return found.entity;
  const hint =
    found.suggestions.length > 0
      ? `Did you mean ${found.suggestions.map((s) => `"${s}"`).join(', ')}?`
      : `Try \`search ${query}\` to look by description or tag.`;
  throw new CommandError('not_found', `I don't know a ${noun} called "${query}".`, { hint });
}
