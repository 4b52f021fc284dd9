import type { Entity, Relation, SourceDocument } from '../catalog/index.js';
import { annotation, profileEmail } from '../catalog/index.js';
import type { GithubOrganization, GithubPerson } from './github-ports.js';

/** Annotations on the Groups and Users the organisation sync writes. */
export const ORG_ANNOTATIONS = {
  teamSlug: 'github.com/team-slug',
  userLogin: 'github.com/user-login',
  /** `github-org` on every entity the organisation sync wrote (not on a matched Backstage one). */
  discovered: 'steward.dev/discovered',
  /** On a Group: its maintainers' refs, comma-separated. */
  maintainers: 'steward.dev/maintainers',
  /** On a User: the refs of the teams it maintains, comma-separated. */
  maintainerOf: 'steward.dev/maintainer-of',
} as const;

export const ORG_DISCOVERED = 'github-org';

/** The import root of what the organisation sync writes: pruned as a whole, apart from repositories. */
export const orgRoot = (org: string): string => `github-org:${org}`;

export interface OrganizationPlan {
  /** Groups and Users the catalog does not have yet, as Backstage descriptors. */
  readonly documents: SourceDocument[];
  /** Team slug (lower case) → the Group ref it is: a Backstage Group or the one written here. */
  readonly teams: ReadonlyMap<string, string>;
  /** Login (lower case) → the User ref. */
  readonly people: ReadonlyMap<string, string>;
  /** Teams and people that matched a Backstage descriptor (no second entity). */
  readonly matchedTeams: number;
  readonly matchedPeople: number;
  /** Logins of members with neither a public nor a verified-domain email, and no descriptor email. */
  readonly noEmail: readonly string[];
  /**
   * What GitHub fills in where a Backstage Group leaves it out and no entity written here can say
   * it: members that are Backstage Users too, and the parent team. Stored as the sync's own
   * relations between entities it does not own (see CatalogMutation.relations).
   */
  readonly relations: readonly Relation[];
}

const isOurs = (e: Entity): boolean => annotation(e, ORG_ANNOTATIONS.discovered) === ORG_DISCOVERED;

/**
 * The organisation's teams as Groups and their members as Users, as Backstage's GitHub org
 * provider writes them, merged with the catalog's own descriptors: a Group annotated
 * `github.com/team-slug: ORG/slug`, or else named like the slug, is that team (no second entity:
 * the descriptor stays as written, GitHub's members and parent reach it through the Users' and
 * teams' relations); a User annotated `github.com/user-login`, else with the person's email, else
 * named like the login, is that person. Pure.
 */
export function planOrganization(organization: GithubOrganization, catalog: readonly Entity[]): OrganizationPlan {
  const { org } = organization;
  const theirs = catalog.filter((e) => !isOurs(e));
  const groupsBySlug = new Map<string, Entity>();
  const groupsByName = new Map<string, Entity>();
  const usersByLogin = new Map<string, Entity>();
  const usersByEmail = new Map<string, Entity>();
  const usersByName = new Map<string, Entity>();
  for (const e of theirs) {
    const kind = e.kind.toLowerCase();
    if (kind === 'group') {
      const slug = annotation(e, ORG_ANNOTATIONS.teamSlug)?.toLowerCase();
      if (slug) groupsBySlug.set(slug, e);
      groupsByName.set(e.name.toLowerCase(), e);
    } else if (kind === 'user') {
      const login = annotation(e, ORG_ANNOTATIONS.userLogin)?.toLowerCase();
      if (login) usersByLogin.set(login, e);
      const email = profileEmail(e);
      if (email) usersByEmail.set(email, e);
      usersByName.set(e.name.toLowerCase(), e);
    }
  }

  const teamRefs = new Map<string, string>();
  const matchedTeam = new Map<string, Entity>();
  for (const t of organization.teams) {
    const slug = t.slug.toLowerCase();
    const match = groupsBySlug.get(`${org.toLowerCase()}/${slug}`) ?? groupsByName.get(slug);
    if (match) matchedTeam.set(slug, match);
    teamRefs.set(slug, match?.ref ?? `group:default/${slug}`);
  }
  const peopleRefs = new Map<string, string>();
  const matchedPerson = new Set<string>();
  const noEmail: string[] = [];
  for (const p of organization.people) {
    const login = p.login.toLowerCase();
    const email = emailOf(p);
    const match = usersByLogin.get(login) ?? (email ? usersByEmail.get(email.toLowerCase()) : undefined) ?? usersByName.get(login);
    if (match) matchedPerson.add(login);
    peopleRefs.set(login, match?.ref ?? `user:default/${login}`);
    if (!email && !(match && profileEmail(match))) noEmail.push(p.login);
  }

  const documents: SourceDocument[] = [];
  const root = orgRoot(org);
  const memberOf = new Map<string, string[]>();
  const relations: Relation[] = [];
  const maintainerOf = new Map<string, string[]>();
  for (const t of organization.teams) {
    const slug = t.slug.toLowerCase();
    const ref = teamRefs.get(slug)!;
    for (const m of t.members) {
      const login = m.login.toLowerCase();
      (memberOf.get(login) ?? memberOf.set(login, []).get(login)!).push(ref);
      if (m.role === 'MAINTAINER') (maintainerOf.get(login) ?? maintainerOf.set(login, []).get(login)!).push(ref);
    }
    const declared = matchedTeam.get(slug);
    if (declared) {
      relations.push(...fillDeclaredTeam(declared, t, teamRefs, peopleRefs, matchedPerson));
      continue;
    }
    const parent = t.parentSlug ? teamRefs.get(t.parentSlug.toLowerCase()) : undefined;
    const children = organization.teams.filter((c) => c.parentSlug?.toLowerCase() === slug).map((c) => teamRefs.get(c.slug.toLowerCase())!);
    const members = [...new Set(t.members.map((m) => peopleRefs.get(m.login.toLowerCase())).filter((r): r is string => r !== undefined))];
    const maintainers = [...new Set(t.members.filter((m) => m.role === 'MAINTAINER').map((m) => peopleRefs.get(m.login.toLowerCase())!))];
    const annotations: Record<string, string> = { [ORG_ANNOTATIONS.teamSlug]: `${org}/${t.slug}`, [ORG_ANNOTATIONS.discovered]: ORG_DISCOVERED };
    if (maintainers.length > 0) annotations[ORG_ANNOTATIONS.maintainers] = maintainers.join(', ');
    const metadata: Record<string, unknown> = { name: t.slug, annotations };
    if (t.name !== t.slug) metadata['title'] = t.name;
    if (t.description) metadata['description'] = t.description;
    const spec: Record<string, unknown> = { type: 'team', profile: { displayName: t.name }, children, members };
    if (parent) spec['parent'] = parent;
    documents.push({ file: `github:${org}/teams/${t.slug}`, line: 1, root, value: { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata, spec } });
  }
  for (const p of organization.people) {
    const login = p.login.toLowerCase();
    if (matchedPerson.has(login)) continue;
    const annotations: Record<string, string> = { [ORG_ANNOTATIONS.userLogin]: p.login, [ORG_ANNOTATIONS.discovered]: ORG_DISCOVERED };
    const maintains = maintainerOf.get(login);
    if (maintains) annotations[ORG_ANNOTATIONS.maintainerOf] = [...new Set(maintains)].join(', ');
    const profile: Record<string, string> = {};
    if (p.name) profile['displayName'] = p.name;
    const email = emailOf(p);
    if (email) profile['email'] = email;
    const metadata: Record<string, unknown> = { name: p.login, annotations };
    if (p.name) metadata['title'] = p.name;
    documents.push({
      file: `github:${org}/people/${p.login}`,
      line: 1,
      root,
      value: { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata, spec: { profile, memberOf: [...new Set(memberOf.get(login) ?? [])] } },
    });
  }
  return { documents, teams: teamRefs, people: peopleRefs, matchedTeams: matchedTeam.size, matchedPeople: matchedPerson.size, noEmail, relations };
}

/**
 * A team a Backstage descriptor declares: the descriptor wins for what it states; GitHub fills
 * what it leaves out. Members that are Users written by this sync say `memberOf` themselves; those
 * that are Backstage Users too get the relation here, when the descriptor names no members. The
 * parent team likewise, when the descriptor names none.
 */
function fillDeclaredTeam(
  group: Entity,
  team: GithubOrganization['teams'][number],
  teamRefs: ReadonlyMap<string, string>,
  peopleRefs: ReadonlyMap<string, string>,
  declaredPeople: ReadonlySet<string>,
): Relation[] {
  const out: Relation[] = [];
  const stated = (key: string): boolean => {
    const v = group.spec[key];
    return Array.isArray(v) ? v.length > 0 : typeof v === 'string' && v.trim() !== '';
  };
  if (!stated('members')) {
    for (const m of team.members) {
      const login = m.login.toLowerCase();
      const ref = peopleRefs.get(login);
      if (ref && declaredPeople.has(login)) out.push({ source: ref, type: 'memberOf', target: group.ref });
    }
  }
  const parent = team.parentSlug ? teamRefs.get(team.parentSlug.toLowerCase()) : undefined;
  if (parent && !stated('parent')) out.push({ source: group.ref, type: 'childOf', target: parent });
  return out;
}

/** The public email, else the first verified-domain email of the organisation. */
const emailOf = (p: GithubPerson): string | undefined => p.email ?? p.verifiedEmails[0];
