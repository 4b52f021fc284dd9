import type { FactValue } from '../scoring/index.js';

/** The CI report formats `facts push --report` and `POST /api/v1/facts/report` read, detected from the content. */
export const REPORT_FORMATS = ['trivy', 'grype', 'sarif', 'cyclonedx', 'spdx', 'k6'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What one report says, as facts; `problems` name what was left out (a malformed number or date never becomes a fact). */
export interface ParsedReport {
  readonly format: ReportFormat;
  /** `Trivy JSON`, `CycloneDX 1.5`: for the summary line. */
  readonly label: string;
  readonly facts: ReadonlyArray<{ readonly key: string; readonly value: FactValue }>;
  /** The report's own time (scan, document creation), when it states one. */
  readonly observedAt: Date | undefined;
  readonly problems: readonly string[];
}

/** Reads one report's text (named `name` in messages); throws an InputError for an unknown format. `src/infra/reports` implements it. */
export type ReadReport = (text: string, name: string, reportedAt: Date) => ParsedReport;

/** One report as a push: its facts under `report/<format>`, observed at the report's own time (else `now`). */
export interface ReportPush {
  readonly source: string;
  readonly observedAt: Date;
  readonly values: Record<string, FactValue>;
}

/**
 * Reports to pushes, checked together before anything is stored: a report dated in the future or
 * with nothing to record is a problem naming it. The same for the CLI and the HTTP API.
 */
export function reportPushes(reports: ReadonlyArray<{ name: string; report: ParsedReport }>, now: Date): { pushes: ReportPush[]; problems: string[] } {
  const problems: string[] = [];
  const pushes: ReportPush[] = [];
  for (const { name, report } of reports) {
    const observedAt = report.observedAt ?? now;
    if (observedAt.getTime() > now.getTime() + 5 * 60_000) {
      problems.push(`${name}: the report is dated ${observedAt.toISOString()}, in the future`);
      continue;
    }
    if (report.facts.length === 0) {
      problems.push(`${name}: nothing to record from this ${report.label}${report.problems.length > 0 ? ` (${report.problems.join('; ')})` : ''}`);
      continue;
    }
    pushes.push({ source: `report/${report.format}`, observedAt, values: Object.fromEntries(report.facts.map((f) => [f.key, f.value])) });
  }
  return { pushes, problems };
}
