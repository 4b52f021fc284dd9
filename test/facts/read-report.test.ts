import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { readReport } from '../../src/infra/reports/read-report.js';
import { FIXTURES } from '../support/test-bot.js';

const REPORTS = join(FIXTURES, 'reports');
const NOW = new Date('2026-11-30T09:00:00Z');
const read = (file: string) => readReport(readFileSync(join(REPORTS, file), 'utf8'), file, NOW);
const factsOf = (file: string): Record<string, unknown> => Object.fromEntries(read(file).facts.map((f) => [f.key, f.value]));

describe('CI reports, told apart by their content', () => {
  it('a CycloneDX SBOM gives sbom.generated_at from its own metadata.timestamp', () => {
    const r = read('cyclonedx.json');
    expect(r).toMatchObject({ format: 'cyclonedx', label: 'CycloneDX 1.5', problems: [] });
    expect(factsOf('cyclonedx.json')).toEqual({ 'sbom.generated_at': '2026-11-29T18:00:00.000Z', 'sbom.components': 2 });
    expect(r.observedAt).toEqual(new Date('2026-11-29T18:00:00Z'));
  });

  it('a CycloneDX BOM with vulnerabilities counts each by its worst rating', () => {
    expect(factsOf('cyclonedx-vex.json')).toEqual({ 'sbom.generated_at': '2026-11-28T06:30:00.000Z', 'sbom.components': 1, 'cve.critical': 1, 'cve.high': 1 });
  });

  it('an SPDX document gives sbom.generated_at from creationInfo.created', () => {
    expect(read('spdx.json')).toMatchObject({ format: 'spdx', label: 'SPDX-2.3' });
    expect(factsOf('spdx.json')).toEqual({ 'sbom.generated_at': '2026-11-27T12:00:00.000Z', 'sbom.components': 3 });
  });

  it('Trivy and Grype count distinct critical and high vulnerabilities, at the scan time', () => {
    expect(factsOf('trivy.json')).toEqual({ 'cve.critical': 1, 'cve.high': 1 });
    expect(read('trivy.json').observedAt).toEqual(new Date('2026-11-29T06:15:42.123Z'));
    expect(factsOf('grype.json')).toEqual({ 'cve.critical': 0, 'cve.high': 1 });
    expect(read('grype.json')).toMatchObject({ format: 'grype', label: 'Grype JSON 0.86.1' });
  });

  it('SARIF counts results by security-severity of the result or its rule, and names a score that is not one', () => {
    const r = read('sarif.json');
    expect(r.format).toBe('sarif');
    expect(factsOf('sarif.json')).toEqual({ 'cve.critical': 1, 'cve.high': 1 });
    expect(r.problems).toEqual(['runs[0]: security-severity "high-ish" is not a score from 0 to 10; that result is left out']);
    expect(r.observedAt).toEqual(new Date('2026-11-29T05:02:00Z'));
  });

  it('a k6 summary gives the run, p95 and error rate; a malformed number is left out and named', () => {
    expect(factsOf('k6-summary.json')).toEqual({ 'loadtest.last_run': NOW.toISOString(), 'loadtest.p95_ms': 241.34, 'loadtest.error_rate': 0.0013 });
    const legacy = read('k6-export.json');
    expect(Object.fromEntries(legacy.facts.map((f) => [f.key, f.value]))).toEqual({ 'loadtest.last_run': NOW.toISOString(), 'loadtest.error_rate': 0.02 });
    expect(legacy.problems).toEqual(['metrics.http_req_duration.p(95): "fast" is not a number; left out']);
  });

  it('a malformed date never becomes a fact', () => {
    const r = read('cyclonedx-bad-date.json');
    expect(r.facts.map((f) => f.key)).toEqual(['sbom.components']);
    expect(r.problems[0]).toBe('metadata.timestamp: "yesterday-ish" is not an ISO timestamp; left out');
  });

  it('anything else is bad input naming the file and the formats Steward knows', () => {
    const known = 'known report formats: CycloneDX JSON, SPDX JSON, SARIF 2.1.0, Trivy JSON, Grype JSON, k6 summary JSON';
    expect(() => read('not-a-report.json')).toThrow(new InputError(`not-a-report.json: not a report format Steward knows; ${known}`));
    expect(() => read('notes.txt')).toThrow(InputError);
    expect(() => read('notes.txt')).toThrow(/^notes\.txt: not JSON; known report formats: /);
    expect(() => readReport('{"bomFormat":"CycloneDX"}', 'bom.json', NOW)).toThrow('bom.json: looks like CycloneDX JSON but specVersion:');
  });
});
