import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CatalogWriter, EntityDraft, ImportedFile, ImportProblem, ImportSummary } from './core/catalog/index.js';
import { ImportPlanner } from './core/catalog/index.js';
import { displayPath, streamDescriptors } from './infra/backstage/read-descriptors.js';

import { clipMessage } from './core/clip-text.js';

export interface ImportReport {
  readonly summary: ImportSummary;
  readonly filesRead: number;
  /** Files skipped because they had not changed since the import that stored their entities. */
  readonly filesUnchanged: number;
  readonly errors: readonly ImportProblem[];
  readonly warnings: readonly ImportProblem[];
  readonly seconds: number;
}

export interface ImportOptions {
  readonly prune?: boolean;
  /** Follow Location targets outside the imported folders (see ReadOptions.allowOutside). */
  readonly allowOutside?: boolean;
  /** Parse every file even if it has not changed (default false): for tests and benchmarks. */
  readonly rereadUnchanged?: boolean;
  readonly now?: Date;
  /** What relative paths are relative to, and how stored file names are shown (default the process's). */
  readonly cwd?: string;
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
 *
 * A file whose bytes are what produced its stored entities is not parsed again: its entities
 * stand, count as unchanged and are never pruned (see migration 0008). Files that appeared or
 * changed are read; entities of files that are gone are pruned with `prune`.
 */
export function importCatalog(store: CatalogWriter, paths: readonly string[], options: ImportOptions = {}): ImportReport {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const planner = new ImportPlanner();
  const read = streamDescriptors(paths, {
    cwd,
    allowOutside: options.allowOutside ?? false,
    ...(options.onProgress ? { onProgress: (p) => options.onProgress!(p.filesRead, p.file) } : {}),
    ...(options.rereadUnchanged
      ? {}
      : {
          isUnchanged: (stamp) => {
            if (!store.isUnchangedFile(stamp)) return false;
            for (const { ref, line } of store.refsOfFile(stamp.root, stamp.file)) planner.remember(ref, stamp.file, line);
            return true;
          },
        }),
  });
  const filesWithEntities = new Set<string>();
  const draftsPerFile = new Map<string, number>();
  function* drafts(): Generator<EntityDraft> {
    for (const doc of read) {
      filesWithEntities.add(doc.file);
      const draft = planner.plan(doc);
      if (draft) {
        draftsPerFile.set(doc.file, (draftsPerFile.get(doc.file) ?? 0) + 1);
        yield draft;
      }
    }
  }
  // Asked after the last draft. A file is stamped for the next import only when skipping it then
  // would change nothing in the report: no problem of its own and no Location to follow again.
  const files = () => {
    const troubled = new Set<string>([...read.brokenFiles]);
    for (const p of read.problems) troubled.add(p.file);
    for (const p of planner.problems) troubled.add(p.file);
    const stamp: ImportedFile[] = [];
    for (const f of read.readFiles) {
      if (f.locations || troubled.has(f.file)) continue;
      stamp.push({ file: f.file, root: f.root, size: f.size, hash: f.hash, entities: draftsPerFile.get(f.file) ?? 0 });
    }
    return { unchanged: read.unchangedFiles, read: read.readFiles.map((f) => f.file), stamp };
  };
  // Roots are named the way the reader displays them, so prune finds what earlier runs stored.
  const roots = [...new Set(paths.map((p) => displayPath(cwd, resolve(cwd, p))))];
  const now = options.now ?? new Date();
  const summary = store.apply(
    options.prune
      ? {
          type: 'full',
          drafts: drafts(),
          roots,
          // Asked after the last draft, when the reader knows every broken file.
          mayPrune: (file) => (filesWithEntities.has(file) && !read.brokenFiles.has(file)) || !existsSync(resolve(cwd, file)),
          files,
          now,
        }
      : { type: 'delta', drafts: drafts(), roots, files, now },
  );
  // Loops, not spreads: 100,000 problems spread into one call overflow the stack.
  const problems: ImportProblem[] = [];
  for (const p of read.problems) problems.push(p);
  for (const p of planner.problems) problems.push(p);
  for (const d of summary.danglingOwners) {
    problems.push({ file: d.file, line: d.line, severity: 'warning', message: clipMessage(`${d.ref}: owner ${d.ownerRef} is not in the catalog`) });
  }
  const byPlace = (a: ImportProblem, b: ImportProblem): number => a.file.localeCompare(b.file) || a.line - b.line;
  return {
    summary,
    filesRead: read.filesRead,
    filesUnchanged: read.unchangedFiles.length,
    errors: problems.filter((p) => p.severity === 'error').sort(byPlace),
    warnings: problems.filter((p) => p.severity === 'warning').sort(byPlace),
    seconds: (performance.now() - started) / 1000,
  };
}
