import { Octokit } from 'octokit';
import { BotError } from '../../core/errors.js';
import type { FixWriter, OpenedPullRequest, PullRequestRef, RepositorySlug } from '../../core/fixes/index.js';
import type { Logger } from '../../core/ports.js';
import { spacedQueue } from './github-reader.js';

export interface GithubWriterOptions {
  readonly token: string;
  /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** Deadline of each request (default 30 s). */
  readonly timeoutMs?: number | undefined;
  readonly logger: Logger;
  /** Seconds are multiplied by this before waiting: 1000 in production, ~1 in tests. */
  readonly retryAfterBaseValue?: number;
  /**
   * Spacing of writes. plugin-throttling queues content-creating requests one per second (GitHub's
   * secondary limit is 80 a minute); tests pass 0. Undefined keeps the plugin's default.
   */
  readonly writeSpacingMs?: number;
}

/** Other branches of the same name are left alone: the fix takes `-2`, `-3`… up to this. */
const MAX_BRANCH_TRIES = 10;

interface RequestError {
  readonly status?: number;
  readonly message?: string;
  readonly response?: { readonly data?: { readonly message?: string; readonly errors?: ReadonlyArray<{ readonly message?: string; readonly code?: string; readonly field?: string }> } };
}

/**
 * Opens fix pull requests through octokit's REST API. The commit is built with the git data API
 * (blobs, one tree on the default branch's, one commit) before any ref exists, so a failure there
 * leaves nothing behind; the branch is then created (never moved: no force, no update of a branch
 * someone else may use), the pull request opened, and if that fails the branch is deleted again.
 */
export function createGithubWriter(options: GithubWriterOptions): FixWriter {
  const throttle: Record<string, unknown> = {
    onRateLimit: (retryAfter: number, request: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
      options.logger.warn('github rate limit', { request: `${request.method} ${request.url}`, retryAfterSeconds: retryAfter });
      return retryCount < 2 && retryAfter <= 60;
    },
    onSecondaryRateLimit: (retryAfter: number, request: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
      options.logger.warn('github secondary rate limit', { request: `${request.method} ${request.url}`, retryAfterSeconds: retryAfter });
      return retryCount < 2 && retryAfter <= 60;
    },
    retryAfterBaseValue: options.retryAfterBaseValue ?? 1000,
  };
  if (options.writeSpacingMs !== undefined) {
    throttle['write'] = spacedQueue(options.writeSpacingMs);
    // Opening a pull request and asking reviewers notify people: the plugin spaces those 3 s apart.
    throttle['notifications'] = spacedQueue(options.writeSpacingMs);
  }
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: 'steward-fix',
    // A GitHub that stops answering must not hold a fix (and the person who asked) forever.
    request: { fetch: withDeadline(options.fetch ?? fetch, options.timeoutMs ?? 30_000) },
    throttle: throttle as never,
    retry: { retries: 2, retryAfterBaseValue: options.retryAfterBaseValue ?? 1000 } as never,
    log: { debug() {}, info() {}, warn: (m: string) => options.logger.warn(m), error: (m: string) => options.logger.error(m) },
  });

  async function call<T>(what: string, slug: string, run: () => Promise<{ data: unknown }>): Promise<T> {
    try {
      return (await run()).data as T;
    } catch (err) {
      throw refusal(what, slug, err);
    }
  }

  async function readFile(repo: RepositorySlug, path: string, ref: string): Promise<string | undefined> {
    try {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: repo.owner, repo: repo.name, path, ref });
      const file = data as { type?: string; content?: string; encoding?: string };
      // A folder where a file would go counts as present: the fix never replaces it.
      if (Array.isArray(data) || file.type !== 'file') return '';
      return file.encoding === 'base64' ? Buffer.from(file.content ?? '', 'base64').toString('utf8') : (file.content ?? '');
    } catch (err) {
      if ((err as RequestError).status === 404) return undefined;
      throw refusal(`read ${path}`, `${repo.owner}/${repo.name}`, err);
    }
  }

  async function branchExists(repo: RepositorySlug, branch: string): Promise<boolean> {
    try {
      await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner: repo.owner, repo: repo.name, ref: `heads/${branch}` });
      return true;
    } catch (err) {
      if ((err as RequestError).status === 404) return false;
      throw refusal(`read the branch ${branch}`, `${repo.owner}/${repo.name}`, err);
    }
  }

  return {
    async inspect(repo, input) {
      const slug = `${repo.owner}/${repo.name}`;
      const r = await call<{ archived?: boolean; default_branch?: string; permissions?: { push?: boolean } }>('read the repository', slug, () =>
        octokit.request('GET /repos/{owner}/{repo}', { owner: repo.owner, repo: repo.name }),
      );
      if (r.archived) throw new BotError('github_archived', `${slug} is archived, so it is read-only.`);
      // `permissions` is there for an authenticated caller; push is what a branch needs.
      if (r.permissions && r.permissions.push === false) throw new BotError('github_forbidden', `the token may read ${slug} but not push to it.`);
      const base = r.default_branch;
      if (!base) throw new BotError('github_not_found', `${slug} has no default branch (an empty repository).`);
      const files = new Map<string, string | undefined>();
      for (const path of input.paths) files.set(path, await readFile(repo, path, base));
      const open = await call<Array<{ number: number; html_url: string; head?: { ref?: string; repo?: { full_name?: string } | null } }>>('list pull requests', slug, () =>
        octokit.request('GET /repos/{owner}/{repo}/pulls', { owner: repo.owner, repo: repo.name, state: 'open', per_page: 100 }),
      );
      const same = (ref: string | undefined): boolean => ref === input.branchPrefix || (ref?.startsWith(`${input.branchPrefix}-`) === true && /^\d+$/.test(ref.slice(input.branchPrefix.length + 1)));
      const hit = open.find((p) => same(p.head?.ref) && (p.head?.repo?.full_name ?? slug).toLowerCase() === slug.toLowerCase());
      const openPullRequest: PullRequestRef | undefined = hit ? { number: hit.number, url: hit.html_url, branch: hit.head!.ref! } : undefined;
      return { defaultBranch: base, files, openPullRequest };
    },

    async open(repo, draft) {
      const slug = `${repo.owner}/${repo.name}`;
      const owner = repo.owner;
      const name = repo.name;
      const baseRef = await call<{ object: { sha: string } }>(`read the branch ${draft.base}`, slug, () =>
        octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner, repo: name, ref: `heads/${draft.base}` }),
      );
      const baseCommit = await call<{ tree: { sha: string } }>('read the default branch commit', slug, () =>
        octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { owner, repo: name, commit_sha: baseRef.object.sha }),
      );
      // Objects first: unreferenced blobs, trees and commits are garbage GitHub collects.
      const entries: Array<{ path: string; mode: '100644'; type: 'blob'; sha: string }> = [];
      for (const c of draft.changes) {
        const blob = await call<{ sha: string }>(`write ${c.path}`, slug, () =>
          octokit.request('POST /repos/{owner}/{repo}/git/blobs', { owner, repo: name, content: c.after, encoding: 'utf-8' }),
        );
        entries.push({ path: c.path, mode: '100644', type: 'blob', sha: blob.sha });
      }
      const tree = await call<{ sha: string }>('write the tree', slug, () =>
        octokit.request('POST /repos/{owner}/{repo}/git/trees', { owner, repo: name, base_tree: baseCommit.tree.sha, tree: entries }),
      );
      const commit = await call<{ sha: string }>('write the commit', slug, () =>
        octokit.request('POST /repos/{owner}/{repo}/git/commits', { owner, repo: name, message: draft.commitMessage, tree: tree.sha, parents: [baseRef.object.sha] }),
      );

      let branch: string | undefined;
      for (let n = 1; n <= MAX_BRANCH_TRIES && branch === undefined; n++) {
        const candidate = n === 1 ? draft.branchPrefix : `${draft.branchPrefix}-${n}`;
        if (await branchExists(repo, candidate)) continue;
        try {
          await octokit.request('POST /repos/{owner}/{repo}/git/refs', { owner, repo: name, ref: `refs/heads/${candidate}`, sha: commit.sha });
          branch = candidate;
        } catch (err) {
          // Created by someone else between the look and the write: the next name.
          if ((err as RequestError).status === 422 && /already exists/i.test(messageOf(err))) continue;
          throw refusal(`create the branch ${candidate}`, slug, err);
        }
      }
      if (branch === undefined) throw new BotError('github_conflict', `branches ${draft.branchPrefix} to ${draft.branchPrefix}-${MAX_BRANCH_TRIES} all exist already; delete the stale ones.`);

      let pull: { number: number; html_url: string };
      try {
        pull = (await octokit.request('POST /repos/{owner}/{repo}/pulls', { owner, repo: name, title: draft.title, head: branch, base: draft.base, body: draft.body })).data as {
          number: number;
          html_url: string;
        };
      } catch (err) {
        // No orphan: the branch exists only for this pull request.
        try {
          await octokit.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { owner, repo: name, ref: `heads/${branch}` });
        } catch (cleanup) {
          options.logger.error('fix branch left behind: deleting it failed', { repo: slug, branch, err: messageOf(cleanup) });
        }
        throw refusal('open the pull request', slug, err);
      }

      const asked = [...draft.reviewers.teams.map((t) => `@${owner}/${t}`), ...draft.reviewers.users.map((u) => `@${u}`)];
      let reviewerProblem: string | undefined;
      if (asked.length > 0) {
        try {
          await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', {
            owner,
            repo: name,
            pull_number: pull.number,
            reviewers: [...draft.reviewers.users],
            team_reviewers: [...draft.reviewers.teams],
          });
        } catch (err) {
          reviewerProblem = `GitHub did not add ${asked.join(', ')} as reviewers: ${messageOf(err)}`;
        }
      }
      const opened: OpenedPullRequest = {
        number: pull.number,
        url: pull.html_url,
        branch,
        reviewersRequested: reviewerProblem ? [] : asked,
        reviewerProblem,
      };
      return opened;
    },
  };
}

function messageOf(err: unknown): string {
  const e = err as RequestError;
  const data = e.response?.data;
  const detail = data?.errors?.map((x) => x.message ?? [x.field, x.code].filter(Boolean).join(' ')).filter(Boolean).join('; ');
  const first = (data?.message ?? e.message ?? String(err)).split('\n')[0]!.trim();
  return detail ? `${first} (${detail})` : first;
}

/** GitHub's answer as one of the refusals the fix command explains, GitHub's words kept. */
function refusal(what: string, slug: string, err: unknown): BotError {
  const status = (err as RequestError).status;
  const message = messageOf(err);
  const text = `could not ${what} in ${slug}: ${message}${status ? ` (HTTP ${status})` : ''}`;
  if (/archived/i.test(message)) return new BotError('github_archived', `${slug} is archived, so it is read-only.`, { cause: err });
  if (status === 401) return new BotError('github_forbidden', `the token was refused (401 Bad credentials).`, { cause: err });
  if ((status === 409 || status === 422 || status === 403) && /rule|protected/i.test(message)) return new BotError('github_protected', text, { cause: err });
  if (status === 403 && /rate limit/i.test(message)) return new BotError('github_rate_limited', text, { cause: err });
  if (status === 403) return new BotError('github_forbidden', text, { cause: err });
  if (status === 404) return new BotError('github_not_found', `${text}; GitHub also says 404 when the token may not see or write it`, { cause: err });
  return new BotError('github_failed', text, { cause: err });
}

function withDeadline(fetchImpl: typeof fetch, ms: number): typeof fetch {
  return (input, init) => fetchImpl(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(ms) });
}
