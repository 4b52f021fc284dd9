import type { LogFields, Logger } from '../../src/core/ports.js';

export interface LogRecord {
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** A logger that keeps what it is told, so a test can read the log like an operator would. */
export function memoryLogger(): { logger: Logger; logs: LogRecord[] } {
  const logs: LogRecord[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => void logs.push({ level, message, fields });
  return { logs, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}
