import { z } from 'zod';
import { SERVICE_KINDS, requireEntity } from '../src/core/catalog/index.js';
import { defineCommand, requiredText } from '../src/core/commands/index.js';
import { disownService } from '../src/core/nudges/index.js';

/**
 * Nudge control: the caller says a service is not theirs, so they are not nudged about it and
 * Steward's admins see the note (`steward nudge`). The "Not my service" button of a nudge runs
 * this same command.
 */
export default defineCommand({
  name: 'not-mine',
  summary: 'Tell Steward a service is not yours: no more nudges to you about it',
  params: ['service...'],
  args: z.object({ service: requiredText('service', 'not-mine checkout-web') }),
  examples: ['not-mine checkout-web'],
  run({ args, catalog, scoring, nudges, clock, invocation }) {
    const entity = requireEntity(catalog, args.service, SERVICE_KINDS, 'service');
    return disownService({ preferences: nudges, catalog, scoring, clock }, invocation.actor, entity.ref);
  },
});
