import { describeConfig, serveProblems } from '../config.js';
import { InputError } from '../core/errors.js';
import { loadScorecards } from '../infra/scorecards/load-scorecards.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, parseCli } from './cli-kit.js';

const SECRET = /token|secret|password|apikey|api_key|key$/i;

/** Replaces every secret-looking value with a note that it is set, never the value or a part of it. */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string' && SECRET.test(key)) return `<set, ${value.length} characters>`;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, key));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  return value;
}

export const configCommand: CliCommand = {
  name: 'config',
  usage: 'config check',
  summary: 'validate the config and environment; print the effective config, secrets masked',
  async run(args, io) {
    const { values, positionals } = parseCli(args, {}, true);
    if (positionals[0] !== 'check' || positionals.length !== 1) throw new InputError('usage: steward config check');
    // loadConfig throws an InputError listing every problem with its path: exit 2 with that list.
    const config = configFrom(io, values);
    // What serve would refuse later is refused now: the scorecards (with the rollout's ids) and
    // serve's own needs. The database is not opened: checking a config must not create one.
    const problems = [...serveProblems(config)];
    try {
      loadScorecards(config.scorecards);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.message.split('\n').slice(1).map((l) => l.trim()));
    }
    if (problems.length > 0) throw new InputError(`invalid configuration:\n  ${problems.join('\n  ')}`);
    io.out(`${JSON.stringify(maskSecrets(describeConfig(config)), null, 2)}\n`);
    io.err(`config ok${config.configFile ? ` (${config.configFile} and the environment)` : ' (environment only; no config file)'}\n`);
    return EXIT.ok;
  },
};
