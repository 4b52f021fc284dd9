import { CORE_SCHEMA, EVENT_ID, constructFromEvents, load, parseEvents } from 'js-yaml';
import type { Event } from 'js-yaml';
import type { YamlChunk } from './split-yaml-documents.js';

export type ParsedDocument =
  | { readonly ok: true; readonly line: number; readonly value: unknown }
  | {
      readonly ok: false;
      /** 1-based line of the document's first content line. */
      readonly line: number;
      /** 1-based line the parser reported the error at. */
      readonly errorLine: number;
      readonly message: string;
      /** The document's text has a top-level `apiVersion:` or `kind:` line, so it was meant as a descriptor. */
      readonly looksLikeDescriptor: boolean;
    };

export interface ParseOptions {
  /** Passed to js-yaml as `maxAliases` (per document). */
  readonly maxAliases: number;
  /** `per-document` parses each chunk on its own (the fallback path); for tests and benchmarks. */
  readonly strategy?: 'batched' | 'per-document';
  /** Chunks per js-yaml call in the batched strategy; for tests and benchmarks. */
  readonly batchSize?: number;
}

/**
 * YAML 1.2 core schema, as Backstage's `yaml` package uses: no timestamps (values stay JSON-safe
 * strings) and no `<<` merge keys (a literal key there too).
 */
const SCHEMA = CORE_SCHEMA;

const DESCRIPTOR_KEY_LINE = /^["']?(?:apiVersion|kind)["']?[ \t]*:/m;

/**
 * Parses every chunk of `text` with js-yaml and returns one entry per chunk, in order.
 * See {@link parseYamlBatches} for how; this is the whole file at once, for small inputs.
 */
export function parseYamlDocuments(text: string, chunks: readonly YamlChunk[], options: ParseOptions): ParsedDocument[] {
  const result: ParsedDocument[] = [];
  for (const batch of parseYamlBatches(text, chunks, options)) result.push(...batch);
  return result;
}

/**
 * Parses the chunks of `text` a batch at a time, yielding one entry per chunk, in order. A caller
 * that is done with a batch before asking for the next keeps one batch of trees alive, not the
 * whole file's: a 5 MB file holds about 12,000 documents.
 *
 * Strategy: js-yaml has a noticeable cost per call, so one `load` per document is much slower than
 * one call for many documents (see BATCH_SIZE). We parse batches of consecutive chunks in one call,
 * into events, construct the batch's documents, and match each document to its chunk by the source
 * offset of its root node. Only a batch that throws (one of its documents has an error), or whose
 * documents don't line up one-to-one with our chunks, is parsed again chunk by chunk, which gives
 * per-document values and errors. So an error costs a re-parse of one batch, not of the whole file.
 */
export function* parseYamlBatches(text: string, chunks: readonly YamlChunk[], options: ParseOptions): Generator<ParsedDocument[], void, undefined> {
  const batchSize = options.strategy === 'per-document' ? 1 : (options.batchSize ?? BATCH_SIZE);
  for (let lo = 0; lo < chunks.length; lo += batchSize) {
    const batch = chunks.slice(lo, lo + batchSize);
    yield (batch.length > 1 ? parseBatch(text, batch, options) : undefined) ?? batch.map((chunk) => parseChunk(text, chunk, options));
  }
}

/**
 * Chunks per js-yaml call. Measured on an 11,000-entity 5 MB file (best of 6, a busy 2-core VM):
 * 1 per call 850 ms, 8: 539 ms, 32: 460 ms, 128: 448 ms, 256: 442 ms, 1024: 596 ms, the whole file
 * in one call 769 ms (probably garbage collection: one call holds the events of the whole file).
 */
const BATCH_SIZE = 128;

function parseBatch(text: string, chunks: readonly YamlChunk[], options: ParseOptions): ParsedDocument[] | undefined {
  const base = chunks[0]!.start;
  const source = text.slice(base, chunks[chunks.length - 1]!.end);
  let events: Event[];
  let values: unknown[];
  try {
    events = parseEvents(source, {});
    values = constructFromEvents(events, { source, schema: SCHEMA, maxAliases: options.maxAliases });
  } catch {
    return undefined;
  }
  const result: ParsedDocument[] = [];
  let documentIndex = -1;
  let chunkIndex = 0;
  let lastChunkUsed = -1;
  for (let i = 0; i < events.length; i++) {
    if (events[i]?.type !== EVENT_ID.DOCUMENT) continue;
    documentIndex++;
    const relative = nodeOffset(events[i + 1]);
    if (relative < 0) {
      // An empty document (e.g. after a trailing `---`): we have no chunk for it either.
      if (values[documentIndex] !== null) return undefined;
      continue;
    }
    const offset = base + relative;
    while (chunkIndex < chunks.length && (chunks[chunkIndex]?.end ?? 0) <= offset) chunkIndex++;
    const chunk = chunks[chunkIndex];
    if (!chunk || offset < chunk.start || chunkIndex === lastChunkUsed) return undefined;
    lastChunkUsed = chunkIndex;
    result.push({ ok: true, line: chunk.line, value: values[documentIndex] });
  }
  return result.length === chunks.length ? result : undefined;
}

/** Source offset of a node event (its anchor or tag if it has one), or -1 for an empty node. */
function nodeOffset(event: Event | undefined): number {
  if (!event) return -1;
  let offset: number;
  switch (event.type) {
    case EVENT_ID.SCALAR:
      offset = event.valueStart;
      break;
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      offset = event.start;
      break;
    case EVENT_ID.ALIAS:
      return event.anchorStart;
    default:
      return -1;
  }
  for (const other of [event.anchorStart, event.tagStart]) {
    if (other >= 0 && (offset < 0 || other < offset)) offset = other;
  }
  return offset;
}

function parseChunk(text: string, chunk: YamlChunk, options: ParseOptions): ParsedDocument {
  const source = text.slice(chunk.start, chunk.end);
  try {
    return { ok: true, line: chunk.line, value: load(source, { schema: SCHEMA, maxAliases: options.maxAliases }) };
  } catch (err) {
    const mark = (err as { mark?: { line?: unknown; column?: unknown } }).mark;
    let markLine = typeof mark?.line === 'number' ? mark.line : undefined;
    let column = typeof mark?.column === 'number' ? mark.column : undefined;
    const last = lastContentLine(source);
    if (markLine !== undefined && markLine > last) {
      markLine = last; // "unexpected end" errors point past the document: show its last line instead
      column = undefined;
    }
    const reason = (err as { reason?: unknown }).reason;
    let message: string;
    if (typeof reason === 'string' && reason.startsWith('aliases exceeded maxAliases')) {
      message = `document uses more than ${options.maxAliases} YAML aliases (a possible alias bomb); skipped`;
    } else if (typeof reason === 'string') {
      message = `invalid YAML: ${reason}${column === undefined ? '' : ` (column ${column + 1})`}`;
    } else {
      message = `could not parse YAML: ${err instanceof Error ? err.message : String(err)}`;
    }
    return {
      ok: false,
      line: chunk.line,
      errorLine: markLine === undefined ? chunk.line : chunk.startLine + markLine + 1,
      message,
      looksLikeDescriptor: DESCRIPTOR_KEY_LINE.test(source),
    };
  }
}

/**
 * 0-based index of the chunk's last non-blank line. js-yaml puts "unexpected end" errors at the end
 * of its input, which is the blank line after the last one, or the next document's `---`.
 */
function lastContentLine(source: string): number {
  const trimmed = source.trimEnd();
  let lines = 0;
  for (let i = trimmed.indexOf('\n'); i !== -1; i = trimmed.indexOf('\n', i + 1)) lines++;
  return lines;
}
