import type { CatalogReader, Entity, Person } from '../catalog/index.js';
import { SERVICE_KINDS, displayName } from '../catalog/index.js';
import { CommandError } from '../errors.js';
import type { Actor } from './types.js';

/**
 * "What do I own": the asker as a catalog person (matched by email), their teams, and the services
 * owned by them or by those teams. One definition for `mine` and the Slack Home tab.
 */
export interface OwnedBy {
  readonly person: Person;
  /** Refs of the teams the person is a member of. */
  readonly teams: readonly string[];
  /** The teams' display names, in the same order. */
  readonly teamNames: readonly string[];
  readonly owned: readonly Entity[];
}

/** The asker's catalog entry, or a `CommandError` that says why there is none and what to do. */
export function requirePerson(catalog: Pick<CatalogReader, 'personByEmail'>, actor: Actor): Person {
  const person = actor.person ?? (actor.email ? catalog.personByEmail(actor.email) : undefined);
  if (person) return person;
  throw new CommandError(
    'unknown_person',
    actor.email
      ? `I can't find you in the catalog: no User entity has the email ${actor.email}.`
      : "I can't tell who you are: your chat account has no email I can match to a User in the catalog.",
    { hint: 'Ask your platform team to add you (spec.profile.email on a User entity).' },
  );
}

export function ownedBy(catalog: CatalogReader, person: Person): OwnedBy {
  const teams = catalog.related(person.ref, 'memberOf');
  const owned = catalog.relatedEntities([person.ref, ...teams], 'ownerOf', SERVICE_KINDS);
  const teamNames = teams.map((t) => {
    const e = catalog.get(t);
    return e ? displayName(e) : t;
  });
  return { person, teams, teamNames, owned };
}
