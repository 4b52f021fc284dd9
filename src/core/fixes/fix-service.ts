import type { CatalogReader, Entity, Person } from '../catalog/index.js';
import { annotation, displayName, links, refKind, refName, resolveOwner } from '../catalog/index.js';
import { BotError, CommandError } from '../errors.js';
import type { CompiledCheck, CompiledScorecard, ScoringService } from '../scoring/index.js';
import { hasFileFix } from '../scoring/index.js';
import type { FixWriter, OpenedPullRequest, PullRequestRef, RepositoryDirectory, RepositorySlug, Reviewers } from './fix-ports.js';
import type { CatalogInfoEditor, FixPlan } from './plan-fix.js';
import { fixPaths, planFix } from './plan-fix.js';
import type { FixValues } from './render-template.js';

/** The annotations the GitHub organisation sync (or a descriptor) gives teams and people. */
const TEAM_SLUG = 'github.com/team-slug';
const USER_LOGIN = 'github.com/user-login';
const PROJECT_SLUG = 'github.com/project-slug';
const SLUG = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)$/;
/** A team without a GitHub slug: its members are asked instead, at most this many. */
const MAX_MEMBER_REVIEWERS = 5;

/** The code answers and the CLI use for "a pull request cannot be opened here" (exit 1). */
export const FIX_NOT_POSSIBLE = 'fix_not_possible';

export interface FixTarget {
  readonly entity: Entity;
  readonly scorecard: CompiledScorecard;
  readonly check: CompiledCheck;
  readonly repo: RepositorySlug;
  readonly branchPrefix: string;
}

export interface FixPreview {
  readonly target: FixTarget;
  readonly base: string;
  readonly plan: FixPlan;
  readonly openPullRequest: PullRequestRef | undefined;
}

export type FixOutcome =
  | { readonly kind: 'opened'; readonly target: FixTarget; readonly pullRequest: OpenedPullRequest }
  | { readonly kind: 'linked'; readonly target: FixTarget; readonly pullRequest: PullRequestRef };

/** Who asks, as chat knows them (structurally the command's actor; no import of commands here). */
export interface FixCaller {
  readonly email?: string | undefined;
  readonly person?: Person | undefined;
}

export interface FixService {
  /** Whether to offer the button: the check has a file fix and the service a known repository. No GitHub call. */
  canOffer(entity: Entity, check: CompiledCheck): boolean;
  /** The scorecard, check and repository, or a CommandError saying why not. */
  resolve(entity: Entity, checkQuery: string): FixTarget;
  /** What a pull request would change; reads GitHub, writes nothing. */
  preview(target: FixTarget): Promise<FixPreview>;
  /** Opens the pull request, or links the one already open for the same fix. */
  open(target: FixTarget): Promise<FixOutcome>;
  /** Whether this person may open fixes for the service: its owners, through their teams, and admins. */
  mayOpen(entity: Entity, caller: FixCaller): boolean;
  /** Who may, for the polite no. */
  whoMay(entity: Entity): string;
}

export interface FixDeps {
  readonly catalog: CatalogReader;
  readonly scoring: ScoringService;
  /** Undefined without a GitHub token. */
  readonly writer: () => Promise<FixWriter | undefined>;
  readonly repositories: RepositoryDirectory;
  readonly editCatalogInfo: CatalogInfoEditor;
}

export function createFixService(deps: FixDeps): FixService {
  const { catalog, scoring } = deps;

  function repositoryOf(entity: Entity): RepositorySlug | undefined {
    const slug = annotation(entity, PROJECT_SLUG) ?? deps.repositories.repositoryOf(entity.ref);
    const m = slug ? SLUG.exec(slug.trim()) : null;
    return m ? { owner: m[1]!, name: m[2]! } : undefined;
  }

  function findCheck(query: string): { scorecard: CompiledScorecard; check: CompiledCheck } {
    const [first, second] = query.includes('/') ? query.split('/', 2) : [undefined, query];
    const want = (second ?? '').trim().toLowerCase();
    const cards = first !== undefined ? [scoring.requireScorecard(first)] : scoring.scorecards;
    const found = cards.flatMap((scorecard) => scorecard.checks.filter((c) => c.id === want).map((check) => ({ scorecard, check })));
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      throw new CommandError('ambiguous_check', `Several scorecards have a check called "${want}".`, {
        hint: `Name one: ${found.map((f) => `${f.scorecard.id}/${f.check.id}`).join(', ')}.`,
      });
    }
    const fixable = cards.flatMap((s) => s.checks.filter(hasFileFix).map((c) => `${s.id}/${c.id}`));
    throw new CommandError('unknown_check', `There is no check called "${query}".`, { hint: `Checks a pull request can fix: ${fixable.join(', ') || 'none'}.` });
  }

  function ownerRefs(entity: Entity): { ownerRef: string | undefined; owner: Entity | undefined } {
    const o = resolveOwner(catalog, entity);
    return { ownerRef: o.ownerRef, owner: o.owner };
  }

  /** The owner's GitHub handles: its team slug, else its (or its members') logins. */
  function githubOwners(owner: Entity | undefined, org: string): { handles: string[]; reviewers: Reviewers } {
    if (!owner) return { handles: [], reviewers: { users: [], teams: [] } };
    // `acme/payments` as Backstage and the organisation sync write it; a bare `payments` is read as this organisation's.
    const [teamOrg, team] = (annotation(owner, TEAM_SLUG) ?? '').includes('/') ? annotation(owner, TEAM_SLUG)!.split('/', 2) : [org, annotation(owner, TEAM_SLUG)];
    if (team && teamOrg!.toLowerCase() === org.toLowerCase()) return { handles: [`@${org}/${team}`], reviewers: { users: [], teams: [team] } };
    const login = annotation(owner, USER_LOGIN);
    if (login) return { handles: [`@${login}`], reviewers: { users: [login], teams: [] } };
    const logins = catalog
      .related(owner.ref, 'hasMember')
      .map((r) => catalog.get(r))
      .map((e) => (e ? annotation(e, USER_LOGIN) : undefined))
      .filter((l): l is string => l !== undefined)
      .slice(0, MAX_MEMBER_REVIEWERS);
    return { handles: logins.map((l) => `@${l}`), reviewers: { users: logins, teams: [] } };
  }

  function valuesFor(target: FixTarget): { values: FixValues; reviewers: Reviewers } {
    const { entity, repo } = target;
    const { ownerRef, owner } = ownerRefs(entity);
    const gh = githubOwners(owner, repo.owner);
    const system = typeof entity.spec['system'] === 'string' ? (entity.spec['system'] as string) : undefined;
    return {
      values: {
        name: entity.name,
        title: displayName(entity),
        description: entity.description,
        // The reference as a descriptor writes it (spec.owner), readable in prose too.
        owner: ownerRef ? shortRef(ownerRef) : undefined,
        system,
        links: links(entity),
        repo: `${repo.owner}/${repo.name}`,
        codeowners: gh.handles,
      },
      reviewers: gh.reviewers,
    };
  }

  async function writer(): Promise<FixWriter> {
    const w = await deps.writer();
    if (!w) throw new CommandError(FIX_NOT_POSSIBLE, 'Steward has no GitHub token, so it cannot open pull requests.', { hint: 'Set GITHUB_TOKEN (contents and pull-request write on the repositories) where Steward runs.' });
    return w;
  }

  /** GitHub's refusals become answers; anything else is a bug to log. */
  async function asAnswer<T>(run: () => Promise<T>, repo: RepositorySlug): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof BotError && err.code.startsWith('github_')) {
        throw new CommandError(FIX_NOT_POSSIBLE, `GitHub refused: ${err.message}`, { hint: hintFor(err.code, repo), cause: err });
      }
      throw err;
    }
  }

  async function preview(target: FixTarget): Promise<FixPreview> {
    const w = await writer();
    const view = await asAnswer(() => w.inspect(target.repo, { paths: fixPaths(target.check), branchPrefix: target.branchPrefix }), target.repo);
    const plan = planFix({ check: target.check, values: valuesFor(target).values, existing: view.files, editCatalogInfo: deps.editCatalogInfo });
    return { target, base: view.defaultBranch, plan, openPullRequest: view.openPullRequest };
  }

  return {
    canOffer: (entity, check) => hasFileFix(check) && repositoryOf(entity) !== undefined,

    resolve(entity, checkQuery) {
      const { scorecard, check } = findCheck(checkQuery);
      if (!hasFileFix(check)) {
        throw new CommandError(FIX_NOT_POSSIBLE, `${scorecard.title} / ${check.title} has no file fix: no pull request can make it pass.`, { hint: check.fix.how });
      }
      const repo = repositoryOf(entity);
      if (!repo) {
        throw new CommandError(FIX_NOT_POSSIBLE, `I don't know the repository of ${entity.name}.`, {
          hint: `Add the ${PROJECT_SLUG} annotation (owner/name) to its catalog-info.yaml, or run steward sync github for its organisation.`,
        });
      }
      return { entity, scorecard, check, repo, branchPrefix: `steward/fix-${scorecard.id}-${check.id}` };
    },

    preview,

    async open(target) {
      const p = await preview(target);
      if (p.openPullRequest) return { kind: 'linked', target, pullRequest: p.openPullRequest };
      if (!p.plan.ok) throw new CommandError(FIX_NOT_POSSIBLE, `No pull request for ${target.entity.name}: ${p.plan.reason}.`);
      const w = await writer();
      const { reviewers } = valuesFor(target);
      const pullRequest = await asAnswer(
        () =>
          w.open(target.repo, {
            base: p.base,
            branchPrefix: target.branchPrefix,
            changes: p.plan.ok ? p.plan.changes : [],
            commitMessage: `${target.check.title}: ${target.scorecard.title} fix for ${target.entity.name}\n\nGenerated by Steward.`,
            title: `${target.check.title} (${target.scorecard.title})`,
            body: pullRequestBody(target, p),
            reviewers,
          }),
        target.repo,
      );
      return { kind: 'opened', target, pullRequest };
    },

    mayOpen(entity, caller) {
      const email = caller.email ?? caller.person?.email;
      if (scoring.isAdmin(email)) return true;
      const person = caller.person ?? (email ? catalog.personByEmail(email) : undefined);
      const { ownerRef } = ownerRefs(entity);
      if (!person || !ownerRef) return false;
      return ownerRef === person.ref || catalog.related(person.ref, 'memberOf').includes(ownerRef);
    },

    whoMay(entity) {
      const { ownerRef, owner } = ownerRefs(entity);
      const who = owner ? `${refKind(owner.ref) === 'group' ? 'members of ' : ''}${displayName(owner)}` : ownerRef ? refName(ownerRef) : undefined;
      return who ? `${who} (the owner of ${entity.name}) and Steward admins` : `Steward admins (${entity.name} has no owner in the catalog)`;
    },
  };
}

/** `group:default/team-payments` → `team-payments`; `user:default/dana.kim` → `user:dana.kim`. */
function shortRef(ref: string): string {
  const m = /^([^:]+):([^/]+)\/(.+)$/.exec(ref);
  if (!m) return ref;
  const [, kind, namespace, name] = m;
  if (namespace !== 'default') return ref;
  return kind === 'group' ? name! : `${kind}:${name}`;
}

function hintFor(code: string, repo: RepositorySlug): string {
  const where = `${repo.owner}/${repo.name}`;
  switch (code) {
    case 'github_archived':
      return `${where} is archived: unarchive it, or fix the service's catalog entry instead.`;
    case 'github_forbidden':
      return `Give Steward's token contents and pull-request write access to ${where} (a fine-grained token: Contents and Pull requests, read and write).`;
    case 'github_protected':
      return `A branch protection rule or ruleset on ${where} stops Steward's branch; allow steward/* branches, or open the pull request by hand.`;
    case 'github_not_found':
      return `Check the github.com/project-slug annotation, and that the token can see ${where}.`;
    default:
      return `Try again later, or open the pull request by hand in ${where}.`;
  }
}

function pullRequestBody(target: FixTarget, p: FixPreview): string {
  const { scorecard, check, entity } = target;
  const changes = p.plan.ok ? p.plan.changes : [];
  return [
    `This pull request fixes the check **${escapeBody(check.title)}** (\`${check.id}\`, ${check.level}) of the scorecard **${escapeBody(scorecard.title)}** (\`${scorecard.id}\`) for the service \`${entity.name}\`.`,
    '',
    `**Why it matters:** ${escapeBody(check.fix.how)}${check.fix.link && /^https?:/.test(check.fix.link) ? ` ([guide](${check.fix.link}))` : ''}`,
    ...(scorecard.description ? ['', `${escapeBody(scorecard.title)}: ${escapeBody(scorecard.description)}`] : []),
    '',
    '**Changes:**',
    ...changes.map((c) => `- ${c.action === 'add' ? 'adds' : 'edits'} \`${c.path}\``),
    ...(p.plan.ok && p.plan.kept.length > 0 ? [`- leaves as they are: ${p.plan.kept.map((k) => `\`${k}\``).join(', ')}`] : []),
    '',
    'Review the text (the templates are a start, not the answer), edit this branch as you like, and merge; the check passes after the next sync.',
    '',
    `_Generated by Steward (\`fix ${entity.name} ${scorecard.id}/${check.id}\`)._`,
  ].join('\n');
}

/** Scorecard text is written by the platform team, but it is still data in a pull request body. */
const escapeBody = (s: string): string => s.replace(/[<>@]/g, (c) => `\\${c}`);
