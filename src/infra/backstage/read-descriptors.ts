import { createHash } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clipMessage, clipText } from '../../core/clip-text.js';
import { decodeUtf8 } from './decode-utf8.js';
import { describeFsError } from './describe-fs-error.js';
import { expandGlobBounded, isGlob } from './expand-glob.js';
import { findYamlFiles } from './find-yaml-files.js';
import type { WalkEntry } from './find-yaml-files.js';
import { parseYamlBatches } from './parse-yaml-documents.js';
import type { ParsedDocument } from './parse-yaml-documents.js';
import { readFileBounded } from './read-file-bounded.js';
import type { BoundedRead } from './read-file-bounded.js';
import { splitYamlDocuments } from './split-yaml-documents.js';
import { TreeLimitError, toJsonTree } from './to-json-tree.js';

/*
 * The Backstage descriptor reader: file-system I/O and YAML parsing only. It turns import arguments
 * (files, directories, and the Location entities found in them) into raw documents plus problems.
 * It does not validate entity fields; that is the importer's job.
 */

export interface RawDocument {
  /** Display path of the file: relative to the cwd when inside it, else absolute. */
  readonly file: string;
  /** 1-based line of the document's first content line (e.g. the `apiVersion:` line). */
  readonly line: number;
  /** Display path of the import argument this file was reached from (directly, via a directory walk, or via Location targets). */
  readonly root: string;
  /** The parsed document: a plain JSON-safe tree (plain objects, arrays, strings, numbers, booleans, null). */
  readonly value: unknown;
}

export interface ReadProblem {
  readonly file: string;
  /** 1-based; 0 when the problem concerns the whole file or an argument. */
  readonly line: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface ReadProgress {
  readonly filesRead: number;
  readonly file: string;
}

export interface ReadOptions {
  /** Default 5 * 1024 * 1024. */
  readonly maxFileBytes?: number;
  /** Default 100_000. Counts every node visited, so shared alias references count each time. */
  readonly maxNodesPerDocument?: number;
  /** Default 100_000. */
  readonly maxFiles?: number;
  /** For display paths (relative arguments are resolved against it too); default process.cwd(). */
  readonly cwd?: string;
  /** Called after each file. */
  readonly onProgress?: (p: ReadProgress) => void;
  /**
   * Asked once a file's bytes are in, before they are parsed: true when they are what produced the
   * stored entities, so the file is skipped (listed in `unchangedFiles`, nothing yielded).
   */
  readonly isUnchanged?: (stamp: FileStamp) => boolean;
  /**
   * Follow Location targets outside the imported folders too (default false). Without it a target
   * that resolves, after symlinks, outside every folder named as an argument (or the folder of a
   * file named as one) is a problem and is not read.
   */
  readonly allowOutside?: boolean;
}

/** What identifies a file's content for the next import: size and a hash of its bytes. */
export interface FileStamp {
  readonly file: string;
  readonly root: string;
  readonly size: number;
  readonly hash: string;
}

/** A file that was read and parsed; `locations` when it held a Location (whose targets must be followed each time). */
export interface ReadFileStamp extends FileStamp {
  readonly locations: boolean;
}

export interface ReadResult {
  readonly documents: RawDocument[];
  readonly problems: ReadProblem[];
  readonly filesRead: number;
  /** display paths of files that failed in whole or in part; the importer will not prune entities that came from them */
  readonly brokenFiles: ReadonlySet<string>;
}

const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
const DEFAULT_MAX_NODES_PER_DOCUMENT = 100_000;
const DEFAULT_MAX_FILES = 100_000;
/**
 * Part of every content hash: a Steward whose reading or planning rules change bumps it, so files
 * skipped as unchanged under the old rules are read again under the new ones.
 */
const STAMP_VERSION = 'steward-import-1';
/** Special file systems: a Location target there is never followed, not even with allowOutside. */
const SPECIAL_FILESYSTEMS = ['/proc', '/sys', '/dev'];

/**
 * Reads Backstage descriptor files from files and directories, follows Location entities, and returns
 * every document with its file, line and import root. Never throws for bad input: every failure is a
 * problem, and a file with an error problem is listed in `brokenFiles`.
 */
export function readDescriptors(paths: readonly string[], options: ReadOptions = {}): ReadResult {
  const stream = streamDescriptors(paths, options);
  const documents = [...stream];
  return { documents, problems: [...stream.problems], filesRead: stream.filesRead, brokenFiles: stream.brokenFiles };
}

/**
 * The documents of {@link readDescriptors} one at a time, in the same order, so an import holds one
 * parsed batch at a time instead of every tree of the catalog. Iterate it once; `problems`,
 * `filesRead` and `brokenFiles` are complete when the iteration has ended.
 */
export interface DescriptorStream extends Iterable<RawDocument> {
  readonly problems: readonly ReadProblem[];
  readonly filesRead: number;
  readonly brokenFiles: ReadonlySet<string>;
  /** Files read and parsed, with their stamps. */
  readonly readFiles: readonly ReadFileStamp[];
  /** Files skipped because `isUnchanged` said so (counted in filesRead too). */
  readonly unchangedFiles: readonly FileStamp[];
}

export function streamDescriptors(paths: readonly string[], options: ReadOptions = {}): DescriptorStream {
  return new DescriptorReader(paths, options);
}

/** How the reader shows a path: relative to `cwd` when inside it, else absolute. Import roots are named this way. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return path;
  return rel;
}

/** A file that was read, linked to the file whose Location led to it, to name Location cycles. */
interface Visit {
  readonly display: string;
  readonly real: string;
  readonly via: Visit | undefined;
  /** The file holds a Location entity. */
  locations: boolean;
}

interface PendingFile {
  readonly path: string; // absolute
  readonly real: string;
  readonly root: string;
  readonly via: Visit | undefined;
}

class DescriptorReader implements DescriptorStream {
  readonly problems: ReadProblem[] = [];
  readonly brokenFiles = new Set<string>();
  private readonly paths: readonly string[];
  private started = false;
  private readonly seen = new Map<string, Visit>();
  private readonly cwd: string;
  private readonly maxFileBytes: number;
  private readonly maxNodes: number;
  private readonly maxFiles: number;
  private readonly onProgress: ((p: ReadProgress) => void) | undefined;
  private readonly isUnchanged: ((stamp: FileStamp) => boolean) | undefined;
  private readonly allowOutside: boolean;
  /** Real paths of the imported folders (a file argument's folder): where Location targets may lead. */
  private readonly allowed: string[] = [];
  readonly readFiles: ReadFileStamp[] = [];
  readonly unchangedFiles: FileStamp[] = [];
  filesRead = 0;
  /** Set once maxFiles is reached: nothing more is read. */
  private stopped = false;

  constructor(paths: readonly string[], options: ReadOptions) {
    this.paths = paths;
    this.cwd = resolve(options.cwd ?? process.cwd());
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxNodes = options.maxNodesPerDocument ?? DEFAULT_MAX_NODES_PER_DOCUMENT;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
    this.onProgress = options.onProgress;
    this.isUnchanged = options.isUnchanged;
    this.allowOutside = options.allowOutside ?? false;
    for (const argument of paths) {
      const path = resolve(this.cwd, argument);
      try {
        const real = realpathSync(path);
        this.allowed.push(statSync(real).isDirectory() ? real : dirname(real));
      } catch {
        // A missing argument is reported when it is read; it allows nothing.
      }
    }
  }

  /** Whether a real path lies in an imported folder. */
  private inside(real: string): boolean {
    return this.allowed.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep));
  }

  /** Whether a Location may lead to this real path; reports the problem on the Location's line when not. */
  private mayFollow(real: string, shown: string, file: string, line: number): boolean {
    const special = SPECIAL_FILESYSTEMS.some((fs) => real === fs || real.startsWith(`${fs}/`));
    if (!special && (this.allowOutside || this.inside(real))) return true;
    const how = special ? 'a special file system is never read' : 'not read; steward import --allow-outside follows it';
    this.error(file, line, `target ${clipText(shown)} is outside the imported folders (${how})`, false);
    return false;
  }

  *[Symbol.iterator](): Iterator<RawDocument> {
    if (this.started) throw new Error('a descriptor stream can be iterated once');
    this.started = true;
    for (const path of this.paths) {
      if (this.stopped) break;
      yield* this.readArgument(path);
    }
  }

  private *readArgument(argument: string): Generator<RawDocument, void, undefined> {
    const path = resolve(this.cwd, argument);
    const root = this.display(path);
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (err) {
      this.error(root, 0, describeFsError(err));
      return;
    }
    if (stats.isDirectory()) {
      yield* this.readWalk(findYamlFiles(path), root);
    } else if (stats.isFile()) {
      yield* this.readFrom({ path, real: realpathOr(path), root, via: undefined });
    } else {
      this.error(root, 0, 'not a regular file or directory');
    }
  }

  /** Reads the files of a directory walk; the walk is lazy, so stopping at maxFiles also stops the walk. */
  private *readWalk(entries: Iterable<WalkEntry>, root: string): Generator<RawDocument, void, undefined> {
    for (const entry of entries) {
      if (this.stopped) return;
      if (entry.kind === 'problem') this.add(this.display(entry.path), 0, entry.message, entry.severity);
      else yield* this.readFrom({ path: entry.path, real: entry.real, root, via: undefined });
    }
  }

  /** Reads a file and, depth-first, the files its Locations point to (an explicit stack: no recursion limit). */
  private *readFrom(start: PendingFile): Generator<RawDocument, void, undefined> {
    const stack: PendingFile[] = [start];
    while (stack.length > 0 && !this.stopped) {
      const next = stack.pop()!;
      const targets = yield* this.readFile(next);
      for (let i = targets.length - 1; i >= 0; i--) stack.push(targets[i]!);
    }
  }

  /** Returns the files this file's Location entities point to, in order. */
  private *readFile(pending: PendingFile): Generator<RawDocument, PendingFile[], undefined> {
    if (this.seen.has(pending.real)) return []; // de-duplicated by real path: read once
    const file = this.display(pending.path);
    if (this.filesRead >= this.maxFiles) {
      this.stopped = true;
      const message = `stopped: more than ${this.maxFiles} files to read (the maxFiles limit); this file and any later ones were not read`;
      this.error(file, 0, message);
      this.brokenFiles.add(pending.root);
      return [];
    }
    const visit: Visit = { display: file, real: pending.real, via: pending.via, locations: false };
    this.seen.set(pending.real, visit);
    this.filesRead++;
    try {
      return yield* this.parseFile(pending, file, visit);
    } finally {
      this.onProgress?.({ filesRead: this.filesRead, file });
    }
  }

  private *parseFile(pending: PendingFile, file: string, visit: Visit): Generator<RawDocument, PendingFile[], undefined> {
    const bytes = this.readBytes(pending.path, file);
    if (bytes === undefined) return [];
    // Hashing the bytes costs a few percent of parsing them; it is what lets an unchanged file go unparsed.
    const hash = createHash('sha1').update(STAMP_VERSION).update(bytes).digest('hex');
    const stamp: FileStamp = { file, root: pending.root, size: bytes.length, hash };
    if (this.isUnchanged?.(stamp)) {
      this.unchangedFiles.push(stamp);
      return [];
    }
    const decoded = decodeUtf8(bytes);
    if (!decoded.ok) {
      this.error(file, decoded.line, decoded.message);
      return [];
    }
    const text = decoded.text;

    const chunks = splitYamlDocuments(text);
    if (chunks.length === 0) {
      this.warning(file, 0, 'no YAML documents in the file; skipped');
      return [];
    }
    // A YAML file without any apiVersion/kind (an OpenAPI spec next to the catalog files, CI config,
    // Helm values) is not ours: one warning, no per-document noise, even if it is not valid YAML.
    // So documents are held back until one of them shows the file is a descriptor file (in a
    // catalog, the first one does), and stream from then on.
    const targets: PendingFile[] = [];
    let held: ParsedDocument[] | undefined = [];
    for (const batch of parseYamlBatches(text, chunks, { maxAliases: this.maxNodes })) {
      if (held) {
        held.push(...batch);
        if (!batch.some((doc) => (doc.ok ? looksLikeEntity(doc.value) : doc.looksLikeDescriptor))) continue;
        const proven = held;
        held = undefined;
        yield* this.accept(proven, file, pending, visit, targets);
      } else {
        yield* this.accept(batch, file, pending, visit, targets);
      }
    }
    if (held) {
      const firstError = held.find((doc) => !doc.ok);
      const detail =
        firstError && !firstError.ok ? `; it is also not valid YAML (line ${firstError.errorLine}: ${firstError.message})` : '';
      this.warning(file, 0, `not a Backstage descriptor (no apiVersion or kind)${detail}; skipped`);
    }
    this.readFiles.push({ ...stamp, locations: visit.locations });
    return targets;
  }

  /** Yields the usable documents of a descriptor file, reports the rest, and collects Location targets. */
  private *accept(
    parsed: readonly ParsedDocument[],
    file: string,
    pending: PendingFile,
    visit: Visit,
    targets: PendingFile[],
  ): Generator<RawDocument, void, undefined> {
    for (const doc of parsed) {
      if (!doc.ok) {
        this.error(file, doc.errorLine, doc.message);
        continue;
      }
      if (doc.value === null) continue; // `~` alone, like an empty document: Backstage skips it
      if (!isPlainObject(doc.value)) {
        this.error(file, doc.line, `expected a mapping at the document root, got ${typeName(doc.value)}`);
        continue;
      }
      let value: Record<string, unknown>;
      try {
        const tree = toJsonTree(doc.value, this.maxNodes);
        value = tree.value as Record<string, unknown>; // a copy of a mapping is a mapping
        for (const key of tree.droppedKeys) this.warning(file, doc.line, `key ${key} dropped: __proto__ is not allowed in a descriptor`);
      } catch (err) {
        if (!(err instanceof TreeLimitError)) throw err;
        this.error(file, doc.line, err.message);
        continue;
      }
      if (isLocation(value)) {
        visit.locations = true;
        for (const target of this.locationTargets(value, file, doc.line, pending, visit)) targets.push(target);
      }
      yield { file, line: doc.line, root: pending.root, value };
    }
  }

  /** The file's bytes, or undefined after reporting why they can't be had. */
  private readBytes(path: string, file: string): Uint8Array | undefined {
    let read: BoundedRead;
    try {
      read = readFileBounded(path, this.maxFileBytes);
    } catch (err) {
      this.error(file, 0, describeFsError(err));
      return undefined;
    }
    if (!read.ok) {
      this.error(file, 0, read.reason === 'too-large' ? tooLarge(read.size, this.maxFileBytes) : 'not a regular file');
      return undefined;
    }
    return read.bytes;
  }

  /**
   * Follows `spec.target` and `spec.targets[]` relative to the Location's own directory. Problems
   * with targets belong to the Location document but do not make its file broken: the file itself
   * was imported in full.
   */
  private locationTargets(
    location: Record<string, unknown>,
    file: string,
    line: number,
    pending: PendingFile,
    visit: Visit,
  ): PendingFile[] {
    const spec = location['spec'];
    if (!isPlainObject(spec)) return [];
    const optional = typeof spec['presence'] === 'string' && spec['presence'].toLowerCase() === 'optional';
    const raw: unknown[] = [];
    if (spec['target'] !== undefined) raw.push(spec['target']);
    if (Array.isArray(spec['targets'])) for (const t of spec['targets'] as unknown[]) raw.push(t);
    else if (spec['targets'] !== undefined && spec['targets'] !== null) {
      this.warning(file, line, 'Location spec.targets is not a list; ignored');
    }

    const baseDir = dirname(pending.path);
    const found: PendingFile[] = [];
    const addTarget = (path: string, real: string): void => {
      const earlier = this.seen.get(real);
      if (earlier) {
        const chain = cycleChain(visit, real);
        if (chain) this.warning(file, line, `Location cycle ${chain.join(' → ')}; ${earlier.display} is not read again`);
        return;
      }
      found.push({ path, real, root: pending.root, via: visit });
    };

    for (const target of raw) {
      if (typeof target !== 'string' || target.trim() === '') {
        this.warning(file, line, `Location target ${clipText(JSON.stringify(target) ?? String(target))} is not a path; ignored`);
        continue;
      }
      const shown = clipText(target);
      let local = target;
      if (/^file:\/\//i.test(target)) {
        try {
          local = fileURLToPath(target); // `type: file` locations may be written as file:// URLs
        } catch {
          this.warning(file, line, `Location target ${shown} is not a valid file URL; ignored`);
          continue;
        }
      } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
        this.warning(file, line, `remote target ${shown} not followed; import a local copy or use steward sync github`);
        continue;
      }
      const path = resolve(baseDir, local);
      // Entries of a walk or a glob may be symlinks leading out: each is checked by its real path.
      const addEntries = (entries: Iterable<WalkEntry>): number => {
        let matched = 0;
        for (const entry of entries) {
          if (entry.kind === 'problem') this.add(this.display(entry.path), 0, entry.message, entry.severity);
          else if (this.mayFollow(entry.real, `${shown} (${entry.path} leads to ${entry.real})`, file, line)) {
            matched++;
            addTarget(entry.path, entry.real);
          }
        }
        return matched;
      };
      if (isGlob(local)) {
        // The part before the first wildcard decides where the walk starts: `/**/*.yaml` is refused
        // before a single directory is listed.
        if (!this.mayFollow(realpathLoose(globBase(path)), target, file, line)) continue;
        const budget = Math.max(0, this.maxFiles - this.filesRead);
        const glob = expandGlobBounded(path, { maxMatches: budget, maxDirectories: Math.max(budget, 1000) });
        const matched = addEntries(glob.entries);
        if (glob.stopped) {
          this.error(file, line, `Location target ${shown}: the glob stopped after ${glob.stopped}; the files it found so far are read, narrow the pattern to read the rest`, false);
        } else if (matched === 0 && !optional) this.warning(file, line, `Location target ${shown} matched no files`);
        continue;
      }
      if (!this.mayFollow(realpathLoose(path), target, file, line)) continue;
      let stats: Stats;
      try {
        stats = statSync(path);
      } catch (err) {
        if (optional) continue; // `presence: optional` exists precisely so a missing target is fine
        const code = (err as { code?: unknown }).code;
        const missing = code === 'ENOENT' || code === 'ENOTDIR';
        const message = missing ? `Location target ${shown} not found` : `Location target ${shown}: ${describeFsError(err)}`;
        this.error(file, line, message, false); // a problem of the Location, not of its (fully read) file
        continue;
      }
      if (stats.isDirectory()) addEntries(findYamlFiles(path));
      else addTarget(path, realpathOr(path));
    }
    return found;
  }

  private display(path: string): string {
    return displayPath(this.cwd, path);
  }

  private error(file: string, line: number, message: string, breaksFile = true): void {
    this.add(file, line, message, 'error', breaksFile);
  }

  private warning(file: string, line: number, message: string): void {
    this.add(file, line, message, 'warning');
  }

  private add(file: string, line: number, message: string, severity: 'error' | 'warning', breaksFile = true): void {
    this.problems.push({ file, line, message: clipMessage(message), severity });
    if (severity === 'error' && breaksFile) this.brokenFiles.add(file);
  }
}

/** The display paths from the first visit of `real` down to `visit`, then `real` again; undefined if `real` is not an ancestor. */
function cycleChain(visit: Visit, real: string): string[] | undefined {
  const chain: string[] = [];
  for (let current: Visit | undefined = visit; current; current = current.via) {
    chain.push(current.display);
    if (current.real === real) {
      chain.reverse();
      chain.push(current.display);
      return chain;
    }
  }
  return undefined;
}

/**
 * The real path of `path`, or of its deepest existing ancestor with the rest appended: a target that
 * does not exist yet still has a place, inside the imported folders or not.
 */
function realpathLoose(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realpathLoose(parent), basename(path));
  }
}

/** The directory a glob pattern's walk starts from: the segments before the first wildcard. */
function globBase(absolutePattern: string): string {
  const segments = absolutePattern.split(sep);
  const first = segments.findIndex((segment) => isGlob(segment));
  return segments.slice(0, first).join(sep) || sep;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An entity-looking document: a mapping with apiVersion or kind, or a list of them (reported, not silently skipped). */
function looksLikeEntity(value: unknown): boolean {
  const isEntity = (v: unknown): boolean => isPlainObject(v) && (Object.hasOwn(v, 'apiVersion') || Object.hasOwn(v, 'kind'));
  return isEntity(value) || (Array.isArray(value) && value.some(isEntity));
}

function isLocation(value: Record<string, unknown>): boolean {
  const kind = value['kind'];
  return typeof kind === 'string' && kind.toLowerCase() === 'location';
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

function tooLarge(size: number, limit: number): string {
  let shown = formatBytes(size);
  let limitShown = formatBytes(limit);
  if (shown === limitShown) {
    shown = `${size} bytes`;
    limitShown = `${limit}-byte`;
  }
  return `file is ${shown}, over the ${limitShown} limit`;
}

function formatBytes(bytes: number): string {
  const oneDecimal = (n: number): string => String(Math.round(n * 10) / 10);
  if (bytes >= 1024 * 1024) return `${oneDecimal(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${oneDecimal(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
