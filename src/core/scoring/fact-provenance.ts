import type { Fact } from './fact.js';

/** Where a fact a check read came from and when it was observed: what answers show beside it. */
export interface FactProvenance {
  readonly key: string;
  readonly source: string;
  readonly observedAt: Date;
}

/** Display names of the sources Steward itself writes; any other source is shown as it was pushed. */
const SOURCE_NAMES: Readonly<Record<string, string>> = {
  github: 'GitHub',
  pagerduty: 'PagerDuty',
  opsgenie: 'Opsgenie',
  prometheus: 'Prometheus',
  cli: 'steward facts push',
  api: 'the facts API',
  catalog: 'the catalog',
  demo: 'the demo',
  'report/trivy': 'a Trivy report',
  'report/grype': 'a Grype report',
  'report/sarif': 'a SARIF report',
  'report/cyclonedx': 'a CycloneDX SBOM',
  'report/spdx': 'an SPDX SBOM',
  'report/k6': 'a k6 summary',
};

export const sourceName = (source: string): string => SOURCE_NAMES[source] ?? source;

/** `2 h ago`, `5 min ago`, `3 d ago`: coarse on purpose, it says how fresh, not when exactly. */
export function ago(then: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** `PagerDuty, 2 h ago` */
export const describeProvenance = (p: FactProvenance, now: Date): string => `${sourceName(p.source)}, ${ago(p.observedAt, now)}`;

/** The provenance of the facts among `keys` that the snapshot has (catalog facts have none to give). */
export function provenanceOf(keys: readonly string[], facts: ReadonlyMap<string, Fact>): FactProvenance[] {
  const out: FactProvenance[] = [];
  for (const key of keys) {
    const f = facts.get(key);
    if (f) out.push({ key, source: f.source, observedAt: f.observedAt });
  }
  return out;
}
