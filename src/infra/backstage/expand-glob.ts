import { readdirSync, realpathSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { join } from 'node:path';
import { describeFsError } from './describe-fs-error.js';
import { findYamlFiles, isSkippedName, isYamlFileName } from './find-yaml-files.js';
import type { WalkBudget, WalkEntry } from './find-yaml-files.js';

const GLOB_CHARS = /[*?]/;

/** Whether a Location target is a glob (`*`, `**`, `?`), like Roadie's `./plugins/**\/catalog-info.yaml`. */
export function isGlob(target: string): boolean {
  return GLOB_CHARS.test(target);
}

/**
 * Expands an absolute glob pattern against the disk (Node 20 has no fs.glob). Supports `*` and `?`
 * within one path segment and `**` for zero or more directories; no braces or character classes,
 * which catalog Locations don't use. Like shell globs, wildcards don't match names starting with
 * `.`, and they skip `node_modules`. Only `*.yaml` / `*.yml` files are returned, so a pattern such as
 * `./utils/**` doesn't drag source files into the YAML parser. Results come in walk order (each
 * directory sorted by name), de-duplicated by real path.
 */
export function expandGlob(absolutePattern: string): WalkEntry[] {
  return expandGlobBounded(absolutePattern, { maxMatches: Infinity, maxDirectories: Infinity }).entries;
}

export interface GlobLimits {
  /** Files the glob may match. */
  readonly maxMatches: number;
  /** Directories it may list on the way. */
  readonly maxDirectories: number;
}

export interface BoundedGlob {
  readonly entries: WalkEntry[];
  /** What made the walk stop early (`10 files`, `1000 directories`), undefined when it ran to the end. */
  readonly stopped: string | undefined;
}

/**
 * {@link expandGlob} that stops after `maxMatches` files or `maxDirectories` listed directories:
 * `/**\/*.yaml` in a Location otherwise walks a whole disk before anyone can say no.
 */
export function expandGlobBounded(absolutePattern: string, limits: GlobLimits): BoundedGlob {
  const segments = absolutePattern.split(/[\\/]/);
  const firstGlob = segments.findIndex((segment) => isGlob(segment));
  if (firstGlob < 0) throw new Error(`not a glob: ${absolutePattern}`);
  const base = segments.slice(0, firstGlob).join('/') || '/';
  const found = new Map<string, WalkEntry>();
  const problems: WalkEntry[] = [];
  const visited = new Set<string>();
  const budget: WalkBudget = { directories: limits.maxDirectories };
  let stopped: string | undefined;
  const done = (): boolean => {
    if (stopped === undefined && found.size >= limits.maxMatches) stopped = `${limits.maxMatches} files`;
    if (stopped === undefined && budget.directories <= 0) stopped = `${limits.maxDirectories} directories`;
    return stopped !== undefined;
  };

  const add = (entry: WalkEntry): void => {
    if (entry.kind === 'problem') problems.push(entry);
    else if (!found.has(entry.real)) found.set(entry.real, entry);
  };

  const addFile = (path: string): void => {
    try {
      add({ kind: 'file', path, real: realpathSync(path) });
    } catch (err) {
      add({ kind: 'problem', path, message: describeFsError(err), severity: 'warning' });
    }
  };

  const match = (dir: string, index: number): void => {
    const segment = segments[index];
    if (segment === undefined || done()) return;
    const last = index === segments.length - 1;

    if (segment === '**') {
      if (last) {
        for (const entry of findYamlFiles(dir, budget)) {
          if (done()) return;
          add(entry);
        }
        done();
        return;
      }
      // A symlink back to an ancestor would make `**` loop; visit each real directory once per segment.
      let real: string;
      try {
        real = realpathSync(dir);
      } catch {
        return;
      }
      const key = `${real}\0${index}`;
      if (visited.has(key)) return;
      visited.add(key);
      match(dir, index + 1); // `**` as zero directories
      for (const name of listDirectory(dir, problems, budget)) {
        if (done()) return;
        if (isSkippedName(name)) continue;
        const path = join(dir, name);
        if (statOrUndefined(path)?.isDirectory()) match(path, index); // one more directory
      }
      return;
    }

    if (!isGlob(segment)) {
      const path = join(dir, segment);
      const stats = statOrUndefined(path);
      if (last) {
        if (stats?.isFile()) addFile(path);
      } else if (stats?.isDirectory()) match(path, index + 1);
      return;
    }

    const pattern = segmentToRegExp(segment);
    for (const name of listDirectory(dir, problems, budget)) {
      if (done()) return;
      if (!pattern.test(name)) continue;
      if (name === 'node_modules' || (name.startsWith('.') && !segment.startsWith('.'))) continue;
      const path = join(dir, name);
      const stats = statOrUndefined(path);
      if (last) {
        if (stats?.isFile() && isYamlFileName(name)) addFile(path);
      } else if (stats?.isDirectory()) match(path, index + 1);
    }
  };

  match(base, firstGlob);
  return { entries: [...problems, ...found.values()], stopped };
}

function segmentToRegExp(segment: string): RegExp {
  let source = '';
  for (const char of segment) {
    if (char === '*') {
      if (!source.endsWith('[^/]*')) source += '[^/]*'; // `**` inside a segment acts like `*`
    } else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function listDirectory(dir: string, problems: WalkEntry[], budget: WalkBudget): string[] {
  if (budget.directories <= 0) return [];
  budget.directories--;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      problems.push({ kind: 'problem', path: dir, message: `cannot list directory: ${describeFsError(err)}`, severity: 'warning' });
    }
    return [];
  }
  return entries.map((entry) => entry.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
