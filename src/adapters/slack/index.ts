import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger as BoltLogger, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { CatalogReader } from '../../core/catalog/index.js';
import type { Actor, Asker, InFlightLimit, Router } from '../../core/commands/index.js';
import { BUSY_TEXT, createAnswerSession, describeError, withPlainWords } from '../../core/commands/index.js';
import { BotError } from '../../core/errors.js';
import type { Block, PersonRef, Reply } from '../../core/message/index.js';
import { actions, button } from '../../core/message/index.js';
import type { IdentityStore, PersonDirectory } from '../../core/people/index.js';
import { createPersonDirectory, fillMentions } from '../../core/people/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import { listenToConversations } from './events.js';
import { listenToHomeOpened } from './home-tab.js';
import type { SlashCommandFields } from './inbound.js';
import { POST_TO_CHANNEL, commandInvocation, shareRequest, shareValue, slackActor } from './inbound.js';
import type { SlackMessenger } from './messenger.js';
import { createSlackMessenger } from './messenger.js';
import { renderBlockKit } from './render-block-kit.js';
import { createRequestGate } from './request-gate.js';
import { createSeenRequests } from './seen-requests.js';
import { createSlackUserSource, platformError } from './slack-user-source.js';

/**
 * The Bolt wiring, and only that: the `/service` listener acks at once (Slack allows 3 s), then
 * asks the router and answers through `respond()` (the command's `response_url`), so a slow
 * lookup can never miss the window. The "Post to channel" button reposts an answer in the channel.
 * Running, apologising (Slack only ever sees a friendly line with a reference id), the lookup
 * budget and the answers in flight are core's answer session, shared with Teams; what is left
 * here is how Slack is spoken to.
 */
export interface SlackAdapterOptions {
  readonly botToken: string;
  /** HTTP mode: requests to `/slack/events` are verified with it. */
  readonly signingSecret?: string | undefined;
  /** Socket Mode when set (`xapp-…`): no public URL needed. */
  readonly appToken?: string | undefined;
  /** Web API base URL, ending in `/`. */
  readonly apiUrl: string;
  /** Slash commands go through it as typed; mentions and DMs read plain words first (`commands` names them). */
  readonly router: Pick<Router, 'dispatch' | 'commands'>;
  readonly catalog: Pick<CatalogReader, 'personByEmail'>;
  readonly identities: IdentityStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch?: typeof fetch | undefined;
  /** Web API retries after a failure or a 429 (`Retry-After` is always honoured). Default 2. */
  readonly retries?: number | undefined;
  /** Called when a Slack account is matched to an email, e.g. to remember it on the catalog person. */
  readonly onIdentityLearned?: ((email: string, slackUserId: string) => void) | undefined;
  /** The slash command this app answers; default `/service`. */
  readonly command?: string | undefined;
  /** Longest wait for Slack to say who someone is before answering with names instead. Default 2.5 s. */
  readonly lookupBudgetMs?: number | undefined;
  /** Short id shown to the user when something breaks; injectable for tests. */
  readonly referenceId?: (() => string) | undefined;
  /** The person's Home tab page; without it `app_home_opened` publishes nothing. */
  readonly home?: ((actor: Actor) => Promise<Reply>) | undefined;
  /** Commands in flight at once (serve shares one between Slack and Teams); past it, "busy". */
  readonly limit?: InFlightLimit | undefined;
}

export interface SlackAdapter {
  readonly mode: 'http' | 'socket';
  /** The handler for `POST /slack/events` (HTTP mode); undefined in Socket Mode. */
  readonly handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  readonly messenger: SlackMessenger;
  readonly directory: PersonDirectory;
  /** Connects Socket Mode; nothing to do in HTTP mode (the caller's server listens). */
  start(): Promise<void>;
  /** Waits for answers still being prepared, then disconnects. */
  stop(): Promise<void>;
  /** Resolves when no command or click is being answered: for tests and graceful shutdown. */
  idle(): Promise<void>;
}

/** Web API methods this adapter calls, with the bot scope each needs (checked against manifest.json). */
export const SLACK_METHOD_SCOPES = {
  'users.info': 'users:read',
  'users.lookupByEmail': 'users:read.email',
  'chat.postMessage': 'chat:write',
  'conversations.open': 'im:write',
} as const;
/** Web API methods the adapter calls that need no scope: the Home tab, and who the bot is. */
export const SLACK_UNSCOPED_METHODS = ['views.publish', 'auth.test'] as const;
/** Scopes the app needs beyond its Web API calls: `commands` for the slash command. */
export const SLACK_EXTRA_SCOPES = ['commands'] as const;
/** Events API subscriptions the adapter listens to, with the bot scope each needs (checked against manifest.json). */
export const SLACK_EVENT_SCOPES: Readonly<Record<string, string | undefined>> = {
  app_mention: 'app_mentions:read',
  'message.im': 'im:history',
  app_home_opened: undefined,
};

const DEFAULT_COMMAND = '/service';

export async function createSlackAdapter(options: SlackAdapterOptions): Promise<SlackAdapter> {
  const { logger, clock, router, catalog } = options;
  const slashCommand = options.command ?? DEFAULT_COMMAND;
  const budget = options.lookupBudgetMs ?? 2500;
  const referenceId = options.referenceId ?? (() => randomBytes(3).toString('hex'));
  const fetchImpl = withTimeout(options.fetch ?? globalThis.fetch, 10_000);
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: options.apiUrl,
    fetch: fetchImpl,
    timeout: 10_000,
    retryConfig: { retries: options.retries ?? 2, factor: 2, minTimeout: 500, maxTimeout: 5_000, randomize: true },
    logger: boltLogger(logger),
  };

  // Who the bot is, once, at start: it proves the token (a clear error now beats a 401 per
  // command later) and gives Bolt the ids it would otherwise fetch with auth.test per request.
  const bootstrap = new webApi.WebClient(options.botToken, clientOptions);
  let auth: webApi.AuthTestResponse;
  try {
    auth = await bootstrap.auth.test();
  } catch (err) {
    const code = platformError(err);
    throw new BotError(
      'slack_auth_failed',
      code ? `Slack refused SLACK_BOT_TOKEN (${code}); check the token of the installed app` : `cannot reach the Slack Web API at ${options.apiUrl}: ${(err as Error).message}`,
      { cause: err },
    );
  }

  const socket = options.appToken !== undefined;
  if (!socket && !options.signingSecret) throw new BotError('slack_config', 'SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN selects Socket Mode');
  const receiver = socket
    ? new SocketModeReceiver({ appToken: options.appToken!, logger: boltLogger(logger) })
    : new HTTPReceiver({
        signingSecret: options.signingSecret!,
        // The gate below has verified the signature (with the injected clock and a two-sided
        // window) before Bolt sees the request; verifying twice would only add a second clock.
        signatureVerification: false,
        logger: boltLogger(logger),
      });
  const app = new App({
    token: options.botToken,
    botId: auth.bot_id,
    botUserId: auth.user_id,
    receiver,
    logger: boltLogger(logger),
    clientOptions,
    convoStore: false,
  });

  const directory = createPersonDirectory({
    platform: 'slack',
    source: createSlackUserSource(app.client),
    store: options.identities,
    clock,
    logger,
    onLearned: options.onIdentityLearned,
  });
  const messenger = createSlackMessenger(app.client, directory);

  /** Adds Slack ids to mentions of people known by email (the session bounds it by the budget). */
  const withSlackIds = (reply: Reply): Promise<Reply> =>
    fillMentions(reply, async (p: PersonRef): Promise<PersonRef> => {
      if (p.slackId || !p.email) return p;
      const id = await directory.userIdForEmail(p.email);
      return id ? { ...p, slackId: id } : p;
    });
  const session = createAnswerSession({ platform: 'slack', router, logger, referenceId, budgetMs: budget, limit: options.limit, fillMentions: withSlackIds });

  async function actorFor(userId: string, fallbackName: string | undefined) {
    const profile = await session.within(directory.profile(userId), { userId, email: undefined, name: undefined });
    const person = profile.email ? catalog.personByEmail(profile.email) : undefined;
    return slackActor(userId, profile, person, fallbackName);
  }

  /** Speaking through a `response_url`; the apology is ephemeral and never replaces what was there. */
  const asker = (respond: RespondFn, answer: Asker['answer']): Asker => ({
    answer,
    say: async (line) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text: line });
    },
  });

  app.command(/.*/, async ({ command, ack, respond }) => {
    if (command.command !== slashCommand) {
      await ack({ response_type: 'ephemeral', text: `This app answers ${slashCommand}; try \`${slashCommand} help\`.` });
      return;
    }
    // Past the in-flight limits the asker reads "busy" in the ack itself: no second request to
    // Slack, and no work for a command that will not run, when a flood is what made us busy.
    const admitted = options.limit?.enter(`slack:${command.user_id}`);
    if (options.limit && !admitted) {
      await ack({ response_type: 'ephemeral', text: BUSY_TEXT });
      logger.warn('slack command refused: busy', { user: command.user_id, channel: command.channel_id, inFlight: options.limit.inFlight });
      return;
    }
    try {
      await ack();
    } catch (err) {
      admitted?.();
      throw err;
    }
    await runCommand(command, respond, admitted);
  });

  function runCommand(command: SlashCommand, respond: RespondFn, admitted: (() => void) | undefined): Promise<void> {
    const receivedAt = clock.now();
    return session.answer({
      admitted,
      invocation: async () => {
        const actor = await actorFor(command.user_id, command.user_name);
        return commandInvocation(command as SlashCommandFields, actor, receivedAt);
      },
      to: asker(respond, async (reply, share) => {
        const value = share === undefined ? undefined : shareValue(share);
        const footer: Block[] = value ? [actions([button('Post to channel', POST_TO_CHANNEL, value)])] : [];
        await respondOnce(respond, { response_type: reply.visibility === 'channel' ? 'in_channel' : 'ephemeral', ...renderBlockKit(reply, { footer }) });
      }),
      fields: { user: command.user_id, channel: command.channel_id },
    });
  }

  // One listener for every interaction with an action id, so each is acked exactly once (URL
  // buttons send block_actions too); "Post to channel" and command buttons do something more.
  app.action(/.*/, async ({ body, ack, respond }) => {
    await ack();
    const share = shareRequest(body);
    if (share) return repost(share, respond);
    const click = buttonClick(body);
    if (click) await runButton(click, respond);
  });

  /** An answer to a click goes to the clicker only, below the message they clicked in. */
  const toClicker = (respond: RespondFn): Asker =>
    asker(respond, (reply) => respondOnce(respond, { response_type: 'ephemeral', replace_original: false, ...renderBlockKit(reply) }));

  /** A command button (a nudge's Snooze, say): its command, run as the clicker, answered to them only. */
  function runButton(click: ButtonClick, respond: RespondFn): Promise<void> | undefined {
    const receivedAt = clock.now();
    return session.click({
      id: click.actionId,
      value: click.value,
      invocation: async (text) => {
        const actor = await actorFor(click.userId, click.userName);
        return commandInvocation({ command: slashCommand, text, user_id: click.userId, channel_id: click.channelId }, actor, receivedAt);
      },
      to: toClicker(respond),
      fields: { user: click.userId, channel: click.channelId },
    });
  }

  function repost(share: NonNullable<ReturnType<typeof shareRequest>>, respond: RespondFn): Promise<void> {
    return session.share({
      invocation: async () => {
        const actor = await actorFor(share.userId, share.userName);
        return commandInvocation({ command: slashCommand, text: share.text, user_id: share.userId, channel_id: share.channelId }, actor, clock.now());
      },
      to: toClicker(respond),
      sharer: (actor) => ({ type: 'mention', person: { name: actor.name ?? share.userName ?? 'someone', slackId: share.userId } }),
      quote: (text) => `${slashCommand} ${text}`,
      post: async (reply) => {
        try {
          await respondOnce(respond, { response_type: 'in_channel', replace_original: false, ...renderBlockKit(reply) });
        } catch (err) {
          // response_url expires after 30 minutes; the Web API does not (if the bot is in the channel).
          if (!share.channelId) throw err;
          logger.warn('response_url refused the repost; posting with chat.postMessage', { err: describeError(err) });
          await messenger.postToChannel(share.channelId, reply);
        }
        // The private copy has done its job; removing it keeps a second click from posting twice.
        await respond({ delete_original: true }).catch((err: unknown) => logger.debug('could not delete the private answer', { err: describeError(err) }));
      },
      fields: { user: share.userId, channel: share.channelId, action: POST_TO_CHANNEL },
    });
  }

  // Mentions and direct messages: answered where they were asked, in plain words too.
  const conversations = createAnswerSession({ platform: 'slack', router: withPlainWords(router), logger, referenceId, budgetMs: budget, limit: options.limit, fillMentions: withSlackIds });
  listenToConversations({
    app,
    client: app.client,
    botUserId: auth.user_id,
    session: conversations,
    actorFor: (userId) => actorFor(userId, undefined),
    seen: createSeenRequests({ clock }),
    clock,
    logger,
  });

  if (options.home) {
    listenToHomeOpened({
      app,
      client: app.client,
      home: options.home,
      actorFor: (userId) => actorFor(userId, undefined),
      track: (work) => conversations.track(work),
      referenceId,
      clock,
      logger,
    });
  }

  app.error(async (err) => {
    logger.error('slack listener failed', { err: describeError(err) });
  });

  const gate = socket
    ? undefined
    : createRequestGate({ signingSecret: options.signingSecret!, clock, logger, seen: createSeenRequests({ clock }) });
  const http = receiver instanceof HTTPReceiver ? receiver : undefined;
  let connected = false;

  return {
    mode: socket ? 'socket' : 'http',
    handle:
      gate && http
        ? (req, res) =>
            gate(req, res, (verified, response) => {
              try {
                http.requestListener(verified, response);
              } catch (err) {
                logger.error('bolt refused a request', { err: describeError(err) });
                if (!response.headersSent) response.writeHead(500).end();
              }
            })
        : undefined,
    messenger,
    directory,
    async start() {
      if (!socket || connected) return;
      await app.start();
      connected = true;
      logger.info('slack socket mode connected');
    },
    async stop() {
      await Promise.all([session.drain(), conversations.drain()]);
      if (connected) await app.stop();
      connected = false;
    },
    async idle() {
      // An answer in one session can start no work in the other, so one pass over each is enough.
      await session.idle();
      await conversations.idle();
    },
  };
}

/** `respond()` once more after a moment when response_url is briefly unavailable (429 or 5xx). */
async function respondOnce(respond: RespondFn, message: RespondArguments): Promise<void> {
  try {
    await respond(message);
  } catch (err) {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status !== 'number' || (status !== 429 && status < 500)) throw err;
    await new Promise((r) => setTimeout(r, 1000));
    await respond(message);
  }
}

/** Bolt's fetch has no timeout of its own: a hung response_url must not hold an answer forever. */
function withTimeout(fetchImpl: typeof fetch, ms: number): typeof fetch {
  return (input, init) => fetchImpl(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(ms) });
}

interface ButtonClick {
  readonly actionId: string;
  readonly value: string;
  readonly userId: string;
  readonly userName: string | undefined;
  readonly channelId: string | undefined;
}

/** A click on a button with a value (block_actions), other than "Post to channel". */
function buttonClick(body: unknown): ButtonClick | undefined {
  const b = body as { type?: unknown; actions?: unknown; user?: { id?: unknown; name?: unknown; username?: unknown }; channel?: { id?: unknown } } | null;
  if (!b || b.type !== 'block_actions' || !Array.isArray(b.actions)) return undefined;
  const action = b.actions[0] as { action_id?: unknown; value?: unknown } | undefined;
  if (typeof action?.action_id !== 'string' || action.action_id === POST_TO_CHANNEL || typeof action.value !== 'string') return undefined;
  if (typeof b.user?.id !== 'string') return undefined;
  const name = b.user.name ?? b.user.username;
  const channelId = typeof b.channel?.id === 'string' ? b.channel.id : undefined;
  return { actionId: action.action_id, value: action.value, userId: b.user.id, userName: typeof name === 'string' ? name : undefined, channelId };
}

/** Bolt's logger interface over ours, so Bolt's warnings land in the same JSON lines. */
function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const line = (msgs: unknown[]): string => msgs.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...m: unknown[]) => logger.debug(line(m), { source: 'bolt' }),
    info: (...m: unknown[]) => logger.info(line(m), { source: 'bolt' }),
    warn: (...m: unknown[]) => logger.warn(line(m), { source: 'bolt' }),
    error: (...m: unknown[]) => logger.error(line(m), { source: 'bolt' }),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
