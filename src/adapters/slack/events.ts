import type { App, webApi } from '@slack/bolt';
import type { Actor, AnswerSession, Asker } from '../../core/commands/index.js';
import { describeError } from '../../core/commands/index.js';
import { isRecord } from '../../core/is-record.js';
import type { Reply } from '../../core/message/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import { commandText } from './inbound.js';
import { renderBlockKit } from './render-block-kit.js';
import type { SeenRequests } from './seen-requests.js';

/**
 * The Events API: where the conversation is. An `@Steward …` mention in a channel or thread is
 * answered in the thread (the mention's own thread, else a new one under it), visible to everyone
 * there, since a thread is where an incident is worked; a direct message is answered in the DM.
 * Both read plain words ("who owns ledger-api?") through the session they are given. HTTP and
 * Socket Mode deliver to the same listeners.
 *
 * Ignored: bots (Steward itself included), edits, deletions and every other message subtype, DMs'
 * siblings from channels (only `channel_type: im` is a direct message), and a second delivery of
 * an `event_id` (Slack retries when an ack is late; Socket Mode too, past the HTTP gate).
 */
export interface ConversationOptions {
  readonly app: App;
  readonly client: webApi.WebClient;
  /** The bot's own user id (`auth.test`): its messages and its mention in the text are not the question. */
  readonly botUserId: string | undefined;
  /** Runs a question with plain words; answers for mentions and DMs are counted in flight there. */
  readonly session: AnswerSession;
  readonly actorFor: (userId: string) => Promise<Actor>;
  readonly seen: SeenRequests;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** A message Steward should answer: who wrote what, and where the answer goes. */
export interface Conversation {
  readonly kind: 'mention' | 'dm';
  readonly userId: string;
  readonly channel: string;
  /** The thread to answer in; undefined for a DM written outside a thread. */
  readonly threadTs: string | undefined;
  /** The text as typed, Slack's escapes undone, the bot's own mention removed. */
  readonly text: string;
}

/**
 * An `app_mention` or `message` event → the conversation to answer, or the reason it is ignored.
 * Pure, so every rule is tested with plain objects.
 */
export function readConversation(event: unknown, botUserId: string | undefined): Conversation | { ignored: string } {
  if (!isRecord(event)) return { ignored: 'not an event' };
  const type = event['type'];
  if (type !== 'app_mention' && type !== 'message') return { ignored: `event ${String(type)}` };
  if (typeof event['subtype'] === 'string') return { ignored: `subtype ${event['subtype']}` };
  if (event['bot_id'] !== undefined || event['bot_profile'] !== undefined) return { ignored: 'from a bot' };
  const user = event['user'];
  const channel = event['channel'];
  const ts = event['ts'];
  if (typeof user !== 'string' || typeof channel !== 'string' || typeof ts !== 'string') return { ignored: 'no user, channel or ts' };
  if (user === botUserId) return { ignored: 'from Steward itself' };
  if (type === 'message' && event['channel_type'] !== 'im') return { ignored: `message in a ${String(event['channel_type'])}` };
  const thread = typeof event['thread_ts'] === 'string' ? event['thread_ts'] : undefined;
  const raw = typeof event['text'] === 'string' ? event['text'] : '';
  const own = botUserId ? new RegExp(`<@${botUserId}(?:\\|[^<>]*)?>`, 'g') : undefined;
  const text = commandText(own ? raw.replace(own, ' ') : raw).replace(/\s{2,}/g, ' ');
  return type === 'app_mention'
    ? { kind: 'mention', userId: user, channel, threadTs: thread ?? ts, text }
    : { kind: 'dm', userId: user, channel, threadTs: thread, text };
}

const eventIdOf = (body: unknown): string | undefined => (isRecord(body) && typeof body['event_id'] === 'string' ? body['event_id'] : undefined);

export function listenToConversations(options: ConversationOptions): void {
  const { app, client, session, logger, seen } = options;

  async function post(to: Conversation, message: { text: string; blocks?: ReturnType<typeof renderBlockKit>['blocks'] }): Promise<void> {
    await client.chat.postMessage({
      channel: to.channel,
      ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      // Catalog text is data: no unfurled previews of its links, no `@here` turned into a mention.
      unfurl_links: false,
      unfurl_media: false,
      link_names: false,
    });
  }

  /** Where the question was asked is where the answer goes: one message, visible there. */
  const inPlace = (to: Conversation): Asker => ({
    answer: (reply: Reply) => post(to, renderBlockKit(reply)),
    say: (line) => post(to, { text: line }),
  });

  const onMessage = async ({ event, body }: { event: unknown; body: unknown }): Promise<void> => {
    const read = readConversation(event, options.botUserId);
    if ('ignored' in read) {
      logger.debug('slack event ignored', { why: read.ignored });
      return;
    }
    // The HTTP gate already drops a retried event_id; Socket Mode re-delivers past it.
    const id = eventIdOf(body);
    if (id && !seen.claim(`conversation:${id}`)) {
      logger.info('duplicate slack event not run again', { eventId: id });
      return;
    }
    const receivedAt = options.clock.now();
    await session.answer({
      invocation: async () => ({
        platform: 'slack',
        actor: await options.actorFor(read.userId),
        channel: read.channel,
        text: read.text,
        receivedAt,
        id,
        // A mention is answered in its thread, for everyone there; a direct message for the caller.
        audience: read.kind === 'mention' ? 'conversation' : 'caller',
      }),
      to: inPlace(read),
      fields: { user: read.userId, channel: read.channel, event: read.kind, ...(read.threadTs ? { thread: read.threadTs } : {}) },
      shareable: false,
    });
  };

  app.event('app_mention', async (args) => {
    await onMessage({ event: args.event, body: args.body }).catch((err: unknown) => logger.error('slack mention failed', { err: describeError(err) }));
  });
  app.event('message', async (args) => {
    await onMessage({ event: args.event, body: args.body }).catch((err: unknown) => logger.error('slack message failed', { err: describeError(err) }));
  });
}
