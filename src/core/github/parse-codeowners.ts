/**
 * CODEOWNERS as GitHub reads it: gitignore-like patterns followed by owners (`@user`,
 * `@org/team` or an email); `#` starts a comment; the last matching rule wins; a rule without
 * owners takes ownership away. GitHub does not support `!` negation, `[ ]` ranges or `\#`
 * escapes: such a line is reported and ignored (GitHub's `codeowners/errors` lists it the same
 * way and skips it), never guessed at. Paths match case-sensitively.
 */

export interface CodeownersRule {
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
    // A `#` after whitespace starts a comment; `\#` (an escaped hash) is not supported by GitHub.
    const hash = raw.search(/(^|\s)#/);
    const content = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    if (content === '') return;
    const [pattern, ...owners] = content.split(/\s+/) as [string, ...string[]];
    const unsupported = pattern.startsWith('!')
      ? 'negation (!) is not supported in CODEOWNERS'
      : /\[|\]/.test(pattern)
        ? 'character ranges ([ ]) are not supported in CODEOWNERS'
        : pattern.includes('\\')
          ? 'escapes (\\) are not supported in CODEOWNERS'
          : undefined;
    if (unsupported) {
      problems.push({ line, message: `${unsupported}; the line is ignored` });
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

/** The rule that decides who owns `path` (repository-relative, no leading slash): the last match. */
export function codeownersFor(codeowners: Codeowners, path: string): CodeownersRule | undefined {
  const clean = path.replace(/^\/+/, '');
  for (let i = codeowners.rules.length - 1; i >= 0; i--) {
    const rule = codeowners.rules[i]!;
    if (rule.matcher.test(clean)) return rule;
  }
  return undefined;
}

const escape = (s: string): string => s.replace(/[.+^${}()|\\]/g, '\\$&');

/**
 * gitignore semantics as GitHub documents them for CODEOWNERS: a pattern with a slash at the start
 * or in the middle is anchored at the root, otherwise it matches at any depth (`apps/`, `*.js`);
 * a trailing slash means a directory and everything below it; `*` stays within one level
 * (`docs/*` owns `docs/a.md`, not `docs/build/b.md`); `**` spans levels.
 */
function compilePattern(pattern: string): RegExp {
  let p = pattern;
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.slice(0, -1);
  const anchored = p.startsWith('/') || p.includes('/');
  p = p.replace(/^\/+/, '');
  let body = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') {
      const slashAfter = p[i + 2] === '/';
      body += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else body += escape(c);
  }
  const last = p.split('/').pop() ?? '';
  // A name matches a file or a directory (and so everything below it); a glob in the last segment
  // matches entries of that one level only, as GitHub's `docs/*` example says.
  const tail = dirOnly ? '/.*' : last === '**' || last === '' ? '' : /[*?]/.test(last) ? '' : '(?:/.*)?';
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}${tail}$`);
}
