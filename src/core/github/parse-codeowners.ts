/**
 * CODEOWNERS as GitHub reads it: gitignore-like patterns followed by owners (`@user`,
 * `@org/team` or an email); `#` starts a comment; the last matching rule wins; a rule without
 * owners takes ownership away. Matching follows hmarr/codeowners (whose test table
 * test/github/codeowners-reference.test.ts runs) and GitHub's documentation:
 * - a backslash makes the next character literal: `\ ` a space inside a pattern, `\*`, `\?`,
 *   and `\#` a pattern that starts with `#`;
 * - `[` and `]` are literal characters (GitHub has no ranges);
 * - `!` negation is not supported: GitHub ignores such a line, so do we, and say so;
 * - paths match case-sensitively.
 */

export interface CodeownersRule {
  /** As written, escapes included (`/release\ notes/`). */
  readonly pattern: string;
  /** As written: `@octocat`, `@acme/payments`, `docs@example.com`. Empty: the rule removes ownership. */
  readonly owners: readonly string[];
  /** 1-based line in the file. */
  readonly line: number;
  readonly matcher: RegExp;
}

export interface CodeownersProblem {
  readonly line: number;
  readonly message: string;
}

export interface Codeowners {
  readonly rules: readonly CodeownersRule[];
  readonly problems: readonly CodeownersProblem[];
}

/** GitHub does not load a CODEOWNERS file of 3 MB or more. */
export const MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024;

const USER = /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const TEAM = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9_.-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseCodeowners(text: string): Codeowners {
  const rules: CodeownersRule[] = [];
  const problems: CodeownersProblem[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const tokens = tokenizeLine(raw);
    if (tokens.length === 0) return;
    const [pattern, ...owners] = tokens as [string, ...string[]];
    if (pattern.startsWith('!')) {
      problems.push({ line, message: 'negation (!) is not supported in CODEOWNERS; the line is ignored' });
      return;
    }
    const bad = owners.filter((o) => !USER.test(o) && !TEAM.test(o) && !EMAIL.test(o));
    if (bad.length > 0) {
      problems.push({ line, message: `${bad.join(', ')} ${bad.length === 1 ? 'is not an owner' : 'are not owners'} (@user, @org/team or an email); the line is ignored` });
      return;
    }
    rules.push({ pattern, owners, line, matcher: compilePattern(pattern) });
  });
  return { rules, problems };
}

/**
 * The words of a line: split at unescaped whitespace, up to an unescaped `#` that starts a word
 * (a comment). Escapes stay in the words; the pattern compiler reads them.
 */
function tokenizeLine(raw: string): string[] {
  const tokens: string[] = [];
  let current = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      current += c + raw[i + 1]!;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      if (current !== '') tokens.push(current);
      current = '';
    } else if (c === '#' && current === '') {
      break;
    } else current += c;
  }
  if (current !== '') tokens.push(current);
  return tokens;
}

/** The rule that decides who owns `path` (repository-relative, no leading slash): the last match. */
export function codeownersFor(codeowners: Codeowners, path: string): CodeownersRule | undefined {
  const clean = path.replace(/^\/+/, '');
  for (let i = codeowners.rules.length - 1; i >= 0; i--) {
    const rule = codeowners.rules[i]!;
    if (rule.matcher.test(clean)) return rule;
  }
  return undefined;
}

/** Paths no real rule names but any rule that covers everything matches: at the root, deep, hidden. */
const PROBES = ['zq9-steward-probe', 'zq9-steward-probe.txt', '.zq9-steward/probe', 'zq9/steward/deep/probe.x'];

/**
 * The rule that covers the repository as a whole (`*`, `**`, `/**`): the last rule that matches
 * every path. A later rule for a folder or a file type does not change who owns the repository;
 * a later whole-repository rule without owners takes that ownership away.
 */
export function codeownersForRepository(codeowners: Codeowners): CodeownersRule | undefined {
  for (let i = codeowners.rules.length - 1; i >= 0; i--) {
    const rule = codeowners.rules[i]!;
    if (PROBES.every((p) => rule.matcher.test(p))) return rule;
  }
  return undefined;
}

const META = /[.+^${}()|[\]\\*?/]/g;

/** One path segment: `*` any run within the segment, `?` one character, `\x` the literal x. */
function segmentRegex(seg: string): string {
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) {
      out += seg[i + 1]!.replace(META, '\\$&');
      i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(META, '\\$&');
  }
  return out;
}

/**
 * gitignore semantics as GitHub applies them to CODEOWNERS: a pattern with a slash at the start
 * or in the middle is anchored at the root, otherwise it matches at any depth (`apps/`, `*.js`);
 * a trailing slash means a directory and everything below it; `*` stays within one level, and a
 * lone `*` as the last segment owns that one level only (`docs/*`); any other last segment,
 * wildcards included (`f*`), also owns the contents of a folder it matches; `**` spans levels.
 */
export function compilePattern(pattern: string): RegExp {
  let p = pattern;
  const dirOnly = p.endsWith('/') && !p.endsWith('\\/');
  if (dirOnly) p = p.slice(0, -1);
  const anchored = p.startsWith('/') || p.includes('/');
  p = p.replace(/^\/+/, '');
  const segments = p.split('/');
  const last = segments.length - 1;
  if (segments.length === 1 && segments[0] === '**') return /^.+$/;
  let body = '';
  let slash = false;
  segments.forEach((seg, i) => {
    if (seg === '**') {
      if (i === 0) body += '(?:.*/)?';
      else if (i === last) body += '/.*';
      else body += '(?:/.*)?';
      slash = i !== 0;
      return;
    }
    if (slash) body += '/';
    body += segmentRegex(seg);
    slash = true;
  });
  const tail = segments[last] === '**' ? '' : dirOnly ? '/.*' : segments[last] === '*' ? '' : '(?:/.*)?';
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}${tail}$`);
}
