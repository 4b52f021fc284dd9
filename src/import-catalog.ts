import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ImportProblem } from './core/catalog/index.js';
import { planImport } from './core/catalog/index.js';
import { readDescriptors } from './infra/backstage/read-descriptors.js';
import type { CatalogStore, ImportSummary } from './infra/sqlite/catalog-store.js';

export interface ImportReport {
  readonly summary: ImportSummary;
  readonly filesRead: number;
  readonly errors: readonly ImportProblem[];
  readonly warnings: readonly ImportProblem[];
  readonly seconds: number;
}

export interface ImportOptions {
  readonly prune?: boolean;
  readonly now?: Date;
  readonly onProgress?: (filesRead: number, file: string) => void;
}

/**
 * Reads Backstage descriptors, plans the entities and applies them in one transaction. A broken
 * file is reported and skipped; `prune` removes only entities whose file was read cleanly without
 * them, or whose file is gone — never those of a file that failed to parse this time.
 */
export function importCatalog(store: CatalogStore, paths: readonly string[], options: ImportOptions = {}): ImportReport {
  const started = performance.now();
  const read = readDescriptors(paths, {
    ...(options.onProgress ? { onProgress: (p) => options.onProgress!(p.filesRead, p.file) } : {}),
  });
  const plan = planImport(read.documents);
  const cleanFiles = new Set(read.documents.map((d) => d.file).filter((f) => !read.brokenFiles.has(f)));
  // Roots are named the way the reader displays them, so prune finds what earlier runs stored.
  const roots = [...new Set([...paths.map(displayPath), ...read.documents.map((d) => d.root)])];
  const summary = store.apply(plan, {
    roots,
    prune: options.prune ?? false,
    mayPrune: (file) => cleanFiles.has(file) || !existsSync(file),
    now: options.now ?? new Date(),
  });
  const problems: ImportProblem[] = [...read.problems, ...plan.problems];
  for (const d of summary.danglingOwners) {
    problems.push({ file: d.file, line: d.line, severity: 'warning', message: `${d.ref}: owner ${d.ownerRef} is not in the catalog` });
  }
  const byPlace = (a: ImportProblem, b: ImportProblem): number => a.file.localeCompare(b.file) || a.line - b.line;
  return {
    summary,
    filesRead: read.filesRead,
    errors: problems.filter((p) => p.severity === 'error').sort(byPlace),
    warnings: problems.filter((p) => p.severity === 'warning').sort(byPlace),
    seconds: (performance.now() - started) / 1000,
  };
}

function displayPath(path: string): string {
  const absolute = resolve(path);
  const rel = relative(process.cwd(), absolute);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? absolute : rel;
}
