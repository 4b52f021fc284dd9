import { describe, expect, it } from 'vitest';
import { splitYamlDocuments } from '../../../src/infra/backstage/split-yaml-documents.js';

/** Each chunk as `line: first text line of the chunk`, to read the split at a glance. */
function split(text: string): string[] {
  return splitYamlDocuments(text).map((chunk) => {
    const source = text.slice(chunk.start, chunk.end);
    return `${chunk.line}: ${source.split('\n')[chunk.line - chunk.startLine - 1]?.trimEnd()}`;
  });
}

describe('splitYamlDocuments', () => {
  it('splits at column-0 --- and ..., keeps header comments with the first document, and drops empty documents', () => {
    const text = ['# header', '%YAML 1.2', '---', 'a: 1', '...', '# between', '---', '---', 'b: 2', '--- # c', 'c: 3', '---'].join('\n');
    expect(split(text)).toEqual(['4: a: 1', '9: b: 2', '11: c: 3']);
    expect(splitYamlDocuments(text)[0]).toMatchObject({ start: 0, startLine: 0 });
  });

  it('returns no chunks for empty, blank and comment-only text', () => {
    expect(splitYamlDocuments('')).toEqual([]);
    expect(splitYamlDocuments('\n\n  \n')).toEqual([]);
    expect(splitYamlDocuments('# a\n---\n# b\n...\n')).toEqual([]);
  });

  it('treats content on the marker line as the start of the document', () => {
    expect(split('--- |\n  text\n--- !!map\nb: 2\n')).toEqual(['1: --- |', '3: --- !!map']);
  });
});
