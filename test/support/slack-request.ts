import { createHmac } from 'node:crypto';

/**
 * Requests as Slack sends them to `/slack/events`: form bodies with the exact content type Bolt
 * expects, `payload=` for interactions, JSON for the Events API, each signed per "Verifying
 * requests from Slack" (`v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`).
 */
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const FORM = 'application/x-www-form-urlencoded';

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackPost {
  readonly body: string;
  readonly contentType?: string;
  /** Unix seconds; default now by `clock`. */
  readonly timestamp?: number;
  readonly secret?: string;
  /** Overrides the computed signature; `null` sends none. */
  readonly signature?: string | null;
  readonly headers?: Record<string, string>;
}

export interface SlackAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON, when it is JSON. */
  readonly json: Record<string, unknown> | undefined;
}

/** POSTs a (signed) body to `/slack/events` and reads the whole answer. */
export async function postToSlackEvents(serverUrl: string, post: SlackPost, now: () => Date): Promise<SlackAnswer> {
  const timestamp = post.timestamp ?? Math.floor(now().getTime() / 1000);
  const signature = post.signature === undefined ? sign(post.secret ?? SIGNING_SECRET, timestamp, post.body) : post.signature;
  const headers: Record<string, string> = {
    'content-type': post.contentType ?? FORM,
    'x-slack-request-timestamp': String(timestamp),
    ...(signature === null ? {} : { 'x-slack-signature': signature }),
    ...post.headers,
  };
  const res = await fetch(`${serverUrl}/slack/events`, { method: 'POST', headers, body: post.body });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export interface CommandFields {
  readonly text: string;
  readonly userId?: string;
  readonly userName?: string;
  readonly channelId?: string;
  readonly command?: string;
  readonly responseUrl: string;
  readonly teamId?: string;
}

let triggers = 0;

/** A slash-command body with every field Slack sends (bolt's `SlashCommand`). */
export function commandBody(f: CommandFields): string {
  triggers += 1;
  return new URLSearchParams({
    token: 'legacy-verification-token-ignored',
    team_id: f.teamId ?? 'T0ACME',
    team_domain: 'acme',
    channel_id: f.channelId ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: f.userId ?? 'U0ANA',
    user_name: f.userName ?? 'ana.ruiz',
    command: f.command ?? '/service',
    text: f.text,
    api_app_id: 'A0STEWARD',
    is_enterprise_install: 'false',
    response_url: f.responseUrl,
    trigger_id: `${1000 + triggers}.4744562912.803a0bc887a14d10d2c447fce8b6703c`,
  }).toString();
}

export interface ButtonClick {
  readonly actionId: string;
  readonly value: string;
  readonly userId?: string;
  readonly channelId?: string;
  readonly responseUrl: string;
}

/** A `block_actions` interaction (a button click in an ephemeral message), as `payload=`. */
export function blockActionsBody(c: ButtonClick): string {
  triggers += 1;
  const payload = {
    type: 'block_actions',
    api_app_id: 'A0STEWARD',
    token: 'legacy-verification-token-ignored',
    trigger_id: `${2000 + triggers}.4744562912.aa`,
    team: { id: 'T0ACME', domain: 'acme' },
    user: { id: c.userId ?? 'U0ANA', username: 'ana.ruiz', name: 'ana.ruiz', team_id: 'T0ACME' },
    channel: { id: c.channelId ?? 'C0GENERAL', name: 'general' },
    container: { type: 'message', message_ts: '1764493200.000100', channel_id: c.channelId ?? 'C0GENERAL', is_ephemeral: true },
    state: { values: {} },
    response_url: c.responseUrl,
    actions: [
      {
        type: 'button',
        block_id: 'b1',
        action_id: c.actionId,
        text: { type: 'plain_text', text: 'Post to channel' },
        value: c.value,
        action_ts: '1764493201.000200',
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

let events = 0;

/** An Events API envelope (slack_common_event_wrapper_schema: every required key), as JSON. */
export function eventBody(event: Record<string, unknown>, options: { eventId?: string } = {}): string {
  events += 1;
  return JSON.stringify({
    token: 'legacy-verification-token-ignored',
    team_id: 'T0ACME',
    api_app_id: 'A0STEWARD',
    event: { event_ts: `1764493300.${String(events).padStart(6, '0')}`, ...event },
    type: 'event_callback',
    event_id: options.eventId ?? `Ev0${String(events).padStart(8, '0')}`,
    event_time: 1764493300 + events,
    authed_users: [],
  });
}
