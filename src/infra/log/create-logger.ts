import type { LogFields, Logger } from '../../core/ports.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Keys whose values never reach a log line, whatever the caller passes. */
const SECRET_KEY = /token|secret|password|authorization|signature|cookie/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) && typeof v !== 'object' ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/** JSON lines on a stream (stderr by default): one object per event, secrets redacted. */
export function createLogger(options: { level?: LogLevel; write?: (line: string) => void; base?: LogFields } = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const emit =
    (level: Exclude<LogLevel, 'silent'>) =>
    (msg: string, fields?: LogFields): void => {
      if (ORDER[level] < threshold) return;
      const record = { level, time: new Date().toISOString(), msg, ...options.base, ...(redact(fields ?? {}) as LogFields) };
      write(`${JSON.stringify(record)}\n`);
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
