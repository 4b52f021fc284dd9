import { userInfo } from 'node:os';
import { InputError } from '../core/errors.js';
import { exemptionEnd } from '../core/scoring/index.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, parseCli } from './cli-kit.js';
import { findService, withScoring } from './score-command.js';

function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}

export const exemptCommand: CliCommand = {
  name: 'exempt',
  usage: 'exempt <service> <check> --reason TEXT --until DATE',
  summary: 'stop counting a check for a service until a date [--by NAME]',
  async run(args, io) {
    const { values, positionals } = parseCli(args, { reason: { type: 'string' }, until: { type: 'string' }, by: { type: 'string' } }, true);
    const [service, check, ...extra] = positionals;
    if (service === undefined || check === undefined) {
      throw new InputError('exempt needs a service and a check: steward exempt payments-api load-test --reason "…" --until 2026-12-31');
    }
    if (extra.length > 0) throw new InputError(`exempt takes one service and one check; unexpected ${extra.join(' ')} (quote the reason)`);
    if (values.reason === undefined) throw new InputError('exempt needs --reason TEXT: it is shown next to the exemption');
    if (values.until === undefined) throw new InputError('exempt needs --until DATE (YYYY-MM-DD), the last day it holds');
    return withScoring(io, configFrom(io, values), (steward) => {
      const entity = findService(steward, service);
      const { exemption, scorecard, warning } = steward.scoring.exempt({
        entity,
        check,
        reason: values.reason!,
        until: values.until!,
        by: values.by?.trim() || operator(),
      });
      const back = exemptionEnd(exemption.until).toISOString().slice(0, 10);
      io.out(
        `Exempted ${entity.name} from ${scorecard.id}/${exemption.checkId} until ${exemption.until}: ${exemption.reason}. ` +
          `It counts again from ${back}.\n`,
      );
      if (warning) io.err(`steward: warning: ${warning}\n`);
      return EXIT.ok;
    });
  },
};
