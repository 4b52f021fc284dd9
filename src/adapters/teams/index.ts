import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Activity, TurnContext } from 'botbuilder';
import { TeamsInfo } from 'botbuilder';
import type { CatalogReader } from '../../core/catalog/index.js';
import type { Actor, Asker, InFlightLimit, Router } from '../../core/commands/index.js';
import { createAnswerSession, describeError, withPlainWords } from '../../core/commands/index.js';
import type { Messenger } from '../../core/messaging/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { ActivityFields, ConversationRecord, Submitted } from './inbound.js';
import { CHANNEL_CHOICE, POST_TO_CHANNEL, commandText, conversationKind, conversationOf, invocationOf, submitted, submittedCommand, usersOf } from './inbound.js';
import type { TeamsConnection } from './connection.js';
import type { ConversationReferences, OutgoingActivity } from './messenger.js';
import type { PersonRef } from '../../core/message/index.js';
import type { CardElement, TeamsAccount } from './render-adaptive-card.js';
import { cardAttachment, renderAdaptiveCard } from './render-adaptive-card.js';

/**
 * The botbuilder wiring, and only that (the only folder that imports `botbuilder`; the SDK is in
 * maintenance, so keeping it here keeps a move to the Microsoft 365 Agents SDK cheap).
 *
 * `POST /api/messages` → CloudAdapter. With an app id every request's JWT is validated by
 * botbuilder (401 otherwise); without one the endpoint runs in local emulator mode: no JWT, no
 * outgoing token, and, so that an open endpoint cannot be used to make Steward post to any URL,
 * only activities whose `serviceUrl` is on this machine (the Bot Framework Emulator, tests).
 *
 * Every activity's conversation and accounts are remembered (proactive messages need them).
 * Messages run through the same router as Slack; the answer is an Adaptive Card in the same
 * conversation (in a channel: in the thread of the mention). Teams has no ephemeral messages:
 * a `caller` answer is sent where it was asked (in a channel the asker chose to ask in public);
 * in a 1:1 chat it carries a "Post to channel" choice of the channels Steward is in.
 */
export interface TeamsAdapterOptions {
  /**
   * The botbuilder connection (auth, proactive sends, the jobs' messenger), built once by the
   * composition root so that `serve` and the jobs share it.
   */
  readonly connection: TeamsConnection;
  /** Messages read plain words first ("who owns payments-api?"); `commands` names the commands. */
  readonly router: Pick<Router, 'dispatch' | 'commands'>;
  readonly catalog: Pick<CatalogReader, 'personByEmail'>;
  readonly references: ConversationReferences;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Longest wait for Teams to say who someone is (their email) before answering without it. Default 2.5 s. */
  readonly lookupBudgetMs?: number | undefined;
  readonly referenceId?: (() => string) | undefined;
  /** Commands in flight at once (serve shares one between Slack and Teams); past it, "busy". */
  readonly limit?: InFlightLimit | undefined;
}

export interface TeamsAdapter {
  readonly mode: 'authenticated' | 'emulator';
  /** The handler for `POST /api/messages`. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** The core Messenger for jobs (leaderboard, nudges). */
  readonly messenger: Messenger;
  /** Resolves when no activity is being answered: for tests and graceful shutdown. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const CHANNEL_CHOICES = 20;

export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { router, catalog, references, clock, logger } = options;
  const budget = options.lookupBudgetMs ?? 2500;
  const referenceId = options.referenceId ?? (() => randomBytes(3).toString('hex'));
  const { adapter, appId, emulator, messenger } = options.connection;

  // Teams has no slash commands: every message is a mention or a 1:1 line, so plain words always apply.
  const session = createAnswerSession({ platform: 'teams', router: withPlainWords(router), logger, referenceId, budgetMs: budget, limit: options.limit });

  function remember(activity: ActivityFields): void {
    const now = clock.now();
    try {
      const conversation = conversationOf(activity);
      if (conversation) references.saveConversation(conversation, now);
      for (const user of usersOf(activity)) references.saveUser(user, now);
    } catch (err) {
      // Remembering is for later messages; it must never cost the answer to this one.
      logger.warn('could not store a Teams conversation reference', { err: describeError(err) });
    }
  }

  /** Who is asking: their email from the store, else from Teams (GetConversationMember), within the budget. */
  async function actorFor(ctx: TurnContext, activity: ActivityFields): Promise<Actor> {
    const from = activity.from!;
    let upn = references.user({ id: from.id })?.upn;
    if (!upn) {
      const member = await session.within(
        TeamsInfo.getMember(ctx, from.id).catch((err: unknown) => {
          logger.debug('teams member lookup failed', { err: describeError(err) });
          return undefined;
        }),
        undefined,
      );
      const found = (member?.userPrincipalName ?? member?.email)?.trim().toLowerCase();
      if (member && found) {
        upn = found;
        references.saveUser(
          {
            userId: from.id,
            aadObjectId: member.aadObjectId ?? from.aadObjectId,
            upn,
            name: member.name ?? from.name,
            tenantId: activity.conversation?.tenantId,
            serviceUrl: activity.serviceUrl!,
          },
          clock.now(),
        );
      }
    }
    const person = upn ? catalog.personByEmail(upn) : undefined;
    return { id: from.id, name: person?.name ?? from.name, email: upn, person };
  }

  function reply(ctx: TurnContext, activity: OutgoingActivity): Promise<unknown> {
    return options.connection.deadline(ctx.sendActivity(activity as Partial<Activity>), 'an answer');
  }

  /** One plain line (never Markdown: it may hold a team or channel name). */
  async function say(ctx: TurnContext, line: string): Promise<void> {
    await reply(ctx, { type: 'message', text: line, textFormat: 'plain' });
  }

  /**
   * Speaking in the conversation of the turn. Teams has no ephemeral messages, so an answer is
   * sent where it was asked; in a 1:1 chat a shareable one carries the "Post to channel" choice.
   */
  function asker(ctx: TurnContext, activity: ActivityFields): Asker {
    const personal = conversationKind(activity) === 'personal';
    return {
      async answer(answer, share) {
        const footer = personal && share !== undefined ? shareFooter(share) : [];
        // The asker is not notified of their own question.
        const others = (person: PersonRef): TeamsAccount | undefined => {
          const account = mentionable(person);
          return account?.id === activity.from?.id ? undefined : account;
        };
        const card = renderAdaptiveCard(answer, { budgetBytes: options.connection.cardBudgetBytes, footer, mentionable: others });
        await reply(ctx, { type: 'message', summary: card.fallbackText, attachments: [cardAttachment(card)] });
      },
      say: (line) => say(ctx, line),
    };
  }

  /** A person's Teams account as Teams described it (stored from their own activities), if Steward has seen them. */
  function mentionable(person: PersonRef): TeamsAccount | undefined {
    const email = person.email?.trim().toLowerCase();
    const account = (person.teamsId ? references.user({ id: person.teamsId }) : undefined) ?? (email ? references.user({ upn: email }) : undefined);
    return account?.name ? { id: account.userId, name: account.name } : undefined;
  }

  /** The 1:1 footer: pick one of the channels Steward is in and post the answer there. */
  function shareFooter(text: string): CardElement[] {
    const value = text.trim();
    if (value === '' || value.length > 2000) return [];
    const channels = references.channels(CHANNEL_CHOICES).filter((c) => c.teamName || c.channelName);
    if (channels.length === 0) return [];
    return [
      {
        type: 'Input.ChoiceSet',
        id: CHANNEL_CHOICE,
        label: 'Post this answer to a channel',
        isRequired: true,
        errorMessage: 'Pick a channel',
        value: channels[0]!.conversationId,
        choices: channels.map((c) => ({ title: `${c.teamName ?? 'Team'} / ${c.channelName ?? 'General'}`, value: c.conversationId })),
        separator: true,
      },
      { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Post to channel', data: { steward: POST_TO_CHANNEL, value } }] },
    ];
  }

  function answer(ctx: TurnContext, activity: ActivityFields, text: string): Promise<void> {
    return session.answer({
      invocation: async () => invocationOf(activity, text || 'help', await actorFor(ctx, activity), clock.now()),
      to: asker(ctx, activity),
      fields: { user: activity.from?.id, conversation: activity.conversation?.id },
    });
  }

  async function onSubmit(ctx: TurnContext, activity: ActivityFields, s: Submitted): Promise<void> {
    if (s.id !== POST_TO_CHANNEL) {
      const clicked = session.click({
        id: s.id,
        value: s.value,
        invocation: async (text) => invocationOf(activity, text, await actorFor(ctx, activity), clock.now()),
        to: asker(ctx, activity),
        fields: { user: activity.from?.id, conversation: activity.conversation?.id },
      });
      if (clicked) return clicked;
      const text = submittedCommand(s);
      if (text) return answer(ctx, activity, text);
      logger.warn('teams submit with an unknown action ignored', { action: s.id });
      return;
    }
    const target = s.channel ? references.conversation(s.channel) : undefined;
    if (!target || target.kind !== 'channel') {
      await say(ctx, 'I can only post to a channel I am in; add Steward to that team first.');
      return;
    }
    await session.share({
      invocation: async () => invocationOf(activity, s.value, await actorFor(ctx, activity), clock.now()),
      to: asker(ctx, activity),
      sharer: (actor) => actor.name ?? 'someone',
      quote: (text) => `@Steward ${text}`,
      post: async (shared) => {
        await messenger.postToChannel(target.conversationId, shared);
        await say(ctx, `Posted in ${target.teamName ?? 'the team'} / ${target.channelName ?? 'General'}.`);
      },
      fields: { user: activity.from?.id, channel: target.conversationId },
    });
  }

  async function logic(ctx: TurnContext): Promise<void> {
    const activity = ctx.activity as unknown as ActivityFields;
    remember(activity);
    if (activity.type !== 'message' || !activity.from?.id) return;
    try {
      const s = submitted(activity);
      if (s) await onSubmit(ctx, activity, s);
      else await answer(ctx, activity, commandText(activity));
    } catch (err) {
      await session.apologise(asker(ctx, activity), err, { user: activity.from.id, conversation: activity.conversation?.id });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const done = (status: number, body?: unknown): void => {
      if (res.headersSent) return;
      if (body === undefined) res.writeHead(status).end();
      else res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return done(405);
    let activity: Activity;
    try {
      const parsed = JSON.parse(await readBody(req)) as unknown;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || typeof (parsed as { type?: unknown }).type !== 'string') return done(400);
      activity = parsed as Activity;
    } catch (err) {
      return done((err as { status?: number }).status ?? 400);
    }
    if (emulator && !isLoopback(activity.serviceUrl)) {
      logger.warn('teams activity refused: emulator mode (no MICROSOFT_APP_ID) only answers a serviceUrl on this machine', { serviceUrl: activity.serviceUrl });
      return done(401);
    }
    const authHeader = headerValue(req.headers.authorization);
    try {
      const invoke = await adapter.run(authHeader, activity, logic);
      return done(invoke?.status ?? 200, invoke?.body);
    } catch (err) {
      if ((err as { statusCode?: unknown }).statusCode === 401 || (err as Error).name === 'AuthenticationError') {
        logger.warn('teams request refused: not authenticated', { err: describeError(err) });
        return done(401);
      }
      logger.error('teams activity failed', { err: describeError(err) });
      return done(500);
    }
  }

  logger.info(emulator ? 'teams: local emulator mode (no MICROSOFT_APP_ID): JWTs are not checked' : 'teams: JWT validation on');

  return {
    mode: emulator ? 'emulator' : 'authenticated',
    handle: (req, res) => {
      void session.track(handle(req, res)).catch((err: unknown) => {
        logger.error('teams request failed', { err: describeError(err) });
        if (!res.headersSent) res.writeHead(500).end();
      });
    },
    messenger,
    idle: () => session.idle(),
    stop: () => session.drain(),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('activity too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const headerValue = (h: string | string[] | undefined): string => (Array.isArray(h) ? (h[0] ?? '') : (h ?? ''));

/** The Emulator and tests run on this machine; Teams' serviceUrl never does. */
function isLoopback(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

export type { ConversationReferences } from './messenger.js';
export { createTeamsMessenger } from './messenger.js';
export type { TeamsConnection, TeamsConnectionOptions } from './connection.js';
export { createTeamsConnection } from './connection.js';
export type { ConversationRecord, TeamsUserRecord } from './inbound.js';
