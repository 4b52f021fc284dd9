import { z } from 'zod';
import { defineCommand, requiredText } from '../src/core/commands/index.js';
import { SERVICE_KINDS, requireEntity } from '../src/core/catalog/index.js';
import { context, reply, strong, text } from '../src/core/message/index.js';
import { exemptionEnd, requireScoring } from '../src/core/scoring/index.js';

/** Admins only (config `admins`): stop counting one check for one service until a date. */
export default defineCommand({
  name: 'exempt',
  summary: 'Admins: stop counting one check for one service until a date, with a reason',
  params: ['service', 'check', { name: 'until', shown: 'until YYYY-MM-DD' }, { name: 'reason...', shown: 'reason...' }],
  args: z.object({
    service: requiredText('service', 'exempt payments-api load-test 2026-12-31 rig is being rebuilt'),
    check: requiredText('check', 'exempt payments-api load-test 2026-12-31 rig is being rebuilt'),
    until: z.string({ error: 'missing <until>' }).trim(),
    reason: z.string({ error: 'missing <reason>: it is shown next to the exemption' }).trim(),
  }),
  examples: ['exempt payments-api load-test 2026-12-31 the load-test rig is being rebuilt'],
  adminOnly: {
    refusal: 'Only Steward admins can record exemptions.',
    hint: 'Ask one, or run steward exempt on the server. Admins are listed under admins in the config.',
  },
  run({ args, catalog, scoring, invocation }) {
    const s = requireScoring(scoring);
    // The router lets only admins in, and an admin is known by their email.
    const email = invocation.actor.email ?? invocation.actor.person?.email;
    const entity = requireEntity(catalog, args.service, SERVICE_KINDS, 'service');
    const { exemption, scorecard, warning } = s.exempt({ entity, check: args.check, reason: args.reason, until: args.until, by: email! });
    const back = exemptionEnd(exemption.until).toISOString().slice(0, 10);
    return reply(
      [
        text([strong(entity.name), ` is exempt from ${scorecard.title} / ${exemption.checkId} until ${exemption.until}: ${exemption.reason}.`]),
        context(`It counts again from ${back}. Recorded by ${email}.${warning ? ` Warning: ${warning}` : ''}`),
      ],
      'channel',
    );
  },
});
