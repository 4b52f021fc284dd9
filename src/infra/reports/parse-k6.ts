import type { ParsedReport } from '../../core/facts/index.js';
import { isRecord } from './report-time.js';

/**
 * k6's end-of-test summary as JSON: the `handleSummary` data (`metrics.<name>.values`, with
 * `state.testRunDurationMs`) or the older `--summary-export` file (the values directly on the
 * metric; a rate as `value`). `http_req_duration`'s `p(95)` gives `loadtest.p95_ms` and
 * `http_req_failed`'s rate `loadtest.error_rate`. The summary states no date, so
 * `loadtest.last_run` is when it was reported: CI pushes it as the run ends.
 */
export const isK6 = (json: unknown): boolean =>
  isRecord(json) && isRecord(json['metrics']) && ('root_group' in json || 'http_reqs' in json['metrics'] || 'iterations' in json['metrics'] || 'http_req_duration' in json['metrics']);

export function parseK6(json: unknown, reportedAt: Date): ParsedReport {
  const metrics = (json as { metrics: Record<string, unknown> }).metrics;
  const problems: string[] = [];
  const read = (metric: string, ...names: string[]): number | undefined => {
    const m = metrics[metric];
    if (!isRecord(m)) return undefined;
    const values = isRecord(m['values']) ? m['values'] : m;
    for (const name of names) {
      const v = values[name];
      if (v === undefined) continue;
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
      problems.push(`metrics.${metric}.${name}: ${JSON.stringify(v)} is not a number; left out`);
      return undefined;
    }
    return undefined;
  };
  const facts: Array<{ key: string; value: string | number }> = [{ key: 'loadtest.last_run', value: reportedAt.toISOString() }];
  const p95 = read('http_req_duration', 'p(95)');
  if (p95 !== undefined) facts.push({ key: 'loadtest.p95_ms', value: Math.round(p95 * 100) / 100 });
  const rate = read('http_req_failed', 'rate', 'value');
  if (rate !== undefined) {
    if (rate > 1) problems.push(`metrics.http_req_failed: rate ${rate} is above 1; left out`);
    else facts.push({ key: 'loadtest.error_rate', value: Math.round(rate * 10_000) / 10_000 });
  }
  return { format: 'k6', label: 'k6 summary', facts, observedAt: reportedAt, problems };
}
