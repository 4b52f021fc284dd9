import type { Entity } from '../catalog/index.js';
import { annotation, profileEmail } from '../catalog/index.js';
import { ORG_ANNOTATIONS } from './plan-organization.js';

/**
 * Maps CODEOWNERS owners to catalog entities: `@org/team` to a Group annotated
 * `github.com/team-slug: org/team` (Backstage's GitHub org import and `sync github` set it) or
 * else, for a team of the synced organisation, named after the slug; `@user` to a User annotated
 * `github.com/user-login` or named after the login; an email to the User with that
 * `spec.profile.email`. Names compare case-insensitively, as GitHub's do.
 */
export interface OwnerDirectory {
  /** The catalog ref of an owner as CODEOWNERS writes it, or undefined when the catalog lacks it. */
  resolve(owner: string): string | undefined;
  /**
   * What is wrong with a team owner, GitHub-wise: a team of another organisation, or one the
   * organisation does not have (GitHub ignores both). Undefined when nothing is, or unknown.
   */
  teamProblem(owner: string): string | undefined;
}

/** The synced organisation and its team slugs, when they were read. */
export interface KnownOrganization {
  readonly org: string;
  readonly teamSlugs: ReadonlySet<string>;
}

export function ownerDirectory(entities: readonly Entity[], known?: KnownOrganization): OwnerDirectory {
  const teams = new Map<string, string>();
  const teamNames = new Map<string, string>();
  const logins = new Map<string, string>();
  const userNames = new Map<string, string>();
  const emails = new Map<string, string>();
  for (const e of entities) {
    const kind = e.kind.toLowerCase();
    if (kind === 'group') {
      const slug = annotation(e, ORG_ANNOTATIONS.teamSlug);
      if (slug) teams.set(slug.toLowerCase(), e.ref);
      if (!teamNames.has(e.name.toLowerCase())) teamNames.set(e.name.toLowerCase(), e.ref);
    } else if (kind === 'user') {
      const login = annotation(e, ORG_ANNOTATIONS.userLogin);
      if (login) logins.set(login.toLowerCase(), e.ref);
      if (!userNames.has(e.name.toLowerCase())) userNames.set(e.name.toLowerCase(), e.ref);
      const email = profileEmail(e);
      if (email) emails.set(email, e.ref);
    }
  }
  const org = known?.org.toLowerCase();
  const slugs = known ? new Set([...known.teamSlugs].map((s) => s.toLowerCase())) : undefined;
  return {
    resolve(owner) {
      const o = owner.toLowerCase();
      if (!o.startsWith('@')) return emails.get(o);
      const [who, slug] = o.slice(1).split('/');
      if (slug !== undefined) {
        const annotated = teams.get(`${who}/${slug}`);
        if (annotated) return annotated;
        // A same-named Group stands for a team of the synced organisation only.
        return org === undefined || who === org ? teamNames.get(slug) : undefined;
      }
      return logins.get(who!) ?? userNames.get(who!);
    },
    teamProblem(owner) {
      if (!known || !owner.startsWith('@') || !owner.includes('/')) return undefined;
      const [who, slug] = owner.slice(1).split('/') as [string, string];
      if (who.toLowerCase() !== org) return `${owner} is a team of another organisation (${who}); this sync reads ${known.org}, and GitHub ignores it here`;
      if (!slugs!.has(slug.toLowerCase())) return `${owner}: ${known.org} has no team ${slug} (GitHub ignores the owner)`;
      return undefined;
    },
  };
}
