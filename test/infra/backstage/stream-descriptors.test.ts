import { describe, expect, it } from 'vitest';
import { streamDescriptors } from '../../../src/infra/backstage/read-descriptors.js';
import { entity, readIn, useTempTrees, where } from './temp-tree.js';

const tree = useTempTrees();

/** `n` documents: plain entities, with `broken` (0-based indexes) written as invalid YAML. */
function manyDocuments(n: number, broken: readonly number[] = []): string {
  return Array.from({ length: n }, (_, i) => (broken.includes(i) ? `apiVersion: v1\nkind: Component\nmetadata: {name: [oops\n` : entity(`svc-${i}`))).join('\n---\n');
}

describe('streamDescriptors: the reader, a document at a time', () => {
  it('hands out the first documents before later parts of a big file are parsed', () => {
    const dir = tree({ 'all.yaml': manyDocuments(600, [590]) });
    const stream = streamDescriptors(['all.yaml'], { cwd: dir });
    const documents = stream[Symbol.iterator]();
    expect(documents.next().value).toMatchObject({ file: 'all.yaml', line: 1 });
    // Document 591 sits several parse batches further on: its error is not known yet.
    expect(stream.problems).toEqual([]);
    let rest = 0;
    while (!documents.next().done) rest++;
    expect(rest).toBe(598);
    expect(stream.problems).toEqual([expect.objectContaining({ severity: 'error', file: 'all.yaml', line: 590 * 7 + 3 })]);
    expect([...stream.brokenFiles]).toEqual(['all.yaml']);
    expect(stream.filesRead).toBe(1);
  });

  it('yields what readDescriptors returns, in the same order', () => {
    const dir = tree({
      'all.yaml': `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\nspec:\n  targets: [./a.yaml, ./b.yaml]\n`,
      'a.yaml': manyDocuments(3),
      'b.yaml': entity('b'),
    });
    const streamed = [...streamDescriptors(['all.yaml'], { cwd: dir })].map((d) => `${d.file}:${d.line}`);
    expect(streamed).toEqual(where(readIn(dir, ['all.yaml'])).map((w) => w.split(' ')[0]));
    expect(streamed).toEqual(['all.yaml:1', 'a.yaml:1', 'a.yaml:8', 'a.yaml:15', 'b.yaml:1']);
  });

  it('holds back a file until it shows itself a descriptor, even many batches in', () => {
    const plain = Array.from({ length: 300 }, (_, i) => `note: ${i}`).join('\n---\n');
    const dir = tree({ 'late.yaml': `${plain}\n---\n${entity('late')}\n`, 'never.yaml': `${plain}\n` });
    const late = readIn(dir, ['late.yaml']);
    expect(late.documents).toHaveLength(301);
    expect(late.documents.at(-1)?.value).toMatchObject({ metadata: { name: 'late' } });
    const never = readIn(dir, ['never.yaml']);
    expect(never.documents).toEqual([]);
    expect(never.problems.map((p) => p.message)).toEqual(['not a Backstage descriptor (no apiVersion or kind); skipped']);
  });

  it('can be iterated once', () => {
    const dir = tree({ 'a.yaml': entity('a') });
    const stream = streamDescriptors(['a.yaml'], { cwd: dir });
    expect([...stream]).toHaveLength(1);
    expect(() => [...stream]).toThrow(/iterated once/);
  });
});
