import type { FileChange } from './plan-fix.js';

/**
 * What opening a fix pull request needs from GitHub, as a port: `src/infra/github/github-writer.ts`
 * implements it with octokit. A refusal comes back as a `BotError` whose code says which one
 * (`github_archived`, `github_forbidden`, `github_protected`, `github_not_found`), with GitHub's
 * message as the cause, so the answer can say what to do about it.
 */

export interface RepositorySlug {
  readonly owner: string;
  readonly name: string;
}

export interface PullRequestRef {
  readonly number: number;
  readonly url: string;
  readonly branch: string;
}

export interface RepositoryView {
  readonly defaultBranch: string;
  /** The asked paths' text on the default branch; undefined when absent. */
  readonly files: ReadonlyMap<string, string | undefined>;
  /** An open pull request from a branch named with the prefix: the same fix, opened before. */
  readonly openPullRequest: PullRequestRef | undefined;
}

export interface PullRequestDraft {
  readonly base: string;
  /** `steward/fix-documentation-readme`; `-2`, `-3`… are tried when a branch of that name exists. */
  readonly branchPrefix: string;
  readonly changes: readonly FileChange[];
  readonly commitMessage: string;
  readonly title: string;
  readonly body: string;
  readonly reviewers: Reviewers;
}

export interface Reviewers {
  readonly users: readonly string[];
  readonly teams: readonly string[];
}

export interface OpenedPullRequest extends PullRequestRef {
  /** `@acme/payments-team`, `@dana`: who was asked to review. */
  readonly reviewersRequested: readonly string[];
  /** Why reviewers could not be requested (the pull request stands). */
  readonly reviewerProblem: string | undefined;
}

export interface FixWriter {
  /** Reads only: the default branch, the paths on it, an open pull request for the fix. */
  inspect(repo: RepositorySlug, input: { readonly paths: readonly string[]; readonly branchPrefix: string }): Promise<RepositoryView>;
  /**
   * A branch of its own from the default branch, one commit (git data API), the pull request,
   * reviewers. Never force-pushes; when the pull request cannot be opened the branch it created
   * is deleted again.
   */
  open(repo: RepositorySlug, draft: PullRequestDraft): Promise<OpenedPullRequest>;
}

/** Where a service's repository is known from when its descriptor does not say (discovery). */
export interface RepositoryDirectory {
  repositoryOf(entityRef: string): string | undefined;
}
