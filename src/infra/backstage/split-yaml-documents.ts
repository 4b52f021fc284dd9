/**
 * One YAML document of a file, as a slice of the file text. We split files ourselves (instead of
 * trusting the parser's document list) so that every document knows its own first line, and so that
 * a document with a syntax error can be parsed, and reported, on its own while its siblings load.
 */
export interface YamlChunk {
  /** Offset of the chunk's first character in the file text (may be a header comment or a `---` line). */
  readonly start: number;
  /** Offset just past the chunk's last character. */
  readonly end: number;
  /** 0-based index of the chunk's first line: add it to a parser's 0-based line to get the file line. */
  readonly startLine: number;
  /** 1-based line of the document's first content line (not a comment, blank line or marker). */
  readonly line: number;
}

const DASH = 0x2d;
const DOT = 0x2e;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const HASH = 0x23;
const PERCENT = 0x25;

/**
 * Splits YAML text at document markers in a single pass over its lines. A marker is a line, at column
 * 0, that is `---` or `...` alone or followed by a space or tab (YAML forbids such lines inside any
 * node, even block scalars, so no parsing is needed to find them). Chunks without content (a trailing
 * `---`, comments between two markers) are dropped: they are the empty documents Backstage skips.
 * Comment lines before a document's `---` stay in that document's chunk, so `startLine` is where the
 * chunk's text starts and `line` where its content starts. CRLF line endings are handled; the text
 * must already be BOM-free (TextDecoder strips the BOM).
 */
export function splitYamlDocuments(text: string): YamlChunk[] {
  const chunks: YamlChunk[] = [];
  const length = text.length;
  let chunkStart = 0;
  let chunkStartLine = 0;
  let contentLine = 0; // 1-based line of the current chunk's first content, 0 while it has none
  let sawMarker = false; // the current chunk already has its `---`
  let pos = 0;
  let lineIndex = 0;

  while (pos < length) {
    const newline = text.indexOf('\n', pos);
    const lineEnd = newline === -1 ? length : newline;
    const next = newline === -1 ? length : newline + 1;
    const first = text.charCodeAt(pos);

    if (first === DASH && isMarker(text, pos, lineEnd, DASH)) {
      if (contentLine !== 0) chunks.push({ start: chunkStart, end: pos, startLine: chunkStartLine, line: contentLine });
      // A second `---` after a marker with nothing in between ends an empty document: drop it. A first
      // `---` keeps the header comments (and `%` directives) above it in the same chunk.
      if (contentLine !== 0 || sawMarker) {
        chunkStart = pos;
        chunkStartLine = lineIndex;
      }
      sawMarker = true;
      contentLine = markerHasContent(text, pos + 3, lineEnd) ? lineIndex + 1 : 0;
    } else if (first === DOT && isMarker(text, pos, lineEnd, DOT)) {
      // `...` ends the document explicitly; it stays in the chunk so the parser sees the same text.
      if (contentLine !== 0) chunks.push({ start: chunkStart, end: next, startLine: chunkStartLine, line: contentLine });
      chunkStart = next;
      chunkStartLine = lineIndex + 1;
      contentLine = 0;
      sawMarker = false;
    } else if (contentLine === 0 && isContent(text, pos, lineEnd, sawMarker)) {
      contentLine = lineIndex + 1;
    }
    pos = next;
    lineIndex++;
  }
  if (contentLine !== 0) chunks.push({ start: chunkStart, end: length, startLine: chunkStartLine, line: contentLine });
  return chunks;
}

function isMarker(text: string, pos: number, lineEnd: number, char: number): boolean {
  if (lineEnd - pos < 3 || text.charCodeAt(pos + 1) !== char || text.charCodeAt(pos + 2) !== char) return false;
  if (pos + 3 === lineEnd) return true;
  const after = text.charCodeAt(pos + 3);
  return after === SPACE || after === TAB || after === CR;
}

/** `--- {a: 1}` or `--- !tag` put content on the marker line itself; `--- # comment` does not. */
function markerHasContent(text: string, pos: number, lineEnd: number): boolean {
  while (pos < lineEnd) {
    const c = text.charCodeAt(pos);
    if (c === HASH) return false;
    if (c !== SPACE && c !== TAB && c !== CR) return true;
    pos++;
  }
  return false;
}

function isContent(text: string, pos: number, lineEnd: number, sawMarker: boolean): boolean {
  // Before a document's `---`, a `%` at column 0 is a directive (`%YAML 1.2`), not content.
  if (!sawMarker && text.charCodeAt(pos) === PERCENT) return false;
  while (pos < lineEnd) {
    const c = text.charCodeAt(pos);
    if (c === HASH) return false;
    if (c !== SPACE && c !== TAB && c !== CR) return true;
    pos++;
  }
  return false;
}
