import { InputError } from '../core/errors.js';
import type { FactValue } from '../core/scoring/index.js';
import { parseFactDate, parseFactText, resultLine } from '../core/scoring/index.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, parseCli } from './cli-kit.js';
import { findService, withScoring } from './score-command.js';

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

export const factsCommand: CliCommand = {
  name: 'facts',
  usage: 'facts push <service> <key>=<value>...',
  summary: 'record facts from CI or a script [--source NAME] [--observed-at DATE]',
  async run(args, io) {
    const { values, positionals } = parseCli(args, { source: { type: 'string' }, 'observed-at': { type: 'string' } }, true);
    const [verb, service, ...assignments] = positionals;
    if (verb !== 'push') throw new InputError('facts needs a verb: steward facts push <service> <key>=<value>...');
    if (service === undefined) throw new InputError('facts push needs a service, e.g. steward facts push payments-api alerts.configured=true');
    if (assignments.length === 0) throw new InputError('facts push needs at least one key=value, e.g. alerts.configured=true');
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
