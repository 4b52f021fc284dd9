import type { Messenger, SentMessage } from '../../core/messaging/index.js';
import { DeliveryError } from '../../core/messaging/index.js';
import type { PersonRef, Reply } from '../../core/message/index.js';
import type { ConversationRecord, TeamsReference, TeamsUserRecord } from './inbound.js';
import { channelTarget } from './inbound.js';
import type { AdaptiveCard } from './render-adaptive-card.js';
import { cardAttachment, renderAdaptiveCard } from './render-adaptive-card.js';

/**
 * Where Teams can be spoken to, remembered from earlier activities (SQLite in production:
 * `src/infra/sqlite/conversation-store.ts`, migration 0007). Teams offers no "message this email"
 * call: a proactive message needs a stored conversation reference.
 */
export interface ConversationReferences {
  saveConversation(record: ConversationRecord, at: Date): void;
  saveUser(user: TeamsUserRecord, at: Date): void;
  conversation(conversationId: string): ConversationRecord | undefined;
  /** The 1:1 chat with a person, by Teams user id (`29:…`) or AAD object id. */
  personalChat(userIdOrAadObjectId: string): ConversationRecord | undefined;
  /** A Teams account by UPN or email (lower case), by Teams user id or by AAD object id. */
  user(key: { readonly upn?: string; readonly id?: string }): TeamsUserRecord | undefined;
  /** A channel by team and channel name, case-insensitively. */
  channelByName(team: string, channel: string): ConversationRecord | undefined;
  /** Channels Steward is in, most recently seen first. */
  channels(limit: number): ConversationRecord[];
}

/** One outgoing activity to a stored reference; the wiring does it with botbuilder. */
export type SendActivity = (reference: TeamsReference, activity: OutgoingActivity) => Promise<{ readonly id: string }>;

/** Opens a 1:1 chat with a Teams user the bot shares a team with (Connector CreateConversation). */
export type OpenPersonalChat = (user: TeamsUserRecord, botId: string) => Promise<TeamsReference>;

/**
 * A card and no Markdown beside it: Teams shows an activity's `text` above its card (every answer
 * twice) and reads it as Markdown (catalog text would become links). Where a text is needed (a
 * plain line, the apology) it is sent with `textFormat: 'plain'`; `summary` is the plain line
 * a notification shows for a card.
 */
export type OutgoingActivity =
  | {
      readonly type: 'message';
      readonly summary: string;
      readonly attachments: ReadonlyArray<{ readonly contentType: string; readonly content: AdaptiveCard }>;
    }
  | { readonly type: 'message'; readonly text: string; readonly textFormat: 'plain' };

export interface TeamsMessengerOptions {
  readonly references: ConversationReferences;
  readonly send: SendActivity;
  /** When set, a person seen in a channel but never in a 1:1 gets a new 1:1 chat. */
  readonly openPersonalChat?: OpenPersonalChat | undefined;
  readonly cardBudgetBytes?: number | undefined;
  readonly clock: { now(): Date };
}

export function teamsActivity(reply: Reply, cardBudgetBytes?: number): OutgoingActivity {
  const card = renderAdaptiveCard(reply, { budgetBytes: cardBudgetBytes });
  return { type: 'message', summary: card.fallbackText, attachments: [cardAttachment(card)] };
}

/**
 * The core `Messenger` for Teams: the leaderboard and the nudges go through the same port and
 * delivery ledger as Slack. One attempt per call; failures are classified for the ledger:
 * no stored reference, 403/404 (blocked, uninstalled, conversation gone), 400/413 → permanent;
 * 429, 412 and 5xx → retry, with the connector's `Retry-After` when it sent one.
 */
export function createTeamsMessenger(options: TeamsMessengerOptions): Messenger {
  const { references, send, clock } = options;

  async function deliver(record: ConversationRecord | TeamsReference, reply: Reply, where: string): Promise<SentMessage> {
    const reference = 'reference' in record ? record.reference : record;
    try {
      const sent = await send(reference, teamsActivity(reply, options.cardBudgetBytes));
      return { channel: reference.conversation.id, id: sent.id };
    } catch (err) {
      throw classify(err, where);
    }
  }

  async function personal(person: PersonRef): Promise<ConversationRecord | TeamsReference> {
    const email = person.email?.trim().toLowerCase();
    const account = (person.teamsId ? references.user({ id: person.teamsId }) : undefined) ?? (email ? references.user({ upn: email }) : undefined);
    const chat =
      (person.teamsId ? references.personalChat(person.teamsId) : undefined) ??
      (account ? references.personalChat(account.userId) ?? (account.aadObjectId ? references.personalChat(account.aadObjectId) : undefined) : undefined);
    if (chat) return chat;
    if (account && options.openPersonalChat) {
      // The bot shares a team with them: a 1:1 can be created (Teams bots may not DM by email).
      const bot = references.channels(1)[0]?.reference.bot.id;
      if (bot) {
        try {
          const reference = await options.openPersonalChat(account, bot);
          references.saveConversation(
            {
              conversationId: reference.conversation.id,
              kind: 'personal',
              tenantId: account.tenantId,
              serviceUrl: reference.serviceUrl,
              userId: account.userId,
              teamId: undefined,
              teamName: undefined,
              channelId: undefined,
              channelName: undefined,
              reference,
            },
            clock.now(),
          );
          return reference;
        } catch (err) {
          throw classify(err, `a new 1:1 chat with ${person.name}`);
        }
      }
    }
    throw new DeliveryError(
      'teams_no_conversation',
      `no Teams conversation stored for ${person.name}${email ? ` (${email})` : ''}: they need to install Steward or message it once`,
      { permanent: true },
    );
  }

  return {
    platform: 'teams',
    async postToChannel(channel, reply) {
      const target = channelTarget(channel);
      if (!target) throw new DeliveryError('teams_channel_invalid', `"${channel}" is not a Teams channel (use "Team / Channel" or a channel link)`, { permanent: true });
      const record = target.by === 'id' ? references.conversation(target.conversationId) : references.channelByName(target.team, target.channel);
      if (!record) {
        throw new DeliveryError('teams_no_conversation', `Steward has not seen the Teams channel "${channel}": add the app to that team (or mention it there once)`, {
          permanent: true,
        });
      }
      return deliver(record, reply, `channel ${channel}`);
    },
    async sendDirect(person, reply) {
      return deliver(await personal(person), reply, `${person.name}`);
    },
  };
}

/** A connector failure as the delivery ledger needs it. */
export function classify(err: unknown, where: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const status = statusOf(err);
  const message = `Teams refused the message to ${where}${status ? ` (HTTP ${status})` : ''}: ${(err as Error)?.message ?? String(err)}`;
  if (status === 429 || status === 412 || (status !== undefined && status >= 500) || status === undefined) {
    const retryAfterMs = retryAfterOf(err);
    return new DeliveryError(status === 429 ? 'teams_throttled' : 'teams_unavailable', message, {
      permanent: false,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: err,
    });
  }
  return new DeliveryError(status === 413 ? 'teams_message_too_big' : status === 403 ? 'teams_blocked' : status === 404 ? 'teams_conversation_gone' : 'teams_refused', message, {
    permanent: true,
    cause: err,
  });
}

function statusOf(err: unknown): number | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  const s = e.statusCode ?? e.status ?? e.response?.status;
  return typeof s === 'number' ? s : undefined;
}

function retryAfterOf(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?: (n: string) => unknown } } })?.response?.headers;
  const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}
