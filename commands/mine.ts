import { z } from 'zod';
import { CommandError, defineCommand } from '../src/core/commands/index.js';
import { SERVICE_KINDS, displayName } from '../src/core/catalog/index.js';
import type { Block } from '../src/core/message/index.js';
import { context, list, reply, strong, text } from '../src/core/message/index.js';
import { capped, kindLabel } from './describe.js';

export default defineCommand({
  name: 'mine',
  summary: 'The services you own, directly or through your teams',
  usage: 'mine',
  params: [],
  args: z.object({}),
  run({ invocation, catalog }) {
    const actor = invocation.actor;
    const person = actor.person ?? (actor.email ? catalog.personByEmail(actor.email) : undefined);
    if (!person) {
      throw new CommandError(
        'unknown_person',
        actor.email
          ? `I can't find you in the catalog: no User entity has the email ${actor.email}.`
          : "I can't tell who you are: your chat account has no email I can match to a User in the catalog.",
        { hint: 'Ask your platform team to add you (spec.profile.email on a User entity).' },
      );
    }
    const teams = catalog.related(person.ref, 'memberOf');
    const owned = catalog.relatedEntities([person.ref, ...teams], 'ownerOf', SERVICE_KINDS);
    const teamNames = teams.map((t) => {
      const e = catalog.get(t);
      return e ? displayName(e) : t;
    });
    const teamText = teamNames.length > 0 ? `You are in ${teamNames.join(', ')}.` : 'You are in no team in the catalog.';
    if (owned.length === 0) return reply(`${teamText} Nothing in the catalog is owned by you or your teams.`);
    const { shown, more } = capped(owned, 30);
    const blocks: Block[] = [
      text([strong(`${owned.length} owned by you and your teams`), '']),
      list(shown.map((e) => [strong(e.name), ` (${kindLabel(e)})`]), more),
      context(teamText),
    ];
    return reply(`${teamText} You own ${owned.length}: ${shown.map((e) => e.name).join(', ')}${more > 0 ? ', …' : ''}.`, blocks);
  },
});
