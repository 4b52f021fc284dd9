import type { Inline, Reply } from '../message/index.js';
import { clickedCommand, code, context } from '../message/index.js';
import { legacyNudgeCommand } from '../nudges/legacy-nudge-button.js';
import type { Logger } from '../ports.js';
import { apology } from './apology.js';
import type { InFlightLimit } from './in-flight-limit.js';
import { BUSY_TEXT } from './in-flight-limit.js';
import type { Outcome, Router } from './router.js';
import { takeTurn } from './take-turn.js';
import type { Actor, Invocation, Platform } from './types.js';

/**
 * What every chat adapter does around the router, written once so Slack and Teams cannot drift:
 * run an invocation and answer it, look things up on the platform within a time budget, apologise
 * with a reference id when anything breaks, re-run a command to post its answer in a channel, and
 * know which answers are still in flight (graceful shutdown waits for them).
 *
 * Platform-neutral: an adapter hands in how to speak where the request came from (a Slack
 * `respond()`, a Teams turn) as plain functions; rendering and SDK calls stay in the adapter.
 */
export interface AnswerSessionOptions {
  /** Names the log lines: `slack command answered`, `teams answer failed`. */
  readonly platform: Platform;
  readonly router: Pick<Router, 'dispatch'>;
  readonly logger: Logger;
  /** Short id shown to the user when something breaks; injectable for tests. */
  readonly referenceId?: (() => string) | undefined;
  /** Longest wait for the platform (who is asking, ids for mentions) before answering without it. Default 2.5 s. */
  readonly budgetMs?: number | undefined;
  /** Adds the platform's ids to a reply's mentions (Slack looks people up by email); bounded by the budget. */
  readonly fillMentions?: ((reply: Reply) => Promise<Reply>) | undefined;
  /** Commands in flight at once, shared by every platform; past it the asker is told to try again. None by default. */
  readonly limit?: InFlightLimit | undefined;
}

/** How to speak to the person who asked or clicked, where they did it. */
export interface Asker {
  /** Shows them an answer; `share` is the command text when the answer may offer "Post to channel". */
  answer(reply: Reply, share: string | undefined): Promise<void>;
  /** One plain line to them: the apology when something broke. */
  say(text: string): Promise<void>;
}

export interface AnswerRequest {
  /** The invocation; finding out who asks may ask the platform (use `within`). */
  readonly invocation: () => Promise<Invocation>;
  readonly to: Asker;
  /** Fields of the adapter's log lines about this request (user, channel, action). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Whether an answer private to the caller may offer "Post to channel"; default true. */
  readonly shareable?: boolean | undefined;
  /**
   * A place in the in-flight limit the adapter took already (Slack takes it before the ack, so
   * "busy" can be the ack itself), released when this is answered; the session takes none of its own.
   */
  readonly admitted?: (() => void) | undefined;
}

export interface ShareRequest extends AnswerRequest {
  /** The one who shared, as the "Shared by" line names them. */
  sharer(actor: Actor): Inline;
  /** The command as it is typed on the platform: `/service who-owns x`, `@Steward who-owns x`. */
  quote(text: string): string;
  /** Posts the shared answer in the channel. */
  post(reply: Reply): Promise<void>;
}

/** A click on a button of an earlier message: its id and value, as the platform sent them back. */
export interface ClickRequest extends Omit<AnswerRequest, 'invocation' | 'shareable'> {
  readonly id: string;
  readonly value: string;
  /** The invocation of the command text the button carries. */
  invocation(text: string): Promise<Invocation>;
}

export interface AnswerSession {
  /** Runs the command and answers the asker; every failure becomes an apology. */
  answer(request: AnswerRequest): Promise<void>;
  /**
   * "Post to channel": runs the command again as the clicker and posts the answer in the channel,
   * saying who shared it. An answer that has become an error (the service was renamed, say) goes
   * to the clicker only.
   */
  share(request: ShareRequest): Promise<void>;
  /**
   * A click on a command button (or on a nudge's button from before they carried commands): runs
   * its command like a typed one, for the clicker only. Undefined when the button is not one, so
   * the adapter can try its own.
   */
  click(request: ClickRequest): Promise<void> | undefined;
  /** Logs `err` with a new reference id and tells the asker only that id. */
  apologise(to: Pick<Asker, 'say'>, err: unknown, fields: Readonly<Record<string, unknown>>): Promise<void>;
  /** The value of `work`, or `fallback` when the platform takes longer than the budget (the work goes on and fills caches). */
  within<T>(work: Promise<T>, fallback: T): Promise<T>;
  /** Counts `work` as in flight until it settles. `answer` and `share` count themselves. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves when nothing is in flight, including work that started while waiting: for tests. */
  idle(): Promise<void>;
  /** Resolves when the work in flight now has settled: for shutdown. */
  drain(): Promise<void>;
}

const randomId = (): string => Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0');

export function createAnswerSession(options: AnswerSessionOptions): AnswerSession {
  const { platform, router, logger } = options;
  const budgetMs = options.budgetMs ?? 2500;
  const referenceId = options.referenceId ?? randomId;
  const pending = new Set<Promise<unknown>>();

  /** Each command waits for its turn, so acks are never queued behind a burst of commands (take-turn.ts). */
  const dispatch = async (invocation: Invocation): Promise<Outcome> => {
    await takeTurn();
    return router.dispatch(invocation);
  };

  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    return work.finally(() => pending.delete(work));
  };

  const within = <T>(work: Promise<T>, fallback: T): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<T>((resolve) => {
      timer = setTimeout(() => resolve(fallback), budgetMs);
      // A lookup still running must not keep the process alive at shutdown.
      (timer as { unref?: () => void }).unref?.();
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  };

  const prepare = (reply: Reply): Promise<Reply> => (options.fillMentions ? within(options.fillMentions(reply), reply) : Promise.resolve(reply));

  async function apologise(to: Pick<Asker, 'say'>, err: unknown, fields: Readonly<Record<string, unknown>>): Promise<void> {
    const ref = referenceId();
    logger.error(`${platform} answer failed`, { ...fields, ref, err: describeError(err) });
    try {
      await to.say(apology(ref));
    } catch (again) {
      logger.error(`${platform} apology could not be delivered either`, { ref, err: describeError(again) });
    }
  }

  async function answer(request: AnswerRequest): Promise<void> {
    const started = performance.now();
    let outcome: Outcome | undefined;
    let leave: (() => void) | undefined;
    try {
      leave = request.admitted;
      const invocation = await request.invocation();
      if (options.limit && !leave) {
        leave = options.limit.enter(`${invocation.platform}:${invocation.actor.id}`);
        if (!leave) {
          await request.to.say(BUSY_TEXT);
          logger.warn(`${platform} command refused: busy`, { ...request.fields, inFlight: options.limit.inFlight });
          return;
        }
      }
      outcome = await dispatch(invocation);
      const reply = await prepare(outcome.reply);
      const share = request.shareable !== false && outcome.outcome === 'ok' && !outcome.personal && reply.visibility === 'caller' ? invocation.text : undefined;
      await request.to.answer(reply, share);
      logger.info(`${platform} command answered`, {
        ...request.fields,
        command: outcome.command,
        outcome: outcome.outcome,
        ref: outcome.referenceId,
        ms: Math.round(performance.now() - started),
      });
    } catch (err) {
      await apologise(request.to, err, { ...request.fields, command: outcome?.command });
    } finally {
      leave?.();
    }
  }

  async function share(request: ShareRequest): Promise<void> {
    let outcome: Outcome | undefined;
    try {
      // Posted for the channel: a personal command refuses, whatever the button said.
      const invocation: Invocation = { ...(await request.invocation()), audience: 'conversation' };
      outcome = await dispatch(invocation);
      if (outcome.outcome !== 'ok') {
        await request.to.answer(await prepare(outcome.reply), undefined);
        return;
      }
      const shared: Reply = {
        ...outcome.reply,
        visibility: 'channel',
        blocks: [...outcome.reply.blocks, context(['Shared by ', request.sharer(invocation.actor), ' · ', code(request.quote(invocation.text))])],
      };
      await request.post(await prepare(shared));
      logger.info(`${platform} answer posted to channel`, { ...request.fields, command: outcome.command });
    } catch (err) {
      await apologise(request.to, err, { ...request.fields, command: outcome?.command });
    }
  }

  function click(request: ClickRequest): Promise<void> | undefined {
    const text = clickedCommand(request.id, request.value) ?? legacyNudgeCommand(request.id, request.value);
    if (text === undefined) return undefined;
    // An answer to a click confirms what the click did; offering to post it in a channel would be noise.
    return track(answer({ invocation: () => request.invocation(text), to: request.to, fields: { ...request.fields, action: request.id }, shareable: false }));
  }

  return {
    answer: (request) => track(answer(request)),
    share: (request) => track(share(request)),
    click,
    apologise,
    within,
    track,
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async drain() {
      await Promise.allSettled([...pending]);
    },
  };
}

/** An error as one log field: its name and message. */
export const describeError = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));
