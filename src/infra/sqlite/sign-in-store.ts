import type { Platform } from '../../core/message/index.js';
import type { ConsumeResult, SignInStore, StoredSignInLink } from '../../core/web/index.js';
import type { Db } from './open-database.js';

interface LinkRow {
  platform: string;
  actor_id: string;
  name: string | null;
  email: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

const toLink = (row: LinkRow): StoredSignInLink => ({
  identity: { platform: row.platform as Platform, id: row.actor_id, name: row.name ?? undefined, email: row.email ?? undefined },
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
});

/** Links a day past their expiry are deleted when new ones are minted: "expired" needs them only that long. */
const KEEP_EXPIRED_MS = 86_400_000;

/** Web sign-in links and shared web settings (migration 0012). */
export class SqliteSignInStore implements SignInStore {
  readonly #stmt;

  constructor(db: Db) {
    this.#stmt = {
      insert: db.prepare(
        'INSERT INTO web_sign_in_links (token_hash, platform, actor_id, name, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      prune: db.prepare('DELETE FROM web_sign_in_links WHERE expires_at < ?'),
      get: db.prepare('SELECT platform, actor_id, name, email, created_at, expires_at, used_at FROM web_sign_in_links WHERE token_hash = ?'),
      // One statement: of two processes opening the same link at once, one updates the row.
      use: db.prepare(
        `UPDATE web_sign_in_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
         RETURNING platform, actor_id, name, email, created_at, expires_at, used_at`,
      ),
      putSetting: db.prepare('INSERT OR IGNORE INTO web_settings (key, value) VALUES (?, ?)'),
      getSetting: db.prepare('SELECT value FROM web_settings WHERE key = ?').pluck(),
    };
  }

  addLink(tokenHash: string, link: StoredSignInLink): void {
    const { identity } = link;
    this.#stmt.prune.run(new Date(link.createdAt.getTime() - KEEP_EXPIRED_MS).toISOString());
    this.#stmt.insert.run(
      tokenHash,
      identity.platform,
      identity.id,
      identity.name ?? null,
      identity.email ?? null,
      link.createdAt.toISOString(),
      link.expiresAt.toISOString(),
    );
  }

  peekLink(tokenHash: string, now: Date): ConsumeResult {
    const row = this.#stmt.get.get(tokenHash) as LinkRow | undefined;
    if (!row) return { status: 'unknown' };
    if (row.used_at !== null) return { status: 'used' };
    if (row.expires_at <= now.toISOString()) return { status: 'expired' };
    return { status: 'ok', link: toLink(row) };
  }

  consumeLink(tokenHash: string, now: Date): ConsumeResult {
    const used = this.#stmt.use.get(now.toISOString(), tokenHash, now.toISOString()) as LinkRow | undefined;
    if (used) return { status: 'ok', link: toLink(used) };
    const why = this.peekLink(tokenHash, now);
    // Not usable, so the peek says why; `ok` cannot happen here unless the clock went backwards.
    return why.status === 'ok' ? { status: 'expired' } : why;
  }

  setting(key: string, generate: () => string): string {
    const stored = this.#stmt.getSetting.get(key) as string | undefined;
    if (stored !== undefined) return stored;
    // INSERT OR IGNORE then read back: two processes starting at once agree on the first value.
    this.#stmt.putSetting.run(key, generate());
    return this.#stmt.getSetting.get(key) as string;
  }
}
