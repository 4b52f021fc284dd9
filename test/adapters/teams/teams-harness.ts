import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { importCatalog } from '../../../src/import-catalog.js';
import type { RunningServer } from '../../../src/serve.js';
import { startServer } from '../../../src/serve.js';
import type { FakeBotConnector, FakeTeamsMember, RecordedActivity } from '../../support/fake-bot-connector.js';
import { startFakeBotConnector } from '../../support/fake-bot-connector.js';
import type { LogRecord } from '../../support/memory-logger.js';
import { memoryLogger } from '../../support/memory-logger.js';
import { FIXED_NOW, SMALL_ORG } from '../../support/test-bot.js';

/** The people of test/fixtures/catalog as the fake Teams tenant knows them (Dana is not in Teams; Eve not in the catalog). */
export const TENANT: readonly FakeTeamsMember[] = [
  { id: '29:ana', name: 'Ana Ruiz', aadObjectId: 'aad-ana', email: 'Ana.Ruiz@acme.example', userPrincipalName: 'ana.ruiz@acme.example' },
  { id: '29:ben', name: 'Ben Okafor', aadObjectId: 'aad-ben', email: 'ben.okafor@acme.example', userPrincipalName: 'ben.okafor@acme.example' },
  { id: '29:chen', name: 'Chen Li', aadObjectId: 'aad-chen', email: 'chen.li@acme.example', userPrincipalName: 'chen.li@acme.example' },
  { id: '29:eve', name: 'Eve Stone', aadObjectId: 'aad-eve', email: 'eve@acme.example', userPrincipalName: 'eve@acme.example' },
];

export const BOT = { id: '28:steward-bot', name: 'Steward' } as const;
export const TEAM = { id: '19:team-payments@thread.tacv2', name: 'Payments', aadGroupId: 'group-payments' } as const;
export const CHANNEL_PAYMENTS = { id: '19:payments-general@thread.tacv2', name: 'Releases' } as const;

export interface Where {
  readonly kind: 'personal' | 'channel' | 'groupChat';
  readonly conversationId: string;
}

export const personalChat = (userId: string): Where => ({ kind: 'personal', conversationId: `a:dm-${userId.slice(3)}` });
export const channel: Where = { kind: 'channel', conversationId: CHANNEL_PAYMENTS.id };

let activityIds = 0;

/** A Teams message activity as the service sends it (contracts.md §5.1). */
export function messageActivity(serviceUrl: string, text: string, o: { as?: string; where?: Where; value?: unknown; mention?: boolean } = {}): Record<string, unknown> {
  const member = TENANT.find((m) => m.id === (o.as ?? '29:ana'));
  const where = o.where ?? personalChat(o.as ?? '29:ana');
  const id = `act-${++activityIds}`;
  const mention = o.mention ?? where.kind !== 'personal';
  const conversationId = where.kind === 'channel' ? `${where.conversationId};messageid=${id}` : where.conversationId;
  return {
    type: 'message',
    id,
    timestamp: FIXED_NOW.toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: member?.id ?? o.as, name: member?.name ?? 'Someone', aadObjectId: member?.aadObjectId },
    conversation: { id: conversationId, conversationType: where.kind, tenantId: 'tenant-acme', ...(where.kind !== 'personal' ? { isGroup: true } : {}) },
    recipient: BOT,
    textFormat: 'plain',
    text: mention ? `<at>Steward</at> ${text}` : text,
    locale: 'en-US',
    ...(mention ? { entities: [{ type: 'mention', text: '<at>Steward</at>', mentioned: BOT }] } : {}),
    ...(o.value !== undefined ? { value: o.value } : {}),
    channelData:
      where.kind === 'channel'
        ? { tenant: { id: 'tenant-acme' }, team: TEAM, channel: CHANNEL_PAYMENTS }
        : { tenant: { id: 'tenant-acme' } },
  };
}

/** The bot added to a team (conversationUpdate with the bot in membersAdded). */
export function installActivity(serviceUrl: string, where: Where = channel, added: readonly string[] = [BOT.id]): Record<string, unknown> {
  return {
    type: 'conversationUpdate',
    id: `act-${++activityIds}`,
    serviceUrl,
    channelId: 'msteams',
    from: { id: '29:ana', aadObjectId: 'aad-ana' },
    recipient: BOT,
    conversation: { id: where.conversationId, conversationType: where.kind, tenantId: 'tenant-acme', ...(where.kind !== 'personal' ? { isGroup: true } : {}) },
    membersAdded: added.map((id) => ({ id, ...(TENANT.find((m) => m.id === id)?.aadObjectId ? { aadObjectId: TENANT.find((m) => m.id === id)!.aadObjectId } : {}) })),
    channelData: where.kind === 'channel' ? { tenant: { id: 'tenant-acme' }, team: TEAM, channel: CHANNEL_PAYMENTS, eventType: 'teamMemberAdded' } : { tenant: { id: 'tenant-acme' } },
  };
}

export interface Posted {
  readonly status: number;
  readonly body: string;
  /** What the connector received while this activity was being answered. */
  readonly sent: RecordedActivity[];
  /** Texts of the first card sent (TextRuns joined), for `toContain` checks. */
  readonly text: string;
}

export interface TeamsHarness {
  readonly connector: FakeBotConnector;
  readonly server: RunningServer;
  readonly logs: LogRecord[];
  post(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<Posted>;
  say(text: string, o?: { as?: string; where?: Where; value?: unknown }): Promise<Posted>;
  close(): Promise<void>;
}

export async function startTeamsHarness(options: { env?: Record<string, string>; catalog?: boolean; teamsOpenIdMetadataUrl?: boolean } = {}): Promise<TeamsHarness> {
  const connector = await startFakeBotConnector({ members: TENANT });
  const dir = mkdtempSync(join(tmpdir(), 'steward-teams-'));
  const { logger, logs } = memoryLogger();
  const config = loadConfig({ PORT: '0', ...options.env }, { config: undefined });
  let refs = 0;
  let server: RunningServer;
  try {
    server = await startServer({
      config,
      logger,
      db: join(dir, 'steward.db'),
      clock: { now: () => FIXED_NOW },
      referenceId: () => `ref${String(++refs).padStart(3, '0')}`,
      teamsOpenIdMetadataUrl: options.teamsOpenIdMetadataUrl === false ? undefined : connector.openIdMetadataUrl,
    });
  } catch (err) {
    await connector.close();
    throw err;
  }
  if (options.catalog !== false) importCatalog(server.steward.catalog, [SMALL_ORG], { now: FIXED_NOW });

  async function post(activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Posted> {
    const before = connector.activities.length;
    const res = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
    const body = await res.text();
    await server.teams.idle();
    const sent = connector.activities.slice(before);
    return { status: res.status, body, sent, text: cardText(sent[0]?.body) };
  }

  return {
    connector,
    server,
    logs,
    post,
    say: (text, o = {}) => post(messageActivity(connector.serviceUrl, text, o)),
    async close() {
      await server.close();
      await connector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every `text` of an activity (TextRuns, titles, the fallback), joined by newlines. */
export function cardText(activity: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if ((k === 'text' || k === 'title') && typeof child === 'string') out.push(child);
        else walk(child);
      }
    }
  };
  walk(activity);
  return out.join('\n');
}

/** The Adaptive Card of a recorded activity. */
export function cardOf(a: RecordedActivity | undefined): Record<string, unknown> {
  const attachments = a?.body['attachments'] as Array<{ contentType: string; content: Record<string, unknown> }> | undefined;
  const card = attachments?.[0];
  if (!card || card.contentType !== 'application/vnd.microsoft.card.adaptive') throw new Error(`no adaptive card in ${JSON.stringify(a?.body)}`);
  return card.content;
}
