import { Octokit } from 'octokit';
import { BotError, InputError } from '../../core/errors.js';
import type {
  EtagCache,
  GithubOrganization,
  GithubPerson,
  GithubReader,
  GithubTeam,
  HistoryRequest,
  PathHistory,
  ReadDenial,
  RepositoryFile,
  RepositoryListing,
  RepositorySnapshot,
  TreeEntry,
} from '../../core/github/index.js';
import type { Clock, Logger } from '../../core/ports.js';

export interface GithubReaderOptions {
  readonly token: string;
  /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server (GraphQL then at `/api/graphql`). */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** Deadline of each request (default 30 s); octokit's retry plugin tries a timed-out one again. */
  readonly timeoutMs?: number | undefined;
  readonly etags: EtagCache;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Longest wait for a rate-limit reset before giving up on a request (default 15 minutes). */
  readonly maxWaitSeconds?: number;
  /** Seconds are multiplied by this before waiting: 1000 in production, ~1 in tests. */
  readonly retryAfterBaseValue?: number;
  /** Retries of 5xx answers (plugin-retry; default 3). */
  readonly retries?: number;
  /**
   * Spacing of GraphQL queries. plugin-throttling queues every GraphQL call like a write, one per
   * second; tests and benchmarks pass 0. Undefined keeps the plugin's default.
   */
  readonly graphqlSpacingMs?: number;
}

const RELEASES = 30;
const DEPLOYMENTS = 50;
const ALERTS = 100;
const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/**
 * Reads GitHub through octokit: the organisation listing over REST with conditional requests
 * (a 304 costs no quota; octokit throws it as a RequestError, we serve the cached body), files and
 * settings of many repositories per GraphQL query, retry and throttling plugins honouring
 * `retry-after` and `x-ratelimit-reset`. What the token may not read comes back as a denial with
 * GitHub's message, never as an exception.
 */
export function createGithubReader(options: GithubReaderOptions): GithubReader {
  const requests = { rest: 0, graphql: 0, notModified: 0 };
  const baseFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const counting: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (/\/graphql$/.test(new URL(url).pathname)) requests.graphql++;
    else requests.rest++;
    // A GitHub that stops answering must not hold the sync (or its thread) forever.
    const res = await baseFetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
    if (res.status === 304) requests.notModified++;
    return res;
  };
  const maxWait = options.maxWaitSeconds ?? 900;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
      const retry = retryCount < 3 && retryAfter <= maxWait;
      options.logger.warn(`github ${kind} rate limit`, { request: `${request.method} ${request.url}`, retryAfterSeconds: retryAfter, retry });
      return retry;
    };
  const throttle: Record<string, unknown> = {
    onRateLimit: onLimit('primary'),
    onSecondaryRateLimit: onLimit('secondary'),
    retryAfterBaseValue: options.retryAfterBaseValue ?? 1000,
  };
  if (options.graphqlSpacingMs !== undefined) throttle['write'] = spacedQueue(options.graphqlSpacingMs);
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: 'steward-sync',
    request: { fetch: counting },
    throttle: throttle as never,
    // Retries go in the plugin's options: a per-request `retries` would make it retry a 304 too.
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.retryAfterBaseValue ?? 1000 } as never,
    log: { debug() {}, info() {}, warn: (m: string) => options.logger.warn(m), error: (m: string) => options.logger.error(m) },
  });

  async function graphql(query: string): Promise<{ data: Record<string, unknown>; errors: GraphqlError[] }> {
    try {
      const data = await octokit.graphql<Record<string, unknown>>(query);
      return { data: data ?? {}, errors: [] };
    } catch (err) {
      const e = err as { name?: string; data?: Record<string, unknown>; errors?: GraphqlError[]; status?: number; message?: string };
      if (e.name === 'GraphqlResponseError' && e.errors) {
        if (e.errors.some((x) => x.type === 'RATE_LIMITED')) throw new BotError('github_rate_limited', `GitHub GraphQL rate limit: ${e.errors[0]!.message}`);
        return { data: e.data ?? {}, errors: e.errors };
      }
      throw describe(err, timeoutMs);
    }
  }

  return {
    requests,

    async readOrganization(org) {
      const teams: Array<GithubTeam & { members: Array<GithubTeam['members'][number]> }> = [];
      const people = new Map<string, GithubPerson>();
      const pendingMembers: Array<{ team: (typeof teams)[number]; after: string }> = [];
      const addMembers = (team: (typeof teams)[number], conn: unknown): void => {
        const edges = (dig(conn, 'edges') as Array<{ role?: string; node?: Record<string, unknown> }> | undefined) ?? [];
        for (const e of edges) {
          const login = typeof e.node?.['login'] === 'string' ? e.node['login'] : undefined;
          if (!login) continue;
          team.members.push({ login, role: e.role === 'MAINTAINER' ? 'MAINTAINER' : 'MEMBER' });
          if (!people.has(login.toLowerCase())) people.set(login.toLowerCase(), toPerson(e.node!, login));
        }
        if (dig(conn, 'pageInfo', 'hasNextPage') === true) pendingMembers.push({ team, after: String(dig(conn, 'pageInfo', 'endCursor')) });
      };
      let after: string | undefined;
      do {
        const result = await graphql(organizationQuery(org, after));
        orgProblem(org, result.errors);
        const conn = dig(result.data, 'organization', 'teams');
        if (conn === undefined) throw new BotError('github_failed', `GitHub answered no teams for ${org}`);
        for (const node of (dig(conn, 'nodes') as Array<Record<string, unknown>> | undefined) ?? []) {
          const team = {
            slug: String(node['slug']),
            name: typeof node['name'] === 'string' ? node['name'] : String(node['slug']),
            description: typeof node['description'] === 'string' && node['description'].trim() !== '' ? node['description'].trim() : undefined,
            parentSlug: typeof dig(node, 'parentTeam', 'slug') === 'string' ? (dig(node, 'parentTeam', 'slug') as string) : undefined,
            members: [] as Array<GithubTeam['members'][number]>,
          };
          teams.push(team);
          addMembers(team, node['members']);
        }
        after = dig(conn, 'pageInfo', 'hasNextPage') === true ? String(dig(conn, 'pageInfo', 'endCursor')) : undefined;
      } while (after !== undefined);
      // Teams of more than a page of members: their next pages, many teams per query.
      while (pendingMembers.length > 0) {
        const batch = pendingMembers.splice(0, 20);
        const body = batch.map((p, i) => `    t${i}: team(slug: ${str(p.team.slug)}) { members(first: ${MEMBERS}, after: ${str(p.after)}, membership: IMMEDIATE) { ${MEMBER_FIELDS(org)} } }`);
        const result = await graphql(`query {\n  organization(login: ${str(org)}) {\n${body.join('\n')}\n  }\n}`);
        orgProblem(org, result.errors);
        batch.forEach((p, i) => addMembers(p.team, dig(result.data, 'organization', `t${i}`, 'members')));
      }
      return { org, teams, people: [...people.values()] };
    },

    async listRepositories(org) {
      const out: RepositoryListing[] = [];
      let url: string | undefined = `/orgs/${encodeURIComponent(org)}/repos?type=all&sort=full_name&per_page=100`;
      while (url !== undefined) {
        const page = await conditionalGet(url);
        for (const r of page.body as Array<Record<string, unknown>>) out.push(toListing(r, org));
        url = nextLink(page.link);
      }
      return out;
    },

    async readRepositories(repos) {
      const out = new Map<string, RepositorySnapshot | { error: string }>();
      if (repos.length === 0) return out;
      const query = `query {\n${repos.map((r, i) => repositoryQuery(`r${i}`, r.owner, r.name)).join('\n')}\n  rateLimit { cost remaining resetAt }\n}`;
      let result: { data: Record<string, unknown>; errors: GraphqlError[] };
      try {
        result = await graphql(query);
      } catch (err) {
        if (err instanceof InputError) throw err;
        for (const r of repos) out.set(`${r.owner}/${r.name}`, { error: (err as Error).message });
        return out;
      }
      repos.forEach((r, i) => {
        const alias = `r${i}`;
        const errors = result.errors.filter((e) => e.path?.[0] === alias);
        const node = result.data[alias] as Record<string, unknown> | null | undefined;
        const whole = errors.find((e) => (e.path?.length ?? 0) <= 1);
        if (!node || whole) out.set(`${r.owner}/${r.name}`, { error: whole ? errorText(whole) : 'repository not found or not visible to the token' });
        else out.set(`${r.owner}/${r.name}`, toSnapshot(r, node, errors));
      });
      return out;
    },

    async readSecretAlerts(org) {
      // One paged listing for the organisation, not one request per repository.
      const counts = new Map<string, number>();
      let url: string | undefined = `/orgs/${encodeURIComponent(org)}/secret-scanning/alerts?state=open&per_page=100`;
      try {
        while (url !== undefined) {
          const res = await octokit.request(`GET ${url}`);
          for (const a of res.data as Array<{ repository?: { full_name?: string } }>) {
            const name = a.repository?.full_name?.toLowerCase();
            if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
          }
          url = nextLink(res.headers.link);
        }
      } catch (err) {
        const e = err as { status?: number; message?: string };
        if (e.status === 403 || e.status === 404) {
          return { error: `secret-scanning alerts not readable (HTTP ${e.status}: ${e.message?.split(' - ')[0] ?? 'refused'}): the token needs "Secret scanning alerts: read" and secret scanning enabled` };
        }
        throw describe(err, timeoutMs);
      }
      return counts;
    },

    async readHistory(asked) {
      const out = new Map<string, PathHistory | { error: string }>();
      if (asked.length === 0) return out;
      const query = `query {\n${asked.map((r, i) => historyQuery(`h${i}`, r)).join('\n')}\n}`;
      let result: { data: Record<string, unknown>; errors: GraphqlError[] };
      try {
        result = await graphql(query);
      } catch (err) {
        if (err instanceof InputError) throw err;
        for (const r of asked) out.set(`${r.owner}/${r.name}`, { error: (err as Error).message });
        return out;
      }
      asked.forEach((r, i) => {
        const alias = `h${i}`;
        const error = result.errors.find((e) => e.path?.[0] === alias);
        const target = dig(result.data[alias], 'defaultBranchRef', 'target') as Record<string, unknown> | undefined;
        if (error || !target) {
          out.set(`${r.owner}/${r.name}`, { error: error ? errorText(error) : 'no commits on the default branch' });
          return;
        }
        const dates = new Map<string, string | undefined>();
        r.paths.forEach((p, j) => {
          const nodes = dig(target, `p${j}`, 'nodes') as Array<{ committedDate?: string }> | undefined;
          dates.set(p, nodes?.[0]?.committedDate);
        });
        out.set(`${r.owner}/${r.name}`, dates);
      });
      return out;
    },
  };

  /** GET with If-None-Match; a 304 serves the stored body and Link header. */
  async function conditionalGet(url: string): Promise<{ body: unknown; link: string | undefined }> {
    const cached = options.etags.get(url);
    try {
      const res = await octokit.request(`GET ${url}`, cached ? { headers: { 'if-none-match': cached.etag } } : {});
      const link = res.headers.link;
      const etag = res.headers.etag;
      if (etag) options.etags.put(url, { etag, body: JSON.stringify(res.data), link }, options.clock.now());
      return { body: res.data, link };
    } catch (err) {
      if ((err as { status?: number }).status === 304 && cached) return { body: JSON.parse(cached.body) as unknown, link: cached.link };
      throw describe(err, timeoutMs);
    }
  }
}

const TEAMS = 100;
const MEMBERS = 100;
const MEMBER_FIELDS = (org: string): string =>
  `pageInfo { hasNextPage endCursor } edges { role node { login name email organizationVerifiedDomainEmails(login: ${str(org)}) } }`;

function organizationQuery(org: string, after: string | undefined): string {
  return `query {
  organization(login: ${str(org)}) {
    teams(first: ${TEAMS}${after ? `, after: ${str(after)}` : ''}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        slug name description
        parentTeam { slug }
        members(first: ${MEMBERS}, membership: IMMEDIATE) { ${MEMBER_FIELDS(org)} }
      }
    }
  }
  rateLimit { cost remaining resetAt }
}`;
}

function toPerson(node: Record<string, unknown>, login: string): GithubPerson {
  const email = typeof node['email'] === 'string' && node['email'].trim() !== '' ? node['email'].trim() : undefined;
  const verified = Array.isArray(node['organizationVerifiedDomainEmails'])
    ? node['organizationVerifiedDomainEmails'].filter((e): e is string => typeof e === 'string' && e !== '')
    : [];
  const name = typeof node['name'] === 'string' && node['name'].trim() !== '' ? node['name'].trim() : undefined;
  return { login, name, email, verifiedEmails: verified };
}

/**
 * An organisation the token cannot see, or a token without `read:org`: the operator's to fix,
 * one line that names the scope (exit 2), thrown before anything is stored.
 */
function orgProblem(org: string, errors: readonly GraphqlError[]): void {
  const scopes = errors.find((e) => e.type === 'INSUFFICIENT_SCOPES');
  if (scopes) {
    throw new InputError(
      `GitHub: the token lacks the read:org scope, which reading the teams and members of ${org} needs: add read:org to GITHUB_TOKEN (a fine-grained token: organisation permission "Members: read")`,
    );
  }
  const missing = errors.find((e) => e.type === 'NOT_FOUND' && (e.path?.[0] === 'organization' || e.path === undefined));
  if (missing) {
    throw new InputError(
      `GitHub: no organisation ${org} visible to the token (${missing.message}): check --org, and that GITHUB_TOKEN has the read:org scope`,
    );
  }
  const other = errors[0];
  if (other) throw new BotError('github_failed', `GitHub could not list the teams of ${org}: ${errorText(other)}`);
}

interface GraphqlError {
  readonly type?: string;
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
}

const str = (s: string): string => JSON.stringify(s);
const TREE = '... on Tree { entries { name type size } }';
const BLOB = '... on Blob { text byteSize isBinary isTruncated }';

function repositoryQuery(alias: string, owner: string, name: string): string {
  const files = CODEOWNERS_PATHS.map((p, i) => `    co${i}: object(expression: ${str(`HEAD:${p}`)}) { ${BLOB} }`).join('\n');
  return `  ${alias}: repository(owner: ${str(owner)}, name: ${str(name)}) {
    defaultBranchRef { name branchProtectionRule { id } }
    root: object(expression: "HEAD:") { ${TREE} }
    dotgithub: object(expression: "HEAD:.github") { ${TREE} }
    docs: object(expression: "HEAD:docs") { ${TREE} }
    catalog: object(expression: "HEAD:catalog-info.yaml") { ${BLOB} }
${files}
    vulnerabilityAlerts(first: ${ALERTS}, states: [OPEN]) { totalCount nodes { securityVulnerability { severity } } }
    releases(first: ${RELEASES}, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { createdAt } }
    deployments(first: ${DEPLOYMENTS}, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { createdAt } }
  }`;
}

function historyQuery(alias: string, r: HistoryRequest): string {
  const paths = r.paths.map((p, j) => `p${j}: history(first: 1, path: ${str(p)}) { nodes { committedDate } }`).join(' ');
  return `  ${alias}: repository(owner: ${str(r.owner)}, name: ${str(r.name)}) { defaultBranchRef { target { ... on Commit { ${paths} } } } }`;
}

function dig(value: unknown, ...keys: string[]): unknown {
  let v = value;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v ?? undefined;
}

const errorText = (e: GraphqlError): string => (e.type ? `${e.type}: ${e.message}` : e.message);

const FIELD_DENIAL: Record<string, ReadDenial['what']> = {
  vulnerabilityAlerts: 'vulnerabilityAlerts',
  defaultBranchRef: 'branchProtection',
  releases: 'releases',
  deployments: 'deployments',
};

function toSnapshot(r: RepositoryListing, node: Record<string, unknown>, errors: readonly GraphqlError[]): RepositorySnapshot {
  const denials: ReadDenial[] = [];
  for (const e of errors) {
    const field = String(e.path?.[1] ?? '');
    const what = FIELD_DENIAL[field] ?? 'files';
    if (!denials.some((d) => d.what === what)) denials.push({ what, reason: errorText(e) });
  }
  const tree = (key: string): TreeEntry[] | undefined => {
    const entries = dig(node, key, 'entries') as Array<{ name: string; type: string; size?: number }> | undefined;
    return entries?.map((e) => ({ name: e.name, type: e.type === 'tree' ? 'tree' : e.type === 'commit' ? 'commit' : 'blob', bytes: e.size ?? 0 }));
  };
  const blob = (key: string, path: string): RepositoryFile | undefined => {
    const b = node[key] as { text?: string | null; byteSize?: number; isBinary?: boolean; isTruncated?: boolean } | null | undefined;
    if (!b || b.byteSize === undefined) return undefined;
    return { path, text: b.isBinary || b.isTruncated || typeof b.text !== 'string' ? undefined : b.text, bytes: b.byteSize, truncated: Boolean(b.isTruncated) };
  };
  const branch = node['defaultBranchRef'] as { name?: string; branchProtectionRule?: unknown } | null;
  const alerts = node['vulnerabilityAlerts'] as { nodes?: Array<{ securityVulnerability?: { severity?: string } }> } | null | undefined;
  let counts: Record<string, number> | undefined;
  if (alerts?.nodes) {
    counts = {};
    for (const a of alerts.nodes) {
      const s = (a.securityVulnerability?.severity ?? 'unknown').toLowerCase().replace('moderate', 'medium');
      counts[s] = (counts[s] ?? 0) + 1;
    }
  }
  const times = (key: string): string[] | undefined =>
    (dig(node, key, 'nodes') as Array<{ createdAt: string }> | undefined)?.map((n) => n.createdAt);
  const root = tree('root');
  const dotgithub = tree('dotgithub');
  const docs = tree('docs');
  return {
    owner: r.owner,
    name: r.name,
    defaultBranch: branch?.name ?? undefined,
    trees: { ...(root ? { root } : {}), ...(dotgithub ? { github: dotgithub } : {}), ...(docs ? { docs } : {}) },
    catalogInfo: blob('catalog', 'catalog-info.yaml'),
    codeowners: CODEOWNERS_PATHS.map((p, i) => blob(`co${i}`, p)).filter((f): f is RepositoryFile => f !== undefined),
    branchProtected: branch ? branch.branchProtectionRule != null : undefined,
    alerts: counts,
    releases: times('releases'),
    deployments: times('deployments'),
    denials,
  };
}

function toListing(r: Record<string, unknown>, org: string): RepositoryListing {
  const owner = (r['owner'] as { login?: string } | undefined)?.login ?? org;
  return {
    owner,
    name: String(r['name']),
    archived: r['archived'] === true,
    fork: r['fork'] === true,
    pushedAt: typeof r['pushed_at'] === 'string' ? r['pushed_at'] : undefined,
    defaultBranch: typeof r['default_branch'] === 'string' ? r['default_branch'] : undefined,
    htmlUrl: typeof r['html_url'] === 'string' ? r['html_url'] : `https://github.com/${owner}/${String(r['name'])}`,
    description: typeof r['description'] === 'string' && r['description'].trim() !== '' ? r['description'].trim() : undefined,
    topics: Array.isArray(r['topics']) ? r['topics'].filter((t): t is string => typeof t === 'string') : [],
  };
}

/** The `rel="next"` URL of a Link header, as a path octokit can request against its base URL. */
function nextLink(link: string | undefined): string | undefined {
  const m = link?.split(',').map((p) => /<([^>]+)>\s*;\s*rel="next"/.exec(p)).find(Boolean);
  return m ? m[1] : undefined;
}

/** Bad credentials and an unknown organisation are the operator's to fix (exit 2); the rest is GitHub's. */
function describe(err: unknown, timeoutMs: number): Error {
  const e = err as { status?: number; message?: string; cause?: { name?: string } };
  // octokit wraps fetch's TimeoutError (the per-request deadline) in a RequestError.
  if (e.cause?.name === 'TimeoutError' || (err as { name?: string }).name === 'TimeoutError') {
    return new BotError('github_timeout', `GitHub did not answer within ${timeoutMs / 1000} s: check GITHUB_API_URL and https://www.githubstatus.com`, { cause: err });
  }
  if (e.status === 401) return new InputError('GitHub refused the token (401 Bad credentials): check GITHUB_TOKEN', { cause: err });
  if (e.status === 404) return new InputError(`GitHub: not found (404): check the organisation name and that the token can see it`, { cause: err });
  return new BotError('github_failed', `GitHub: ${e.message ?? String(err)}${e.status ? ` (HTTP ${e.status})` : ''}`, { cause: err });
}

/**
 * plugin-throttling (v11) takes its queues from the `throttle` options; this one spaces calls by
 * `ms` and runs them one at a time, in place of the 1 s write queue it applies to GraphQL.
 */
export function spacedQueue(ms: number): { key(id: string): { schedule<T>(options: unknown, fn: (...a: unknown[]) => T | Promise<T>, ...args: unknown[]): Promise<T> } } {
  let last = Promise.resolve();
  return {
    key: () => ({
      schedule<T>(_options: unknown, fn: (...a: unknown[]) => T | Promise<T>, ...args: unknown[]): Promise<T> {
        const run = last.then(() => new Promise<void>((done) => setTimeout(done, ms))).then(() => fn(...args));
        last = run.then(
          () => undefined,
          () => undefined,
        );
        return run;
      },
    }),
  };
}
