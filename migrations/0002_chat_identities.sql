-- Why: Slack (and later Teams) tell us who a chat account is only through rate-limited API calls
-- (users.info, users.lookupByEmail). Their answers are kept here with the time they were learned,
-- so a busy channel costs one call per person per day, and a "no such user" answer is remembered
-- too instead of being asked again on every message.

CREATE TABLE chat_users (
  platform    TEXT NOT NULL,             -- 'slack', 'teams'
  user_id     TEXT NOT NULL,             -- the platform's id, e.g. Slack 'U024BE7LH'
  email       TEXT,                      -- lower case; NULL when the platform would not tell
  name        TEXT,
  checked_at  TEXT NOT NULL,             -- ISO time of the answer
  PRIMARY KEY (platform, user_id)
) STRICT;

CREATE INDEX chat_users_email ON chat_users (platform, email);

-- Emails a platform said it has no account for (users_not_found), so names are shown without asking again.
CREATE TABLE chat_email_misses (
  platform    TEXT NOT NULL,
  email       TEXT NOT NULL,             -- lower case
  checked_at  TEXT NOT NULL,
  PRIMARY KEY (platform, email)
) STRICT;
