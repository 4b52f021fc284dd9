import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { readDescriptors } from '../../../src/infra/backstage/read-descriptors.js';
import type { ReadOptions, ReadResult } from '../../../src/infra/backstage/read-descriptors.js';

/**
 * Temp directories for reader tests, removed after each test. Files are given as a map from relative
 * path to content; strings are written as UTF-8 exactly as given (no newline added), so tests control
 * CRLF, BOMs and missing final newlines byte for byte.
 */
export function useTempTrees(): (files: Record<string, string | Uint8Array>) => string {
  const created: string[] = [];
  afterEach(() => {
    for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return (files) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-backstage-'));
    created.push(dir);
    for (const [relative, content] of Object.entries(files)) {
      const file = path.join(dir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    return dir;
  };
}

/** Reads with display paths relative to `dir`, like running `steward import` from inside it. */
export function readIn(dir: string, paths: readonly string[], options: ReadOptions = {}): ReadResult {
  return readDescriptors(paths, { cwd: dir, ...options });
}

/** `file:line name` for each document: compact expectations that show where every document was found. */
export function where(result: ReadResult): string[] {
  return result.documents.map((doc) => {
    const metadata = (doc.value as { metadata?: { name?: unknown } }).metadata;
    return `${doc.file}:${doc.line} ${String(metadata?.name)}`;
  });
}

/** `severity file:line message` for each problem. */
export function problems(result: ReadResult): string[] {
  return result.problems.map((p) => `${p.severity} ${p.file}:${p.line} ${p.message}`);
}

/** A small valid entity, as YAML lines (no trailing newline). */
export function entity(name: string, kind = 'Component', indent = '  '): string {
  return [`apiVersion: backstage.io/v1alpha1`, `kind: ${kind}`, `metadata:`, `${indent}name: ${name}`, `spec:`, `${indent}owner: team-a`].join('\n');
}
