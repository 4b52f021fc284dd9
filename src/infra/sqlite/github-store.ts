import type { CachedResponse, EtagCache, GithubSyncState, StoredRepository, UnknownFact } from '../../core/github/index.js';
import type { Db } from './open-database.js';

/** GitHub sync state (0005_github.sql): repositories as last read, ETags, unknown facts with reasons. */
export class GithubStore implements GithubSyncState, EtagCache {
  readonly #db: Db;
  readonly #stmt;

  constructor(db: Db) {
    this.#db = db;
    this.#stmt = {
      repos: db.prepare('SELECT full_name, pushed_at, entity_refs FROM github_repositories WHERE org = ?'),
      putRepo: db.prepare(
        `INSERT INTO github_repositories (org, full_name, pushed_at, entity_refs, synced_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (org, full_name) DO UPDATE SET pushed_at = excluded.pushed_at, entity_refs = excluded.entity_refs, synced_at = excluded.synced_at`,
      ),
      forget: db.prepare('DELETE FROM github_repositories WHERE org = ? AND full_name = ?'),
      getEtag: db.prepare('SELECT etag, body, link FROM github_etags WHERE url = ?'),
      putEtag: db.prepare(
        `INSERT INTO github_etags (url, etag, body, link, stored_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, body = excluded.body, link = excluded.link, stored_at = excluded.stored_at`,
      ),
      clearUnknown: db.prepare('DELETE FROM github_unknown_facts WHERE entity_ref = ?'),
      putUnknown: db.prepare('INSERT INTO github_unknown_facts (entity_ref, key, reason, observed_at) VALUES (?, ?, ?, ?)'),
      unknown: db.prepare('SELECT key, reason FROM github_unknown_facts WHERE entity_ref = ? ORDER BY key'),
      repositoryOf: db.prepare(
        'SELECT full_name FROM github_repositories WHERE EXISTS (SELECT 1 FROM json_each(entity_refs) WHERE value = ?) ORDER BY synced_at DESC, full_name LIMIT 1',
      ),
    };
  }

  repositories(org: string): Map<string, StoredRepository> {
    const rows = this.#stmt.repos.all(org) as Array<{ full_name: string; pushed_at: string | null; entity_refs: string }>;
    return new Map(
      rows.map((r) => [r.full_name, { fullName: r.full_name, pushedAt: r.pushed_at ?? undefined, entityRefs: JSON.parse(r.entity_refs) as string[] }]),
    );
  }

  recordRepository(org: string, repo: { fullName: string; pushedAt: string | undefined; entityRefs: readonly string[] }, at: Date): void {
    this.#stmt.putRepo.run(org, repo.fullName, repo.pushedAt ?? null, JSON.stringify(repo.entityRefs), at.toISOString());
  }

  forgetRepository(org: string, fullName: string): void {
    this.#stmt.forget.run(org, fullName);
  }

  putUnknownFacts(entityRef: string, unknown: readonly UnknownFact[], at: Date): void {
    this.#db.transaction(() => {
      this.#stmt.clearUnknown.run(entityRef);
      for (const u of unknown) this.#stmt.putUnknown.run(entityRef, u.key, u.reason, at.toISOString());
    })();
  }

  unknownFacts(entityRef: string): UnknownFact[] {
    return this.#stmt.unknown.all(entityRef) as UnknownFact[];
  }

  repositoryOf(entityRef: string): string | undefined {
    return (this.#stmt.repositoryOf.get(entityRef) as { full_name: string } | undefined)?.full_name;
  }

  get(url: string): CachedResponse | undefined {
    const row = this.#stmt.getEtag.get(url) as { etag: string; body: string; link: string | null } | undefined;
    return row ? { etag: row.etag, body: row.body, link: row.link ?? undefined } : undefined;
  }

  put(url: string, response: CachedResponse, at: Date): void {
    this.#stmt.putEtag.run(url, response.etag, response.body, response.link ?? null, at.toISOString());
  }
}
