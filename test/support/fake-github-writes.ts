import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGithub, FakeRepo } from './fake-github.js';

/**
 * GitHub's write side, in front of the read fake (`fake-github.ts`): the routes a fix pull request
 * uses, shaped by the REST description in the shared contracts (`github-rest-subset.openapi.json`):
 * - `GET /repos/{o}/{r}` (full-repository: `default_branch`, `archived`, `permissions.push`);
 * - `GET /repos/{o}/{r}/contents/{path}?ref=` from the branch's tree (base64, 404 when absent);
 * - `GET /repos/{o}/{r}/git/ref/heads/{b}`, `POST …/git/refs` (422 "Reference already exists"),
 *   `DELETE …/git/refs/heads/{b}` (204); no `PATCH`: Steward never moves a ref;
 * - `POST …/git/blobs`, `POST …/git/trees` (with `base_tree`), `POST …/git/commits`, `GET …/git/commits/{sha}`;
 * - `GET …/pulls?state=&head=`, `POST …/pulls` (422 when the head is missing or a pull request for
 *   it is open), `POST …/pulls/{n}/requested_reviewers` (422 for a team the organisation lacks).
 * Refusals as GitHub words them: an archived repository (403 "Repository was archived so is
 * read-only."), a read-only token (403 "Resource not accessible by personal access token"), a
 * ruleset that restricts creating branches (422 "Repository rule violations found"). Every other
 * request goes through to the read fake, so one URL serves the sync and the fix alike.
 */

export interface FakePull {
  readonly repo: string;
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly head: string;
  readonly base: string;
  state: 'open' | 'closed';
  merged: boolean;
  reviewers: string[];
  teamReviewers: string[];
}

export interface FakeGithubWritesFault {
  /** `refs`, `pulls`, `requested_reviewers`, `blobs`, `trees`, `commits`: the last path word of the write. */
  readonly route: string;
  readonly status: number;
  readonly body?: unknown;
}

export interface FakeGithubWrites {
  readonly url: string;
  readonly token: string;
  /** Every request this fake answered itself (writes and the reads it owns), in order. */
  readonly requests: Array<{ method: string; path: string; status: number; body: unknown }>;
  readonly pulls: FakePull[];
  /** The branches of a repository and the files of each, as they stand. */
  branches(repo: string): Map<string, Record<string, string>>;
  /** A branch someone else pushed, with a commit of their own on it. */
  pushBranch(repo: string, branch: string, files: Record<string, string>): void;
  /** Merges an open pull request: the default branch takes its head, and the read fake sees the files. */
  merge(repo: string, number: number): void;
  fault(f: FakeGithubWritesFault): void;
  close(): Promise<void>;
}

interface Commit {
  readonly tree: Record<string, string>;
  readonly parents: string[];
  readonly message: string;
}

interface RepoGit {
  readonly commits: Map<string, Commit>;
  readonly trees: Map<string, Record<string, string>>;
  readonly blobs: Map<string, string>;
  readonly refs: Map<string, string>;
}

const sha = (s: string): string => createHash('sha1').update(s).digest('hex');
const DOCS = 'https://docs.github.com/rest';

export async function startFakeGithubWrites(
  inner: FakeGithub,
  options: {
    readonly org: string;
    /** Tokens that may read but not write (they must be known to the read fake too). */
    readonly readOnlyTokens?: readonly string[];
    /** Repositories whose rulesets restrict creating branches. */
    readonly restrictCreations?: readonly string[];
  },
): Promise<FakeGithubWrites> {
  const requests: FakeGithubWrites['requests'] = [];
  const pulls: FakePull[] = [];
  const faults: FakeGithubWritesFault[] = [];
  const gits = new Map<string, RepoGit>();
  const readOnly = new Set(options.readOnlyTokens ?? []);
  let counter = 0;

  const textFiles = (r: FakeRepo): Record<string, string> =>
    Object.fromEntries(Object.entries(r.files ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const gitOf = (repo: FakeRepo): RepoGit => {
    let g = gits.get(repo.name);
    if (!g) {
      const tree = textFiles(repo);
      const treeSha = sha(`tree:${JSON.stringify(tree)}`);
      const commitSha = sha(`commit:${repo.name}:${treeSha}`);
      g = { commits: new Map([[commitSha, { tree, parents: [], message: 'initial' }]]), trees: new Map([[treeSha, tree]]), blobs: new Map(), refs: new Map([['main', commitSha]]) };
      gits.set(repo.name, g);
    }
    return g;
  };
  const findRepo = (name: string): FakeRepo | undefined => inner.repos.find((r) => r.name === name);
  const treeShaOf = (g: RepoGit, tree: Record<string, string>): string => {
    const s = sha(`tree:${JSON.stringify(tree)}:${counter++}`);
    g.trees.set(s, tree);
    return s;
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      void handle(req, res, raw);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
    // octokit encodes the slash of `heads/main` and `docs/index.md` (%2F), as GitHub accepts.
    const rest = decodeURIComponent(m?.[3] ?? '');
    const ours =
      m !== null &&
      m[1]!.toLowerCase() === options.org.toLowerCase() &&
      (rest === '' || rest.startsWith('/contents/') || rest.startsWith('/git/') || rest.startsWith('/pulls'));
    if (!ours) return proxy(req, res, raw, url);
    const answer = (status: number, body?: unknown): void => {
      requests.push({ method, path: url.pathname + url.search, status, body });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const auth = /^(?:token|Bearer) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (auth !== inner.token && !readOnly.has(auth ?? '')) return answer(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    const repo = findRepo(decodeURIComponent(m![2]!));
    if (!repo) return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    const g = gitOf(repo);
    const slug = `${options.org}/${repo.name}`;
    let body: Record<string, unknown> = {};
    try {
      body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      return answer(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
    }
    const write = method !== 'GET' && method !== 'HEAD';
    if (write) {
      const route = rest.startsWith('/git/') ? rest.split('/')[2] : rest.endsWith('/requested_reviewers') ? 'requested_reviewers' : 'pulls';
      const fi = faults.findIndex((f) => f.route === route);
      if (fi !== -1) {
        const f = faults.splice(fi, 1)[0]!;
        return answer(f.status, f.body ?? { message: 'fault', documentation_url: DOCS, status: String(f.status) });
      }
      if (repo.archived) return answer(403, { message: 'Repository was archived so is read-only.', documentation_url: DOCS, status: '403' });
      if (readOnly.has(auth!)) return answer(403, { message: 'Resource not accessible by personal access token', documentation_url: DOCS, status: '403' });
    }

    if (rest === '' && method === 'GET') {
      return answer(200, {
        id: 1,
        name: repo.name,
        full_name: slug,
        owner: { login: options.org, type: 'Organization' },
        private: false,
        html_url: `https://github.example/${slug}`,
        archived: repo.archived ?? false,
        disabled: false,
        default_branch: 'main',
        permissions: { admin: false, maintain: false, push: !readOnly.has(auth!), triage: true, pull: true },
      });
    }
    if (rest.startsWith('/contents/') && method === 'GET') {
      const path = rest.slice('/contents/'.length);
      const ref = url.searchParams.get('ref') ?? 'main';
      const head = g.refs.get(ref) ?? (g.commits.has(ref) ? ref : undefined);
      const tree = head ? g.commits.get(head)!.tree : undefined;
      const text = tree?.[path];
      if (text === undefined) {
        if (tree && Object.keys(tree).some((k) => k.startsWith(`${path}/`))) return answer(200, [{ type: 'dir', name: path.split('/').pop(), path }]);
        return answer(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content', status: '404' });
      }
      return answer(200, { type: 'file', encoding: 'base64', size: Buffer.byteLength(text), name: path.split('/').pop(), path, content: Buffer.from(text).toString('base64').replace(/(.{60})/g, '$1\n'), sha: sha(text) });
    }
    const refMatch = /^\/git\/refs?\/heads\/(.+)$/.exec(rest);
    if (refMatch && method === 'GET' && rest.startsWith('/git/ref/')) {
      const branch = refMatch[1]!;
      const at = g.refs.get(branch);
      if (!at) return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      return answer(200, { ref: `refs/heads/${branch}`, node_id: `REF_${branch}`, url: `${state.url}/repos/${slug}/git/refs/heads/${branch}`, object: { sha: at, type: 'commit', url: '' } });
    }
    if (refMatch && method === 'DELETE' && rest.startsWith('/git/refs/')) {
      const branch = refMatch[1]!;
      if (!g.refs.delete(branch)) return answer(422, { message: 'Reference does not exist', documentation_url: DOCS, status: '422' });
      return answer(204);
    }
    if (rest === '/git/refs' && method === 'POST') {
      const ref = String(body['ref'] ?? '');
      const target = String(body['sha'] ?? '');
      if (!/^refs\/[^/]+\/.+/.test(ref)) return answer(422, { message: `${ref} is not a valid ref name.`, documentation_url: DOCS, status: '422' });
      if (options.restrictCreations?.includes(repo.name)) {
        return answer(422, { message: 'Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n', documentation_url: 'https://docs.github.com/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/about-rulesets', status: '422' });
      }
      const branch = ref.replace(/^refs\/heads\//, '');
      if (g.refs.has(branch)) return answer(422, { message: 'Reference already exists', documentation_url: DOCS, status: '422' });
      if (!g.commits.has(target)) return answer(422, { message: 'Object does not exist', documentation_url: DOCS, status: '422' });
      g.refs.set(branch, target);
      return answer(201, { ref, node_id: `REF_${branch}`, url: '', object: { sha: target, type: 'commit', url: '' } });
    }
    if (rest === '/git/blobs' && method === 'POST') {
      const content = body['encoding'] === 'base64' ? Buffer.from(String(body['content'] ?? ''), 'base64').toString('utf8') : String(body['content'] ?? '');
      if (typeof body['content'] !== 'string') return answer(422, { message: 'Invalid request.\n\n"content" wasn\'t supplied.', documentation_url: DOCS, status: '422' });
      const s = sha(`blob:${content}`);
      g.blobs.set(s, content);
      return answer(201, { sha: s, url: '' });
    }
    if (rest === '/git/trees' && method === 'POST') {
      const base = body['base_tree'] === undefined ? {} : g.trees.get(String(body['base_tree']));
      if (!base) return answer(422, { message: 'Invalid request.\n\nbase_tree is not a valid tree', documentation_url: DOCS, status: '422' });
      const tree = { ...base };
      for (const e of (body['tree'] as Array<{ path: string; mode: string; type: string; sha?: string; content?: string }>) ?? []) {
        if (e.mode !== '100644' || e.type !== 'blob') return answer(422, { message: `Invalid tree entry ${e.path}`, documentation_url: DOCS, status: '422' });
        const text = e.content ?? (e.sha ? g.blobs.get(e.sha) : undefined);
        if (text === undefined) return answer(422, { message: `Invalid tree info: ${e.path} (unknown blob)`, documentation_url: DOCS, status: '422' });
        tree[e.path] = text;
      }
      const s = treeShaOf(g, tree);
      return answer(201, { sha: s, url: '', tree: Object.keys(tree).map((p) => ({ path: p, mode: '100644', type: 'blob', sha: sha(`blob:${tree[p]}`) })), truncated: false });
    }
    if (rest === '/git/commits' && method === 'POST') {
      const tree = g.trees.get(String(body['tree'] ?? ''));
      const parents = (body['parents'] as string[] | undefined) ?? [];
      if (!tree || parents.some((p) => !g.commits.has(p))) return answer(422, { message: 'Tree SHA does not exist', documentation_url: DOCS, status: '422' });
      const s = sha(`commit:${String(body['message'])}:${counter++}`);
      g.commits.set(s, { tree, parents, message: String(body['message'] ?? '') });
      return answer(201, { sha: s, tree: { sha: String(body['tree']) }, parents: parents.map((p) => ({ sha: p })), message: body['message'], html_url: `https://github.example/${slug}/commit/${s}` });
    }
    const commitMatch = /^\/git\/commits\/([0-9a-f]+)$/.exec(rest);
    if (commitMatch && method === 'GET') {
      const c = g.commits.get(commitMatch[1]!);
      if (!c) return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      const treeSha = [...g.trees].find(([, t]) => t === c.tree)?.[0] ?? treeShaOf(g, c.tree);
      return answer(200, { sha: commitMatch[1], tree: { sha: treeSha }, parents: c.parents.map((p) => ({ sha: p })), message: c.message });
    }
    if (rest === '/pulls' && method === 'GET') {
      const wanted = url.searchParams.get('state') ?? 'open';
      const head = url.searchParams.get('head');
      const list = pulls.filter((p) => p.repo === repo.name && (wanted === 'all' || p.state === wanted) && (head === null || `${options.org}:${p.head}` === head));
      return answer(200, list.map((p) => pullJson(slug, p)));
    }
    if (rest === '/pulls' && method === 'POST') {
      const head = String(body['head'] ?? '');
      const base = String(body['base'] ?? '');
      if (typeof body['title'] !== 'string' || !g.refs.has(head) || !g.refs.has(base)) {
        return answer(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: g.refs.has(head) ? 'base' : 'head', code: 'invalid' }], documentation_url: DOCS, status: '422' });
      }
      if (pulls.some((p) => p.repo === repo.name && p.head === head && p.state === 'open')) {
        return answer(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${options.org}:${head}.` }], documentation_url: DOCS, status: '422' });
      }
      const pull: FakePull = { repo: repo.name, number: pulls.length + 1, title: body['title'], body: String(body['body'] ?? ''), head, base, state: 'open', merged: false, reviewers: [], teamReviewers: [] };
      pulls.push(pull);
      return answer(201, pullJson(slug, pull));
    }
    const reviewers = /^\/pulls\/(\d+)\/requested_reviewers$/.exec(rest);
    if (reviewers && method === 'POST') {
      const pull = pulls.find((p) => p.repo === repo.name && p.number === Number(reviewers[1]));
      if (!pull) return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      const teams = (body['team_reviewers'] as string[] | undefined) ?? [];
      const unknown = teams.filter((t) => !inner.teams.some((x) => x.slug === t));
      if (unknown.length > 0) return answer(422, { message: 'Reviews may only be requested from collaborators. One or more of the teams you specified is not a collaborator of the ' + slug + ' repository.', documentation_url: DOCS, status: '422' });
      pull.reviewers.push(...((body['reviewers'] as string[] | undefined) ?? []));
      pull.teamReviewers.push(...teams);
      return answer(201, pullJson(slug, pull));
    }
    return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
  }

  async function proxy(req: IncomingMessage, res: ServerResponse, raw: string, url: URL): Promise<void> {
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'if-none-match', 'content-type', 'accept']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const method = req.method ?? 'GET';
    const upstream = await fetch(`${inner.url}${url.pathname}${url.search}`, { method, headers, ...(method !== 'GET' && method !== 'HEAD' ? { body: raw } : {}) });
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = k === 'link' ? v.replaceAll(inner.url, state.url) : v;
    });
    res.writeHead(upstream.status, out);
    res.end(await upstream.text());
  }

  const state: FakeGithubWrites = {
    url: '',
    token: inner.token,
    requests,
    pulls,
    branches(name) {
      const repo = findRepo(name);
      if (!repo) throw new Error(`no repository ${name}`);
      const g = gitOf(repo);
      return new Map([...g.refs].map(([b, s]) => [b, g.commits.get(s)!.tree]));
    },
    pushBranch(name, branch, files) {
      const repo = findRepo(name)!;
      const g = gitOf(repo);
      const base = g.refs.get('main')!;
      const tree = { ...g.commits.get(base)!.tree, ...files };
      treeShaOf(g, tree);
      const s = sha(`commit:someone:${counter++}`);
      g.commits.set(s, { tree, parents: [base], message: 'work in progress' });
      g.refs.set(branch, s);
    },
    merge(name, number) {
      const pull = pulls.find((p) => p.repo === name && p.number === number && p.state === 'open');
      if (!pull) throw new Error(`no open pull request ${name}#${number}`);
      const repo = findRepo(name)!;
      const g = gitOf(repo);
      const head = g.refs.get(pull.head)!;
      g.refs.set(pull.base, head);
      pull.state = 'closed';
      pull.merged = true;
      // The read fake (GraphQL, what the sync reads) sees the merged files.
      const i = inner.repos.indexOf(repo);
      const merged: FakeRepo = { ...repo, files: { ...repo.files, ...g.commits.get(head)!.tree }, pushedAt: new Date(Date.parse(repo.pushedAt ?? '2026-11-01T10:00:00Z') + 3_600_000).toISOString() };
      inner.repos[i] = merged;
      gits.set(merged.name, g);
    },
    fault: (f) => faults.push(f),
    close: () => new Promise((done) => server.close(() => done())),
  };
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  (state as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

function pullJson(slug: string, p: FakePull): Record<string, unknown> {
  const [owner] = slug.split('/');
  return {
    url: `https://api.github.example/repos/${slug}/pulls/${p.number}`,
    id: 5000 + p.number,
    number: p.number,
    html_url: `https://github.example/${slug}/pull/${p.number}`,
    state: p.state,
    merged: p.merged,
    title: p.title,
    body: p.body,
    head: { label: `${owner}:${p.head}`, ref: p.head, repo: { full_name: slug } },
    base: { label: `${owner}:${p.base}`, ref: p.base, repo: { full_name: slug } },
    requested_reviewers: p.reviewers.map((login) => ({ login })),
    requested_teams: p.teamReviewers.map((slug) => ({ slug })),
  };
}
