import { z } from 'zod';
import { defineCommand } from '../src/core/commands/index.js';
import { CommandError } from '../src/core/errors.js';
import { actions, context, reply, text, urlButton } from '../src/core/message/index.js';
import { SIGN_IN_LINK_MINUTES } from '../src/core/web/index.js';

const hhmm = (d: Date): string => d.toISOString().slice(11, 16);

export default defineCommand({
  name: 'scoreboard',
  summary: 'A personal link that signs you in to the web scoreboard',
  params: [],
  args: z.object({}),
  // The link signs in as the caller: never where a channel or a thread would read it.
  personal: true,
  run({ invocation, signIn }) {
    if (!signIn?.publicUrl) {
      throw new CommandError('no_public_url', 'The web scoreboard has no address yet, so there is no link to give.', {
        hint: 'Whoever runs Steward sets STEWARD_PUBLIC_URL (the address people reach `steward serve` at, e.g. https://steward.acme.example) and restarts it.',
      });
    }
    const { actor } = invocation;
    const { url, expiresAt } = signIn.mint({
      platform: invocation.platform,
      id: actor.id,
      name: actor.person?.name ?? actor.name,
      email: actor.email ?? actor.person?.email,
    });
    // Only the caller sees it (ephemeral in Slack): the link signs in as them.
    return reply(`Your sign-in link to the scoreboard (valid ${SIGN_IN_LINK_MINUTES} minutes, opens once): ${url}`, [
      text('Your personal sign-in link to the scoreboard:'),
      actions([urlButton('Open the scoreboard', url)]),
      context(`Valid for ${SIGN_IN_LINK_MINUTES} minutes (until ${hhmm(expiresAt)} UTC) and opens once. It signs in as you: do not share it.`),
    ]);
  },
});
