import { z } from 'zod';
import type { ParsedReport } from '../../core/facts/index.js';
import { isRecord, reportTime } from './report-time.js';

/**
 * SARIF 2.1.0 (`version: "2.1.0"`, `runs[]`), as vulnerability and code scanners write it. A
 * result's severity is the `security-severity` property (a CVSS score as text) of the result or of
 * its rule (`tool.driver.rules[]`, found by `ruleIndex` or `ruleId`), as GitHub code scanning
 * reads it: 9.0 and above is critical, 7.0 to 8.9 high. Results without one are not CVEs to count.
 */
const property = z.record(z.string(), z.unknown()).optional();
const sarifSchema = z.object({
  version: z.literal('2.1.0'),
  runs: z.array(
    z.object({
      tool: z.object({
        driver: z.object({
          name: z.string(),
          rules: z.array(z.object({ id: z.string(), properties: property })).optional(),
        }),
      }),
      results: z
        .array(z.object({ ruleId: z.string().optional(), ruleIndex: z.number().int().optional(), properties: property, rule: z.object({ id: z.string().optional(), index: z.number().int().optional() }).optional() }))
        .optional(),
      invocations: z.array(z.object({ endTimeUtc: z.string().optional(), startTimeUtc: z.string().optional() })).optional(),
    }),
  ),
});

export const isSarif = (json: unknown): boolean => isRecord(json) && json['version'] === '2.1.0' && Array.isArray(json['runs']);

export function parseSarif(json: unknown): ParsedReport {
  const doc = sarifSchema.parse(json);
  const problems: string[] = [];
  let critical = 0;
  let high = 0;
  let scored = 0;
  let observedAt: Date | undefined;
  doc.runs.forEach((run, r) => {
    const rules = run.tool.driver.rules ?? [];
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    for (const result of run.results ?? []) {
      const index = result.ruleIndex ?? result.rule?.index;
      const rule = (index !== undefined ? rules[index] : undefined) ?? byId.get(result.ruleId ?? result.rule?.id ?? '');
      const raw = result.properties?.['security-severity'] ?? rule?.properties?.['security-severity'];
      if (raw === undefined) continue;
      const score = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(score) || score < 0 || score > 10) {
        problems.push(`runs[${r}]: security-severity ${JSON.stringify(raw)} is not a score from 0 to 10; that result is left out`);
        continue;
      }
      scored++;
      if (score >= 9) critical++;
      else if (score >= 7) high++;
    }
    run.invocations?.forEach((inv, i) => {
      const t = reportTime(inv.endTimeUtc ?? inv.startTimeUtc, `runs[${r}].invocations[${i}].endTimeUtc`, problems);
      if (t && (!observedAt || t > observedAt)) observedAt = t;
    });
  });
  const results = doc.runs.reduce((n, run) => n + (run.results?.length ?? 0), 0);
  if (results > 0 && scored === 0) problems.push('no result carries a security-severity property: nothing to count as critical or high');
  return {
    format: 'sarif',
    label: `SARIF 2.1.0 (${[...new Set(doc.runs.map((run) => run.tool.driver.name))].join(', ')})`,
    facts:
      results > 0 && scored === 0
        ? []
        : [
            { key: 'cve.critical', value: critical },
            { key: 'cve.high', value: high },
          ],
    observedAt,
    problems,
  };
}
