import { z } from 'zod';
import type { ParsedReport } from '../../core/facts/index.js';
import { countBySeverity, isRecord, reportTime } from './report-time.js';

/**
 * Trivy's JSON report (`trivy image --format json`, schema version 2): `Results[].Vulnerabilities[]`
 * with `VulnerabilityID` and `Severity` (UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL); `CreatedAt` is the scan time.
 */
const trivySchema = z.object({
  SchemaVersion: z.number().int(),
  CreatedAt: z.string().optional(),
  ArtifactName: z.string().optional(),
  Results: z
    .array(
      z.object({
        Target: z.string().optional(),
        Vulnerabilities: z.array(z.object({ VulnerabilityID: z.string(), Severity: z.string() })).nullish(),
      }),
    )
    .nullish(),
});

export const isTrivy = (json: unknown): boolean => isRecord(json) && typeof json['SchemaVersion'] === 'number' && ('Results' in json || 'ArtifactName' in json);

export function parseTrivy(json: unknown): ParsedReport {
  const doc = trivySchema.parse(json);
  const problems: string[] = [];
  const vulns = (doc.Results ?? []).flatMap((r) => r.Vulnerabilities ?? []).map((v) => ({ id: v.VulnerabilityID, severity: v.Severity }));
  const { critical, high } = countBySeverity(vulns);
  return {
    format: 'trivy',
    label: 'Trivy JSON',
    facts: [
      { key: 'cve.critical', value: critical },
      { key: 'cve.high', value: high },
    ],
    observedAt: reportTime(doc.CreatedAt, 'CreatedAt', problems),
    problems,
  };
}
