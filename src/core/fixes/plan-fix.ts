import type { CatalogEdit, CompiledCheck } from '../scoring/index.js';
import type { FixValues } from './render-template.js';
import { renderTemplate } from './render-template.js';

/** The descriptor every catalog edit goes to, at the repository root as Backstage expects it. */
export const CATALOG_INFO = 'catalog-info.yaml';

export interface FileChange {
  readonly path: string;
  readonly action: 'add' | 'edit';
  /** The text on the default branch, for an edit. */
  readonly before: string | undefined;
  readonly after: string;
}

/**
 * Adds annotations and links to a descriptor text, leaving the rest of it (comments, order,
 * quoting) as written. Injected: the YAML library that can do that lives in infra.
 */
export type CatalogInfoEditor = (
  text: string,
  edit: { readonly entityName: string; readonly annotations: Readonly<Record<string, string>>; readonly links: CatalogEdit['links'] },
) => { readonly text: string; readonly changed: boolean } | { readonly error: string };

export interface FixPlanInput {
  readonly check: CompiledCheck;
  readonly values: FixValues;
  /** The text of every path `fixPaths` named on the default branch; undefined when absent. */
  readonly existing: ReadonlyMap<string, string | undefined>;
  readonly editCatalogInfo: CatalogInfoEditor;
}

export type FixPlan =
  | { readonly ok: true; readonly changes: readonly FileChange[]; readonly kept: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** The paths a plan needs to see: what it may add, what makes a file unneeded, the descriptor. */
export function fixPaths(check: CompiledCheck): string[] {
  const paths = new Set<string>();
  for (const f of check.fix.files) {
    paths.add(f.path);
    for (const u of f.unless) paths.add(u);
  }
  if (check.fix.catalog) paths.add(CATALOG_INFO);
  return [...paths];
}

/**
 * What a pull request changes, pure: each file the check's fix declares is rendered and added
 * when the repository lacks it (an existing file is the owner's and is never overwritten), then
 * the catalog edits go into `catalog-info.yaml`, the existing one or the one just added. Nothing
 * to change is a reason, not an empty pull request.
 */
export function planFix(input: FixPlanInput): FixPlan {
  const { check, values, existing } = input;
  if (check.fix.files.length === 0 && !check.fix.catalog) return { ok: false, reason: `${check.title} has no file fix: a person has to do it (${check.fix.how})` };
  const changes = new Map<string, FileChange>();
  const kept: string[] = [];
  for (const f of check.fix.files) {
    if (existing.get(f.path) !== undefined) {
      kept.push(f.path);
      continue;
    }
    const other = f.unless.find((u) => existing.get(u) !== undefined);
    if (other !== undefined) {
      kept.push(other);
      continue;
    }
    const rendered = renderTemplate(f.template, f.path, values);
    if (!rendered.ok) return { ok: false, reason: `cannot write ${rendered.reason}` };
    changes.set(f.path, { path: f.path, action: 'add', before: undefined, after: rendered.text });
  }
  const edit = check.fix.catalog;
  if (edit) {
    const added = changes.get(CATALOG_INFO);
    const current = added?.after ?? existing.get(CATALOG_INFO);
    if (current === undefined) return { ok: false, reason: `the repository has no ${CATALOG_INFO} to add ${describeEdit(edit)} to` };
    const edited = input.editCatalogInfo(current, { entityName: values.name, annotations: edit.annotations, links: edit.links });
    if ('error' in edited) return { ok: false, reason: `cannot edit ${CATALOG_INFO}: ${edited.error}` };
    if (added) changes.set(CATALOG_INFO, { ...added, after: edited.text });
    else if (edited.changed) {
      changes.set(CATALOG_INFO, { path: CATALOG_INFO, action: 'edit', before: current, after: edited.text });
      // Declared as a file too (for a repository without one): it is edited, not kept.
      kept.splice(0, kept.length, ...kept.filter((k) => k !== CATALOG_INFO));
    } else kept.push(CATALOG_INFO);
  }
  if (changes.size === 0) return { ok: false, reason: `nothing to add: the repository already has ${[...new Set(kept)].join(', ')}` };
  return { ok: true, changes: [...changes.values()], kept: [...new Set(kept)] };
}

const describeEdit = (edit: CatalogEdit): string =>
  [...Object.keys(edit.annotations).map((k) => `the ${k} annotation`), ...(edit.links.length > 0 ? ['links'] : [])].join(' and ');

/** A diff-like listing for `--dry-run` and the pull request body: added files whole, edits as -/+ lines. */
export function describeChanges(changes: readonly FileChange[]): string {
  const out: string[] = [];
  for (const c of changes) {
    if (c.action === 'add') {
      out.push(`+++ ${c.path} (new file)`);
      for (const line of c.after.replace(/\n$/, '').split('\n')) out.push(`+ ${line}`.trimEnd());
    } else {
      out.push(`--- ${c.path}`, `+++ ${c.path}`);
      out.push(...lineDiff(c.before ?? '', c.after));
    }
    out.push('');
  }
  return out.join('\n');
}

/** Lines removed and added, with the unchanged ones as context (a descriptor is short). */
function lineDiff(before: string, after: string): string[] {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  // Longest common subsequence: small files, plain dynamic programming.
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`.trimEnd());
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push(`+ ${b[j++]}`.trimEnd());
    else out.push(`- ${a[i++]}`.trimEnd());
  }
  return out;
}
