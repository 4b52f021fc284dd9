import type { ChatProfile, IdentityRecord, IdentityStore } from '../../core/people/index.js';
import type { Db } from './open-database.js';

interface UserRow {
  user_id: string;
  email: string | null;
  name: string | null;
  checked_at: string;
}

/**
 * The chat identities Steward has learned (migration 0002), behind core's `IdentityStore`. A
 * profile with an email answers both "who is U123" and "who has this email"; a miss records that
 * no account has an email. The newest answer wins: saving a profile clears a miss for its email.
 */
export class SqliteIdentityStore implements IdentityStore {
  readonly #stmt;

  constructor(db: Db) {
    this.#stmt = {
      byId: db.prepare('SELECT user_id, email, name, checked_at FROM chat_users WHERE platform = ? AND user_id = ?'),
      byEmail: db.prepare(
        'SELECT user_id, email, name, checked_at FROM chat_users WHERE platform = ? AND email = ? ORDER BY checked_at DESC LIMIT 1',
      ),
      miss: db.prepare('SELECT checked_at FROM chat_email_misses WHERE platform = ? AND email = ?'),
      upsert: db.prepare(
        `INSERT INTO chat_users (platform, user_id, email, name, checked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (platform, user_id) DO UPDATE SET email = excluded.email, name = excluded.name, checked_at = excluded.checked_at`,
      ),
      clearMiss: db.prepare('DELETE FROM chat_email_misses WHERE platform = ? AND email = ?'),
      saveMiss: db.prepare(
        `INSERT INTO chat_email_misses (platform, email, checked_at) VALUES (?, ?, ?)
         ON CONFLICT (platform, email) DO UPDATE SET checked_at = excluded.checked_at`,
      ),
    };
  }

  profileById(platform: string, userId: string): IdentityRecord<ChatProfile> | undefined {
    const row = this.#stmt.byId.get(platform, userId) as UserRow | undefined;
    return row ? { value: toProfile(row), checkedAt: new Date(row.checked_at) } : undefined;
  }

  userIdByEmail(platform: string, email: string): IdentityRecord<string | undefined> | undefined {
    const key = email.trim().toLowerCase();
    const row = this.#stmt.byEmail.get(platform, key) as UserRow | undefined;
    const miss = this.#stmt.miss.get(platform, key) as { checked_at: string } | undefined;
    if (row && (!miss || row.checked_at >= miss.checked_at)) return { value: row.user_id, checkedAt: new Date(row.checked_at) };
    return miss ? { value: undefined, checkedAt: new Date(miss.checked_at) } : undefined;
  }

  saveProfile(platform: string, profile: ChatProfile, at: Date): void {
    const email = profile.email?.trim().toLowerCase() || null;
    this.#stmt.upsert.run(platform, profile.userId, email, profile.name ?? null, at.toISOString());
    if (email) this.#stmt.clearMiss.run(platform, email);
  }

  saveMiss(platform: string, email: string, at: Date): void {
    this.#stmt.saveMiss.run(platform, email.trim().toLowerCase(), at.toISOString());
  }
}

const toProfile = (row: UserRow): ChatProfile => ({ userId: row.user_id, email: row.email ?? undefined, name: row.name ?? undefined });
