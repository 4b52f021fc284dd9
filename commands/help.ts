import { z } from 'zod';
import { CommandError, defineCommand } from '../src/core/commands/index.js';
import { code, context, heading, list, reply, text } from '../src/core/message/index.js';
import { nearest } from '../src/core/nearest.js';

export default defineCommand({
  name: 'help',
  summary: 'What I can answer, or how to use one command',
  params: ['command'],
  args: z.object({ command: z.string().trim().toLowerCase().optional() }),
  examples: ['help', 'help who-owns'],
  run({ args, commands }) {
    // Explicit fallbacks: the blocks open with a heading, and a notification shows only the first line.
    if (args.command) {
      const command = commands.find((c) => c.name === args.command || c.aliases?.includes(args.command!));
      if (!command) {
        const near = nearest(args.command, commands.map((c) => c.name), 2);
        throw new CommandError('not_found', `There is no command called "${args.command}".`, {
          hint: near.length > 0 ? `Did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?` : 'Try `help` for the list.',
        });
      }
      const examples = command.examples ?? [];
      return reply(`${command.usage}: ${command.summary}`, [
        heading(command.name),
        text(command.summary),
        context(['Usage: ', code(command.usage)]),
        ...(examples.length > 0 ? [list(examples.map((e) => code(e)))] : []),
      ]);
    }
    const lines = commands.map((c) => [code(c.usage), `  ${c.summary}`]);
    return reply(
      `Commands: ${commands.map((c) => c.name).join(', ')}. Type help <command> for details.`,
      [heading('Steward: service ownership, on-call and health'), list(lines), context(['Type ', code('help <command>'), ' for details and examples.'])],
    );
  },
});
