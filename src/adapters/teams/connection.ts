import type { Activity, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Messenger } from '../../core/messaging/index.js';
import type { Clock } from '../../core/ports.js';
import type { ActivityFields, TeamsReference, TeamsUserRecord } from './inbound.js';
import { conversationOf } from './inbound.js';
import type { ConversationReferences, OutgoingActivity } from './messenger.js';
import { createTeamsMessenger } from './messenger.js';

/** The Bot Framework's audience for outgoing calls (public cloud). */
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

/** Makes botbuilder's `processActivity` callable with our own node:http request handling. */
export class StewardCloudAdapter extends CloudAdapter {
  run(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

export interface TeamsConnectionOptions {
  /** `MICROSOFT_APP_ID`; unset = local emulator mode. */
  readonly appId?: string | undefined;
  readonly appPassword?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' | undefined;
  /** Where botbuilder fetches the channel's OpenID metadata (signing keys); tests point it at loopback. */
  readonly openIdMetadataUrl?: string | undefined;
  readonly cardBudgetBytes?: number | undefined;
  /** Deadline of each call to the Bot Framework connector (default 30 s). */
  readonly timeoutMs?: number | undefined;
  readonly references: ConversationReferences;
  readonly clock: Clock;
}

/**
 * Steward's side of the Bot Framework: the authenticated botbuilder adapter that takes activities
 * in and sends proactive messages out, and the jobs' `Messenger` over it. One per process: the
 * composition root builds it, `serve` answers through it, and the CLI's jobs reach Teams with it.
 */
export interface TeamsConnection {
  readonly appId: string;
  readonly emulator: boolean;
  readonly adapter: StewardCloudAdapter;
  readonly messenger: Messenger;
  /** The Adaptive Card budget, for answers as for the jobs' messages. */
  readonly cardBudgetBytes: number | undefined;
  /** A call to the connector, given up after the deadline (`timeoutMs`) with a status-less error (retryable). */
  deadline<T>(work: Promise<T>, what: string): Promise<T>;
}

export function createTeamsConnection(options: TeamsConnectionOptions): TeamsConnection {
  const { references, clock } = options;
  const appId = options.appId ?? '';
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: options.appPassword ?? '',
    MicrosoftAppType: options.appType ?? (options.tenantId ? 'SingleTenant' : 'MultiTenant'),
    MicrosoftAppTenantId: options.tenantId ?? '',
    ...(options.openIdMetadataUrl ? { ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl, ToBotFromEmulatorOpenIdMetadataUrl: options.openIdMetadataUrl } : {}),
  });
  const adapter = new StewardCloudAdapter(auth);
  const emulator = appId === '';
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = <T>(work: Promise<T>, what: string): Promise<T> => withinDeadline(work, timeoutMs, what);

  const send = async (reference: TeamsReference, activity: OutgoingActivity): Promise<{ id: string }> => {
    let id = '';
    await deadline(
      adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, async (ctx) => {
        withoutRetries(ctx, adapter.ConnectorClientKey);
        id = (await ctx.sendActivity(activity as Partial<Activity>))?.id ?? '';
      }),
      'a message',
    );
    return { id };
  };
  const openPersonalChat = async (user: TeamsUserRecord, botId: string): Promise<TeamsReference> => {
    const parameters = {
      isGroup: false,
      bot: { id: botId, name: 'Steward' },
      members: [{ id: user.userId, name: user.name ?? '' }],
      tenantId: user.tenantId,
      channelData: user.tenantId ? { tenant: { id: user.tenantId } } : {},
    } as ConversationParameters;
    let reference: TeamsReference | undefined;
    await deadline(
      adapter.createConversationAsync(appId, 'msteams', user.serviceUrl, BOT_FRAMEWORK_SCOPE, parameters, async (ctx) => {
        reference = conversationOf({ ...(ctx.activity as ActivityFields), recipient: { id: botId }, from: { id: user.userId } })?.reference;
      }),
      'opening a 1:1 chat',
    );
    if (!reference) throw new Error('the connector created no conversation');
    return { ...reference, user: { id: user.userId } };
  };
  const messenger = createTeamsMessenger({ references, send, openPersonalChat, cardBudgetBytes: options.cardBudgetBytes, clock });
  return { appId, emulator, adapter, messenger, cardBudgetBytes: options.cardBudgetBytes, deadline };
}

/**
 * Proactive sends make one attempt: the delivery ledger retries with backoff and remembers what
 * failed, which botbuilder's own pipeline (up to 3 retries, waiting out `Retry-After`) would
 * hide and hold a job for. Answers to a message keep botbuilder's retries.
 */
function withoutRetries(ctx: TurnContext, key: symbol): void {
  const connector = ctx.turnState.get(key) as { client?: { pipeline?: { removePolicy(o: { phase: string }): unknown } } } | undefined;
  connector?.client?.pipeline?.removePolicy({ phase: 'Retry' });
}

/**
 * The connector's HTTP pipeline has no deadline of its own (botframework-connector replaces the
 * pipeline's policies with its own), so a Teams that stops answering would hold an answer, a
 * job's delivery, and a slot of the in-flight limit forever. The caller stops waiting here; the
 * request itself is left to the pipeline.
 */
function withinDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the Bot Framework connector did not answer ${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
