import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { CollectReport, ParsedReport } from '../core/facts/index.js';
import { collectFacts, reportPushes } from '../core/facts/index.js';
import type { FactValue } from '../core/scoring/index.js';
import { parseFactDate, parseFactText, resultLine } from '../core/scoring/index.js';
import { readReport } from '../infra/reports/read-report.js';
import type { CliCommand, Io } from './cli-kit.js';
import { EXIT, configFrom, parseCli } from './cli-kit.js';
import { findService, withScoring } from './score-command.js';
import { progressPrinter } from './sync-command.js';

/** `key=value` arguments → facts; every malformed one is named. */
export function parseAssignments(args: readonly string[]): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  const problems: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      problems.push(`"${arg}" is not key=value`);
      continue;
    }
    const key = arg.slice(0, eq).trim();
    if (Object.hasOwn(out, key)) problems.push(`${key} is given twice`);
    out[key] = parseFactText(arg.slice(eq + 1));
  }
  if (problems.length > 0) throw new InputError(`facts push: ${problems.join('; ')}`);
  return out;
}

const USAGE = 'steward facts push <service> <key>=<value>... | facts push <service> --report FILE... | facts collect [--service NAME] [--source NAME]';

export const factsCommand: CliCommand = {
  name: 'facts',
  usage: 'facts push <service> <key>=<value>...|--report FILE... · facts collect',
  summary: 'record facts from CI ([--source NAME] [--observed-at DATE]), from CI reports (Trivy, Grype, SARIF, CycloneDX, SPDX, k6), or collect them [--service NAME] [--source NAME]',
  async run(args, io) {
    const { values, positionals } = parseCli(
      args,
      { source: { type: 'string' }, 'observed-at': { type: 'string' }, report: { type: 'string' }, service: { type: 'string' } },
      true,
    );
    const [verb, ...rest] = positionals;
    if (verb === 'collect') return collect(io, values, rest);
    if (verb !== 'push') throw new InputError(`facts needs a verb: ${USAGE}`);
    const [service, ...assignments] = rest;
    if (service === undefined) throw new InputError('facts push needs a service, e.g. steward facts push payments-api alerts.configured=true');
    if (values.service !== undefined) throw new InputError('facts push names its service as an argument, not with --service');
    if (values.report !== undefined) return pushReports(io, values, service, [values.report, ...assignments]);
    if (assignments.length === 0) throw new InputError('facts push needs at least one key=value, e.g. alerts.configured=true, or --report FILE');
    const facts = parseAssignments(assignments);
    let observedAt: Date | undefined;
    if (values['observed-at'] !== undefined) {
      observedAt = parseFactDate(values['observed-at']);
      if (!observedAt) throw new InputError(`--observed-at ${values['observed-at']} is not an ISO date or timestamp`);
    }
    const source = values.source?.trim() || 'cli';
    return withScoring(io, configFrom(io, values), (steward) => {
      const entity = findService(steward, service);
      const pushed = steward.scoring.pushFacts(entity, facts, { source, observedAt });
      const lines = [
        `Stored ${pushed.stored} fact${pushed.stored === 1 ? '' : 's'} for ${entity.name} (${pushed.changed.length} changed) from ${source}.`,
        ...pushed.results.map((r) => `  ${resultLine(r)}`),
      ];
      io.out(`${lines.join('\n')}\n`);
      return EXIT.ok;
    });
  },
};

/**
 * `facts push <service> --report FILE...`: every file is read and recognised before anything is
 * stored (an unknown format is exit 2 naming the file and the formats known), then each report's
 * facts are pushed under `report/<format>` at the report's own time.
 */
async function pushReports(io: Io, values: { source?: string | undefined; 'observed-at'?: string | undefined; db?: string; config?: string }, service: string, files: string[]): Promise<number> {
  if (values.source !== undefined || values['observed-at'] !== undefined) {
    throw new InputError('facts push --report takes the source and time from the report itself; leave out --source and --observed-at');
  }
  const config = configFrom(io, values);
  return withScoring(io, config, (steward) => {
    const now = steward.clock.now();
    const reports: Array<{ name: string; report: ParsedReport }> = files.map((file) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new InputError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a report file' : (err as Error).message}`);
      }
      return { name: file, report: readReport(text, file, now) };
    });
    const entity = findService(steward, service);
    const { pushes, problems } = reportPushes(reports, now);
    if (problems.length > 0) throw new InputError(problems.join('; '));
    const lines: string[] = [];
    let results: ReturnType<typeof steward.scoring.pushFacts>['results'] = [];
    pushes.forEach((push, i) => {
      const { name, report } = reports[i]!;
      const pushed = steward.scoring.pushFacts(entity, push.values, { source: push.source, observedAt: push.observedAt });
      results = pushed.results;
      lines.push(`${name}: ${report.label}: ${Object.entries(push.values).map(([k, v]) => `${k}=${String(v)}`).join(', ')} (${pushed.changed.length} changed).`);
      for (const p of report.problems) lines.push(`  left out: ${p}`);
    });
    lines.push(`Stored for ${entity.name}:`, ...results.map((r) => `  ${resultLine(r)}`));
    io.out(`${lines.join('\n')}\n`);
    return EXIT.ok;
  });
}

/** `facts collect`: every configured source over the catalog (or one service), a summary per source. */
async function collect(io: Io, values: { service?: string | undefined; source?: string | undefined; report?: string | undefined; 'observed-at'?: string | undefined; db?: string; config?: string }, rest: string[]): Promise<number> {
  if (rest.length > 0) throw new InputError(`facts collect takes no arguments (${rest.join(' ')}): ${USAGE}`);
  if (values.report !== undefined || values['observed-at'] !== undefined) throw new InputError('facts collect takes --service and --source only');
  const config = configFrom(io, values);
  return withScoring(io, config, async (steward) => {
    const deps = steward.factsCollect();
    if (deps.collectors.length === 0) {
      io.err('steward: no fact source is configured: set PAGERDUTY_TOKEN for PagerDuty, OPSGENIE_API_KEY for Opsgenie, PROMETHEUS_URL (or facts.prometheus.url) for Prometheus; GitHub facts come with steward sync github\n');
      return EXIT.negative;
    }
    const entity = values.service !== undefined ? findService(steward, values.service) : undefined;
    const progress = progressPrinter(io, 'facts collect');
    let report: CollectReport;
    try {
      report = await collectFacts(deps, { service: entity, source: values.source, onProgress: ({ source, done, total }) => progress.update({ phase: source, done, total }) });
    } finally {
      progress.done();
    }
    io.out(formatCollectReport(report));
    // Levels now, recorded like a push, so history says when they changed: the one service asked
    // for, else every service, a batch at a time.
    if (entity) for (const r of steward.scoring.evaluate(entity, { record: 'facts' })) io.out(`  ${resultLine(r)}\n`);
    else {
      const scored = steward.scoring.refreshInBatches({ trigger: 'facts' }, () => {});
      io.out(`Scored ${scored.services} service${scored.services === 1 ? '' : 's'}; ${scored.changed} result${scored.changed === 1 ? '' : 's'} changed.\n`);
    }
    return EXIT.ok;
  });
}

export function formatCollectReport(report: CollectReport): string {
  const lines = [`Collected facts for ${report.services} service${report.services === 1 ? '' : 's'}:`];
  for (const s of report.sources) {
    if (s.outcome === 'failed') {
      lines.push(`  ${s.name}: FAILED, its facts are left as they were: ${s.error}`);
      continue;
    }
    const unknown = s.unknown.reduce((n, u) => n + u.count, 0);
    lines.push(
      `  ${s.name}: ${s.read} service${s.read === 1 ? '' : 's'} read, ${s.recorded} fact${s.recorded === 1 ? '' : 's'} recorded, ${unknown} unknown; ${s.requests} request${s.requests === 1 ? '' : 's'} in ${s.seconds.toFixed(2)} s.`,
    );
    for (const u of s.unknown.slice(0, 10)) lines.push(`    unknown ${u.count}×: ${u.reason}`);
    if (s.unknown.length > 10) lines.push(`    …and ${s.unknown.length - 10} more reasons`);
    for (const p of s.problems) lines.push(`    problem: ${p}`);
  }
  return `${lines.join('\n')}\n`;
}
