import { z } from 'zod';
import type { ParsedReport } from '../../core/facts/index.js';
import { countBySeverity, isRecord, reportTime } from './report-time.js';

/**
 * Grype's JSON report (`grype -o json`): `matches[].vulnerability` with `id` and `severity`
 * (Critical, High, Medium, Low, Negligible, Unknown); `descriptor.timestamp` is the scan time.
 */
const grypeSchema = z.object({
  matches: z.array(z.object({ vulnerability: z.object({ id: z.string(), severity: z.string().optional() }) })),
  descriptor: z.object({ name: z.string().optional(), version: z.string().optional(), timestamp: z.string().optional() }).optional(),
});

export const isGrype = (json: unknown): boolean =>
  isRecord(json) && Array.isArray(json['matches']) && (!isRecord(json['descriptor']) || json['descriptor']['name'] === 'grype' || 'timestamp' in json['descriptor']);

export function parseGrype(json: unknown): ParsedReport {
  const doc = grypeSchema.parse(json);
  const problems: string[] = [];
  const { critical, high } = countBySeverity(doc.matches.map((m) => ({ id: m.vulnerability.id, severity: m.vulnerability.severity ?? 'unknown' })));
  return {
    format: 'grype',
    label: `Grype JSON${doc.descriptor?.version ? ` ${doc.descriptor.version}` : ''}`,
    facts: [
      { key: 'cve.critical', value: critical },
      { key: 'cve.high', value: high },
    ],
    observedAt: reportTime(doc.descriptor?.timestamp, 'descriptor.timestamp', problems),
    problems,
  };
}
