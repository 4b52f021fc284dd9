import { parseFactDate } from '../../core/scoring/index.js';

/**
 * A report's own timestamp, or a problem naming the field: a date that does not parse never
 * becomes a fact (nor an observation time).
 */
export function reportTime(value: unknown, field: string, problems: string[]): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const d = typeof value === 'string' ? parseFactDate(value) : undefined;
  if (!d) problems.push(`${field}: ${JSON.stringify(value).slice(0, 60)} is not an ISO timestamp; left out`);
  return d;
}

/** Counts distinct vulnerability ids per severity (one CVE in three packages is one CVE to fix). */
export function countBySeverity(entries: Iterable<{ id: string; severity: string }>): { critical: number; high: number } {
  const seen = { critical: new Set<string>(), high: new Set<string>() };
  for (const e of entries) {
    const s = e.severity.trim().toLowerCase();
    if (s === 'critical' || s === 'high') seen[s].add(e.id);
  }
  return { critical: seen.critical.size, high: seen.high.size };
}

export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
