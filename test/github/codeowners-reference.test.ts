import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeownersFor, codeownersForRepository, parseCodeowners } from '../../src/core/github/index.js';

/**
 * hmarr/codeowners' own pattern table (MIT; test/fixtures/codeowners/LICENSE): every case must
 * hold for Steward's matcher, a pattern owned by `@octocat` on one line. The table is read from the
 * shared research folder beside the checkout when it is there (and the committed copy must equal
 * it), else from the committed copy.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COPY = join(ROOT, 'test', 'fixtures', 'codeowners', 'reference-cases.json');
const SHARED = [join(ROOT, '..', 'shared'), join(ROOT, '..', '..', 'shared')]
  .map((d) => join(d, 'research', 'codeowners', 'reference-cases.json'))
  .find((f) => existsSync(f));

interface Case {
  readonly name: string;
  readonly pattern: string;
  readonly path: string;
  readonly matches: boolean;
}
const cases = JSON.parse(readFileSync(SHARED ?? COPY, 'utf8')) as Case[];

const owners = (text: string, path: string): readonly string[] | undefined => codeownersFor(parseCodeowners(text), path)?.owners;

describe('CODEOWNERS matching: the reference table', () => {
  it('has the 153 cases (and the committed copy is the shared one)', () => {
    expect(cases).toHaveLength(153);
    if (SHARED) expect(readFileSync(COPY, 'utf8')).toBe(readFileSync(SHARED, 'utf8'));
    else console.warn('codeowners reference: the shared research folder is absent; running the committed copy');
  });

  it.each(cases.map((c) => [`${c.name}: ${c.pattern} ${c.matches ? 'matches' : 'does not match'} ${c.path}`, c] as const))('%s', (_, c) => {
    const parsed = parseCodeowners(`${c.pattern} @octocat`);
    expect(parsed.problems).toEqual([]);
    expect(codeownersFor(parsed, c.path) !== undefined).toBe(c.matches);
  });
});

describe('CODEOWNERS matching: GitHub rules on top of the table', () => {
  it('a rule without owners removes ownership for what it matches', () => {
    const text = '* @acme/all\n/vendor/\n';
    expect(owners(text, 'vendor/lib/a.js')).toEqual([]);
    expect(owners(text, 'src/a.js')).toEqual(['@acme/all']);
  });

  it('reads backslash escapes as literal characters, and keeps an escaped-space rule without owners', () => {
    const text = '* @acme/all\n/release\\ notes/\n';
    const parsed = parseCodeowners(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.rules.map((r) => r.pattern)).toEqual(['*', '/release\\ notes/']);
    expect(owners(text, 'release notes/v1.md')).toEqual([]);
    expect(owners(text, 'release/v1.md')).toEqual(['@acme/all']);
    expect(owners('/docs/a\\ b.md @x', 'docs/a b.md')).toEqual(['@x']);
    expect(owners('\\#notes @x', '#notes')).toEqual(['@x']);
    expect(owners('\\#notes @x', 'notes')).toBeUndefined();
    expect(owners('a\\*b @x', 'a*b')).toEqual(['@x']);
    expect(owners('a\\*b @x', 'axxb')).toBeUndefined();
  });

  it('a wildcard in the last segment covers the contents of a folder it matches; a lone * only one level', () => {
    expect(owners('/src/feat* @x', 'src/feature/deep/a.ts')).toEqual(['@x']);
    expect(owners('/src/* @x', 'src/feature/deep/a.ts')).toBeUndefined();
    expect(owners('/src/* @x', 'src/a.ts')).toEqual(['@x']);
  });

  it('reads [brackets] literally', () => {
    expect(owners('/apps/[id]/ @x', 'apps/[id]/page.ts')).toEqual(['@x']);
    expect(owners('/apps/[id]/ @x', 'apps/i/page.ts')).toBeUndefined();
    expect(owners('[Rr]eadme.md @x', 'Readme.md')).toBeUndefined();
  });

  it('ignores ! negation (GitHub does), with a problem on its line', () => {
    const parsed = parseCodeowners('* @a\n!secret.txt @b\n');
    expect(parsed.problems).toEqual([{ line: 2, message: expect.stringMatching(/negation/) }]);
    expect(codeownersFor(parsed, 'secret.txt')!.owners).toEqual(['@a']);
  });

  it('finds the rule that covers the repository as a whole, not a folder or a file type', () => {
    const whole = (text: string): number | undefined => codeownersForRepository(parseCodeowners(text))?.line;
    expect(whole('*.md @docs\n* @acme/payments\n/docs/ @docs\n')).toBe(2);
    expect(whole('# x\n\n/** @a\n')).toBe(3);
    expect(whole('** @a\n')).toBe(1);
    expect(whole('/docs/ @a\n*.js @b\n/* @c\n')).toBeUndefined();
    const removed = codeownersForRepository(parseCodeowners('* @a\n* \n'));
    expect(removed?.owners).toEqual([]);
  });
});
