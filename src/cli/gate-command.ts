import { InputError } from '../core/errors.js';
import type { GateDecision } from '../core/scoring/index.js';
import { gateReport, levelLabel } from '../core/scoring/index.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, parseCli } from './cli-kit.js';
import { findService, withScoring } from './score-command.js';

/** What CI prints: the verdict on the first line, then each failing check with its fix link. */
export function gateText(service: string, d: GateDecision): string {
  const r = d.result;
  const lines: string[] = [];
  // Every scorecard starts below `gate`, so a new user's gate can never fail: the first line says so.
  if (!d.enforced) {
    lines.push(
      `WARN ONLY: ${d.scorecard.id} is in its "${d.scorecard.rollout}" rollout phase, so this gate never fails (exit 0); ` +
        `set scorecards.rollout.${d.scorecard.id}: gate in the config to enforce it.`,
    );
  }
  const where = r ? `${d.scorecard.title} is ${levelLabel(r.level)} (${r.score}/100); ${levelLabel(d.min)} required` : d.scorecard.title;
  if (!d.applies) lines.push(`PASS ${service}: ${d.warning}`);
  else if (d.failing.length === 0) lines.push(`PASS ${service}: ${where}.`);
  else lines.push(`${d.pass ? 'WARN' : 'FAIL'} ${service}: ${where}. Failing:`);
  for (const c of d.failing) {
    lines.push(`  ${c.state === 'unknown' ? '?' : '✗'} ${c.check.title} (${c.check.level}): ${c.state === 'unknown' ? `unknown, ${c.evidence}` : c.evidence}`);
    lines.push(`    how: ${c.check.fix.how}`);
    if (c.fixUrl) lines.push(`    fix: ${c.fixUrl}`);
  }
  if (d.applies && d.warning) lines.push(`warning: ${d.warning}`);
  return `${lines.join('\n')}\n`;
}

export const gateCommand: CliCommand = {
  name: 'gate',
  usage: 'gate <service> --scorecard ID --min LEVEL [--json]',
  summary: 'deploy gate for CI: exit 0 pass, 1 fail; WARN ONLY (exit 0) until the scorecard is in its gate rollout phase',
  async run(args, io) {
    const { values, positionals } = parseCli(args, { scorecard: { type: 'string' }, min: { type: 'string' }, json: { type: 'boolean' } }, true);
    const [service, ...extra] = positionals;
    if (service === undefined) throw new InputError('gate needs a service: steward gate <service> --scorecard ID --min LEVEL');
    if (extra.length > 0) throw new InputError(`gate takes one service; unexpected ${extra.join(' ')}`);
    if (values.scorecard === undefined) throw new InputError('gate needs --scorecard ID');
    if (values.min === undefined) throw new InputError('gate needs --min LEVEL, e.g. --min silver');
    return withScoring(io, configFrom(io, values), (steward) => {
      const entity = findService(steward, service);
      const decision = steward.scoring.gate(entity, values.scorecard!, values.min!);
      io.out(values.json ? `${JSON.stringify(gateReport(entity.name, decision), null, 2)}\n` : gateText(entity.name, decision));
      return decision.pass ? EXIT.ok : EXIT.negative;
    });
  },
};
