-- Why: the web scoreboard signs people in with a personal link minted by the chat command
-- `scoreboard`. Any Steward process may mint a link or open one, so both the links and the secret
-- that signs session cookies live in the database, not in one process's memory. A link is stored
-- only as the SHA-256 of its token (a copy of the database does not hold usable links); `used_at`
-- makes it single use.

CREATE TABLE web_sign_in_links (
  token_hash  TEXT PRIMARY KEY,           -- hex SHA-256 of the token in the URL
  platform    TEXT NOT NULL,              -- 'slack', 'teams' or 'shell': where it was asked for
  actor_id    TEXT NOT NULL,              -- the platform's user id
  name        TEXT,
  email       TEXT,
  created_at  TEXT NOT NULL,              -- ISO timestamps
  expires_at  TEXT NOT NULL,
  used_at     TEXT                        -- set when the link was opened; never opened twice
) STRICT, WITHOUT ROWID;

CREATE INDEX web_sign_in_links_expiry ON web_sign_in_links (expires_at);

-- Settings the web adapter generates once and every process shares (the session secret).
CREATE TABLE web_settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
