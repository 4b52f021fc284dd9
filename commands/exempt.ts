import { z } from 'zod';
import { CommandError, defineCommand, requiredText } from '../src/core/commands/index.js';
import { SERVICE_KINDS, requireEntity } from '../src/core/catalog/index.js';
import { context, reply, strong, text } from '../src/core/message/index.js';
import { exemptionEnd, requireScoring } from '../src/core/scoring/index.js';

/** Admins only (config `admins`): stop counting one check for one service until a date. */
export default defineCommand({
  name: 'exempt',
  summary: 'Admins: stop counting one check for one service until a date, with a reason',
  usage: 'exempt <service> <check> <until YYYY-MM-DD> <reason...>',
  params: ['service', 'check', 'until', 'reason...'],
  args: z.object({
    service: requiredText('service', 'exempt payments-api load-test 2026-12-31 rig is being rebuilt'),
    check: requiredText('check', 'exempt payments-api load-test 2026-12-31 rig is being rebuilt'),
    until: z.string({ error: 'missing <until>' }).trim(),
    reason: z.string({ error: 'missing <reason>: it is shown next to the exemption' }).trim(),
  }),
  examples: ['exempt payments-api load-test 2026-12-31 the load-test rig is being rebuilt'],
  run({ args, catalog, scoring, invocation }) {
    const s = requireScoring(scoring);
    const email = invocation.actor.email ?? invocation.actor.person?.email;
    if (!s.isAdmin(email)) {
      throw new CommandError('not_admin', 'Only Steward admins can record exemptions.', {
        hint: 'Ask one, or run steward exempt on the server. Admins are listed under admins in the config.',
      });
    }
    const entity = requireEntity(catalog, args.service, SERVICE_KINDS, 'service');
    const { exemption, scorecard, warning } = s.exempt({ entity, check: args.check, reason: args.reason, until: args.until, by: email! });
    const back = exemptionEnd(exemption.until).toISOString().slice(0, 10);
    const line = `${entity.name} is exempt from ${scorecard.title} / ${exemption.checkId} until ${exemption.until}: ${exemption.reason}.`;
    return reply(line, [text([strong(entity.name), line.slice(entity.name.length)]), context(`It counts again from ${back}. Recorded by ${email}.${warning ? ` Warning: ${warning}` : ''}`)], 'channel');
  },
});
