-- Why: Teams lets a bot message someone or some channel proactively only through a conversation
-- reference it saw earlier (an install or a message); there is no "message this email" call. The
-- leaderboard and the nudges need those references after a restart, so every conversation and
-- every Teams account the bot sees is kept here, with the names that map catalog channels
-- ("Team / Channel") and catalog emails (UPN) to them.

CREATE TABLE teams_conversations (
  conversation_id TEXT PRIMARY KEY,          -- personal 'a:…', channel '19:…@thread.tacv2' (without ';messageid='), group '19:…@thread.v2'
  kind            TEXT NOT NULL CHECK (kind IN ('personal', 'groupChat', 'channel')),
  tenant_id       TEXT,
  service_url     TEXT NOT NULL,
  user_id         TEXT,                      -- personal chats: the person's Teams user id ('29:…')
  team_id         TEXT,
  team_name       TEXT,                      -- as Teams names it, for 'Team / Channel' lookups
  channel_id      TEXT,
  channel_name    TEXT,
  reference       TEXT NOT NULL,             -- botbuilder's ConversationReference as JSON, stored as sent
  updated_at      TEXT NOT NULL              -- ISO time it was last seen
) STRICT;

CREATE INDEX teams_conversations_user ON teams_conversations (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX teams_conversations_channel ON teams_conversations (lower(team_name), lower(channel_name)) WHERE kind = 'channel';

CREATE TABLE teams_users (
  user_id         TEXT PRIMARY KEY,          -- '29:…', unique per bot
  aad_object_id   TEXT,                      -- Entra ID object id (a GUID)
  upn             TEXT,                      -- lower-cased userPrincipalName (usually the email)
  name            TEXT,
  tenant_id       TEXT,
  service_url     TEXT NOT NULL,
  updated_at      TEXT NOT NULL
) STRICT;

CREATE INDEX teams_users_upn ON teams_users (upn) WHERE upn IS NOT NULL;
CREATE INDEX teams_users_aad ON teams_users (aad_object_id) WHERE aad_object_id IS NOT NULL;
