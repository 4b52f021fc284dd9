import { readdirSync, realpathSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import { describeFsError } from './describe-fs-error.js';

export type WalkEntry =
  | { readonly kind: 'file'; readonly path: string; readonly real: string }
  | { readonly kind: 'problem'; readonly path: string; readonly message: string; readonly severity: 'error' | 'warning' };

const YAML_NAME = /\.ya?ml$/i;

export function isYamlFileName(name: string): boolean {
  return YAML_NAME.test(name);
}

/** Folders never worth walking: dependencies and tool/VCS state (`.git`, `.github`, ...). */
export function isSkippedName(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/**
 * Yields the `*.yaml` / `*.yml` files under `dir`, depth-first, entries sorted by name (code unit
 * order, so the result doesn't depend on the locale). Lazy, so a caller that hits its file limit
 * stops the walk too. Skips `node_modules` and dot-entries. Symlinks are followed, but each real
 * directory is walked once, so a link back to an ancestor cannot loop. `real` is the file's real
 * path, for de-duplication; it is derived from the parent's real path unless the entry is a symlink,
 * which saves a realpath call per file on large trees.
 */
export function* findYamlFiles(dir: string, budget?: WalkBudget): Generator<WalkEntry> {
  let realDir: string;
  try {
    realDir = realpathSync(dir);
  } catch (err) {
    yield { kind: 'problem', path: dir, message: describeFsError(err), severity: 'error' };
    return;
  }
  yield* walk(dir, realDir, new Set<string>(), budget);
}

/** Directories a walk may still list; the walk ends quietly at 0 (the caller reports it). */
export interface WalkBudget {
  directories: number;
}

function* walk(dir: string, realDir: string, visited: Set<string>, budget: WalkBudget | undefined): Generator<WalkEntry> {
  if (visited.has(realDir)) return;
  visited.add(realDir);
  if (budget) {
    if (budget.directories <= 0) return;
    budget.directories--;
  }
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    yield { kind: 'problem', path: dir, message: `cannot list directory: ${describeFsError(err)}`, severity: 'error' };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const name = entry.name;
    if (isSkippedName(name)) continue;
    const path = join(dir, name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    let real = join(realDir, name);
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(path);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
        real = realpathSync(path);
      } catch (err) {
        if (isYamlFileName(name)) {
          yield { kind: 'problem', path, message: `broken symbolic link (${describeFsError(err)}); skipped`, severity: 'warning' };
        }
        continue;
      }
    }
    if (isDirectory) yield* walk(path, real, visited, budget);
    else if (isFile && isYamlFileName(name)) yield { kind: 'file', path, real };
  }
}
