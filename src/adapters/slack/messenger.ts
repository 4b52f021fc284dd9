import type { webApi } from '@slack/bolt';
import { BotError } from '../../core/errors.js';
import type { PersonRef, Reply } from '../../core/message/index.js';
import type { PersonDirectory } from '../../core/people/index.js';
import { renderBlockKit } from './render-block-kit.js';

/**
 * Messages Steward starts itself (the "Post to channel" fallback today; leaderboards and nudges
 * later), sent through the Web API: `chat.postMessage`, and `conversations.open` for a DM.
 * Rate limits are the WebClient's business: it waits for `Retry-After` and retries.
 */
export interface SlackMessenger {
  readonly platform: 'slack';
  postToChannel(channel: string, reply: Reply): Promise<SentMessage>;
  /** A direct message; the person needs a Slack id or an email Slack knows. */
  sendDirect(person: PersonRef, reply: Reply): Promise<SentMessage>;
}

export interface SentMessage {
  readonly channel: string;
  readonly ts: string;
}

export function createSlackMessenger(client: webApi.WebClient, directory: PersonDirectory): SlackMessenger {
  async function post(channel: string, reply: Reply): Promise<SentMessage> {
    const message = renderBlockKit(reply);
    const res = await client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      // Catalog text is data: no unfurled previews of its links, no `@here` turned into a mention.
      unfurl_links: false,
      unfurl_media: false,
      link_names: false,
    });
    return { channel: res.channel ?? channel, ts: res.ts ?? '' };
  }

  return {
    platform: 'slack',
    postToChannel: post,
    async sendDirect(person, reply) {
      const userId = person.slackId ?? (person.email ? await directory.userIdForEmail(person.email) : undefined);
      if (!userId) throw new BotError('slack_user_unknown', `no Slack account found for ${person.name}`);
      const opened = await client.conversations.open({ users: userId });
      const channel = opened.channel?.id;
      if (!channel) throw new BotError('slack_dm_failed', `conversations.open gave no channel for ${userId}`);
      return post(channel, reply);
    },
  };
}
