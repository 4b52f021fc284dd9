/**
 * The ports through which core reaches the world. Infra implements them; tests pass real
 * implementations over a temp SQLite file or small in-process fakes.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * What Steward counts for operators (Prometheus at /metrics). Core and adapters report events;
 * the infra implementation owns names, labels and buckets.
 */
export interface Metrics {
  commandHandled(event: { command: string; outcome: string; platform: string; seconds: number }): void;
  jobRun(event: { job: string; outcome: string; seconds: number }): void;
  delivery(event: { platform: string; outcome: string }): void;
  providerCall(event: { provider: string; outcome: string; seconds: number }): void;
}

export const noMetrics: Metrics = { commandHandled() {}, jobRun() {}, delivery() {}, providerCall() {} };
