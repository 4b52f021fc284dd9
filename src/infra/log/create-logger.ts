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

/**
 * Structured JSON logs (pino), one object per line on stderr by default, secrets redacted. The
 * `write` option sends lines elsewhere (tests read them like an operator would).
 */
export function createLogger(options: { level?: LogLevel; write?: (line: string) => void; base?: LogFields } = {}): Logger {
  const destination = options.write ? { write: options.write } : pino.destination({ dest: 2, sync: true });
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
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
