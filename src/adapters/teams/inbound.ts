import type { Actor, Invocation } from '../../core/commands/index.js';
import { isRecord } from '../../core/is-record.js';

/**
 * Bot Framework activities → what core understands, and what Steward remembers about where it
 * can speak. Pure: plain objects in, plain objects out (the SDK is used for types only, and not
 * even that: the fields read here are the wire protocol, the same for botbuilder's successors).
 */

/** The fields of an activity this adapter reads (contracts.md §5.1). */
export interface ActivityFields {
  readonly type?: string | undefined;
  readonly id?: string | undefined;
  readonly text?: string | undefined;
  readonly value?: unknown;
  readonly serviceUrl?: string | undefined;
  readonly channelId?: string | undefined;
  readonly locale?: string | undefined;
  readonly from?: ChannelAccountFields | undefined;
  readonly recipient?: ChannelAccountFields | undefined;
  readonly conversation?: {
    readonly id: string;
    readonly conversationType?: string | undefined;
    readonly tenantId?: string | undefined;
    readonly isGroup?: boolean | undefined;
    readonly name?: string | undefined;
  } | undefined;
  readonly entities?: ReadonlyArray<Record<string, unknown>> | undefined;
  readonly channelData?: unknown;
  readonly membersAdded?: readonly ChannelAccountFields[] | undefined;
}

export interface ChannelAccountFields {
  readonly id: string;
  readonly name?: string | undefined;
  readonly aadObjectId?: string | undefined;
  readonly userPrincipalName?: string | undefined;
  readonly email?: string | undefined;
}

/** The submit id of the "Post to channel" choice on a 1:1 answer. */
export const POST_TO_CHANNEL = 'post_to_channel';
/** The Input.ChoiceSet id that carries the chosen channel's conversation id. */
export const CHANNEL_CHOICE = 'stewardChannel';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/**
 * What Steward keeps to speak somewhere later (Teams can only message proactively where it has
 * a conversation reference). `reference` is botbuilder's `ConversationReference`, stored as-is.
 */
export interface ConversationRecord {
  readonly conversationId: string;
  readonly kind: ConversationKind;
  readonly tenantId: string | undefined;
  readonly serviceUrl: string;
  /** Personal chats: whose chat this is (Teams user id `29:…`). */
  readonly userId: string | undefined;
  /** Channels: the team and channel as Teams names them, for `steward.dev/teams-channel: "Team / Channel"`. */
  readonly teamId: string | undefined;
  readonly teamName: string | undefined;
  readonly channelId: string | undefined;
  readonly channelName: string | undefined;
  readonly reference: TeamsReference;
}

/** A Teams account as seen in activities: the bridge from a catalog email to a Teams user id. */
export interface TeamsUserRecord {
  readonly userId: string;
  readonly aadObjectId: string | undefined;
  /** Lower-cased UPN or email, when the activity carried one. */
  readonly upn: string | undefined;
  readonly name: string | undefined;
  readonly tenantId: string | undefined;
  readonly serviceUrl: string;
}

/** botbuilder's ConversationReference, the fields that matter for sending. */
export interface TeamsReference {
  readonly activityId?: string | undefined;
  readonly user?: { readonly id: string; readonly name?: string | undefined; readonly aadObjectId?: string | undefined } | undefined;
  readonly bot: { readonly id: string; readonly name?: string | undefined };
  readonly conversation: { readonly id: string; readonly conversationType?: string | undefined; readonly tenantId?: string | undefined; readonly isGroup?: boolean | undefined };
  readonly channelId: string;
  readonly locale?: string | undefined;
  readonly serviceUrl: string;
}

/**
 * The command text of a message: the bot's own `<at>…</at>` mention removed (channels and group
 * chats must mention the bot; a 1:1 chat sends the bare subcommand), Teams' HTML entities
 * decoded, an optional leading `/service` dropped (the shell grammar works too), control
 * characters turned into spaces.
 */
export function commandText(activity: ActivityFields): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  for (const e of activity.entities ?? []) {
    const mentioned = e['mentioned'] as { id?: unknown } | undefined;
    if (e['type'] === 'mention' && typeof e['text'] === 'string' && mentioned?.id === botId) text = text.split(e['text']).join(' ');
  }
  // A mention without an entity (some clients, the Emulator) still addresses the bot.
  text = text.replace(/^\s*<at>[^<]*<\/at>/i, ' ');
  return decodeEntities(text.replace(/<\/?(?:p|div|span|br)\b[^>]*>/gi, ' '))
    .replace(/[\u0000-\u001f\u007f\u00a0]+/g, ' ')
    .replace(/^\s*\/service\b/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function decodeEntities(s: string): string {
  return s
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export function conversationKind(activity: ActivityFields): ConversationKind {
  const t = activity.conversation?.conversationType;
  if (t === 'channel' || t === 'groupChat' || t === 'personal') return t;
  return activity.conversation?.isGroup ? 'groupChat' : 'personal';
}

export function invocationOf(activity: ActivityFields, text: string, actor: Actor, receivedAt: Date): Invocation {
  // Teams has no private answers: in a channel or a group chat everyone reads the reply.
  const audience = conversationKind(activity) === 'personal' ? 'caller' : 'conversation';
  return { platform: 'teams', actor, channel: activity.conversation?.id, text, receivedAt, audience };
}

/** A click on an `Action.Submit` button Steward rendered, or undefined for any other message. */
export interface Submitted {
  readonly id: string;
  readonly value: string;
  /** The conversation id picked in the "Post to channel" choice, when there was one. */
  readonly channel: string | undefined;
}

export function submitted(activity: ActivityFields): Submitted | undefined {
  const v = activity.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const data = v as Record<string, unknown>;
  if (typeof data['steward'] !== 'string' || typeof data['value'] !== 'string') return undefined;
  const channel = data[CHANNEL_CHOICE];
  return { id: data['steward'], value: data['value'], channel: typeof channel === 'string' && channel !== '' ? channel : undefined };
}

/**
 * A submitted button as command text: `post_to_channel` is handled by the adapter; any other id
 * that looks like a subcommand runs `<id> <value>` as the person who clicked. Steward's own
 * buttons are command buttons (`core/message/command-button.ts`, read by the answer session
 * first); this form stays for cards already sent. Anything else is undefined.
 */
export function submittedCommand(s: Submitted): string | undefined {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(s.id)) return undefined;
  return `${s.id} ${s.value}`.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** What to remember from an activity: the conversation, and the person who spoke or was added. */
export function conversationOf(activity: ActivityFields): ConversationRecord | undefined {
  const conv = activity.conversation;
  const bot = activity.recipient;
  if (!conv?.id || !bot?.id || !activity.serviceUrl) return undefined;
  const kind = conversationKind(activity);
  const cd = isRecord(activity.channelData) ? activity.channelData : {};
  const team = isRecord(cd['team']) ? cd['team'] : {};
  const channel = isRecord(cd['channel']) ? cd['channel'] : {};
  const tenant = isRecord(cd['tenant']) ? cd['tenant'] : {};
  const tenantId = conv.tenantId ?? str(tenant['id']);
  const user = activity.from && kind === 'personal' && activity.from.id !== bot.id ? activity.from : undefined;
  // A channel's conversation id in a message carries `;messageid=…` (the thread); the channel itself is the part before it.
  const conversationId = kind === 'channel' ? conv.id.split(';')[0]! : conv.id;
  const personalUser = kind === 'personal' ? (user ?? activity.membersAdded?.find((m) => m.id !== bot.id)) : undefined;
  return {
    conversationId,
    kind,
    tenantId,
    serviceUrl: activity.serviceUrl,
    userId: personalUser?.id,
    teamId: str(team['id']),
    teamName: str(team['name']),
    channelId: str(channel['id']),
    // Teams leaves the General channel unnamed; its channel id is the team id.
    channelName: str(channel['name']) ?? (kind === 'channel' && str(team['id']) !== undefined && str(channel['id']) === str(team['id']) ? 'General' : undefined),
    reference: {
      bot: { id: bot.id, ...(bot.name ? { name: bot.name } : {}) },
      conversation: { id: conversationId, ...(conv.conversationType ? { conversationType: conv.conversationType } : {}), ...(tenantId ? { tenantId } : {}), ...(conv.isGroup !== undefined ? { isGroup: conv.isGroup } : {}) },
      channelId: activity.channelId ?? 'msteams',
      serviceUrl: activity.serviceUrl,
      ...(personalUser ? { user: { id: personalUser.id, ...(personalUser.name ? { name: personalUser.name } : {}) } } : {}),
      ...(activity.locale ? { locale: activity.locale } : {}),
    },
  };
}

/** The Teams accounts an activity shows: who spoke, and whoever was added. Bots are left out. */
export function usersOf(activity: ActivityFields): TeamsUserRecord[] {
  const botId = activity.recipient?.id;
  if (!activity.serviceUrl) return [];
  const cd = isRecord(activity.channelData) ? activity.channelData : {};
  const tenant = isRecord(cd['tenant']) ? cd['tenant'] : {};
  const tenantId = activity.conversation?.tenantId ?? str(tenant['id']);
  const accounts = [...(activity.type === 'message' && activity.from ? [activity.from] : []), ...(activity.membersAdded ?? [])];
  return accounts
    .filter((a) => a.id && a.id !== botId && !a.id.startsWith('28:'))
    .map((a) => ({
      userId: a.id,
      aadObjectId: a.aadObjectId,
      upn: (a.userPrincipalName ?? a.email)?.trim().toLowerCase() || undefined,
      name: a.name,
      tenantId,
      serviceUrl: activity.serviceUrl!,
    }));
}

/**
 * A catalog channel (`steward.dev/teams-channel`) as a lookup: a Teams channel link
 * (`https://teams.microsoft.com/l/channel/19%3A…%40thread.tacv2/General?groupId=…`) names the
 * conversation id; `Team / Channel` names the team and channel as Teams shows them; a bare
 * `19:…` is the conversation id itself.
 */
export type ChannelTarget =
  | { readonly by: 'id'; readonly conversationId: string }
  | { readonly by: 'name'; readonly team: string; readonly channel: string };

export function channelTarget(raw: string): ChannelTarget | undefined {
  const v = raw.trim();
  if (v === '') return undefined;
  if (/^19:/.test(v)) return { by: 'id', conversationId: v.split(';')[0]! };
  const link = /^https:\/\/teams\.microsoft\.com\/l\/channel\/([^/?#]+)/i.exec(v);
  if (link) {
    try {
      return { by: 'id', conversationId: decodeURIComponent(link[1]!) };
    } catch {
      return undefined;
    }
  }
  const slash = v.indexOf('/');
  if (slash <= 0) return undefined;
  const team = v.slice(0, slash).trim();
  const channel = v.slice(slash + 1).trim();
  return team && channel ? { by: 'name', team, channel } : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
