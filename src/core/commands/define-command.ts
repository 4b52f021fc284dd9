import type { z } from 'zod';
import type { AnyCommand, CommandSpec } from './types.js';

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Declares a chat subcommand; the registry in `commands/index.ts` lists them. */
export function defineCommand<S extends z.ZodType>(spec: CommandSpec<S>): AnyCommand {
  if (!NAME.test(spec.name)) throw new Error(`command name ${JSON.stringify(spec.name)} must be lower-case words joined by -`);
  const greedy = spec.params.findIndex((p) => p.endsWith('...'));
  if (greedy !== -1 && greedy !== spec.params.length - 1) {
    throw new Error(`command ${spec.name}: only the last parameter may take the rest of the line`);
  }
  return spec as unknown as AnyCommand;
}
