import type { z } from 'zod';
import type { CatalogReader, Person } from '../catalog/index.js';
import type { Platform, Reply } from '../message/index.js';
import type { NudgePreferences } from '../nudges/nudge-preferences.js';
import type { OncallService } from '../oncall/index.js';
import type { FixService } from '../fixes/index.js';
import type { Clock } from '../ports.js';
import type { ScoringService } from '../scoring/index.js';
import type { SignInLinks } from '../web/index.js';

export type { Platform };

/** Who is asking, as the platform knows them; `person` is their catalog entry when matched. */
export interface Actor {
  readonly id: string;
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly person?: Person | undefined;
}

/** One chat command as every platform hands it to core. */
export interface Invocation {
  readonly platform: Platform;
  readonly actor: Actor;
  /** The platform's channel or conversation id, opaque to core. */
  readonly channel?: string | undefined;
  /** The command text without the `/service` or `@Steward` prefix. */
  readonly text: string;
  /**
   * Who reads the answer: only the caller (a slash command, a direct message: the default), or
   * everyone in the conversation (a thread, a Teams channel or group chat, a posted answer).
   */
  readonly audience?: 'caller' | 'conversation' | undefined;
  readonly receivedAt: Date;
  /** Correlation id for logs (e.g. Slack's trigger id); the router makes one when absent. */
  readonly id?: string | undefined;
}

/** The ports a command may read through. Commands never post, sleep or open connections. */
export interface CommandServices {
  readonly catalog: CatalogReader;
  readonly clock: Clock;
  /** Scorecards: evaluation, history and exemptions (`health`, `leaderboard`, levels in `team` and `mine`). */
  readonly scoring?: ScoringService | undefined;
  /** On-call lookups: PagerDuty, Opsgenie and native rotations (`oncall`). */
  readonly oncall?: OncallService | undefined;
  /** Nudge controls: opt-out, snoozed checks, "not my service" (`snooze`, `optout`, `optin`). */
  readonly nudges?: NudgePreferences | undefined;
  /** Personal sign-in links to the web scoreboard (`scoreboard`), and its public address for "Open in browser" links. */
  readonly signIn?: SignInLinks | undefined;
  /** Fix pull requests (`fix` and the "Open a fix PR" buttons of `health`). */
  readonly fixes?: FixService | undefined;
  /** The configured zone (`config.timezone`), for times in answers such as a snooze's "until"; UTC when unset. */
  readonly timeZone?: string | undefined;
}

export interface CommandContext<A> extends CommandServices {
  readonly args: A;
  readonly invocation: Invocation;
  /** The registry, for `help`. */
  readonly commands: readonly AnyCommand[];
}

/**
 * A positional parameter: its key in `args`. A name ending in `...` takes the rest of the line, so
 * `who-owns Payments API` works without quotes. Usage shows it as `<service>`, or `[service]` when
 * `args` accepts it missing; `{ name, shown }` shows other words, e.g. `<until YYYY-MM-DD>`.
 */
export type Param = string | { readonly name: string; readonly shown: string };

export interface CommandSpec<S extends z.ZodType> {
  readonly name: string;
  readonly summary: string;
  readonly aliases?: readonly string[];
  /** Positional parameters, in order; the usage line is derived from them and `args`. */
  readonly params: readonly Param[];
  readonly args: S;
  readonly examples?: readonly string[];
  /**
   * Only Steward admins (config `admins`) may run it: the router refuses anyone else after
   * checking the arguments and before `run`, with a `not_admin` answer: this one, or by default
   * "Only Steward admins can use <name>."
   */
  readonly adminOnly?: true | { readonly refusal: string; readonly hint?: string };
  /**
   * The answer is for the caller's eyes only (a sign-in link): the router refuses it where the
   * conversation would read it, and it is never offered "Post to channel".
   */
  readonly personal?: true;
  run(context: CommandContext<z.infer<S>>): Promise<Reply> | Reply;
}

/** A declared command, as `defineCommand` returns it. */
export interface Command<S extends z.ZodType> extends Omit<CommandSpec<S>, 'params'> {
  /** The keys in `args`, in order; the last may end in `...`. */
  readonly params: readonly string[];
  /** Derived, e.g. `health <service> [scorecard]`; shown in help and in usage errors. */
  readonly usage: string;
}

export type AnyCommand = Command<z.ZodType>;
