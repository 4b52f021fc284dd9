import { z } from 'zod';
import { requiredText } from '../src/core/commands/index.js';
import { defineCommand } from '../src/core/commands/index.js';
import { SERVICE_KINDS, refKind, requireEntity, resolveOwner, teamProfile } from '../src/core/catalog/index.js';
import type { Block, Inline } from '../src/core/message/index.js';
import { channel, code, context, fields, heading, joinSpans, mention, reply, strong, text } from '../src/core/message/index.js';
import { capped, nameWithTitle, personMention, whereDefined } from './describe.js';

const MAX_MEMBERS = 12;

export default defineCommand({
  name: 'who-owns',
  summary: 'The team that owns a service, its people and channel, and how ownership was learned',
  params: ['service...'],
  args: z.object({ service: requiredText('service', 'who-owns payments-api') }),
  examples: ['who-owns payments-api', 'who-owns "Payments API"', 'who-owns component:default/checkout-web'],
  run({ args, catalog }) {
    const entity = requireEntity(catalog, args.service, SERVICE_KINDS, 'service');
    const name = nameWithTitle(entity);
    const ownership = resolveOwner(catalog, entity);
    const defined = `defined at ${whereDefined(entity)}`;

    // Explicit fallbacks throughout: the blocks open with the service's name as a heading, and a
    // notification shows only the first line, so the fallback leads with the answer.
    if (ownership.via === 'none') {
      return reply(`${name} has no owner on record.`, [
        heading(name),
        text([strong(name), ' has no owner on record: its descriptor has no ', code('spec.owner'), ' and it is not part of a system that has one.']),
        context(`Add spec.owner to the descriptor, ${defined}.`),
      ]);
    }

    const how: Inline[] =
      ownership.via === 'owner'
        ? ['Ownership from ', code('spec.owner'), `, ${defined}.`]
        : ownership.via === 'codeowners'
          ? ownership.through!.title
            ? ['Ownership from CODEOWNERS, ', code(ownership.through!.title), ` line ${ownership.through!.source.line} of ${ownership.through!.source.file.slice(0, -ownership.through!.title.length - 1)}; the component is ${defined}.`]
            : ['Ownership from CODEOWNERS, ', code(whereDefined(ownership.through!)), `; the component is ${defined}.`]
          : [
            `No owner of its own; inherited from the ${ownership.via} `,
            strong(nameWithTitle(ownership.through!)),
            ` (${whereDefined(ownership.through!)}). The component is ${defined}.`,
          ];

    if (!ownership.owner) {
      const ref = ownership.ownerRef!;
      return reply(`${name} names owner ${ref}, which is not a known ${refKind(ref)} in the catalog.`, [
        heading(name),
        text([strong(name), ' names owner ', code(ref), `, which is not a known ${refKind(ref)} in the catalog.`]),
        context([...how, ' Fix the owner there, or import the team.']),
      ]);
    }

    if (ownership.owner.kind.toLowerCase() === 'user') {
      const person = personMention(catalog, ownership.owner.ref);
      const p = catalog.person(ownership.owner.ref);
      return reply(`${name} is owned by a person, ${p?.name ?? ownership.owner.name}, not a team.`, [
        heading(name),
        text([strong(name), ' is owned by a person, ', person, ', not a team.']),
        context(how),
      ]);
    }

    const team = teamProfile(catalog, ownership.owner);
    const { shown, more } = capped(team.members, MAX_MEMBERS);
    const memberSpans: Inline[] =
      shown.length === 0 ? ['no members in the catalog'] : joinSpans(shown.map(mention));
    if (more > 0) memberSpans.push(`, …and ${more} more`);
    const rows: Array<readonly [string, Inline | Inline[]]> = [['Team', `${team.name} (${team.entity.name})`]];
    if (team.slackChannel) rows.push(['Slack', channel(team.slackChannel)]);
    if (team.teamsChannel) rows.push(['Teams', channel(team.teamsChannel)]);
    if (team.email) rows.push(['Email', team.email]);
    rows.push([`Members (${team.members.length})`, memberSpans]);
    const blocks: Block[] = [
      heading(name),
      text([strong(name), ' is owned by ', strong(team.name), '.']),
      fields(rows),
      context(how),
    ];
    const contacts = shown.map((m) => (m.email ? `${m.name} <${m.email}>` : m.name)).join(', ');
    const fallback =
      `${name} is owned by ${team.name}.` +
      (team.slackChannel ? ` Channel: ${team.slackChannel}.` : '') +
      (contacts ? ` Members: ${contacts}${more > 0 ? `, and ${more} more` : ''}.` : '');
    return reply(fallback, blocks);
  },
});
