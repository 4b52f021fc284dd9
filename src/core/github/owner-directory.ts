import type { Entity } from '../catalog/index.js';
import { annotation } from '../catalog/index.js';

/**
 * Maps CODEOWNERS owners to catalog entities: `@org/team` to a Group annotated
 * `github.com/team-slug: org/team` (Backstage's GitHub org import sets it) or else named after the
 * slug; `@user` to a User annotated `github.com/user-login` or named after the login; an email to
 * the User with that `spec.profile.email`. Names compare case-insensitively, as GitHub's do.
 */
export interface OwnerDirectory {
  /** The catalog ref of an owner as CODEOWNERS writes it, or undefined when the catalog lacks it. */
  resolve(owner: string): string | undefined;
}

export function ownerDirectory(entities: readonly Entity[]): OwnerDirectory {
  const teams = new Map<string, string>();
  const teamNames = new Map<string, string>();
  const logins = new Map<string, string>();
  const userNames = new Map<string, string>();
  const emails = new Map<string, string>();
  for (const e of entities) {
    const kind = e.kind.toLowerCase();
    if (kind === 'group') {
      const slug = annotation(e, 'github.com/team-slug');
      if (slug) teams.set(slug.toLowerCase(), e.ref);
      if (!teamNames.has(e.name.toLowerCase())) teamNames.set(e.name.toLowerCase(), e.ref);
    } else if (kind === 'user') {
      const login = annotation(e, 'github.com/user-login');
      if (login) logins.set(login.toLowerCase(), e.ref);
      if (!userNames.has(e.name.toLowerCase())) userNames.set(e.name.toLowerCase(), e.ref);
      const profile = e.spec['profile'];
      const email = profile !== null && typeof profile === 'object' ? (profile as Record<string, unknown>)['email'] : undefined;
      if (typeof email === 'string') emails.set(email.toLowerCase(), e.ref);
    }
  }
  return {
    resolve(owner) {
      const o = owner.toLowerCase();
      if (!o.startsWith('@')) return emails.get(o);
      const [org, slug] = o.slice(1).split('/');
      if (slug !== undefined) return teams.get(`${org}/${slug}`) ?? teamNames.get(slug);
      return logins.get(org!) ?? userNames.get(org!);
    },
  };
}
