import type { ParseDescriptors } from '../core/github/index.js';
import { parseYamlDocuments } from '../infra/backstage/parse-yaml-documents.js';
import { splitYamlDocuments } from '../infra/backstage/split-yaml-documents.js';

/** The Backstage reader's YAML parsing, for descriptors that came from a repository instead of a file. */
export const parseDescriptors: ParseDescriptors = (text, file) => {
  const chunks = splitYamlDocuments(text);
  const parsed = parseYamlDocuments(text, chunks, { maxAliases: 10_000 });
  const documents: Array<{ line: number; value: unknown }> = [];
  const problems: Array<{ file: string; line: number; message: string }> = [];
  for (const d of parsed) {
    if (d.ok) {
      if (d.value !== null && d.value !== undefined) documents.push({ line: d.line, value: d.value });
    } else problems.push({ file, line: d.errorLine, message: `not valid YAML: ${d.message}` });
  }
  return { documents, problems };
};
