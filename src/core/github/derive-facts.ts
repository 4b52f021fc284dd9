import type { Fact } from '../scoring/index.js';
import type { PathHistory, ReadDenial, RepositorySnapshot, TreeEntry, UnknownFact } from './github-ports.js';

/**
 * Repository facts for scorecards, derived from what the batched reads returned. Pure. What the
 * token could not read becomes an unknown fact with GitHub's reason, never a failure and never
 * a made-up value.
 */

export const FACT_SOURCE = 'github';

/** Lockfiles whose last change says when dependencies were last upgraded (`deps.last_upgrade`). */
export const LOCKFILES = [
  'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'npm-shrinkwrap.json', 'bun.lockb', 'go.sum', 'Cargo.lock', 'poetry.lock',
  'uv.lock', 'Pipfile.lock', 'Gemfile.lock', 'composer.lock', 'gradle.lockfile', 'packages.lock.json', 'mix.lock', 'pubspec.lock',
];

const DIAGRAM = /(^|[-_.])architecture([-_.][^/]*)?\.(png|svg|jpe?g|drawio|mmd|mermaid|puml|plantuml|excalidraw|md)$/i;
const WEEKS = 4;
const DAY_MS = 86_400_000;

/** The paths whose last commit date a fact needs: lockfiles and the architecture diagram. */
export function historyPaths(snapshot: RepositorySnapshot): { lockfiles: string[]; diagram: string | undefined } {
  const root = snapshot.trees.root ?? [];
  const lockfiles = root.filter((e) => e.type === 'blob' && LOCKFILES.includes(e.name)).map((e) => e.name);
  return { lockfiles, diagram: architectureDiagram(snapshot) };
}

function architectureDiagram(snapshot: RepositorySnapshot): string | undefined {
  const inDocs = (snapshot.trees.docs ?? []).find((e) => e.type === 'blob' && DIAGRAM.test(e.name));
  if (inDocs) return `docs/${inDocs.name}`;
  const inRoot = (snapshot.trees.root ?? []).find((e) => e.type === 'blob' && DIAGRAM.test(e.name));
  return inRoot?.name;
}

const has = (entries: readonly TreeEntry[] | undefined, name: string, type: TreeEntry['type'] = 'blob'): TreeEntry | undefined =>
  entries?.find((e) => e.type === type && e.name === name);
const hasCi = (entries: readonly TreeEntry[] | undefined, name: string): TreeEntry | undefined =>
  entries?.find((e) => e.type === 'blob' && e.name.toLowerCase() === name.toLowerCase());

export function deriveFacts(
  snapshot: RepositorySnapshot,
  history: PathHistory | { error: string } | undefined,
  now: Date,
): { facts: Fact[]; unknown: UnknownFact[] } {
  const facts: Fact[] = [];
  const unknown: UnknownFact[] = [];
  const put = (key: string, value: string | number | boolean, observedAt = now): void => {
    facts.push({ key, value, source: FACT_SOURCE, observedAt });
  };
  const denied = (what: ReadDenial['what']): ReadDenial | undefined => snapshot.denials.find((d) => d.what === what);
  const { root, github, docs } = snapshot.trees;

  if (snapshot.defaultBranch === undefined) {
    for (const key of ['readme.bytes', 'security.policy', 'codeowners.present', 'docs.techdocs']) unknown.push({ key, reason: 'the repository is empty' });
  } else if (denied('files')) {
    const reason = denied('files')!.reason;
    for (const key of ['readme.bytes', 'security.policy', 'codeowners.present', 'docs.techdocs']) unknown.push({ key, reason });
  } else {
    // GitHub shows the first README of .github/, the root, then docs/.
    const readme = [github, root, docs].map((t) => t?.find((e) => e.type === 'blob' && /^readme(\.[a-z0-9]+)?$/i.test(e.name))).find(Boolean);
    put('readme.bytes', readme?.bytes ?? 0);
    put('security.policy', Boolean(hasCi(github, 'SECURITY.md') ?? hasCi(root, 'SECURITY.md') ?? hasCi(docs, 'SECURITY.md')));
    put('codeowners.present', snapshot.codeowners.length > 0);
    const dependabot = has(github, 'dependabot.yml') ?? has(github, 'dependabot.yaml');
    const renovate = ['renovate.json', 'renovate.json5', '.renovaterc', '.renovaterc.json'].some((n) => has(root, n) ?? has(github, n));
    put('deps.update_tool', dependabot ? 'dependabot' : renovate ? 'renovate' : 'none');
    put('docs.techdocs', Boolean(has(root, 'mkdocs.yml') ?? has(root, 'mkdocs.yaml')));
    put('docs.folder', docs !== undefined);
    put('docs.architecture_diagram', architectureDiagram(snapshot) !== undefined);
  }

  const { lockfiles, diagram } = historyPaths(snapshot);
  if (history !== undefined && 'error' in history) {
    if (lockfiles.length > 0) unknown.push({ key: 'deps.last_upgrade', reason: String(history.error) });
    if (diagram) unknown.push({ key: 'docs.architecture_updated_at', reason: String(history.error) });
  } else {
    const dates = lockfiles.map((p) => history?.get(p)).filter((d): d is string => typeof d === 'string').sort();
    const last = dates[dates.length - 1];
    if (last) put('deps.last_upgrade', last);
    const diagramDate = diagram ? history?.get(diagram) : undefined;
    if (diagramDate) put('docs.architecture_updated_at', diagramDate);
  }

  if (snapshot.defaultBranch !== undefined) {
    const protection = denied('branchProtection');
    if (protection) unknown.push({ key: 'branch.protected', reason: protection.reason });
    else if (snapshot.branchProtected !== undefined) put('branch.protected', snapshot.branchProtected);
  }

  const alertsDenied = denied('vulnerabilityAlerts');
  if (alertsDenied || snapshot.alerts === undefined) {
    const reason = alertsDenied?.reason ?? 'Dependabot alerts are disabled for the repository';
    for (const s of SEVERITIES) unknown.push({ key: `dependabot.alerts.${s}`, reason });
  } else {
    for (const s of SEVERITIES) put(`dependabot.alerts.${s}`, snapshot.alerts[s] ?? 0);
  }
  // What the security scorecard reads: open critical Dependabot alerts are critical CVEs.
  if (alertsDenied || snapshot.alerts === undefined) unknown.push({ key: 'cve.critical', reason: alertsDenied?.reason ?? 'Dependabot alerts are disabled for the repository' });
  else put('cve.critical', snapshot.alerts['critical'] ?? 0);

  // An OpenSLO or Sloth specification in the repository: the SLOs are defined as code.
  if (snapshot.defaultBranch !== undefined && !denied('files')) put('slo.defined', sloSpecs(snapshot).length > 0);

  // Deployments when the repository records them, else releases: a library ships by releasing.
  const since = now.getTime() - WEEKS * 7 * DAY_MS;
  const recent = (list: readonly string[]): number => list.filter((t) => Date.parse(t) >= since).length;
  const deployDenied = denied('deployments');
  const releaseDenied = denied('releases');
  if (snapshot.deployments && snapshot.deployments.length > 0) {
    put('deploys.per_week', round(recent(snapshot.deployments) / WEEKS));
    put('deploys.counted', 'deployments');
  } else if (snapshot.releases && !releaseDenied) {
    put('deploys.per_week', round(recent(snapshot.releases) / WEEKS));
    put('deploys.counted', 'releases');
  } else {
    unknown.push({ key: 'deploys.per_week', reason: (deployDenied ?? releaseDenied)?.reason ?? 'neither deployments nor releases could be read' });
  }
  return { facts, unknown };
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** Where OpenSLO and Sloth specifications live by convention: these files at the root, these folders. */
const SLO_FILES = ['openslo.yaml', 'openslo.yml', 'slo.yaml', 'slo.yml', 'slos.yaml', 'slos.yml', 'sloth.yaml', 'sloth.yml'];
const SLO_FOLDERS = ['slos', '.openslo', '.sloth'];

/** The SLO specifications the root tree shows (`openslo.yaml`, `slo.yaml`, `slos/`, `.openslo/`). */
export function sloSpecs(snapshot: RepositorySnapshot): string[] {
  return (snapshot.trees.root ?? [])
    .filter((e) => (e.type === 'blob' && SLO_FILES.includes(e.name.toLowerCase())) || (e.type === 'tree' && SLO_FOLDERS.includes(e.name.toLowerCase())))
    .map((e) => (e.type === 'tree' ? `${e.name}/` : e.name));
}

const round = (n: number): number => Math.round(n * 100) / 100;
