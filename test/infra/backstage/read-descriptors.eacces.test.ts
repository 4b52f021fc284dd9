import { describe, expect, it, vi } from 'vitest';
import { entity, problems, readIn, useTempTrees, where } from './temp-tree.js';

// Tests often run as root (in containers), where chmod 000 does not stop reads; so the permission
// error is injected at the one call that opens descriptor files. The guards test file also has a
// real chmod test for non-root runs.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const deny = (path: unknown): boolean => String(path).endsWith('locked.yaml');
  const eacces = (path: unknown): Error =>
    Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), { code: 'EACCES', errno: -13, syscall: 'open' });
  const openSync = ((path: Parameters<typeof actual.openSync>[0], ...rest: unknown[]) => {
    if (deny(path)) throw eacces(path);
    return (actual.openSync as (...args: unknown[]) => number)(path, ...rest);
  }) as typeof actual.openSync;
  return { ...actual, default: { ...actual, openSync }, openSync };
});

const tree = useTempTrees();

describe('readDescriptors: unreadable files', () => {
  it('reports EACCES as an error on the file, marks it broken, and reads the others', () => {
    const dir = tree({ 'locked.yaml': entity('locked'), 'open.yaml': entity('open') });
    const result = readIn(dir, ['.']);
    expect(problems(result)).toEqual(['error locked.yaml:0 permission denied']);
    expect(where(result)).toEqual(['open.yaml:1 open']);
    expect([...result.brokenFiles]).toEqual(['locked.yaml']);
    expect(result.filesRead).toBe(2);
  });
});
