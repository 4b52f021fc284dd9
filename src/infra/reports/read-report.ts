import { ZodError } from 'zod';
import type { ParsedReport, ReportFormat } from '../../core/facts/index.js';
import { InputError } from '../../core/errors.js';
import { isCycloneDx, parseCycloneDx } from './parse-cyclonedx.js';
import { isGrype, parseGrype } from './parse-grype.js';
import { isK6, parseK6 } from './parse-k6.js';
import { isSarif, parseSarif } from './parse-sarif.js';
import { isSpdx, parseSpdx } from './parse-spdx.js';
import { isTrivy, parseTrivy } from './parse-trivy.js';

/** Most specific marker first: a CycloneDX BOM with vulnerabilities must not pass for another format. */
const DETECTORS: ReadonlyArray<{ format: ReportFormat; name: string; is: (json: unknown) => boolean; parse: (json: unknown, at: Date) => ParsedReport }> = [
  { format: 'cyclonedx', name: 'CycloneDX JSON', is: isCycloneDx, parse: parseCycloneDx },
  { format: 'spdx', name: 'SPDX JSON', is: isSpdx, parse: parseSpdx },
  { format: 'sarif', name: 'SARIF 2.1.0', is: isSarif, parse: parseSarif },
  { format: 'trivy', name: 'Trivy JSON', is: isTrivy, parse: parseTrivy },
  { format: 'grype', name: 'Grype JSON', is: isGrype, parse: parseGrype },
  { format: 'k6', name: 'k6 summary JSON', is: isK6, parse: parseK6 },
];

export const KNOWN_REPORTS = DETECTORS.map((d) => d.name).join(', ');

/**
 * One CI report (its text, and a name for messages: the file or `the body`) to facts, its format
 * detected from the content. Not JSON, or no known format, or a known format whose required
 * fields are wrong: an InputError naming the file, the field and the formats Steward knows.
 * `reportedAt` stands in for the run time of a report that states none (k6).
 */
export function readReport(text: string, name: string, reportedAt: Date): ParsedReport {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    // JSON.parse's message quotes the text, newlines and all: the file name says enough.
    throw new InputError(`${name}: not JSON; known report formats: ${KNOWN_REPORTS}`);
  }
  const detector = DETECTORS.find((d) => d.is(json));
  if (!detector) throw new InputError(`${name}: not a report format Steward knows; known report formats: ${KNOWN_REPORTS}`);
  try {
    return detector.parse(json, reportedAt);
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    const issue = err.issues[0]!;
    throw new InputError(`${name}: looks like ${detector.name} but ${issue.path.join('.') || 'the document'}: ${issue.message}`);
  }
}
