import { z } from 'zod';
import { CommandError, defineCommand, requiredText } from '../src/core/commands/index.js';
import { SERVICE_KINDS, requireEntity } from '../src/core/catalog/index.js';
import { fixOutcomeReply } from '../src/core/fixes/index.js';

/**
 * Opens a pull request that fixes a failing check, where a file is the fix (README, TechDocs,
 * Renovate…). Owners of the service (through their teams) and admins only: it writes to their
 * repository in Steward's name.
 */
export default defineCommand({
  name: 'fix',
  summary: 'Open a pull request that fixes a check (owners of the service and admins)',
  params: ['service', { name: 'check', shown: 'scorecard/check' }],
  args: z.object({
    service: requiredText('service', 'fix payments-api documentation/techdocs'),
    check: requiredText('check', 'fix payments-api documentation/techdocs'),
  }),
  // No example in help: help's examples must answer on the demo catalog, which has no GitHub to write to.
  async run({ args, catalog, fixes, invocation }) {
    if (!fixes) throw new CommandError('fixes_unavailable', 'Fix pull requests are not available here.');
    const entity = requireEntity(catalog, args.service, SERVICE_KINDS, 'service');
    const target = fixes.resolve(entity, args.check);
    if (!fixes.mayOpen(entity, invocation.actor)) {
      throw new CommandError('not_owner', `Sorry, I can't open that pull request for you: fixes for ${entity.name} can be opened by ${fixes.whoMay(entity)}.`, {
        hint: `Ask one of them to run fix ${entity.name} ${target.scorecard.id}/${target.check.id}, or click "Open a fix PR" in their nudge.`,
      });
    }
    return fixOutcomeReply(await fixes.open(target));
  },
});
