import { describe, expect, it } from 'vitest';
import { parseYamlDocuments } from '../../../src/infra/backstage/parse-yaml-documents.js';
import { splitYamlDocuments } from '../../../src/infra/backstage/split-yaml-documents.js';

describe('parseYamlDocuments', () => {
  const text = [
    '# generated', // 1
    '---', // 2
    'kind: A', // 3
    '--- &root', // 4
    'kind: B', // 5
    '---', // 6
    '~', // 7
    '---', // 8
    '- list', // 9
    '--- {kind: C}', // 10
    '...', // 11
    'kind: D', // 12
    '',
  ].join('\r\n');

  it('gives the same documents and lines whether it parses the file in one call, in batches, or per document', () => {
    const chunks = splitYamlDocuments(text);
    const perDocument = parseYamlDocuments(text, chunks, { maxAliases: 100, strategy: 'per-document' });
    for (const batchSize of [2, 3, 4, 1000]) {
      expect(parseYamlDocuments(text, chunks, { maxAliases: 100, batchSize })).toEqual(perDocument);
    }
    expect(perDocument.map((doc) => (doc.ok ? [doc.line, doc.value] : doc))).toEqual([
      [3, { kind: 'A' }],
      [4, { kind: 'B' }],
      [7, null],
      [9, ['list']],
      [10, { kind: 'C' }],
      [12, { kind: 'D' }],
    ]);
  });

  it.each([1000, 4, 2])('re-parses only the failing batch per document, so the others still load (batch size %i)', (batchSize) => {
    const broken = text.replace('kind: B', 'kind: [B');
    const parsed = parseYamlDocuments(broken, splitYamlDocuments(broken), { maxAliases: 100, batchSize });
    expect(parsed.map((doc) => (doc.ok ? `${doc.line} ok` : `${doc.line} error at ${doc.errorLine}`))).toEqual([
      '3 ok',
      '4 error at 5',
      '7 ok',
      '9 ok',
      '10 ok',
      '12 ok',
    ]);
  });
});
