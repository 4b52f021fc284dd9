import { z } from 'zod';
import type { AnyCommand, CommandSpec, Param } from './types.js';

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

const paramName = (p: Param): string => (typeof p === 'string' ? p : p.name);
const argKey = (p: Param): string => paramName(p).replace(/\.\.\.$/, '');

/**
 * Declares a chat subcommand; the registry in `commands/index.ts` lists them. The usage line is
 * derived, so it cannot drift from what the router parses: `params: ['service', 'scorecard...']`
 * with an optional `scorecard` in `args` gives `health <service> [scorecard]`.
 */
export function defineCommand<S extends z.ZodType>(spec: CommandSpec<S>): AnyCommand {
  if (!NAME.test(spec.name)) throw new Error(`command name ${JSON.stringify(spec.name)} must be lower-case words joined by -`);
  const params = spec.params.map(paramName);
  const greedy = params.findIndex((p) => p.endsWith('...'));
  if (greedy !== -1 && greedy !== params.length - 1) {
    throw new Error(`command ${spec.name}: only the last parameter may take the rest of the line`);
  }
  const shape = spec.args instanceof z.ZodObject ? (spec.args.shape as Record<string, z.ZodType>) : undefined;
  const unknown = shape ? spec.params.map(argKey).filter((key) => !(key in shape)) : [];
  if (unknown.length > 0) throw new Error(`command ${spec.name}: parameter ${unknown.join(', ')} is not in its args`);
  const usage = [
    spec.name,
    ...spec.params.map((p) => {
      const shown = typeof p === 'string' ? argKey(p) : p.shown;
      // The router leaves a missing word out; whatever `args` accepts that way is optional.
      const optional = shape?.[argKey(p)]?.safeParse(undefined).success ?? false;
      return optional ? `[${shown}]` : `<${shown}>`;
    }),
  ].join(' ');
  return { ...spec, params, usage } as unknown as AnyCommand;
}
