import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local GitHub, REST and GraphQL, in the shapes of GitHub's published REST description (subset)
 * and GraphQL schema as the project's contract research (§7) summarises them:
 * - REST `GET /orgs/{org}/repos` (per_page ≤ 100, `Link` rel="next" pagination, stable `etag`,
 *   `If-None-Match` → 304), `GET /repos/{o}/{r}/contents/{path}` (base64 content, 404 when
 *   absent), `GET /rate_limit`, `x-ratelimit-*` headers on every answer;
 * - `POST /graphql` for `repository(owner, name)` with aliases, `object(expression: "HEAD:path")`
 *   (Tree entries / Blob text, null for a missing path), `defaultBranchRef { name
 *   branchProtectionRule target { ... on Commit { history(first, path) } } }`,
 *   `vulnerabilityAlerts(states: [OPEN])`, `releases`, `deployments`, `rateLimit`; fields a
 *   token may not read answer null with a `FORBIDDEN` error that has a path (partial data).
 * - Auth: `token <PAT>` or `Bearer <token>`; anything else is 401 Bad credentials.
 * Faults are queued per route (403/429 with rate-limit headers, 502, a GraphQL RATE_LIMITED).
 * The GraphQL parser handles the subset Steward sends: selections, aliases, arguments (strings,
 * numbers, enums, lists, objects) and inline fragments.
 */

export interface FakeRepo {
  readonly name: string;
  readonly archived?: boolean;
  readonly pushedAt?: string;
  /** False: an empty repository (no default branch, every object null). */
  readonly hasCommits?: boolean;
  /** Path → text (a string) or a binary/large blob. */
  readonly files?: Readonly<Record<string, string | { bytes: number; binary?: boolean }>>;
  /** Path → ISO time of the last commit touching it. */
  readonly history?: Readonly<Record<string, string>>;
  readonly protected?: boolean;
  readonly alerts?: readonly string[];
  readonly releases?: readonly string[];
  readonly deployments?: readonly string[];
  /** Fields this token may not read: answered null with a FORBIDDEN error. */
  readonly deny?: ReadonlyArray<'vulnerabilityAlerts' | 'branchProtectionRule' | 'releases' | 'deployments'>;
  readonly description?: string;
  /** Open secret-scanning alerts (issue 16: `GET /orgs/{org}/secret-scanning/alerts`). */
  readonly secretAlerts?: number;
}

/** A team of the organisation (GraphQL `Organization.teams`); members by login, maintainers marked. */
export interface FakeTeam {
  readonly slug: string;
  readonly name?: string;
  readonly description?: string;
  /** The parent team's slug. */
  readonly parent?: string;
  readonly members?: ReadonlyArray<string | { readonly login: string; readonly role: 'MAINTAINER' | 'MEMBER' }>;
}

/** A person: `email` is the public one ('' when private), `verifiedEmails` the org's verified-domain ones. */
export interface FakePerson {
  readonly login: string;
  readonly name?: string;
  readonly email?: string;
  readonly verifiedEmails?: readonly string[];
}

export interface FakeGithubFault {
  readonly route: 'repos' | 'graphql' | 'contents';
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Applies to this many requests (default 1). */
  readonly times?: number;
  /** Only requests whose body contains this (a GraphQL field, e.g. `repository(`). */
  readonly match?: string;
  /** Never answer (a GitHub that stopped responding); `status` is only what the log records. */
  readonly hang?: boolean;
}

export interface FakeGithub {
  readonly url: string;
  readonly token: string;
  readonly requests: Array<{ method: string; path: string; status: number }>;
  repos: FakeRepo[];
  teams: FakeTeam[];
  people: FakePerson[];
  fault(f: FakeGithubFault): void;
  close(): Promise<void>;
}

interface Field {
  alias: string;
  name: string;
  args: Record<string, unknown>;
  selections: Field[];
  /** For an inline fragment: the type condition. */
  on?: string;
}

export async function startFakeGithub(options: {
  org: string;
  repos: FakeRepo[];
  teams?: FakeTeam[];
  people?: FakePerson[];
  token?: string;
  perPageMax?: number;
  /** Further tokens and their OAuth scopes (the main token has `repo, read:org`). */
  tokens?: Readonly<Record<string, readonly string[]>>;
  /** Secret-scanning alerts refused to the token: GitHub's 403 ("Resource not accessible…") or 404. */
  secretScanning?: 'forbidden' | 'not_found';
}): Promise<FakeGithub> {
  const token = options.token ?? 'ghp_test_token';
  const scopesOf: Record<string, readonly string[]> = { [token]: ['repo', 'read:org'], ...options.tokens };
  const requests: FakeGithub['requests'] = [];
  const faults: Array<FakeGithubFault & { left: number }> = [];
  let remaining = 5000;

  const state: FakeGithub = {
    url: '',
    token,
    requests,
    repos: options.repos,
    teams: options.teams ?? [],
    people: options.people ?? [],
    fault: (f) => faults.push({ ...f, left: f.times ?? 1 }),
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        // A hung request (fault `hang`) would hold close() forever.
        server.closeAllConnections();
      }),
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(5000 - remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...headers,
    });
    res.end(text);
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const record = (status: number): void => {
        requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, status });
      };
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        record(status);
        send(res, status, body, headers);
      };
      const caller = tokenOf(req, scopesOf);
      if (caller === undefined) return answer(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      const route = url.pathname === '/graphql' ? 'graphql' : /^\/orgs\/[^/]+\/repos$/.test(url.pathname) ? 'repos' : url.pathname.includes('/contents/') ? 'contents' : 'other';
      const fault = faults.find((f) => f.route === route && f.left > 0 && (f.match === undefined || raw.includes(f.match)));
      if (fault) {
        fault.left--;
        if (fault.hang) return record(fault.status);
        return answer(fault.status, fault.body ?? { message: 'fault' }, { ...fault.headers });
      }
      if (url.pathname === '/rate_limit') {
        const core = { limit: 5000, remaining, used: 5000 - remaining, reset: Math.floor(Date.now() / 1000) + 3600 };
        return answer(200, { resources: { core, graphql: core }, rate: core });
      }
      remaining = Math.max(0, remaining - 1);
      if (route === 'repos') {
        const org = decodeURIComponent(url.pathname.split('/')[2]!);
        if (org.toLowerCase() !== options.org.toLowerCase()) return answer(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), options.perPageMax ?? 100);
        const page = Number(url.searchParams.get('page') ?? 1);
        const all = [...state.repos].sort((a, b) => a.name.localeCompare(b.name));
        const body = all.slice((page - 1) * perPage, page * perPage).map((r, i) => repoJson(options.org, r, i));
        const headers: Record<string, string> = { etag: `W/"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"` };
        if (page * perPage < all.length) {
          const next = new URL(url.href.replace('http://fake', state.url));
          next.searchParams.set('page', String(page + 1));
          headers['link'] = `<${next.href}>; rel="next"`;
        }
        if (req.headers['if-none-match'] === headers['etag']) {
          remaining++; // a 304 on an authorised request is free
          return answer(304, undefined, headers);
        }
        return answer(200, body, headers);
      }
      if (route === 'contents') {
        const m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(url.pathname);
        const repo = state.repos.find((r) => r.name === m?.[2]);
        const file = repo?.files?.[decodeURIComponent(m?.[3] ?? '')];
        if (!repo || file === undefined) return answer(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content', status: '404' });
        const text = typeof file === 'string' ? file : '';
        const path = decodeURIComponent(m![3]!);
        return answer(200, { type: 'file', encoding: 'base64', size: Buffer.byteLength(text), name: path.split('/').pop(), path, content: Buffer.from(text).toString('base64'), sha: sha(text) });
      }
      if (route === 'graphql' && req.method === 'POST') {
        let query: string;
        try {
          query = (JSON.parse(raw) as { query: string }).query;
        } catch {
          return answer(400, { message: 'Problems parsing JSON' });
        }
        let fields: Field[];
        try {
          fields = parseQuery(query);
        } catch (err) {
          return answer(200, { errors: [{ message: (err as Error).message }] });
        }
        const errors: Array<{ type?: string; message: string; path: Array<string | number> }> = [];
        const data: Record<string, unknown> = {};
        // GitHub checks scopes before running anything: a field that needs read:org fails the whole query.
        const granted = scopesOf[caller] ?? [];
        if (fields.some((f) => f.name === 'organization' && f.selections.some((s) => s.name === 'teams' || s.name === 'team')) && !granted.includes('read:org') && !granted.includes('admin:org')) {
          return answer(200, {
            errors: [
              {
                type: 'INSUFFICIENT_SCOPES',
                locations: [{ line: 3, column: 5 }],
                message: `Your token has not been granted the required scopes to execute this query. The 'teams' field requires one of the following scopes: ['read:org'], but your token has only been granted the: [${granted.map((g) => `'${g}'`).join(', ')}] scopes. Please modify your token's scopes at: https://github.com/settings/tokens.`,
              },
            ],
          }, { 'x-oauth-scopes': granted.join(', '), 'x-accepted-oauth-scopes': 'read:org' });
        }
        try {
          for (const f of fields) {
            if (f.name === 'rateLimit') data[f.alias] = pick(f, { cost: 1, remaining, resetAt: new Date(Date.now() + 3_600_000).toISOString(), limit: 5000 });
            else if (f.name === 'repository') {
              const repo = state.repos.find((r) => r.name === f.args['name'] && String(f.args['owner']).toLowerCase() === options.org.toLowerCase());
              if (!repo) {
                data[f.alias] = null;
                errors.push({ type: 'NOT_FOUND', message: `Could not resolve to a Repository with the name '${String(f.args['owner'])}/${String(f.args['name'])}'.`, path: [f.alias] });
              } else data[f.alias] = resolveRepository(repo, f, [f.alias], errors);
            } else if (f.name === 'organization') {
              if (String(f.args['login']).toLowerCase() !== options.org.toLowerCase()) {
                data[f.alias] = null;
                errors.push({ type: 'NOT_FOUND', message: `Could not resolve to an Organization with the login of '${String(f.args['login'])}'.`, path: [f.alias] });
              } else data[f.alias] = resolveOrganization(state, options.org, f);
            } else return answer(200, { errors: [{ message: `Field '${f.name}' doesn't exist on type 'Query'` }] });
          }
        } catch (err) {
          return answer(200, { errors: [{ message: (err as Error).message }] });
        }
        return answer(200, errors.length > 0 ? { data, errors } : { data });
      }
      // Issue 16: the organisation's open secret-scanning alerts, paged like the repository list.
      const secrets = /^\/orgs\/([^/]+)\/secret-scanning\/alerts$/.exec(url.pathname);
      if (secrets && req.method === 'GET') {
        if (options.secretScanning === 'forbidden') return answer(403, { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs.github.com/rest/secret-scanning/secret-scanning#list-secret-scanning-alerts-for-an-organization', status: '403' });
        if (options.secretScanning === 'not_found' || decodeURIComponent(secrets[1]!).toLowerCase() !== options.org.toLowerCase()) {
          return answer(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/secret-scanning/secret-scanning#list-secret-scanning-alerts-for-an-organization', status: '404' });
        }
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
        const pageNo = Number(url.searchParams.get('page') ?? 1);
        const all = [...state.repos]
          .sort((a, b) => a.name.localeCompare(b.name))
          .flatMap((r) => Array.from({ length: r.secretAlerts ?? 0 }, (_, n) => ({ r, n })));
        const body = all.slice((pageNo - 1) * perPage, pageNo * perPage).map(({ r, n }) => ({
          number: n + 1,
          created_at: '2026-10-01T09:00:00Z',
          url: `${state.url}/repos/${options.org}/${r.name}/secret-scanning/alerts/${n + 1}`,
          html_url: `https://github.com/${options.org}/${r.name}/security/secret-scanning/${n + 1}`,
          state: 'open',
          secret_type: 'aws_access_key_id',
          secret_type_display_name: 'Amazon AWS Access Key ID',
          validity: 'unknown',
          repository: { id: 1, name: r.name, full_name: `${options.org}/${r.name}`, owner: { login: options.org }, private: true, html_url: `https://github.com/${options.org}/${r.name}` },
        }));
        const headers: Record<string, string> = {};
        if (pageNo * perPage < all.length) {
          const next = new URL(url.href.replace('http://fake', state.url));
          next.searchParams.set('page', String(pageNo + 1));
          headers['link'] = `<${next.href}>; rel="next"`;
        }
        return answer(200, body, headers);
      }
      return answer(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  (state as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** The known token the request carries (`token X` or `Bearer X`), else undefined. */
const tokenOf = (req: IncomingMessage, scopes: Readonly<Record<string, readonly string[]>>): string | undefined => {
  const m = /^(?:token|Bearer) (.+)$/.exec(req.headers.authorization ?? '');
  return m && Object.hasOwn(scopes, m[1]!) ? m[1]! : undefined;
};

const cursor = (offset: number): string => Buffer.from(`cursor:${offset}`).toString('base64');
const offsetOf = (after: unknown): number => (typeof after === 'string' ? Number(Buffer.from(after, 'base64').toString().replace('cursor:', '')) : 0);

/** `first`/`after` over a list, as GitHub's connections page: first is 1–100. */
function page<T>(f: Field, list: readonly T[]): { items: T[]; pageInfo: Record<string, unknown> } {
  const first = Number(f.args['first']);
  if (!Number.isInteger(first) || first < 1 || first > 100) throw new Error(`${f.name}: first must be between 1 and 100`);
  const start = offsetOf(f.args['after']);
  const items = list.slice(start, start + first);
  const end = start + items.length;
  return { items, pageInfo: { hasNextPage: end < list.length, endCursor: items.length > 0 ? cursor(end) : null, hasPreviousPage: start > 0, startCursor: cursor(start) } };
}

function resolveOrganization(state: FakeGithub, org: string, f: Field): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const teams = [...state.teams].sort((a, b) => a.slug.localeCompare(b.slug));
  for (const s of f.selections) {
    if (s.name === 'login') out[s.alias] = org;
    else if (s.name === 'teams') {
      const { items, pageInfo } = page(s, teams);
      const conn: Record<string, unknown> = {};
      for (const c of s.selections) {
        if (c.name === 'pageInfo') conn[c.alias] = pick(c, pageInfo);
        else if (c.name === 'totalCount') conn[c.alias] = teams.length;
        else if (c.name === 'nodes') conn[c.alias] = items.map((t) => resolveTeam(state, org, t, c));
      }
      out[s.alias] = conn;
    } else if (s.name === 'team') {
      const t = teams.find((x) => x.slug === s.args['slug']);
      out[s.alias] = t ? resolveTeam(state, org, t, s) : null;
    } else throw new Error(`Field '${s.name}' doesn't exist on type 'Organization'`);
  }
  return out;
}

function resolveTeam(state: FakeGithub, org: string, t: FakeTeam, f: Field): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of f.selections) {
    if (s.name === 'slug') out[s.alias] = t.slug;
    else if (s.name === 'name') out[s.alias] = t.name ?? t.slug;
    else if (s.name === 'description') out[s.alias] = t.description ?? null;
    else if (s.name === 'combinedSlug') out[s.alias] = `${org}/${t.slug}`;
    else if (s.name === 'parentTeam') {
      const parent = state.teams.find((x) => x.slug === t.parent);
      out[s.alias] = parent ? resolveTeam(state, org, parent, s) : null;
    } else if (s.name === 'members') {
      // IMMEDIATE: the team's own members; ALL (GitHub's default) adds the child teams' members.
      const own = (t.members ?? []).map((m) => (typeof m === 'string' ? { login: m, role: 'MEMBER' as const } : m));
      const all = s.args['membership'] === 'IMMEDIATE' ? own : [...own, ...descendants(state, t).flatMap((c) => (c.members ?? []).map((m) => (typeof m === 'string' ? { login: m, role: 'MEMBER' as const } : m)))];
      const { items, pageInfo } = page(s, all);
      const conn: Record<string, unknown> = {};
      for (const c of s.selections) {
        if (c.name === 'pageInfo') conn[c.alias] = pick(c, pageInfo);
        else if (c.name === 'totalCount') conn[c.alias] = all.length;
        else if (c.name === 'edges') {
          conn[c.alias] = items.map((m, i) => {
            const edge: Record<string, unknown> = {};
            for (const e of c.selections) {
              if (e.name === 'role') edge[e.alias] = m.role;
              else if (e.name === 'cursor') edge[e.alias] = cursor(i);
              else if (e.name === 'node') edge[e.alias] = resolveUser(state, org, m.login, e);
            }
            return edge;
          });
        } else if (c.name === 'nodes') conn[c.alias] = items.map((m) => resolveUser(state, org, m.login, c));
      }
      out[s.alias] = conn;
    } else throw new Error(`Field '${s.name}' doesn't exist on type 'Team'`);
  }
  return out;
}

function descendants(state: FakeGithub, t: FakeTeam): FakeTeam[] {
  const children = state.teams.filter((c) => c.parent === t.slug);
  return children.flatMap((c) => [c, ...descendants(state, c)]);
}

function resolveUser(state: FakeGithub, org: string, login: string, f: Field): Record<string, unknown> {
  const p = state.people.find((x) => x.login === login) ?? { login };
  const out: Record<string, unknown> = {};
  for (const s of f.selections) {
    if (s.name === 'login') out[s.alias] = p.login;
    else if (s.name === 'name') out[s.alias] = p.name ?? null;
    else if (s.name === 'email') out[s.alias] = p.email ?? ''; // GitHub: '' when the email is private
    else if (s.name === 'organizationVerifiedDomainEmails') out[s.alias] = String(s.args['login']).toLowerCase() === org.toLowerCase() ? [...(p.verifiedEmails ?? [])] : [];
    else throw new Error(`Field '${s.name}' doesn't exist on type 'User'`);
  }
  return out;
}

const sha = (s: string): string => createHash('sha1').update(`blob ${Buffer.byteLength(s)}\0${s}`).digest('hex');

function repoJson(org: string, r: FakeRepo, i: number): Record<string, unknown> {
  return {
    id: 1000 + i,
    node_id: `R_${r.name}`,
    name: r.name,
    full_name: `${org}/${r.name}`,
    private: false,
    owner: { login: org, id: 1, type: 'Organization' },
    html_url: `https://github.example/${org}/${r.name}`,
    description: r.description ?? null,
    fork: false,
    archived: r.archived ?? false,
    disabled: false,
    pushed_at: r.pushedAt ?? '2026-11-01T10:00:00Z',
    default_branch: 'main',
    topics: [],
    visibility: 'public',
  };
}

/** Only the selected keys of a plain object. */
function pick(f: Field, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of f.selections) out[s.alias] = value[s.name] ?? null;
  return out;
}

type Errors = Array<{ type?: string; message: string; path: Array<string | number> }>;

function forbidden(errors: Errors, path: Array<string | number>): null {
  errors.push({ type: 'FORBIDDEN', message: 'Resource not accessible by personal access token', path });
  return null;
}

function resolveRepository(repo: FakeRepo, f: Field, path: Array<string | number>, errors: Errors): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const empty = repo.hasCommits === false;
  const files = repo.files ?? {};
  const denied = (what: NonNullable<FakeRepo['deny']>[number]): boolean => (repo.deny ?? []).includes(what);
  const connection = (s: Field, list: readonly string[], key: string): Record<string, unknown> => {
    const first = Number(s.args['first'] ?? 100);
    const nodes = [...list].sort().reverse().slice(0, first);
    const conn: Record<string, unknown> = {};
    for (const c of s.selections) {
      if (c.name === 'totalCount') conn[c.alias] = list.length;
      else if (c.name === 'nodes') conn[c.alias] = nodes.map((v) => nodeOf(c, key, v));
    }
    return conn;
  };
  for (const s of f.selections) {
    const p = [...path, s.alias];
    switch (s.name) {
      case 'name':
        out[s.alias] = repo.name;
        break;
      case 'defaultBranchRef':
        out[s.alias] = empty ? null : resolveRef(repo, s, p, errors);
        break;
      case 'object': {
        const expr = String(s.args['expression']);
        const filePath = expr.replace(/^HEAD:/, '');
        out[s.alias] = empty ? null : resolveObject(files, filePath, s);
        break;
      }
      case 'vulnerabilityAlerts':
        out[s.alias] = denied('vulnerabilityAlerts') ? forbidden(errors, p) : connection(s, repo.alerts ?? [], 'alert');
        break;
      case 'releases':
        out[s.alias] = denied('releases') ? forbidden(errors, p) : connection(s, repo.releases ?? [], 'createdAt');
        break;
      case 'deployments':
        out[s.alias] = denied('deployments') ? forbidden(errors, p) : connection(s, repo.deployments ?? [], 'createdAt');
        break;
      default:
        throw new Error(`Field '${s.name}' doesn't exist on type 'Repository'`);
    }
  }
  return out;
}

function nodeOf(f: Field, key: string, value: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of f.selections) {
    if (key === 'alert' && s.name === 'securityVulnerability') out[s.alias] = pick(s, { severity: value.toUpperCase() });
    else if (s.name === 'createdAt' || s.name === 'committedDate') out[s.alias] = value;
    else out[s.alias] = null;
  }
  return out;
}

function resolveRef(repo: FakeRepo, f: Field, path: Array<string | number>, errors: Errors): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of f.selections) {
    if (s.name === 'name') out[s.alias] = 'main';
    else if (s.name === 'branchProtectionRule') {
      out[s.alias] = (repo.deny ?? []).includes('branchProtectionRule') ? forbidden(errors, [...path, s.alias]) : repo.protected ? pick(s, { id: `BPR_${repo.name}` }) : null;
    } else if (s.name === 'target') {
      const commit: Record<string, unknown> = {};
      for (const frag of s.selections) {
        if (frag.on !== undefined && frag.on !== 'Commit') continue;
        for (const h of frag.on ? frag.selections : [frag]) {
          if (h.name !== 'history') continue;
          const when = repo.history?.[String(h.args['path'])];
          commit[h.alias] = { nodes: when ? [nodeOf(h.selections.find((x) => x.name === 'nodes')!, 'commit', when)] : [] };
        }
      }
      out[s.alias] = commit;
    }
  }
  return out;
}

function resolveObject(files: NonNullable<FakeRepo['files']>, path: string, f: Field): Record<string, unknown> | null {
  const file = files[path];
  const prefix = path === '' ? '' : `${path}/`;
  const isDir = file === undefined && Object.keys(files).some((k) => k.startsWith(prefix));
  if (file === undefined && !isDir) return null;
  const out: Record<string, unknown> = {};
  for (const frag of f.selections) {
    if (frag.on === 'Tree' && isDir) {
      const children = new Map<string, { type: string; size: number }>();
      for (const [k, v] of Object.entries(files)) {
        if (!k.startsWith(prefix)) continue;
        const rest = k.slice(prefix.length);
        const [head, ...more] = rest.split('/');
        if (more.length > 0) children.set(head!, { type: 'tree', size: 0 });
        else children.set(head!, { type: 'blob', size: typeof v === 'string' ? Buffer.byteLength(v) : v.bytes });
      }
      out['entries'] = [...children].map(([name, c]) => pickEntry(frag, name, c));
    } else if (frag.on === 'Blob' && file !== undefined) {
      const text = typeof file === 'string' ? file : null;
      const bytes = typeof file === 'string' ? Buffer.byteLength(file) : file.bytes;
      const binary = typeof file !== 'string' && Boolean(file.binary);
      const truncated = bytes > 512 * 1024 && !binary;
      for (const s of frag.selections) {
        out[s.alias] = { text: binary || truncated ? null : text, byteSize: bytes, isBinary: binary, isTruncated: truncated, oid: sha(text ?? '') }[s.name] ?? null;
      }
    }
  }
  return out;
}

function pickEntry(frag: Field, name: string, c: { type: string; size: number }): Record<string, unknown> {
  const entries = frag.selections.find((s) => s.name === 'entries')!;
  const out: Record<string, unknown> = {};
  for (const s of entries.selections) out[s.alias] = ({ name, type: c.type, size: c.size } as Record<string, unknown>)[s.name] ?? null;
  return out;
}

// ---- a small GraphQL parser: the subset of the language Steward's queries use --------------

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s+|#[^\n]*|(\.\.\.|[{}():[\],!$=]|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(text)) !== null) {
    if (m[1] !== undefined) tokens.push(m[1]);
    last = re.lastIndex;
    if (m[0] === '') break;
  }
  if (last !== text.length) throw new Error(`Parse error near ${JSON.stringify(text.slice(last, last + 20))}`);
  return tokens;
}

function parseQuery(text: string): Field[] {
  const t = tokenize(text);
  let i = 0;
  const peek = (): string | undefined => t[i];
  const take = (want?: string): string => {
    const tok = t[i++];
    if (tok === undefined || (want !== undefined && tok !== want)) throw new Error(`Parse error: expected ${want ?? 'a token'}, got ${tok ?? 'the end'}`);
    return tok;
  };
  const value = (): unknown => {
    const tok = take();
    if (tok.startsWith('"')) return JSON.parse(tok) as string;
    if (/^-?\d/.test(tok)) return Number(tok);
    if (tok === '[') {
      const list: unknown[] = [];
      while (peek() !== ']') {
        list.push(value());
        if (peek() === ',') take();
      }
      take(']');
      return list;
    }
    if (tok === '{') {
      const obj: Record<string, unknown> = {};
      while (peek() !== '}') {
        const k = take();
        take(':');
        obj[k] = value();
        if (peek() === ',') take();
      }
      take('}');
      return obj;
    }
    return tok === 'true' ? true : tok === 'false' ? false : tok === 'null' ? null : tok; // enums stay names
  };
  const selectionSet = (): Field[] => {
    take('{');
    const fields: Field[] = [];
    while (peek() !== '}') {
      if (peek() === '...') {
        take('...');
        take('on');
        const on = take();
        fields.push({ alias: '', name: '', args: {}, on, selections: selectionSet() });
        continue;
      }
      let alias = take();
      let name = alias;
      if (peek() === ':') {
        take(':');
        name = take();
      }
      const args: Record<string, unknown> = {};
      if (peek() === '(') {
        take('(');
        while (peek() !== ')') {
          const k = take();
          take(':');
          args[k] = value();
          if (peek() === ',') take();
        }
        take(')');
      }
      fields.push({ alias, name, args, selections: peek() === '{' ? selectionSet() : [] });
      alias = '';
    }
    take('}');
    return fields;
  };
  if (peek() === 'query') {
    take('query');
    if (peek() !== '{') take();
  }
  return selectionSet();
}
