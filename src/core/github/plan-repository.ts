import type { SourceDocument } from '../catalog/index.js';
import type { RepositoryFile, RepositoryListing, RepositorySnapshot } from './github-ports.js';
import type { OwnerDirectory } from './owner-directory.js';
import type { Codeowners } from './parse-codeowners.js';
import { MAX_CODEOWNERS_BYTES, codeownersForRepository, parseCodeowners } from './parse-codeowners.js';
import { isRecord } from '../is-record.js';

/** Annotations Steward sets on what it learned from GitHub; `resolveOwner` reads OWNER_SOURCE. */
export const GITHUB_ANNOTATIONS = {
  slug: 'github.com/project-slug',
  discovered: 'steward.dev/discovered',
  ownerSource: 'steward.dev/owner-source',
  codeowners: 'steward.dev/codeowners',
} as const;

export interface CodeownersOwnership {
  /** The catalog ref the rule's owners map to. */
  readonly ownerRef: string;
  /** `acme/payments/.github/CODEOWNERS:3`: the rule that decided. */
  readonly where: string;
}

export interface RepositoryProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface RepositoryPlan {
  readonly documents: SourceDocument[];
  readonly discovered: boolean;
  readonly ownership: CodeownersOwnership | undefined;
  readonly problems: RepositoryProblem[];
}

/** Parsed YAML documents of a text, with their first lines: the Backstage reader's parser, injected. */
export type ParseDescriptors = (text: string, file: string) => { documents: Array<{ line: number; value: unknown }>; problems: RepositoryProblem[] };

/**
 * What one repository contributes to the catalog. Its `catalog-info.yaml` is imported as the
 * Backstage import would, with the repository as the source; a component there without
 * `spec.owner` gets the CODEOWNERS owner (ranked above its system's owner, as ARCHITECTURE.md
 * orders it). A repository without one becomes a component named after it, marked discovered.
 */
export function planRepository(repo: RepositoryListing, snapshot: RepositorySnapshot, owners: OwnerDirectory, parse: ParseDescriptors): RepositoryPlan {
  const slug = `${repo.owner}/${repo.name}`;
  const problems: RepositoryProblem[] = [];
  const ownership = codeownersOwnership(slug, snapshot.codeowners, owners, problems);
  const withOwner = (spec: Record<string, unknown>, annotations: Record<string, unknown>): void => {
    if (spec['owner'] !== undefined || !ownership) return;
    spec['owner'] = ownership.ownerRef;
    annotations[GITHUB_ANNOTATIONS.ownerSource] = 'codeowners';
    annotations[GITHUB_ANNOTATIONS.codeowners] = ownership.where;
  };

  if (snapshot.catalogInfo) {
    const file = `${slug}/catalog-info.yaml`;
    if (snapshot.catalogInfo.text === undefined) {
      problems.push({ file, line: 0, message: `not read: ${snapshot.catalogInfo.truncated ? 'too large' : 'binary content'}` });
      return { documents: [], discovered: false, ownership, problems };
    }
    const parsed = parse(snapshot.catalogInfo.text, file);
    problems.push(...parsed.problems);
    const documents = parsed.documents.map((d): SourceDocument => {
      const value = d.value;
      if (isRecord(value) && String(value['kind']).toLowerCase() === 'component') {
        const metadata = isRecord(value['metadata']) ? { ...value['metadata'] } : {};
        const annotations = isRecord(metadata['annotations']) ? { ...metadata['annotations'] } : {};
        const spec = isRecord(value['spec']) ? { ...value['spec'] } : {};
        if (annotations[GITHUB_ANNOTATIONS.slug] === undefined) annotations[GITHUB_ANNOTATIONS.slug] = slug;
        withOwner(spec, annotations);
        metadata['annotations'] = annotations;
        return { file, line: d.line, root: `github:${repo.owner}`, value: { ...value, metadata, spec } };
      }
      return { file, line: d.line, root: `github:${repo.owner}`, value };
    });
    return { documents, discovered: false, ownership, problems };
  }

  const annotations: Record<string, unknown> = { [GITHUB_ANNOTATIONS.slug]: slug, [GITHUB_ANNOTATIONS.discovered]: 'github' };
  const spec: Record<string, unknown> = { type: 'other', lifecycle: 'unknown' };
  withOwner(spec, annotations);
  if (!ownership) problems.push({ file: slug, line: 0, message: 'discovered without an owner: no CODEOWNERS rule names a team or person of the catalog' });
  const metadata: Record<string, unknown> = {
    name: componentName(repo.name),
    annotations,
    tags: ['discovered'],
    links: [{ url: repo.htmlUrl, title: 'Repository', type: 'repository' }],
  };
  if (repo.description) metadata['description'] = repo.description;
  if (metadata['name'] !== repo.name) metadata['title'] = repo.name;
  return {
    documents: [{ file: slug, line: 1, root: `github:${repo.owner}`, value: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata, spec } }],
    discovered: true,
    ownership,
    problems,
  };
}

/** Backstage names: letters, digits and single `-_.` between them, at most 63 characters. */
function componentName(repoName: string): string {
  const cleaned = repoName.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/[-_.]{2,}/g, '-').replace(/^[-_.]+|[-_.]+$/g, '');
  return (cleaned || 'repository').slice(0, 63).replace(/[-_.]+$/, '');
}

function codeownersOwnership(
  slug: string,
  files: readonly RepositoryFile[],
  owners: OwnerDirectory,
  problems: RepositoryProblem[],
): CodeownersOwnership | undefined {
  // GitHub uses the first file it finds in .github/, the root, docs/; the reader lists them in that order.
  const file = files[0];
  if (!file) return undefined;
  const where = `${slug}/${file.path}`;
  if (file.bytes >= MAX_CODEOWNERS_BYTES || file.text === undefined) {
    problems.push({ file: where, line: 0, message: 'CODEOWNERS is 3 MB or more (or binary): GitHub does not load it, and neither does Steward' });
    return undefined;
  }
  const codeowners: Codeowners = parseCodeowners(file.text);
  for (const p of codeowners.problems) problems.push({ file: where, line: p.line, message: p.message });
  // Teams GitHub would ignore, on any line: another organisation's, or one that does not exist.
  for (const r of codeowners.rules) {
    for (const o of new Set(r.owners)) {
      const problem = owners.teamProblem(o);
      if (problem) problems.push({ file: where, line: r.line, message: problem });
    }
  }
  const rule = codeownersForRepository(codeowners);
  if (!rule) return undefined;
  // The first owner the catalog knows, teams before people: a rule often lists a team and a lead.
  const refs = rule.owners.map((o) => ({ o, ref: owners.resolve(o) }));
  const hit = refs.find((r) => r.ref?.startsWith('group:')) ?? refs.find((r) => r.ref !== undefined);
  if (hit?.ref) return { ownerRef: hit.ref, where: `${where}:${rule.line}` };
  const unexplained = rule.owners.filter((o) => owners.teamProblem(o) === undefined);
  if (unexplained.length > 0) {
    problems.push({ file: where, line: rule.line, message: `no catalog group or user for ${unexplained.join(', ')}` });
  }
  return undefined;
}

