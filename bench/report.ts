/**
 * One row of the benchmark report. Figures that depend on the machine are reported beside a
 * baseline measured in the same run, so the ratio means something on a shared, noisy host.
 */
export interface BenchRow {
  /** What was measured, e.g. `who-owns via router, p99`. */
  readonly name: string;
  readonly value: number;
  readonly unit: 'ms' | 's' | 'MB' | 'KB' | 'x' | 'count' | 'req/repo' | '%';
  /** The same thing done the simplest possible way, in the same run, e.g. a bare prepared statement. */
  readonly baseline?: { readonly name: string; readonly value: number } | undefined;
  /** The target from the issue, e.g. `< 2 ms` or `≤ 5x baseline`. */
  readonly target?: string | undefined;
  /** Whether the figure meets the target; undefined when there is none. */
  readonly pass?: boolean | undefined;
  readonly note?: string | undefined;
}

export interface Bench {
  readonly id: string;
  readonly title: string;
  run(): Promise<BenchRow[]>;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function formatRows(title: string, rows: readonly BenchRow[]): string {
  const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));
  const lines = [`### ${title}`, '', '| measure | value | baseline (same run) | ratio | target | meets |', '|---|---|---|---|---|---|'];
  for (const r of rows) {
    const base = r.baseline ? `${fmt(r.baseline.value)} ${r.unit} (${r.baseline.name})` : '';
    const ratio = r.baseline && r.baseline.value > 0 ? `${(r.value / r.baseline.value).toFixed(2)}x` : '';
    const meets = r.pass === undefined ? '' : r.pass ? 'yes' : '**no**';
    lines.push(`| ${r.name} | ${fmt(r.value)} ${r.unit} | ${base} | ${ratio} | ${r.target ?? ''} | ${meets} |${r.note ? ` ${r.note}` : ''}`);
  }
  return lines.join('\n');
}
