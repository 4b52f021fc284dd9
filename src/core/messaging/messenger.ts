import type { Platform } from '../message/index.js';
import { BotError } from '../errors.js';
import type { PersonRef, Reply } from '../message/index.js';

/**
 * How jobs (the weekly leaderboard, owner nudges) speak on a chat platform. One per adapter;
 * commands never use it (they return a Reply). Rate limits and retries are the caller's business:
 * a messenger makes one attempt and says how it failed, so the delivery ledger can decide.
 */
export interface Messenger {
  readonly platform: Platform;
  /** Posts to a channel named by the catalog or the config (Slack `C…`/`#name`, a Teams channel). */
  postToChannel(channel: string, reply: Reply): Promise<SentMessage>;
  /** A direct message; the person needs a chat identity or an email the platform knows. */
  sendDirect(person: PersonRef, reply: Reply): Promise<SentMessage>;
}

export interface SentMessage {
  /** Where it landed (channel or conversation id) and the platform's id of the message. */
  readonly channel: string;
  readonly id: string;
}

/**
 * A failed delivery, classified: `retry` (rate limited, 5xx, network) with an optional wait the
 * platform asked for, or `permanent` (`channel_not_found`, `not_in_channel`, `user_not_found`, no
 * stored conversation reference), which is recorded and reported, never retried forever.
 */
export class DeliveryError extends BotError {
  readonly permanent: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: { permanent: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(code, message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.permanent = options.permanent;
    this.retryAfterMs = options.retryAfterMs;
  }
}
