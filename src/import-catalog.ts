import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EntityDraft, ImportProblem } from './core/catalog/index.js';
import { ImportPlanner } from './core/catalog/index.js';
import { displayPath, streamDescriptors } from './infra/backstage/read-descriptors.js';
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
 *
 * The three steps stream: each document is read, planned and written before the next batch is
 * parsed, all inside the store's one transaction, so memory holds a batch of parsed trees, not the
 * catalog's (at 12,000 entities that was most of the import's peak).
 */
export function importCatalog(store: CatalogStore, paths: readonly string[], options: ImportOptions = {}): ImportReport {
  const started = performance.now();
  const cwd = process.cwd();
  const read = streamDescriptors(paths, {
    cwd,
    ...(options.onProgress ? { onProgress: (p) => options.onProgress!(p.filesRead, p.file) } : {}),
  });
  const planner = new ImportPlanner();
  const filesWithEntities = new Set<string>();
  function* drafts(): Generator<EntityDraft> {
    for (const doc of read) {
      filesWithEntities.add(doc.file);
      const draft = planner.plan(doc);
      if (draft) yield draft;
    }
  }
  // Roots are named the way the reader displays them, so prune finds what earlier runs stored.
  const roots = [...new Set(paths.map((p) => displayPath(cwd, resolve(cwd, p))))];
  const summary = store.apply(
    { drafts: drafts() },
    {
      roots,
      prune: options.prune ?? false,
      // Asked after the last draft, when the reader knows every broken file.
      mayPrune: (file) => (filesWithEntities.has(file) && !read.brokenFiles.has(file)) || !existsSync(file),
      now: options.now ?? new Date(),
    },
  );
  const problems: ImportProblem[] = [...read.problems, ...planner.problems];
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
