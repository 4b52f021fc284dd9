import { z } from 'zod';
import { CommandError } from '../errors.js';
import { code, context, reply, text, toPlainText } from '../message/index.js';
import type { Block, Reply } from '../message/index.js';
import { nearest } from '../nearest.js';
import type { Logger } from '../ports.js';
import { apology } from './apology.js';
import { tokenize } from './tokenize.js';
import type { AnyCommand, CommandServices, Invocation } from './types.js';

export interface RouterOptions {
  readonly commands: readonly AnyCommand[];
  readonly services: CommandServices;
  readonly logger: Logger;
  /** Short id shown to the user when something breaks on our side; injectable for tests. */
  readonly referenceId?: () => string;
  /** Longest command text accepted; anything longer is refused before tokenizing. */
  readonly maxTextLength?: number;
  /** Told about every handled command: one log line and the metrics per command. */
  readonly observe?: (event: { invocation: Invocation; outcome: Outcome; seconds: number; id: string }) => void;
  /**
   * How a command's `run` is called: `serve` passes one that runs it again a moment later when
   * its write found the database locked by another process (see src/infra/sqlite/write-queue.ts).
   */
  readonly runCommand?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Monotonic seconds for durations; injectable so tests need no real time. */
  readonly elapsed?: () => number;
}

export interface Outcome {
  readonly reply: Reply;
  readonly command: string | undefined;
  readonly outcome: 'ok' | 'usage' | 'user_error' | 'unknown_command' | 'internal_error';
  readonly referenceId?: string;
  /** The CommandError code for `user_error`, e.g. `not_found`. */
  readonly errorCode?: string;
  /** The command's answer is for the caller only (`personal`): never shared to a channel. */
  readonly personal?: true;
}

export interface Router {
  handle(invocation: Invocation): Promise<Reply>;
  /** Like `handle`, with what happened, for logs and metrics. */
  dispatch(invocation: Invocation): Promise<Outcome>;
  readonly commands: readonly AnyCommand[];
}

const randomId = (): string => Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0');

/**
 * Tokenize → find the command (or suggest one) → validate arguments with its zod schema → run →
 * Reply. A `CommandError` becomes a friendly private reply; anything else is logged with a
 * reference id and the user sees only that id, never the exception.
 */
export function createRouter(options: RouterOptions): Router {
  const { commands, services, logger } = options;
  const referenceId = options.referenceId ?? randomId;
  const maxTextLength = options.maxTextLength ?? 2000;
  const byName = new Map<string, AnyCommand>();
  for (const c of commands) {
    for (const n of [c.name, ...(c.aliases ?? [])]) {
      if (byName.has(n)) throw new Error(`two commands are called ${n}`);
      byName.set(n, c);
    }
  }

  const elapsed = options.elapsed ?? (() => performance.now() / 1000);

  async function dispatch(invocation: Invocation): Promise<Outcome> {
    const started = elapsed();
    const id = invocation.id ?? referenceId();
    const outcome = await route(invocation, id);
    options.observe?.({ invocation, outcome, seconds: elapsed() - started, id });
    return outcome;
  }

  async function route(invocation: Invocation, id: string): Promise<Outcome> {
    if (invocation.text.length > maxTextLength) {
      return {
        command: undefined,
        outcome: 'usage',
        reply: reply(`That command is ${invocation.text.length} characters long; I read at most ${maxTextLength}.`),
      };
    }
    const tokens = tokenize(invocation.text);
    const name = (tokens.shift() ?? 'help').toLowerCase();
    const command = byName.get(name);
    if (!command) {
      const near = nearest(name, byName.keys(), 2);
      const hint = near.length > 0 ? ` Did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?` : '';
      return {
        command: undefined,
        outcome: 'unknown_command',
        reply: oneLine([text([`I don't know the command "${name}".`, hint]), context(['Try ', code('help'), ' for the list of commands.'])]),
      };
    }

    const raw: Record<string, string> = {};
    const params = command.params;
    for (let i = 0; i < params.length && i < tokens.length; i++) {
      const p = params[i]!;
      if (p.endsWith('...')) {
        raw[p.slice(0, -3)] = tokens.slice(i).join(' ');
        break;
      }
      raw[p] = tokens[i]!;
    }
    const greedy = params.at(-1)?.endsWith('...') ?? false;
    if (!greedy && tokens.length > params.length) {
      return usage(command, [`unexpected ${tokens.slice(params.length).map((t) => `"${t}"`).join(' ')}`]);
    }
    const parsed = command.args.safeParse(raw);
    if (!parsed.success) {
      return usage(
        command,
        parsed.error.issues.map((i) =>
          i.code === 'invalid_type' && i.input === undefined ? `missing <${String(i.path[0])}>` : i.message,
        ),
      );
    }

    try {
      if (command.adminOnly && !isAdmin(invocation)) throw notAdmin(command);
      if (command.personal && invocation.audience === 'conversation') throw personalOnly(command);
      const run = async (): Promise<Reply> => command.run({ ...services, args: parsed.data, invocation, commands });
      const result = await (options.runCommand ? options.runCommand(run) : run());
      return { command: command.name, outcome: 'ok', reply: result, ...(command.personal ? { personal: true as const } : {}) };
    } catch (err) {
      if (err instanceof CommandError) {
        return {
          command: command.name,
          outcome: 'user_error',
          errorCode: err.code,
          reply: oneLine(err.hint ? [text(err.message), context(err.hint)] : [text(err.message)]),
        };
      }
      const ref = referenceId();
      logger.error('command failed', {
        ref,
        id,
        command: command.name,
        platform: invocation.platform,
        err: err instanceof Error ? { message: err.message, stack: err.stack, code: (err as { code?: unknown }).code } : String(err),
      });
      return {
        command: command.name,
        outcome: 'internal_error',
        referenceId: ref,
        reply: reply(apology(ref)),
      };
    }
  }

  // Admins are configured with the scorecards (config `admins`), so the scoring service knows
  // them; without scoring nobody is an admin. An admin is recognised by email.
  function isAdmin(invocation: Invocation): boolean {
    return services.scoring?.isAdmin(invocation.actor.email ?? invocation.actor.person?.email) ?? false;
  }

  function usage(command: AnyCommand, problems: readonly string[]): Outcome {
    const problemText = problems.join('; ');
    return {
      command: command.name,
      outcome: 'usage',
      reply: oneLine([text(`${capitalise(problemText)}.`), context(['Usage: ', code(command.usage)])]),
    };
  }

  return {
    commands,
    dispatch,
    async handle(invocation) {
      return (await dispatch(invocation)).reply;
    },
  };
}

function notAdmin(command: AnyCommand): CommandError {
  const { refusal, hint } =
    command.adminOnly === true || command.adminOnly === undefined
      ? { refusal: `Only Steward admins can use ${command.name}.`, hint: 'Admins are listed under admins in the config.' }
      : command.adminOnly;
  return new CommandError('not_admin', refusal, { hint });
}

// Checked before `run`, so nothing personal is even made where others would read it.
function personalOnly(command: AnyCommand): CommandError {
  return new CommandError('personal_only', `The answer to ${command.name} is for your eyes only, and everyone here would see it.`, {
    hint: `Ask me in a direct message: ${command.name}.`,
  });
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A refusal whose fallback is its blocks' plain text on one line: a notification shows only the
 * first line, and the second (the suggestion, the usage, the hint) is what tells the caller how
 * to get it right.
 */
const oneLine = (blocks: readonly Block[]): Reply => reply(toPlainText({ blocks }).replace(/\n+/g, ' '), blocks);

/** A required, trimmed, non-empty text argument with a message that names it. */
export const requiredText = (what: string, example: string): z.ZodString =>
  z
    .string({ error: `missing <${what}>` })
    .trim()
    .min(1, `name a ${what}, for example \`${example}\``)
    .max(200, `that ${what} is too long`);
