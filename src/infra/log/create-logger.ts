import { pino } from 'pino';
import type { LogFields, Logger } from '../../core/ports.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Keys whose values never reach a log line, whatever the caller passes. */
const SECRET_KEY = /token|secret|password|authorization|signature|cookie|apikey|api_key/i;

/** Replaces secret-looking values (by key) at any depth; pino's own redact needs fixed paths. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) && (typeof v === 'string' || typeof v === 'number') ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/** A logger that can be told to write out what it still holds (serve's shutdown does). */
export interface FlushableLogger extends Logger {
  /** Resolves once every line logged so far has been handed to the operating system. */
  flush(): Promise<void>;
}

/** Lines buffered before a write; a slow reader of the pipe holds at most `MAX_BUFFER` of them. */
const MIN_WRITE = 4096;
const MAX_BUFFER = 16 * 1024 * 1024;

/**
 * Structured JSON logs (pino), one object per line on stderr by default, secrets redacted. The
 * `write` option sends lines elsewhere (tests read them like an operator would); `dest` names a
 * file descriptor or path instead of stderr.
 *
 * `async` (serve): lines are buffered and written without waiting, so a slow reader of the log
 * pipe never stalls the server (a synchronous write to a full pipe blocks the thread); past
 * 16 MiB unwritten, lines are dropped rather than memory grown. `flush()` on shutdown writes
 * what is left. The CLI stays synchronous: its lines must be out before it exits.
 */
export function createLogger(
  options: { level?: LogLevel; write?: (line: string) => void; base?: LogFields; async?: boolean; dest?: number | string } = {},
): FlushableLogger {
  const boom = options.write
    ? undefined
    : options.async
      ? pino.destination({ dest: options.dest ?? 2, sync: false, minLength: MIN_WRITE, maxLength: MAX_BUFFER })
      : pino.destination({ dest: options.dest ?? 2, sync: true });
  const destination = options.write ? { write: options.write } : boom!;
  const log = pino(
    {
      level: options.level ?? 'info',
      base: { name: 'steward', ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      messageKey: 'msg',
    },
    destination,
  );
  const emit =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (msg: string, fields?: LogFields): void => {
      if (fields) log[level](redact(fields) as Record<string, unknown>, msg);
      else log[level](msg);
    };
  const flush = (): Promise<void> =>
    new Promise((resolve) => {
      if (!boom || !options.async) return resolve();
      // Resolves on the next drain: also when the file is still opening (sonic-boom writes then).
      boom.flush(() => resolve());
    });
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), flush };
}
