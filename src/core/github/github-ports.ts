/**
 * What GitHub discovery reads and remembers, as ports: `src/infra/github` reads GitHub (REST for
 * listings with ETags, GraphQL for files in batches), `src/infra/sqlite/github-store.ts` keeps the
 * sync state. Core plans and derives; it never calls GitHub itself.
 */

/** One repository of the organisation listing (REST `GET /orgs/{org}/repos`). */
export interface RepositoryListing {
  readonly owner: string;
  readonly name: string;
  readonly archived: boolean;
  readonly fork: boolean;
  readonly pushedAt: string | undefined;
  readonly defaultBranch: string | undefined;
  readonly htmlUrl: string;
  readonly description: string | undefined;
  readonly topics: readonly string[];
}

/** A file read through GraphQL: text is undefined for binary or truncated blobs. */
export interface RepositoryFile {
  readonly path: string;
  readonly text: string | undefined;
  readonly bytes: number;
  readonly truncated: boolean;
}

export interface TreeEntry {
  readonly name: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly bytes: number;
}

/** Something the token could not read, with GitHub's reason (`FORBIDDEN: Resource not accessible…`). */
export interface ReadDenial {
  readonly what: 'vulnerabilityAlerts' | 'branchProtection' | 'releases' | 'deployments' | 'files' | 'history';
  readonly reason: string;
}

/** Everything one batched read learned about one repository. */
export interface RepositorySnapshot {
  readonly owner: string;
  readonly name: string;
  /** Undefined when the repository is empty (no default branch). */
  readonly defaultBranch: string | undefined;
  /** Entries of the root, `.github/` and `docs/` trees; undefined when that folder does not exist. */
  readonly trees: { readonly root?: readonly TreeEntry[]; readonly github?: readonly TreeEntry[]; readonly docs?: readonly TreeEntry[] };
  /** `catalog-info.yaml` at the root, when present. */
  readonly catalogInfo: RepositoryFile | undefined;
  /** The CODEOWNERS files found, in GitHub's search order (.github/, root, docs/). */
  readonly codeowners: readonly RepositoryFile[];
  /** Undefined when the token may not read it (see denials). */
  readonly branchProtected: boolean | undefined;
  /** Open Dependabot alerts per lower-case severity; undefined when not readable. */
  readonly alerts: Readonly<Record<string, number>> | undefined;
  /** Creation times of recent releases and deployments (ISO), newest first. */
  readonly releases: readonly string[] | undefined;
  readonly deployments: readonly string[] | undefined;
  readonly denials: readonly ReadDenial[];
}

/** The last commit time (ISO) of each asked path, or undefined when it has none. */
export type PathHistory = ReadonlyMap<string, string | undefined>;

export interface HistoryRequest {
  readonly owner: string;
  readonly name: string;
  readonly paths: readonly string[];
}

/** A team as GitHub's GraphQL `Organization.teams` has it, with its immediate members. */
export interface GithubTeam {
  readonly slug: string;
  readonly name: string;
  readonly description: string | undefined;
  /** The slug of the parent team, when GitHub nests it. */
  readonly parentSlug: string | undefined;
  readonly members: ReadonlyArray<{ readonly login: string; readonly role: 'MAINTAINER' | 'MEMBER' }>;
}

/** A member of some team: the public email, else the organisation's verified-domain emails. */
export interface GithubPerson {
  readonly login: string;
  readonly name: string | undefined;
  /** The public email; undefined when the person keeps it private. */
  readonly email: string | undefined;
  /** `organizationVerifiedDomainEmails(login: ORG)`: visible to a member of the organisation. */
  readonly verifiedEmails: readonly string[];
}

/** The organisation's teams and the people in them. */
export interface GithubOrganization {
  readonly org: string;
  readonly teams: readonly GithubTeam[];
  readonly people: readonly GithubPerson[];
}

export interface GithubReader {
  /**
   * Teams (with parents) and their members, in GraphQL pages. Throws InputError when the
   * organisation does not exist or the token lacks `read:org`: nothing is stored then.
   */
  readOrganization(org: string): Promise<GithubOrganization>;
  /** The organisation's repositories, every page (conditional requests: unchanged pages cost no quota). */
  listRepositories(org: string): Promise<RepositoryListing[]>;
  /** Files, trees and settings of many repositories, a few GraphQL queries for all of them. */
  readRepositories(repos: readonly RepositoryListing[]): Promise<Map<string, RepositorySnapshot | { error: string }>>;
  /** Last commit dates of paths, batched likewise. Keyed `owner/name`. */
  readHistory(requests: readonly HistoryRequest[]): Promise<Map<string, PathHistory | { error: string }>>;
  /**
   * Open secret-scanning alerts per repository (`owner/name`, lower case) for the whole
   * organisation, one paged listing; `{ error }` with GitHub's reason when the token may not read them.
   */
  readSecretAlerts(org: string): Promise<ReadonlyMap<string, number> | { error: string }>;
  /** Requests made so far, by kind: what the benchmark and the report count. */
  readonly requests: { rest: number; graphql: number; notModified: number };
}

export interface StoredRepository {
  readonly fullName: string;
  readonly pushedAt: string | undefined;
  readonly entityRefs: readonly string[];
}

export interface UnknownFact {
  readonly key: string;
  readonly reason: string;
}

/** Sync state: which repositories were read at which `pushed_at`, and the unknown facts with reasons. */
export interface GithubSyncState {
  repositories(org: string): Map<string, StoredRepository>;
  recordRepository(org: string, repo: { fullName: string; pushedAt: string | undefined; entityRefs: readonly string[] }, at: Date): void;
  forgetRepository(org: string, fullName: string): void;
  /** Replaces the unknown facts of an entity with these. */
  putUnknownFacts(entityRef: string, unknown: readonly UnknownFact[], at: Date): void;
  unknownFacts(entityRef: string): UnknownFact[];
  /** `owner/name` of the repository the last sync matched to the entity, when one did. */
  repositoryOf(entityRef: string): string | undefined;
}

/** A cached answer of a conditional REST request: served again when GitHub says 304. */
export interface CachedResponse {
  readonly etag: string;
  readonly body: string;
  readonly link: string | undefined;
}

/** Where the reader keeps ETags and the bodies they stand for, across runs. */
export interface EtagCache {
  get(url: string): CachedResponse | undefined;
  put(url: string, response: CachedResponse, at: Date): void;
}
