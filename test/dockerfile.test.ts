import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What can be checked of the Dockerfile without a Docker engine: the stages, the user, the health
 * check, the signal path, and that every data file the compiled code reads is in the image.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const text = readFileSync(`${ROOT}Dockerfile`, 'utf8');

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Instructions with their continuation lines joined and comments dropped. */
function parse(source: string): Instruction[] {
  const joined = source
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const instructions = parse(text);
const stages: Instruction[][] = [];
for (const i of instructions) {
  if (i.op === 'FROM') stages.push([]);
  stages.at(-1)?.push(i);
}
const final = stages.at(-1) ?? [];
const known = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'WORKDIR', 'USER', 'EXPOSE', 'VOLUME', 'HEALTHCHECK', 'ENTRYPOINT', 'CMD', 'LABEL', 'STOPSIGNAL', 'SHELL']);

describe('the Dockerfile', () => {
  it('uses only known instructions, starting with FROM', () => {
    expect(instructions[0]?.op).toBe('FROM');
    expect(instructions.filter((i) => !known.has(i.op))).toEqual([]);
  });

  it('is multi-stage: builds in one stage, copies the build into the next', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages[0]!;
    expect(build[0]!.args).toMatch(/\bAS\s+build\b/i);
    expect(build.some((i) => i.op === 'RUN' && /npm run build/.test(i.args))).toBe(true);
    expect(final.some((i) => i.op === 'COPY' && /--from=build\b.*\/dist\b/.test(i.args))).toBe(true);
    // No dev dependencies (TypeScript, vitest) in the image that runs.
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(final.some((i) => i.op === 'RUN' && /npm (ci|install)(?!.*--omit=dev)/.test(i.args))).toBe(false);
  });

  it('runs on a Node.js that engines allows, pinned to a major version', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
    for (const stage of stages) {
      const image = stage[0]!.args.split(/\s+/)[0]!;
      const tag = /^node:(\d+)(?:\.(\d+))?/.exec(image);
      expect(tag, image).not.toBeNull();
      const [major, minor] = [Number(tag![1]), tag![2] === undefined ? undefined : Number(tag![2])];
      // A bare major tag (node:22) follows that line's latest release, past 22.12 / 20.19.
      expect(major === 22 || major >= 23 || (major === 20 && (minor === undefined || minor >= 19)), image).toBe(true);
    }
  });

  it('runs as a non-root user', () => {
    const users = final.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('has a HEALTHCHECK on /healthz that needs no curl', () => {
    const check = final.find((i) => i.op === 'HEALTHCHECK');
    expect(check?.args).toMatch(/CMD/);
    expect(check?.args).toContain('/healthz');
    expect(check?.args).not.toMatch(/\bcurl\b|\bwget\b/);
  });

  it('starts node itself (exec form), so SIGTERM reaches the server and it drains', () => {
    const entry = final.filter((i) => i.op === 'ENTRYPOINT' || i.op === 'CMD');
    for (const i of entry) expect(() => JSON.parse(i.args) as unknown).not.toThrow();
    const argv = entry.flatMap((i) => JSON.parse(i.args) as string[]);
    expect(argv.slice(0, 3)).toEqual(['node', 'dist/src/cli.js', 'serve']);
    expect(argv).not.toContain('npm');
  });

  it('ships the data files the compiled code reads beside package.json, and a volume for the database', () => {
    const copied = final.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from')).map((i) => i.args.split(/\s+/)[0]);
    for (const path of ['package.json', 'migrations', 'scorecards', 'src/demo']) {
      expect(copied).toContain(path);
      expect(existsSync(`${ROOT}${path}`)).toBe(true);
    }
    expect(final.some((i) => i.op === 'ENV' && /STEWARD_DB=\/data\//.test(i.args))).toBe(true);
    expect(final.some((i) => i.op === 'VOLUME' && i.args.includes('/data'))).toBe(true);
  });

  it('keeps node_modules, databases and secrets out of the build context', () => {
    const ignored = readFileSync(`${ROOT}.dockerignore`, 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'data', '*.db', '.env', 'dist']) expect(ignored).toContain(entry);
  });
});
