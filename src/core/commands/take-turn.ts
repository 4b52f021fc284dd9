/**
 * Commands take turns with the event loop's I/O. A command's catalog reads are synchronous SQLite,
 * a few milliseconds each; when fifty arrive at once and each starts as soon as it is acknowledged,
 * the request that comes next waits behind all of them before it is even read, and Slack gives up
 * on an ack after 3 s. So commands wait here and are let through in slices: one after the other
 * while the slice lasts (`sliceMs` of their synchronous work), then the rest wait for the next turn
 * of the event loop (a `setImmediate`, which runs after the loop has polled for I/O), so every
 * request that arrived meanwhile is read, checked and acknowledged between two slices. A slice
 * rather than one command a turn: under a flood the turns are full of new requests, and one
 * command each would starve the answers. 40 ms: in the load benchmark's flood, 20 ms gave 109 answers
 * a second and an ack p99 of 99 ms, 40 ms 194 and 105 ms, 80 ms 213 and 157 ms.
 */
export function createTurns(options: { readonly sliceMs?: number } = {}): () => Promise<void> {
  const sliceMs = options.sliceMs ?? 40;
  const waiting: Array<() => void> = [];
  let scheduled = false;
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(slice);
  };
  function slice(): void {
    scheduled = false;
    const started = performance.now();
    const letThrough = (): void => {
      const next = waiting.shift();
      if (!next) return;
      next();
      // Queued after the command's own continuation, so this runs once its synchronous part (the
      // SQLite reads, up to its first await) is done: then the slice goes on, or yields to I/O.
      queueMicrotask(() => {
        if (waiting.length === 0) return;
        if (performance.now() - started < sliceMs) letThrough();
        else schedule();
      });
    };
    letThrough();
  }
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      schedule();
    });
}

/** The process's one queue: there is one event loop, whichever platform asked. */
export const takeTurn = createTurns();
