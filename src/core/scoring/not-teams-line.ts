import { refKind } from '../catalog/index.js';
import type { OtherOwner } from './team-standings.js';

/**
 * The one line under a leaderboard for owners that are not ranked because they are not teams:
 * `Not a team, not ranked: Piotr Zielinski (a person, 1 service), team-ghost (not in the catalog, 1 service).`
 * Undefined when there are none. `known` says whether the catalog has the ref.
 */
export function notTeamsLine(others: readonly OtherOwner[], nameOf: (ref: string) => string, known: (ref: string) => boolean): string | undefined {
  if (others.length === 0) return undefined;
  const parts = others.map((o) => {
    const what = !known(o.ownerRef) ? 'not in the catalog' : refKind(o.ownerRef) === 'user' ? 'a person' : `a ${refKind(o.ownerRef)}`;
    return `${nameOf(o.ownerRef)} (${what}, ${o.services} service${o.services === 1 ? '' : 's'})`;
  });
  return `Not a team, not ranked: ${parts.join(', ')}.`;
}
