import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of ARCHITECTURE.md, checked on every `npm test`: core is platform-blind,
 * adapters and infra point inward, each SDK stays in its one folder.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  const abs = join(ROOT, dir);
  try {
    statSync(abs);
  } catch {
    return [];
  }
  return readdirSync(abs).flatMap((name) => {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) return sources(relative(ROOT, p));
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [relative(ROOT, p)] : [];
  });
}

interface Import {
  readonly file: string;
  readonly spec: string;
  /** Repository-relative path for relative imports, else the package name. */
  readonly target: string;
  readonly typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Import[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4] ?? m[5]!;
    const target = spec.startsWith('.')
      ? relative(ROOT, resolve(dirname(join(ROOT, file)), spec))
      : spec.startsWith('node:') ? spec : spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
    out.push({ file, spec, target, typeOnly: Boolean(m[2]) });
  }
  return out;
}

const files = ['src', 'commands', 'scorecards'].flatMap(sources);
const all = files.flatMap(importsOf);
const violations = (filter: (i: Import) => boolean, allowed: (i: Import) => boolean): string[] =>
  all.filter(filter).filter((i) => !allowed(i)).map((i) => `${i.file} imports ${i.spec}`);

const isCore = (t: string): boolean => t.startsWith('src/core/');
/** Finds the data files beside package.json from src/ and from dist/src/ alike; imports only Node. */
const isPackageRoot = (t: string): boolean => t === 'src/package-root.js';

describe('architecture', () => {
  it('reads the imports of the tree', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('core imports only core, zod and date-fns', () => {
    expect(violations((i) => i.file.startsWith('src/core/'), (i) => isCore(i.target) || ['zod', 'date-fns'].includes(i.target))).toEqual([]);
  });

  it('commands import core, zod, date-fns and their shared phrases only', () => {
    expect(
      violations(
        (i) => i.file.startsWith('commands/'),
        (i) =>
          isCore(i.target) ||
          ['zod', 'date-fns'].includes(i.target) ||
          i.target === 'commands/describe.js' ||
          (i.file === 'commands/index.ts' && i.target.startsWith('commands/')),
      ),
    ).toEqual([]);
  });

  it('scorecards are data: the folder holds YAML and no code to import anything', () => {
    // The rule "scorecards import only scoring" had nothing to check while the folder holds no
    // TypeScript; this keeps it honest: code there would have to be given a rule first.
    expect(files.filter((f) => f.startsWith('scorecards/'))).toEqual([]);
    expect(readdirSync(join(ROOT, 'scorecards')).filter((f) => /\.ya?ml$/.test(f)).length).toBeGreaterThan(0);
  });

  it('no import cycles in src/ and commands/, type-only imports included', () => {
    expect(importCycles(all.filter((i) => /^(src|commands)\//.test(i.file)))).toEqual([]);
  });

  it('the cycle finder finds a cycle through a type-only import', () => {
    const edge = (file: string, target: string, typeOnly = false): Import => ({ file, spec: target, target, typeOnly });
    expect(importCycles([edge('a.ts', 'b.js'), edge('b.ts', 'c.js', true), edge('c.ts', 'a.js'), edge('c.ts', 'd.js')])).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(importCycles([edge('a.ts', 'b.js'), edge('b.ts', 'c.js')])).toEqual([]);
  });

  it('infra points inward: core, its own library, Node; never adapters, commands or other infra', () => {
    expect(
      violations(
        (i) => i.file.startsWith('src/infra/'),
        (i) => {
          const own = i.file.split('/').slice(0, 3).join('/');
          return isCore(i.target) || isPackageRoot(i.target) || i.target.startsWith(`${own}/`) || !i.target.startsWith('src/') && !i.target.startsWith('commands') && !i.target.startsWith('scorecards');
        },
      ),
    ).toEqual([]);
  });

  it('adapters point inward: core, their own SDK, Node; never infra, commands or other adapters', () => {
    expect(
      violations(
        (i) => i.file.startsWith('src/adapters/'),
        (i) => {
          const own = i.file.split('/').slice(0, 3).join('/');
          return isCore(i.target) || i.target.startsWith(`${own}/`) || !i.target.startsWith('src/') && !i.target.startsWith('commands') && !i.target.startsWith('scorecards');
        },
      ),
    ).toEqual([]);
  });

  it('src/package-root.ts is a leaf: it imports only Node', () => {
    expect(violations((i) => i.file === 'src/package-root.ts', (i) => i.target.startsWith('node:'))).toEqual([]);
    expect(all.some((i) => i.file === 'src/package-root.ts')).toBe(true);
  });

  it('each SDK and driver stays in its one folder', () => {
    const homes: Record<string, string> = {
      '@slack/bolt': 'src/adapters/slack/',
      '@slack/web-api': 'src/adapters/slack/',
      botbuilder: 'src/adapters/teams/',
      'better-sqlite3': 'src/infra/sqlite/',
      octokit: 'src/infra/github/',
      'node-cron': 'src/infra/cron/',
    };
    expect(
      violations(
        (i) => i.target in homes,
        (i) => i.file.startsWith(homes[i.target]!) || (i.typeOnly && i.target === 'better-sqlite3' && i.file.startsWith('src/infra/')),
      ),
    ).toEqual([]);
  });

  it('stores, the database and providers are built in the composition root (src/app/) only', () => {
    const code = (f: string): string => readFileSync(join(ROOT, f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    // migrate and backup work on the raw file on purpose: before migrations run, and without them.
    const rawDatabase = ['src/cli/migrate-command.ts', 'src/cli/backup-command.ts'];
    const builders = files
      .filter((f) => /^(src|commands)\//.test(f) && !f.startsWith('src/app/') && !f.startsWith('src/infra/'))
      .filter((f) => /new (Sqlite\w+|CatalogStore|ConversationStore|GithubStore|OncallStore)\(|(?<!function )create(GithubReader|PagerDutyProvider|OpsgenieProvider|SlackJobMessenger)\(/.test(code(f)) || (!rawDatabase.includes(f) && /openDatabase\(/.test(code(f))));
    expect(builders).toEqual([]);
    expect(files.filter((f) => f.startsWith('src/app/')).length).toBeGreaterThan(0);
  });

  it('nothing but the config reads process.env (the binary only hands it over)', () => {
    const code = (f: string): string => readFileSync(join(ROOT, f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    const readers = ['src', 'commands', 'scorecards']
      .flatMap(sources)
      .filter((f) => f !== 'src/config.ts')
      .filter((f) => /process\.env/.test(code(f).replace(/loadConfig\(process\.env\b|^\s*env: process\.env,$/gm, '')));
    expect(readers).toEqual([]);
  });
});

/**
 * The strongly connected components of the file graph with more than one file (Tarjan), each
 * sorted: every file in one can reach every other, so each is a cycle to break.
 */
function importCycles(imports: readonly Import[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const i of imports) {
    const to = i.target.replace(/\.js$/, '.ts');
    if (!edges.has(i.file)) edges.set(i.file, []);
    edges.get(i.file)!.push(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}
