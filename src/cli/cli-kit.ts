import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { loadConfig } from '../config.js';
import type { Actor } from '../core/commands/index.js';
import { InputError } from '../core/errors.js';
import { stewardFromConfig } from '../app/create-steward.js';
import type { Steward } from '../app/create-steward.js';

/** What every `steward <command>` module shares: exit codes, option parsing, config, output. */

export const EXIT = { ok: 0, negative: 1, usage: 2 } as const;

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `steward --help`, e.g. `import <file|dir>... [--prune]`. */
  readonly usage: string;
  readonly summary: string;
  run(args: string[], io: Io): Promise<number>;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;
type ValuesOf<O extends OptionSpec> = { [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean } & {
  db?: string;
  config?: string;
};

const COMMON = { db: { type: 'string' }, config: { type: 'string' } } as const;

/** Parses one command's options; an unknown or malformed one is bad usage that names it. */
export function parseCli<O extends OptionSpec>(
  args: string[],
  options: O,
  allowPositionals = false,
): { values: ValuesOf<O>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals, strict: true });
    return { values: parsed.values as ValuesOf<O>, positionals: parsed.positionals };
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

export function configFrom(io: Io, values: { db?: string | undefined; config?: string | undefined }, dbDefault?: string): Config {
  return loadConfig(io.env, { db: values.db, config: values.config, dbDefault });
}

/** The Steward for a CLI command: logs go to stderr, quiet unless something is wrong. */
export function openSteward(config: Config): Steward {
  return stewardFromConfig(config);
}

export function actorFor(email: string | undefined): Actor {
  if (email) return { id: email, email };
  let name = 'shell';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (containers): keep the generic name
  }
  return { id: name, name };
}
