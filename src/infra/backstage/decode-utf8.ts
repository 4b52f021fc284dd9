export type DecodedText =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      /** Offset of the first byte of the first invalid sequence, or -1 if it could not be located. */
      readonly offset: number;
      /** 1-based line of that byte, or 0 if unknown. */
      readonly line: number;
      readonly message: string;
    };

// `fatal` makes invalid bytes an error instead of silent U+FFFD replacement, which would corrupt
// names and refs without anyone noticing. The BOM is stripped (ignoreBOM defaults to false).
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly; on failure, finds the first bad byte (only then: the fast path is native). */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const offset = findInvalidUtf8(bytes);
    if (offset < 0) return { ok: false, offset, line: 0, message: 'invalid UTF-8; save the file as UTF-8' };
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    const hex = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    return { ok: false, offset, line, message: `invalid UTF-8 (byte 0x${hex} at offset ${offset}); save the file as UTF-8` };
  }
}

/** Offset of the first byte that starts an ill-formed sequence (per the Unicode "well-formed UTF-8" table), or -1. */
function findInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let trailing: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) trailing = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      trailing = 2;
      if (b === 0xe0) low = 0xa0; // overlong
      if (b === 0xed) high = 0x9f; // UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      trailing = 3;
      if (b === 0xf0) low = 0x90; // overlong
      if (b === 0xf4) high = 0x8f; // above U+10FFFF
    } else return i;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k <= trailing; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += trailing + 1;
  }
  return -1;
}
