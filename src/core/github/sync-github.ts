import type { CatalogWriter, Entity, SourceDocument } from '../catalog/index.js';
import { annotation, planImport } from '../catalog/index.js';
import type { Clock } from '../ports.js';
import type { FactStore } from '../scoring/index.js';
import { deriveFacts, historyPaths } from './derive-facts.js';
import type { GithubReader, GithubSyncState, HistoryRequest, PathHistory, RepositoryListing, RepositorySnapshot } from './github-ports.js';
import { ownerDirectory } from './owner-directory.js';
import { orgRoot, planOrganization } from './plan-organization.js';
import type { ParseDescriptors, RepositoryProblem } from './plan-repository.js';
import { GITHUB_ANNOTATIONS, planRepository } from './plan-repository.js';

/** What the sync needs of the catalog: to write its mutations and to read groups and people in bulk. */
export type SyncCatalog = Pick<CatalogWriter, 'apply' | 'entitiesOfKinds'>;

export interface SyncGithubOptions {
  readonly org: string;
  /** A glob over repository names (`*` and `?`; `payments-*`). */
  readonly repoPattern?: string | undefined;
  readonly includeArchived?: boolean | undefined;
  /** Read every repository, even those whose `pushed_at` did not change. */
  readonly full?: boolean | undefined;
  /** Repositories per GraphQL query for files; history queries take twice as many. */
  readonly batchSize?: number | undefined;
  readonly onProgress?: ((progress: { phase: 'list' | 'files' | 'history'; done: number; total: number }) => void) | undefined;
}

export interface SyncGithubDeps {
  readonly reader: GithubReader;
  readonly state: GithubSyncState;
  readonly catalog: SyncCatalog;
  readonly facts: FactStore;
  readonly parse: ParseDescriptors;
  readonly clock: Clock;
}

/** What the organisation's teams and people did to the catalog. */
export interface OrganizationReport {
  readonly teams: number;
  readonly people: number;
  /** Teams and people that are a Backstage descriptor already (merged, no second entity). */
  readonly matchedTeams: number;
  readonly matchedPeople: number;
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
  /** Logins without a public or verified-domain email (and no descriptor email). */
  readonly noEmail: readonly string[];
}

export interface SyncReport {
  readonly organization: OrganizationReport;
  readonly seen: number;
  readonly skippedArchived: number;
  readonly skippedPattern: number;
  readonly unchanged: number;
  readonly read: number;
  readonly imported: number;
  readonly discovered: number;
  readonly ownedFromCodeowners: number;
  readonly removed: number;
  readonly facts: number;
  /** Unknown facts, counted by reason. */
  readonly unknown: ReadonlyArray<{ reason: string; count: number }>;
  readonly problems: readonly RepositoryProblem[];
  readonly requests: { rest: number; graphql: number; notModified: number };
}

export async function syncGithub(deps: SyncGithubDeps, options: SyncGithubOptions): Promise<SyncReport> {
  const { reader, state, catalog, clock } = deps;
  const now = clock.now();
  const batch = Math.max(1, options.batchSize ?? 50);
  const root = `github:${options.org}`;
  // The reader may be shared across runs (serve's schedule): this run's requests are the difference.
  const requestsBefore = { ...reader.requests };

  // Teams and people first: a token without read:org or an unknown organisation stops here,
  // before anything is stored; CODEOWNERS below then resolves @org/team to these Groups.
  const organization = await reader.readOrganization(options.org);
  const orgPlan = planOrganization(organization, catalog.entitiesOfKinds(['group', 'user']));
  const orgImport = planImport(orgPlan.documents);
  const orgApplied = catalog.apply({ type: 'full', drafts: orgImport.drafts, roots: [orgRoot(options.org)], relations: orgPlan.relations, now });
  const orgCounts = { added: 0, updated: 0, removed: 0 };
  for (const c of Object.values(orgApplied.kinds)) {
    orgCounts.added += c.added;
    orgCounts.updated += c.updated;
    orgCounts.removed += c.removed;
  }

  const listed = await reader.listRepositories(options.org);
  options.onProgress?.({ phase: 'list', done: listed.length, total: listed.length });
  const pattern = options.repoPattern ? globToRegExp(options.repoPattern) : undefined;
  const active = listed.filter((r) => options.includeArchived || !r.archived);
  const wanted = active.filter((r) => !pattern || pattern.test(r.name));
  const stored = state.repositories(options.org);
  const changed = wanted.filter((r) => options.full || stored.get(fullName(r))?.pushedAt !== r.pushedAt || r.pushedAt === undefined);

  const problems: RepositoryProblem[] = orgImport.problems
    .filter((p) => p.severity === 'error')
    .map((p) => ({ file: p.file, line: p.line, message: p.message }));
  const snapshots = new Map<string, RepositorySnapshot>();
  for (let i = 0; i < changed.length; i += batch) {
    const chunk = changed.slice(i, i + batch);
    const got = await reader.readRepositories(chunk);
    for (const r of chunk) {
      const s = got.get(fullName(r));
      if (s === undefined || 'error' in s) problems.push({ file: fullName(r), line: 0, message: `not read: ${s?.error ?? 'no answer'}; it is read again next time` });
      else snapshots.set(fullName(r), s);
    }
    options.onProgress?.({ phase: 'files', done: Math.min(i + batch, changed.length), total: changed.length });
  }

  const requests: HistoryRequest[] = [];
  for (const s of snapshots.values()) {
    const { lockfiles, diagram } = historyPaths(s);
    const paths = [...lockfiles, ...(diagram ? [diagram] : [])];
    if (paths.length > 0) requests.push({ owner: s.owner, name: s.name, paths });
  }
  const histories = new Map<string, PathHistory | { error: string }>();
  for (let i = 0; i < requests.length; i += batch * 2) {
    const got = await reader.readHistory(requests.slice(i, i + batch * 2));
    for (const [k, v] of got) histories.set(k, v);
    options.onProgress?.({ phase: 'history', done: Math.min(i + batch * 2, requests.length), total: requests.length });
  }

  // Catalog: every re-read repository's documents in one plan and one transaction.
  const owners = ownerDirectory(catalog.entitiesOfKinds(['group', 'user']), {
    org: options.org,
    teamSlugs: new Set(organization.teams.map((t) => t.slug)),
  });
  const documents: SourceDocument[] = [];
  let discovered = 0;
  let ownedFromCodeowners = 0;
  for (const r of changed) {
    const s = snapshots.get(fullName(r));
    if (!s) continue;
    const plan = planRepository(r, s, owners, deps.parse);
    documents.push(...plan.documents);
    problems.push(...plan.problems);
    if (plan.discovered) discovered++;
    if (plan.documents.some((d) => isCodeownersOwned(d.value))) ownedFromCodeowners++;
  }
  const plan = planImport(documents);
  problems.push(...plan.problems.filter((p) => p.severity === 'error').map((p) => ({ file: p.file, line: p.line, message: p.message })));
  const listedNames = new Set(listed.map(fullName));
  const gone = [...stored.keys()].filter((n) => !listedNames.has(n));
  const prunable = new Set([...snapshots.keys(), ...gone]);
  const summary = catalog.apply({ type: 'full', drafts: plan.drafts, roots: [root], mayPrune: (file) => prunable.has(repoOfFile(file)), now });
  let imported = 0;
  let removed = 0;
  for (const c of Object.values(summary.kinds)) {
    imported += c.added + c.updated + c.unchanged;
    removed += c.removed;
  }

  // Facts go to every component of the repository: its own descriptor's, or any catalog
  // component that names it with `github.com/project-slug`.
  const bySlug = new Map<string, string[]>();
  for (const e of catalog.entitiesOfKinds(['component'])) {
    const slug = annotation(e, GITHUB_ANNOTATIONS.slug)?.toLowerCase();
    if (!slug) continue;
    const list = bySlug.get(slug) ?? [];
    list.push(e.ref);
    bySlug.set(slug, list);
  }
  let factCount = 0;
  const unknownByReason = new Map<string, number>();
  for (const r of changed) {
    const s = snapshots.get(fullName(r));
    if (!s) continue;
    const refs = bySlug.get(fullName(r).toLowerCase()) ?? [];
    const derived = deriveFacts(s, histories.get(fullName(r)), now);
    for (const ref of refs) {
      deps.facts.putFacts(ref, derived.facts, now);
      state.putUnknownFacts(ref, derived.unknown, now);
      factCount += derived.facts.length;
      for (const u of derived.unknown) unknownByReason.set(u.reason, (unknownByReason.get(u.reason) ?? 0) + 1);
    }
    state.recordRepository(options.org, { fullName: fullName(r), pushedAt: r.pushedAt, entityRefs: refs }, now);
  }
  for (const n of gone) state.forgetRepository(options.org, n);

  // Secret-scanning alerts: one listing for the organisation, facts for every wanted repository
  // (alerts open and close without a push, so unchanged repositories are counted too).
  const secrets = await reader.readSecretAlerts(options.org);
  const storedNow = state.repositories(options.org);
  for (const r of wanted) {
    const refs = bySlug.get(fullName(r).toLowerCase()) ?? storedNow.get(fullName(r))?.entityRefs ?? [];
    for (const ref of refs) {
      if ('error' in secrets) {
        unknownByReason.set(String(secrets.error), (unknownByReason.get(String(secrets.error)) ?? 0) + 1);
        state.putUnknownFacts(ref, [...state.unknownFacts(ref).filter((u) => u.key !== SECRETS_KEY), { key: SECRETS_KEY, reason: String(secrets.error) }], now);
      } else {
        deps.facts.putFacts(ref, [{ key: SECRETS_KEY, value: secrets.get(fullName(r).toLowerCase()) ?? 0, source: 'github', observedAt: now }], now);
        factCount++;
      }
    }
  }

  return {
    organization: {
      teams: organization.teams.length,
      people: organization.people.length,
      matchedTeams: orgPlan.matchedTeams,
      matchedPeople: orgPlan.matchedPeople,
      ...orgCounts,
      noEmail: orgPlan.noEmail,
    },
    seen: listed.length,
    skippedArchived: listed.length - active.length,
    skippedPattern: active.length - wanted.length,
    unchanged: wanted.length - changed.length,
    read: snapshots.size,
    imported,
    discovered,
    ownedFromCodeowners,
    removed,
    facts: factCount,
    unknown: [...unknownByReason].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    problems,
    requests: {
      rest: reader.requests.rest - requestsBefore.rest,
      graphql: reader.requests.graphql - requestsBefore.graphql,
      notModified: reader.requests.notModified - requestsBefore.notModified,
    },
  };
}

const fullName = (r: { owner: string; name: string }): string => `${r.owner}/${r.name}`;

/** Open secret-scanning alerts: secrets committed to the repository, so not (only) in a vault. */
const SECRETS_KEY = 'secrets.env_count';

/** `acme/payments/catalog-info.yaml` and `acme/payments` both belong to `acme/payments`. */
const repoOfFile = (file: string): string => file.split('/').slice(0, 2).join('/');

function isCodeownersOwned(value: unknown): boolean {
  const metadata = (value as { metadata?: { annotations?: Record<string, unknown> } } | null)?.metadata;
  return metadata?.annotations?.[GITHUB_ANNOTATIONS.ownerSource] === 'codeowners';
}

/** `*` any run of characters, `?` one; everything else literal; the whole name must match. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
