import { z } from 'zod';
import type { ParsedReport } from '../../core/facts/index.js';
import { isRecord, reportTime } from './report-time.js';

/**
 * An SPDX JSON document (`spdxVersion: "SPDX-2.2"` or `"SPDX-2.3"`): `sbom.generated_at` is
 * `creationInfo.created`, the document's own creation time.
 */
const spdxSchema = z.object({
  spdxVersion: z.string().regex(/^SPDX-\d+\.\d+$/),
  creationInfo: z.object({ created: z.string().optional(), creators: z.array(z.string()).optional() }).optional(),
  packages: z.array(z.unknown()).optional(),
});

export const isSpdx = (json: unknown): boolean => isRecord(json) && typeof json['spdxVersion'] === 'string' && json['spdxVersion'].startsWith('SPDX-');

export function parseSpdx(json: unknown): ParsedReport {
  const doc = spdxSchema.parse(json);
  const problems: string[] = [];
  const created = reportTime(doc.creationInfo?.created, 'creationInfo.created', problems);
  if (doc.creationInfo?.created === undefined) problems.push('creationInfo.created is missing: sbom.generated_at needs the document\'s own creation time');
  return {
    format: 'spdx',
    label: doc.spdxVersion,
    facts: [...(created ? [{ key: 'sbom.generated_at', value: created.toISOString() }] : []), { key: 'sbom.components', value: doc.packages?.length ?? 0 }],
    observedAt: created,
    problems,
  };
}
