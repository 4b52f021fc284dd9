import type { Actor, Invocation } from '../../core/commands/index.js';
import { isRecord } from '../../core/is-record.js';

/**
 * Slack payloads → what core understands. Pure: no SDK runtime, no I/O, so every rule here is
 * tested with plain objects.
 */

/** The fields of a slash-command body this adapter reads (Slack sends more; see bolt's `SlashCommand`). */
export interface SlashCommandFields {
  readonly command: string;
  readonly text?: string | undefined;
  readonly user_id: string;
  readonly user_name?: string | undefined;
  readonly channel_id?: string | undefined;
  readonly team_id?: string | undefined;
}

/** The action id of the button that reposts a private answer in the channel. */
export const POST_TO_CHANNEL = 'post_to_channel';

/**
 * The command text as the person typed it. Slack escapes `&`, `<` and `>` in slash-command text
 * and, when a command escapes its arguments, wraps mentions and links in `<…>`; both are undone
 * so `who-owns a&b` reaches core as typed. Control characters become spaces.
 */
export function commandText(raw: string | undefined): string {
  return (raw ?? '')
    .replace(/<([@#!])[^|<>]*\|([^<>]*)>/g, (_m, sigil: string, label: string) => (sigil === '!' ? label : `${sigil === '@' ? '@' : '#'}${label}`))
    .replace(/<((?:https?|mailto):[^|<>]*)(?:\|[^<>]*)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
}

export function commandInvocation(command: SlashCommandFields, actor: Actor, receivedAt: Date): Invocation {
  return {
    platform: 'slack',
    actor,
    channel: command.channel_id || undefined,
    text: commandText(command.text),
    receivedAt,
  };
}

/**
 * The "Post to channel" button carries the command text, and a click runs the command again.
 * Why re-run instead of storing the rendered answer: the button value is limited to 2,000
 * characters (a rendered answer is often longer), a server-side copy would be lost on restart and
 * not shared between replicas, and re-running costs one catalog read. The value is signed by
 * Slack as part of the interaction payload, so it is as trustworthy as the command itself; it is
 * still only ever treated as command text for the clicking user.
 */
export function shareValue(text: string): string | undefined {
  const value = text.trim();
  return value !== '' && value.length <= 2000 ? value : undefined;
}

export interface ShareRequest {
  readonly text: string;
  readonly userId: string;
  readonly userName: string | undefined;
  readonly channelId: string | undefined;
}

/** A click on the "Post to channel" button, or undefined for any other interaction. */
export function shareRequest(body: unknown): ShareRequest | undefined {
  if (!isRecord(body) || body['type'] !== 'block_actions') return undefined;
  const actions = body['actions'];
  const action = Array.isArray(actions) ? (actions[0] as unknown) : undefined;
  if (!isRecord(action) || action['action_id'] !== POST_TO_CHANNEL || typeof action['value'] !== 'string') return undefined;
  const user = body['user'];
  if (!isRecord(user) || typeof user['id'] !== 'string') return undefined;
  const text = commandText(action['value']);
  if (text === '') return undefined;
  const channel = body['channel'];
  const container = body['container'];
  const channelId =
    (isRecord(channel) && typeof channel['id'] === 'string' && channel['id']) ||
    (isRecord(container) && typeof container['channel_id'] === 'string' && container['channel_id']) ||
    undefined;
  const name = user['name'] ?? user['username'];
  return { text, userId: user['id'], userName: typeof name === 'string' ? name : undefined, channelId };
}

/** The actor as Slack and the catalog know them together. */
export function slackActor(
  userId: string,
  profile: { readonly email?: string | undefined; readonly name?: string | undefined },
  person: Actor['person'],
  fallbackName?: string,
): Actor {
  return { id: userId, name: person?.name ?? profile.name ?? fallbackName, email: profile.email, person };
}

