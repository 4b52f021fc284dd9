/** A catalog entity as stored: Backstage's envelope plus where it came from. */
export interface Entity {
  /** Canonical `kind:namespace/name`, lower case: the identity (Backstage compares case-insensitively). */
  readonly ref: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly source: { readonly file: string; readonly line: number };
  /** Warnings kept with the entity, e.g. `owner group:default/team-ghost is not in the catalog`. */
  readonly flags: readonly string[];
}

/** A person, from a User entity: the bridge between the catalog and chat identities. */
export interface Person {
  readonly ref: string;
  readonly name: string;
  readonly email: string | undefined;
  readonly slackId: string | undefined;
  readonly teamsId: string | undefined;
}

export interface Relation {
  readonly source: string;
  readonly type: RelationType;
  readonly target: string;
}

export const RELATION_PAIRS = {
  ownedBy: 'ownerOf',
  partOf: 'hasPart',
  dependsOn: 'dependencyOf',
  memberOf: 'hasMember',
  childOf: 'parentOf',
  providesApi: 'apiProvidedBy',
  consumesApi: 'apiConsumedBy',
} as const;

type Forward = keyof typeof RELATION_PAIRS;
export type RelationType = Forward | (typeof RELATION_PAIRS)[Forward];

export const annotation = (entity: Entity, key: string): string | undefined => {
  const annotations = entity.metadata['annotations'];
  if (annotations === null || typeof annotations !== 'object') return undefined;
  const value = (annotations as Record<string, unknown>)[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/** A User's `spec.profile.email`, trimmed and lower case; undefined when it has none. */
export const profileEmail = (entity: Entity): string | undefined => {
  const profile = entity.spec['profile'];
  const email = profile !== null && typeof profile === 'object' ? (profile as Record<string, unknown>)['email'] : undefined;
  return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase() : undefined;
};

export const label = (entity: Entity, key: string): string | undefined => {
  const labels = entity.metadata['labels'];
  if (labels === null || typeof labels !== 'object') return undefined;
  const value = (labels as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

export const specString = (entity: Entity, key: string): string | undefined => {
  const value = entity.spec[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

export interface EntityLink {
  readonly url: string;
  readonly title: string | undefined;
  readonly type: string | undefined;
}

export function links(entity: Entity): EntityLink[] {
  const raw = entity.metadata['links'];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((l): EntityLink[] => {
    if (l === null || typeof l !== 'object') return [];
    const { url, title, type } = l as Record<string, unknown>;
    if (typeof url !== 'string' || url === '') return [];
    return [{ url, title: typeof title === 'string' ? title : undefined, type: typeof type === 'string' ? type : undefined }];
  });
}

export function tags(entity: Entity): string[] {
  const raw = entity.metadata['tags'];
  return Array.isArray(raw) ? raw.filter((t): t is string => typeof t === 'string') : [];
}

/** The name people read: the title when there is one, else the name. */
export const displayName = (entity: Entity): string => entity.title ?? entity.name;
