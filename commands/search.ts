import { z } from 'zod';
import { defineCommand, requiredText } from '../src/core/commands/index.js';
import { SERVICE_KINDS, TEAM_KINDS } from '../src/core/catalog/index.js';
import { code, context, list, reply, strong, text } from '../src/core/message/index.js';
import { kindLabel, nameWithTitle } from './describe.js';

const LIMIT = 10;

const shorten = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);

export default defineCommand({
  name: 'search',
  summary: 'Services and teams matching words in their name, alias, description or tags',
  params: ['words...'],
  args: z.object({ words: requiredText('search term', 'search ledger') }),
  examples: ['search ledger', 'search kafka'],
  run({ args, catalog }) {
    const { entities, total } = catalog.search(args.words, { kinds: [...SERVICE_KINDS, ...TEAM_KINDS], limit: LIMIT });
    if (total === 0) {
      return reply([
        text(`Nothing in the catalog matches "${args.words}".`),
        context(['Search looks at names, titles, aliases, descriptions and tags; try a shorter word.']),
      ]);
    }
    const items = entities.map((e) => [
      strong(nameWithTitle(e)),
      ` (${kindLabel(e)})`,
      ...(e.description ? [` — ${shorten(e.description, 120)}`] : []),
    ]);
    const heading = `${total} match${total === 1 ? '' : 'es'} for "${args.words}"`;
    // Explicit: the names on one line, where the blocks give a line per match with its description.
    return reply(`${heading}: ${entities.map((e) => e.name).join(', ')}${total > entities.length ? ', …' : ''}`, [
      text(heading),
      list(items, total - entities.length),
      context(['Ask ', code('info <name>'), ' or ', code('who-owns <name>'), ' about any of them.']),
    ]);
  },
});
