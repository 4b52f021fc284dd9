import { z } from 'zod';
import type { ParsedReport } from '../../core/facts/index.js';
import { countBySeverity, isRecord, reportTime } from './report-time.js';

/**
 * A CycloneDX JSON BOM (`bomFormat: "CycloneDX"`, `specVersion` 1.2 to 1.6): `sbom.generated_at`
 * is `metadata.timestamp`, the document's own creation time (not when it was pushed). A BOM that
 * carries `vulnerabilities[]` (a VEX or a scanner's BOM) also gives `cve.critical` and `cve.high`,
 * from each vulnerability's worst rating.
 */
const cyclonedxSchema = z.object({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.string(),
  metadata: z.object({ timestamp: z.string().optional() }).optional(),
  components: z.array(z.unknown()).optional(),
  vulnerabilities: z.array(z.object({ id: z.string().optional(), ratings: z.array(z.object({ severity: z.string().optional() })).optional() })).optional(),
});

const RANK = ['critical', 'high', 'medium', 'low', 'info', 'none', 'unknown'];

export const isCycloneDx = (json: unknown): boolean => isRecord(json) && json['bomFormat'] === 'CycloneDX';

export function parseCycloneDx(json: unknown): ParsedReport {
  const doc = cyclonedxSchema.parse(json);
  const problems: string[] = [];
  const created = reportTime(doc.metadata?.timestamp, 'metadata.timestamp', problems);
  if (doc.metadata?.timestamp === undefined) problems.push('metadata.timestamp is missing: sbom.generated_at needs the document\'s own creation time');
  const facts: Array<{ key: string; value: string | number }> = created ? [{ key: 'sbom.generated_at', value: created.toISOString() }] : [];
  facts.push({ key: 'sbom.components', value: doc.components?.length ?? 0 });
  if (doc.vulnerabilities) {
    const worst = doc.vulnerabilities.map((v, i) => ({
      id: v.id ?? `#${i}`,
      severity: (v.ratings ?? []).map((r) => (r.severity ?? 'unknown').toLowerCase()).sort((a, b) => rank(a) - rank(b))[0] ?? 'unknown',
    }));
    const { critical, high } = countBySeverity(worst);
    facts.push({ key: 'cve.critical', value: critical }, { key: 'cve.high', value: high });
  }
  return { format: 'cyclonedx', label: `CycloneDX ${doc.specVersion}`, facts, observedAt: created, problems };
}

const rank = (s: string): number => (RANK.includes(s) ? RANK.indexOf(s) : RANK.length);
