import { webApi } from '@slack/bolt';
import type { Messenger, SentMessage } from '../../core/messaging/index.js';
import { DeliveryError } from '../../core/messaging/index.js';
import type { PersonRef, Reply } from '../../core/message/index.js';
import type { IdentityStore, PersonDirectory } from '../../core/people/index.js';
import type { Clock } from '../../core/ports.js';
import { renderBlockKit, slackChannelId } from './render-block-kit.js';
import { createSlackUserSource } from './slack-user-source.js';

/**
 * Messages Steward starts itself, through the Web API: `chat.postMessage`, and
 * `conversations.open` for a DM. It implements core's `Messenger` port: one attempt, and a
 * failure is a `DeliveryError` that says whether to retry (429 with its `Retry-After`, 5xx,
 * network) or not (`channel_not_found`, `not_in_channel`, `user_not_found`, …), so the delivery
 * ledger decides, not the WebClient.
 */
export type SlackMessenger = Messenger & { readonly platform: 'slack' };

/** Slack errors that no retry will fix: recorded and reported. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'users_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'messages_tab_disabled',
  'restricted_action',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
]);

/**
 * Where a user id comes from when the person has none in the catalog: the identity cache, else
 * `users.lookupByEmail`; `undefined` means Slack has no such user.
 */
type UserIdLookup = (email: string) => Promise<string | undefined>;

function createMessenger(client: webApi.WebClient, userIdFor: UserIdLookup): SlackMessenger {
  async function post(channel: string, reply: Reply): Promise<SentMessage> {
    const message = renderBlockKit(reply);
    try {
      const res = await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        // Catalog text is data: no unfurled previews of its links, no `@here` turned into a mention.
        unfurl_links: false,
        unfurl_media: false,
        link_names: false,
      });
      return { channel: res.channel ?? channel, id: res.ts ?? '' };
    } catch (err) {
      throw classify(err, `chat.postMessage to ${channel}`);
    }
  }

  return {
    platform: 'slack',
    // Catalog channels may be archives links; chat.postMessage wants the id (or a #name).
    postToChannel: (channel, reply) => post(slackChannelId(channel) ?? channel.trim(), reply),
    async sendDirect(person, reply) {
      const userId = await resolveUser(person, userIdFor);
      let channel: string | undefined;
      try {
        channel = (await client.conversations.open({ users: userId })).channel?.id;
      } catch (err) {
        throw classify(err, `conversations.open for ${userId}`);
      }
      if (!channel) throw new DeliveryError('slack_dm_failed', `conversations.open gave no channel for ${userId}`, { permanent: false });
      return post(channel, reply);
    },
  };
}

async function resolveUser(person: PersonRef, userIdFor: UserIdLookup): Promise<string> {
  if (person.slackId) return person.slackId;
  if (!person.email) throw new DeliveryError('user_not_found', `${person.name} has no Slack id or email in the catalog`, { permanent: true });
  let id: string | undefined;
  try {
    id = await userIdFor(person.email);
  } catch (err) {
    throw classify(err, `users.lookupByEmail for ${person.name}`);
  }
  if (!id) throw new DeliveryError('user_not_found', `no Slack account has the email of ${person.name}`, { permanent: true });
  return id;
}

/** A Web API failure as the delivery ledger needs it. */
export function classify(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = (err ?? {}) as { code?: unknown; data?: { error?: unknown }; retryAfter?: unknown; statusCode?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (e.code === webApi.ErrorCode.RateLimitedError) {
    const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : 30;
    return new DeliveryError('rate_limited', `${what}: Slack asked to wait ${seconds} s`, { permanent: false, retryAfterMs: seconds * 1000, cause: err });
  }
  if (e.code === webApi.ErrorCode.PlatformError && typeof e.data?.error === 'string') {
    const code = e.data.error;
    return new DeliveryError(code, `${what}: ${code}`, { permanent: PERMANENT.has(code), cause: err });
  }
  if (e.code === webApi.ErrorCode.HTTPError && typeof e.statusCode === 'number') {
    return new DeliveryError(`http_${e.statusCode}`, `${what}: HTTP ${e.statusCode}`, { permanent: e.statusCode < 500 && e.statusCode !== 408, cause: err });
  }
  return new DeliveryError('unreachable', `${what}: ${message}`, { permanent: false, cause: err });
}

/**
 * The messenger of the chat adapter ("Post to channel" when `response_url` has expired). Its
 * client is Bolt's, which retries on its own; that suits an answer a person is waiting for.
 */
export function createSlackMessenger(client: webApi.WebClient, directory: PersonDirectory): SlackMessenger {
  return createMessenger(client, (email) => directory.userIdForEmail(email));
}

export interface SlackJobMessengerOptions {
  readonly botToken: string;
  /** Web API base URL, ending in `/`. */
  readonly apiUrl: string;
  readonly fetch?: typeof fetch | undefined;
  /** The identity cache the chat adapter fills; emails found here are not asked again. */
  readonly identities?: IdentityStore | undefined;
  readonly clock: Clock;
  /** Per call; default 10 s. */
  readonly timeoutMs?: number | undefined;
}

/**
 * The messenger of the jobs (leaderboard, nudges): a WebClient of its own that never retries and
 * rejects rate-limited calls, so one call is one attempt and the ledger decides what happens next.
 */
export function createSlackJobMessenger(options: SlackJobMessengerOptions): SlackMessenger {
  const timeout = options.timeoutMs ?? 10_000;
  const base = options.fetch ?? globalThis.fetch;
  const client = new webApi.WebClient(options.botToken, {
    slackApiUrl: options.apiUrl,
    fetch: (input, init) => base(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeout) }),
    timeout,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
  });
  const source = createSlackUserSource(client);
  const { identities, clock } = options;
  return createMessenger(client, async (email) => {
    const key = email.toLowerCase();
    const cached = identities?.userIdByEmail('slack', key);
    if (cached?.value) return cached.value;
    const profile = await source.userByEmail(key);
    if (profile) identities?.saveProfile('slack', { ...profile, email: profile.email ?? key }, clock.now());
    return profile?.userId;
  });
}
