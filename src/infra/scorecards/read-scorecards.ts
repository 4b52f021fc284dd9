import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { CORE_SCHEMA, constructFromEvents, parseEvents } from 'js-yaml';
import type { Event } from 'js-yaml';
import type { ScorecardDefinition } from '../../core/scoring/index.js';
import { FIX_TEMPLATE_VARIABLES, formatPath, parseScorecard } from '../../core/scoring/index.js';
import { packagePath } from '../../package-root.js';
import { lineAt, yamlPositions } from './yaml-positions.js';

/** The scorecards that ship with Steward. */
export const DEFAULT_SCORECARDS_DIR = packagePath('scorecards');

export interface ScorecardFile {
  readonly file: string;
  readonly line: number;
  readonly definition: ScorecardDefinition;
  /** The fix templates it names, read and checked: by the path the scorecard gives. */
  readonly templates: ReadonlyMap<string, { readonly text: string; readonly source: string }>;
}

export interface ScorecardProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const MAX_BYTES = 1024 * 1024;

/** A path as messages show it: relative to the working directory when under it. */
function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * Reads every `*.yaml` / `*.yml` in the folders (not their subfolders), one scorecard per file,
 * and validates each. Problems are data, each with its file and line: a caller reports them all
 * at once instead of stopping at the first.
 */
export function readScorecards(folders: readonly string[]): { scorecards: ScorecardFile[]; problems: ScorecardProblem[] } {
  const scorecards: ScorecardFile[] = [];
  const problems: ScorecardProblem[] = [];
  const ids = new Map<string, string>();
  for (const folder of folders) {
    let files: string[];
    try {
      files = statSync(folder).isDirectory()
        ? readdirSync(folder)
            .filter((f) => /\.ya?ml$/i.test(f))
            .sort()
            .map((f) => join(folder, f))
        : [folder];
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push({ file: display(folder), line: 0, message: code === 'ENOENT' ? 'scorecard folder not found' : `cannot read: ${(err as Error).message}` });
      continue;
    }
    for (const path of files) {
      const file = display(path);
      const read = readOne(path, file);
      if ('problems' in read) {
        problems.push(...read.problems);
        continue;
      }
      const earlier = ids.get(read.definition.id);
      if (earlier !== undefined) {
        problems.push({ file, line: read.idLine, message: `scorecard id ${read.definition.id} is already defined in ${earlier}` });
        continue;
      }
      ids.set(read.definition.id, file);
      scorecards.push({ file, line: read.line, definition: read.definition, templates: read.templates });
    }
  }
  return { scorecards, problems };
}

type ReadOne = { definition: ScorecardDefinition; line: number; idLine: number; templates: Map<string, { text: string; source: string }> };

function readOne(path: string, file: string): ReadOne | { problems: ScorecardProblem[] } {
  const fail = (line: number, message: string) => ({ problems: [{ file, line, message }] });
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_BYTES) return fail(0, `file is ${size} bytes; a scorecard is at most ${MAX_BYTES}`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return fail(0, `cannot read: ${(err as Error).message}`);
  }
  let events: Event[];
  let values: unknown[];
  try {
    events = parseEvents(text, { filename: file });
    values = constructFromEvents(events, { source: text, filename: file, schema: CORE_SCHEMA, maxAliases: 100 });
  } catch (err) {
    const e = err as Error & { mark?: { line: number }; reason?: string };
    return fail(e.mark ? e.mark.line + 1 : 0, `not valid YAML: ${e.reason ?? e.message.split('\n')[0]}`);
  }
  const documents = values.filter((v) => v !== null && v !== undefined);
  if (documents.length === 0) return fail(1, 'the file is empty; a scorecard needs id, title and checks');
  if (documents.length > 1) return fail(1, 'one scorecard per file: this file has several YAML documents');
  const positions = yamlPositions(text, events);
  const lineOf = (path: ReadonlyArray<string | number>): number => {
    for (let n = path.length; n >= 0; n--) {
      const offset = positions.get(formatPath(path.slice(0, n)));
      if (offset !== undefined) return lineAt(text, offset);
    }
    return 1;
  };
  const parsed = parseScorecard(documents[0]);
  if (!parsed.ok) {
    return {
      problems: parsed.issues.map((i) => ({
        file,
        line: lineOf(i.path),
        message: i.path.length > 0 ? `${formatPath(i.path)}: ${i.message}` : i.message,
      })),
    };
  }
  const templates = new Map<string, { text: string; source: string }>();
  const problems: ScorecardProblem[] = [];
  parsed.scorecard.checks.forEach((check, i) => {
    (check.fix.files ?? []).forEach((f, j) => {
      if (templates.has(f.template)) return;
      const where = ['checks', i, 'fix', 'files', j, 'template'];
      const read = readTemplate(join(dirname(path), f.template));
      if ('error' in read) problems.push({ file, line: lineOf(where), message: `${formatPath(where)}: ${read.error}` });
      else {
        const source = display(join(dirname(path), f.template));
        problems.push(...templateProblems(read.text, source));
        templates.set(f.template, { text: read.text, source });
      }
    });
  });
  if (problems.length > 0) return { problems };
  return { definition: parsed.scorecard, line: lineOf([]), idLine: lineOf(['id']), templates };
}

const MAX_TEMPLATE_BYTES = 64 * 1024;

function readTemplate(path: string): { text: string } | { error: string } {
  try {
    const size = statSync(path).size;
    if (size > MAX_TEMPLATE_BYTES) return { error: `template ${display(path)} is ${size} bytes; a fix template is at most ${MAX_TEMPLATE_BYTES}` };
    return { text: readFileSync(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? `template ${display(path)} not found (paths are relative to the scorecard's folder)` : `cannot read template ${display(path)}: ${(err as Error).message}` };
  }
}

/** Placeholders a template may not use, each at its own line of the template. */
function templateProblems(text: string, source: string): ScorecardProblem[] {
  const problems: ScorecardProblem[] = [];
  text.split('\n').forEach((line, n) => {
    for (const m of line.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
      if (!(FIX_TEMPLATE_VARIABLES as readonly string[]).includes(m[1]!)) {
        problems.push({ file: source, line: n + 1, message: `unknown placeholder {{${m[1]}}}; a fix template may use ${FIX_TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(' ')}` });
      }
    }
  });
  return problems;
}
