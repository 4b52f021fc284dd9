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

  const send = async (reference: TeamsReference, activity: OutgoingActivity): Promise<{ id: string }> => {
    let id = '';
    await adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, async (ctx) => {
      withoutRetries(ctx, adapter.ConnectorClientKey);
      id = (await ctx.sendActivity(activity as Partial<Activity>))?.id ?? '';
    });
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
    await adapter.createConversationAsync(appId, 'msteams', user.serviceUrl, BOT_FRAMEWORK_SCOPE, parameters, async (ctx) => {
      reference = conversationOf({ ...(ctx.activity as ActivityFields), recipient: { id: botId }, from: { id: user.userId } })?.reference;
    });
    if (!reference) throw new Error('the connector created no conversation');
    return { ...reference, user: { id: user.userId } };
  };
  const messenger = createTeamsMessenger({ references, send, openPersonalChat, cardBudgetBytes: options.cardBudgetBytes, clock });
  return { appId, emulator, adapter, messenger, cardBudgetBytes: options.cardBudgetBytes };
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
