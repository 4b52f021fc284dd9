import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type BoundedRead =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: 'not-a-file' }
  | { readonly ok: false; readonly reason: 'too-large'; readonly size: number };

// Opening a FIFO for reading normally waits for a writer; O_NONBLOCK makes open return at once so
// fstat can reject it. It changes nothing for regular files. (Not defined on Windows: 0 there.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a regular file of at most `maxBytes` bytes. The size is checked on the open descriptor
 * before any content is read, so a huge file costs nothing, and reading stops past the limit even if
 * the file grows meanwhile. One open/fstat/read/close per file: no separate stat by path, which
 * matters on 10,000-file trees. File-system errors (ENOENT, EACCES, ...) are thrown.
 */
export function readFileBounded(path: string, maxBytes: number): BoundedRead {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: 'not-a-file' };
    if (stats.size > maxBytes) return { ok: false, reason: 'too-large', size: stats.size };
    // One spare byte, so the read that fills the expected size is followed by one that sees EOF.
    let buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) return { ok: false, reason: 'too-large', size: length };
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return { ok: false, reason: 'too-large', size: length };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}
