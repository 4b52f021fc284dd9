import type { CatalogReader, Entity } from '../src/core/catalog/index.js';
import { displayName, refName } from '../src/core/catalog/index.js';
import type { Inline, PersonRef } from '../src/core/message/index.js';
import { mention } from '../src/core/message/index.js';

/** Small phrases the commands share, so every answer names things the same way. */

export const kindLabel = (e: Entity): string => {
  const type = typeof e.spec['type'] === 'string' ? (e.spec['type'] as string) : undefined;
  return type ? `${e.kind.toLowerCase()} · ${type}` : e.kind.toLowerCase();
};

/** `Payments API (payments-api)` when the title differs from the name, else the name. */
export const nameWithTitle = (e: Entity): string =>
  e.title && e.title.toLowerCase() !== e.name.toLowerCase() ? `${e.title} (${e.name})` : e.name;

export const whereDefined = (e: Entity): string => `${e.source.file}:${e.source.line}`;

/** A catalog reference as a person reads it: the entity's display name when known, else its name. */
export function refLabel(catalog: CatalogReader, ref: string): string {
  const e = catalog.get(ref);
  return e ? displayName(e) : refName(ref);
}

export function personMention(catalog: CatalogReader, ref: string): Inline {
  const p = catalog.person(ref);
  const person: PersonRef = p
    ? { name: p.name, email: p.email, slackId: p.slackId, teamsId: p.teamsId }
    : { name: refName(ref) };
  return mention(person);
}

/** Caps a list for chat: the first `max` items and how many were left out. */
export function capped<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}

/** The service's page on the web scoreboard, when `STEWARD_PUBLIC_URL` is set: answers link to it ("Open in browser"). */
export function servicePage(signIn: { readonly publicUrl: string | undefined } | undefined, e: Entity): string | undefined {
  return signIn?.publicUrl ? `${signIn.publicUrl}/services/${encodeURIComponent(e.name)}` : undefined;
}
