import type { Db } from './open-database.js';

/**
 * Teams conversation references and accounts (migration 0007): what the Teams adapter saw, so
 * the leaderboard and nudges can reach people and channels after a restart. Structurally the
 * `ConversationReferences` port of `src/adapters/teams/messenger.ts` (infra does not import
 * adapters; the composition root checks the fit). The reference is stored as JSON, as botbuilder
 * gave it; the other columns are what lookups need.
 */
export interface StoredReference {
  readonly activityId?: string | undefined;
  readonly user?: { readonly id: string; readonly name?: string | undefined; readonly aadObjectId?: string | undefined } | undefined;
  readonly bot: { readonly id: string; readonly name?: string | undefined };
  readonly conversation: { readonly id: string; readonly conversationType?: string | undefined; readonly tenantId?: string | undefined; readonly isGroup?: boolean | undefined };
  readonly channelId: string;
  readonly locale?: string | undefined;
  readonly serviceUrl: string;
}

export interface StoredConversation {
  readonly conversationId: string;
  readonly kind: 'personal' | 'groupChat' | 'channel';
  readonly tenantId: string | undefined;
  readonly serviceUrl: string;
  readonly userId: string | undefined;
  readonly teamId: string | undefined;
  readonly teamName: string | undefined;
  readonly channelId: string | undefined;
  readonly channelName: string | undefined;
  readonly reference: StoredReference;
}

export interface StoredTeamsUser {
  readonly userId: string;
  readonly aadObjectId: string | undefined;
  readonly upn: string | undefined;
  readonly name: string | undefined;
  readonly tenantId: string | undefined;
  readonly serviceUrl: string;
}

interface ConversationRow {
  conversation_id: string;
  kind: StoredConversation['kind'];
  tenant_id: string | null;
  service_url: string;
  user_id: string | null;
  team_id: string | null;
  team_name: string | null;
  channel_id: string | null;
  channel_name: string | null;
  reference: string;
}

interface UserRow {
  user_id: string;
  aad_object_id: string | null;
  upn: string | null;
  name: string | null;
  tenant_id: string | null;
  service_url: string;
}

const CONVERSATION_COLUMNS = 'conversation_id, kind, tenant_id, service_url, user_id, team_id, team_name, channel_id, channel_name, reference';
const USER_COLUMNS = 'user_id, aad_object_id, upn, name, tenant_id, service_url';

export class ConversationStore {
  readonly #stmt;

  constructor(db: Db) {
    this.#stmt = {
      // A later sighting refreshes the reference (the serviceUrl can move) but never forgets a
      // name learned earlier: message activities in a channel often carry no team or channel name.
      upsertConversation: db.prepare(
        `INSERT INTO teams_conversations (${CONVERSATION_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET
           kind = excluded.kind,
           tenant_id = coalesce(excluded.tenant_id, tenant_id),
           service_url = excluded.service_url,
           user_id = coalesce(excluded.user_id, user_id),
           team_id = coalesce(excluded.team_id, team_id),
           team_name = coalesce(excluded.team_name, team_name),
           channel_id = coalesce(excluded.channel_id, channel_id),
           channel_name = coalesce(excluded.channel_name, channel_name),
           reference = excluded.reference,
           updated_at = excluded.updated_at`,
      ),
      upsertUser: db.prepare(
        `INSERT INTO teams_users (${USER_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET
           aad_object_id = coalesce(excluded.aad_object_id, aad_object_id),
           upn = coalesce(excluded.upn, upn),
           name = coalesce(excluded.name, name),
           tenant_id = coalesce(excluded.tenant_id, tenant_id),
           service_url = excluded.service_url,
           updated_at = excluded.updated_at`,
      ),
      conversation: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM teams_conversations WHERE conversation_id = ?`),
      personal: db.prepare(
        `SELECT ${CONVERSATION_COLUMNS} FROM teams_conversations
         WHERE kind = 'personal' AND user_id IN (SELECT ? UNION SELECT user_id FROM teams_users WHERE aad_object_id = ?)
         ORDER BY updated_at DESC LIMIT 1`,
      ),
      userById: db.prepare(`SELECT ${USER_COLUMNS} FROM teams_users WHERE user_id = ? OR aad_object_id = ? ORDER BY updated_at DESC LIMIT 1`),
      userByUpn: db.prepare(`SELECT ${USER_COLUMNS} FROM teams_users WHERE upn = ? ORDER BY updated_at DESC LIMIT 1`),
      channelByName: db.prepare(
        `SELECT ${CONVERSATION_COLUMNS} FROM teams_conversations
         WHERE kind = 'channel' AND lower(team_name) = lower(?) AND lower(channel_name) = lower(?)
         ORDER BY updated_at DESC LIMIT 1`,
      ),
      channels: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM teams_conversations WHERE kind = 'channel' ORDER BY updated_at DESC, conversation_id LIMIT ?`),
    };
  }

  saveConversation(c: StoredConversation, at: Date): void {
    this.#stmt.upsertConversation.run(
      c.conversationId,
      c.kind,
      c.tenantId ?? null,
      c.serviceUrl,
      c.userId ?? null,
      c.teamId ?? null,
      c.teamName ?? null,
      c.channelId ?? null,
      c.channelName ?? null,
      JSON.stringify(c.reference),
      at.toISOString(),
    );
  }

  saveUser(u: StoredTeamsUser, at: Date): void {
    this.#stmt.upsertUser.run(u.userId, u.aadObjectId ?? null, u.upn?.toLowerCase() ?? null, u.name ?? null, u.tenantId ?? null, u.serviceUrl, at.toISOString());
  }

  conversation(conversationId: string): StoredConversation | undefined {
    return toConversation(this.#stmt.conversation.get(conversationId.split(';')[0]) as ConversationRow | undefined);
  }

  personalChat(userIdOrAadObjectId: string): StoredConversation | undefined {
    return toConversation(this.#stmt.personal.get(userIdOrAadObjectId, userIdOrAadObjectId) as ConversationRow | undefined);
  }

  user(key: { readonly upn?: string; readonly id?: string }): StoredTeamsUser | undefined {
    const row = key.id
      ? (this.#stmt.userById.get(key.id, key.id) as UserRow | undefined)
      : key.upn
        ? (this.#stmt.userByUpn.get(key.upn.trim().toLowerCase()) as UserRow | undefined)
        : undefined;
    return row ? toUser(row) : undefined;
  }

  channelByName(team: string, channel: string): StoredConversation | undefined {
    return toConversation(this.#stmt.channelByName.get(team.trim(), channel.trim()) as ConversationRow | undefined);
  }

  channels(limit: number): StoredConversation[] {
    return (this.#stmt.channels.all(limit) as ConversationRow[]).map((r) => toConversation(r)!);
  }
}

function toConversation(row: ConversationRow | undefined): StoredConversation | undefined {
  if (!row) return undefined;
  return {
    conversationId: row.conversation_id,
    kind: row.kind,
    tenantId: row.tenant_id ?? undefined,
    serviceUrl: row.service_url,
    userId: row.user_id ?? undefined,
    teamId: row.team_id ?? undefined,
    teamName: row.team_name ?? undefined,
    channelId: row.channel_id ?? undefined,
    channelName: row.channel_name ?? undefined,
    reference: JSON.parse(row.reference) as StoredReference,
  };
}

const toUser = (r: UserRow): StoredTeamsUser => ({
  userId: r.user_id,
  aadObjectId: r.aad_object_id ?? undefined,
  upn: r.upn ?? undefined,
  name: r.name ?? undefined,
  tenantId: r.tenant_id ?? undefined,
  serviceUrl: r.service_url,
});
