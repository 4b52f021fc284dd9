import type { ResultInput, ResultSummary, RunRecorder, ScoreHistory, ScoreRun, StandingsStore, StateCode, StoredResult, StoredStandings } from '../../core/scoring/index.js';
import type { Db } from './open-database.js';

interface ResultRow {
  entity_ref: string;
  scorecard_id: string;
  at: string;
  applies: number;
  owner_ref: string | null;
  level: string | null;
  level_rank: number;
  score: number;
  states: string;
}

const COLUMNS = 'r.entity_ref, r.scorecard_id, r.at, r.applies, r.owner_ref, r.level, r.level_rank, r.score, r.states';

const toResult = (row: ResultRow): StoredResult => ({
  entityRef: row.entity_ref,
  scorecardId: row.scorecard_id,
  at: new Date(row.at),
  applies: row.applies === 1,
  ownerRef: row.owner_ref ?? undefined,
  level: row.level ?? undefined,
  levelRank: row.level_rank,
  score: row.score,
  states: JSON.parse(row.states) as Record<string, StateCode>,
});

/**
 * What makes two results the same state, as one string; `at` is deliberately not part of it.
 * The SQL in #signatures builds the same string from a stored row.
 */
const SEP = '\u001f';
const signature = (applies: boolean, owner: string | undefined, level: string | undefined, rank: number, score: number, states: string): string =>
  `${applies ? 1 : 0}${SEP}${owner ?? ''}${SEP}${level ?? ''}${SEP}${rank}${SEP}${score}${SEP}${states}`;
const rowSignature = (row: ResultRow): string =>
  signature(row.applies === 1, row.owner_ref ?? undefined, row.level ?? undefined, row.level_rank, row.score, row.states);


/** Above this many results a run reads the whole scorecard's latest state in one query instead of one per service. */
const BULK = 64;

/**
 * Evaluation history, run-length encoded (see migration 0003): a row only when something changed.
 * Also lists catalog entities by kind for full runs, since it is the one reader that needs them all.
 */
export class SqliteScoreStore implements ScoreHistory, StandingsStore {
  readonly #db: Db;
  readonly #stmt;
  /** Parsed standings until the database changes. */
  readonly #standings = new Map<string, { version: number; value: StoredStandings | undefined }>();

  constructor(db: Db) {
    this.#db = db;
    this.#stmt = {
      // Changes when another connection commits (data_version) or this one writes anything
      // (total_changes), whichever store of the connection wrote it.
      changes: db.prepare('SELECT data_version * 1000000000 + total_changes() FROM pragma_data_version').pluck(),
      history: db.prepare(`SELECT ${COLUMNS} FROM score_results r WHERE r.entity_ref = ? AND r.scorecard_id = ? ORDER BY r.id DESC LIMIT ?`),
      latestAll: db.prepare(
        `SELECT ${COLUMNS} FROM score_results r
         JOIN (SELECT max(id) AS id FROM score_results WHERE scorecard_id = ? AND at <= ? GROUP BY entity_ref) l ON l.id = r.id`,
      ),
      summaries: db.prepare(
        `SELECT r.owner_ref, r.level, r.level_rank, r.score FROM score_results r
         JOIN (SELECT max(id) AS id FROM score_results WHERE scorecard_id = ? AND at <= ? GROUP BY entity_ref) l ON l.id = r.id
         WHERE r.applies = 1`,
      ).raw(),
      allSummaries: db.prepare(
        `SELECT r.scorecard_id, r.owner_ref, r.level, r.level_rank, r.score FROM score_results r
         JOIN (SELECT max(id) AS id FROM score_results WHERE at <= ? GROUP BY scorecard_id, entity_ref) l ON l.id = r.id
         WHERE r.applies = 1`,
      ).raw(),
      version: db.prepare('SELECT coalesce(max(id), 0) FROM score_results').pluck(),
      signatures: db
        .prepare(
          `SELECT r.entity_ref, r.applies || char(31) || coalesce(r.owner_ref, '') || char(31) || coalesce(r.level, '') || char(31) ||
             r.level_rank || char(31) || r.score || char(31) || r.states
           FROM score_results r
           JOIN (SELECT max(id) AS id FROM score_results WHERE scorecard_id = ? GROUP BY entity_ref) l ON l.id = r.id`,
        )
        .raw(),
      // The latest state of each service of a batch (a JSON list of refs) under one scorecard.
      batchSignatures: db
        .prepare(
          `SELECT r.entity_ref, r.applies || char(31) || coalesce(r.owner_ref, '') || char(31) || coalesce(r.level, '') || char(31) ||
             r.level_rank || char(31) || r.score || char(31) || r.states
           FROM score_results r
           WHERE r.id IN (SELECT (SELECT max(s.id) FROM score_results s WHERE s.entity_ref = j.value AND s.scorecard_id = ?) FROM json_each(?) j)`,
        )
        .raw(),
      readStandings: db.prepare('SELECT computed_at, totals FROM team_standings WHERE scorecard_id = ? AND as_of = ?'),
      writeStandings: db.prepare(
        `INSERT INTO team_standings (scorecard_id, as_of, computed_at, totals) VALUES (?, ?, ?, ?)
         ON CONFLICT (scorecard_id, as_of) DO UPDATE SET computed_at = excluded.computed_at, totals = excluded.totals`,
      ),
      finishRun: db.prepare('UPDATE score_runs SET evaluated = ?, changed = ? WHERE id = ?'),
      insertRun: db.prepare('INSERT INTO score_runs (at, trigger, scorecards, full, evaluated, changed) VALUES (?, ?, ?, ?, ?, ?)'),
      insertResult: db.prepare(
        `INSERT INTO score_results (run_id, entity_ref, scorecard_id, at, applies, owner_ref, level, level_rank, score, states)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  readStandings(scorecardId: string, asOf: string): StoredStandings | undefined {
    // Parsed once per change: a leaderboard reads every scorecard's standings (17 KB of JSON each
    // at 10k services), `team` and `leaderboard` several times per ask; parsing them was 5% of
    // serve's main thread under load. Callers only read what they get. Not inside a transaction,
    // which could still roll back what it wrote.
    if (this.#db.inTransaction) return this.#readStandingsRow(scorecardId, asOf);
    const version = this.#stmt.changes.get() as number;
    const key = `${scorecardId}\u0000${asOf}`;
    const hit = this.#standings.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = this.#readStandingsRow(scorecardId, asOf);
    // Bounded: a few scorecards, each with `now` and the weeks asked for.
    if (this.#standings.size >= 1000) this.#standings.clear();
    this.#standings.set(key, { version, value });
    return value;
  }

  #readStandingsRow(scorecardId: string, asOf: string): StoredStandings | undefined {
    const row = this.#stmt.readStandings.get(scorecardId, asOf) as { computed_at: string; totals: string } | undefined;
    if (!row) return undefined;
    const { totals, others } = JSON.parse(row.totals) as Pick<StoredStandings, 'totals' | 'others'>;
    return { computedAt: new Date(row.computed_at), totals, others };
  }

  writeStandings(scorecardId: string, asOf: string, standings: StoredStandings): void {
    this.#stmt.writeStandings.run(scorecardId, asOf, standings.computedAt.toISOString(), JSON.stringify({ totals: standings.totals, others: standings.others }));
  }

  updateStandings(scorecardId: string, asOf: string, update: (stored: StoredStandings | undefined) => StoredStandings | undefined): void {
    this.#db
      .transaction(() => {
        const next = update(this.#readStandingsRow(scorecardId, asOf));
        if (next) this.writeStandings(scorecardId, asOf, next);
      })
      .immediate();
  }

  historyOf(entityRef: string, scorecardId: string, limit = 100): StoredResult[] {
    return (this.#stmt.history.all(entityRef, scorecardId, limit) as ResultRow[]).map(toResult);
  }

  latest(scorecardId: string, asOf?: Date): StoredResult[] {
    return this.#latestRows(scorecardId, asOf)
      .filter((r) => r.applies === 1)
      .map(toResult);
  }

  summaries(scorecardId: string, asOf?: Date): ResultSummary[] {
    const rows = this.#stmt.summaries.all(scorecardId, asOf ? asOf.toISOString() : '9') as Array<[string | null, string | null, number, number]>;
    return rows.map(([owner, level, levelRank, score]) => ({ applies: true, ownerRef: owner ?? undefined, level: level ?? undefined, levelRank, score }));
  }

  allSummaries(asOf?: Date): Map<string, ResultSummary[]> {
    const out = new Map<string, ResultSummary[]>();
    for (const [card, owner, level, levelRank, score] of this.#stmt.allSummaries.iterate(asOf ? asOf.toISOString() : '9') as IterableIterator<
      [string, string | null, string | null, number, number]
    >) {
      let list = out.get(card);
      if (!list) out.set(card, (list = []));
      list.push({ applies: true, ownerRef: owner ?? undefined, level: level ?? undefined, levelRank, score });
    }
    return out;
  }

  version(): number {
    return this.#stmt.version.get() as number;
  }

  #signatures(scorecardId: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [ref, sig] of this.#stmt.signatures.iterate(scorecardId) as IterableIterator<[string, string]>) out.set(ref, sig);
    return out;
  }

  #latestRows(scorecardId: string, asOf?: Date): ResultRow[] {
    // '9' sorts after every ISO timestamp: no bound.
    return this.#stmt.latestAll.all(scorecardId, asOf ? asOf.toISOString() : '9') as ResultRow[];
  }

  startRun(run: ScoreRun): RunRecorder {
    const at = run.at.toISOString();
    const scorecards = JSON.stringify(run.scorecardIds);
    let runId: number | undefined;
    let evaluated = 0;
    let changed = 0;
    // Refs seen per scorecard: what finish() must not mark as no longer applying.
    const seen = new Map<string, Set<string>>(run.scorecardIds.map((id) => [id, new Set<string>()]));
    const write = (rows: ReadonlyArray<{ r: ResultInput; states: string }>): void => {
      // One transaction per batch, not per run: the bot's own writes wait at most one batch for the lock.
      this.#db
        .transaction(() => {
          runId ??= Number(this.#stmt.insertRun.run(at, run.trigger, scorecards, run.full ? 1 : 0, 0, 0).lastInsertRowid);
          for (const { r, states } of rows) {
            this.#stmt.insertResult.run(runId, r.entityRef, r.scorecardId, at, r.applies ? 1 : 0, r.ownerRef ?? null, r.level ?? null, r.levelRank, r.score, states);
          }
        })
        .immediate();
      changed += rows.length;
    };
    return {
      add: (results) => {
        evaluated += results.length;
        const byCard = new Map<string, ResultInput[]>();
        for (const r of results) {
          let list = byCard.get(r.scorecardId);
          if (!list) byCard.set(r.scorecardId, (list = []));
          list.push(r);
        }
        const writes: Array<{ r: ResultInput; states: string }> = [];
        for (const [scorecardId, list] of byCard) {
          const previous = new Map(
            this.#stmt.batchSignatures.all(scorecardId, JSON.stringify(list.map((r) => r.entityRef))) as Array<[string, string]>,
          );
          let seenHere = seen.get(scorecardId);
          if (!seenHere) seen.set(scorecardId, (seenHere = new Set()));
          for (const r of list) {
            seenHere.add(r.entityRef);
            const before = previous.get(r.entityRef);
            const states = JSON.stringify(r.states);
            if (before === undefined && !r.applies) continue;
            if (before === signature(r.applies, r.ownerRef, r.level, r.levelRank, r.score, states)) continue;
            writes.push({ r, states });
          }
        }
        if (writes.length > 0) write(writes);
      },
      finish: () => {
        if (run.full) {
          const gone: Array<{ r: ResultInput; states: string }> = [];
          for (const [scorecardId, seenHere] of seen) {
            for (const [entityRef, sig] of this.#stmt.signatures.iterate(scorecardId) as IterableIterator<[string, string]>) {
              if (seenHere.has(entityRef) || !sig.startsWith('1')) continue;
              gone.push({ r: { entityRef, scorecardId, applies: false, ownerRef: undefined, level: undefined, levelRank: 0, score: 0, states: {} }, states: '{}' });
            }
          }
          if (gone.length > 0) write(gone);
        }
        if (runId === undefined && run.trigger === 'score') write([]);
        if (runId !== undefined) this.#stmt.finishRun.run(evaluated, changed, runId);
        return { changed };
      },
    };
  }

  record(run: ScoreRun, results: readonly ResultInput[]): { changed: number } {
    // The latest stored state of each (scorecard, service) as one signature string: a full run
    // compares 50,000 of them, and two strings a row read far faster than nine fields.
    const previous = new Map<string, Map<string, string>>();
    const bulk = run.full || results.length > BULK;
    if (bulk) {
      for (const id of run.scorecardIds) previous.set(id, this.#signatures(id));
    } else {
      for (const r of results) {
        const row = this.#stmt.history.get(r.entityRef, r.scorecardId, 1) as ResultRow | undefined;
        if (!row) continue;
        let byEntity = previous.get(r.scorecardId);
        if (!byEntity) previous.set(r.scorecardId, (byEntity = new Map()));
        byEntity.set(r.entityRef, rowSignature(row));
      }
    }

    const writes: Array<{ r: ResultInput; states: string }> = [];
    const seen = new Map<string, Set<string>>();
    for (const r of results) {
      let seenHere = seen.get(r.scorecardId);
      if (!seenHere) seen.set(r.scorecardId, (seenHere = new Set()));
      seenHere.add(r.entityRef);
      const before = previous.get(r.scorecardId)?.get(r.entityRef);
      const states = JSON.stringify(r.states);
      // A scorecard that never applied needs no row saying it still does not.
      if (before === undefined && !r.applies) continue;
      if (before === signature(r.applies, r.ownerRef, r.level, r.levelRank, r.score, states)) continue;
      writes.push({ r, states });
    }
    if (run.full) {
      // Services that were scored before and are no longer among the results: filtered out or gone.
      for (const [scorecardId, byEntity] of previous) {
        const seenHere = seen.get(scorecardId);
        for (const [entityRef, sig] of byEntity) {
          if (seenHere?.has(entityRef) || !sig.startsWith('1')) continue;
          writes.push({ r: { entityRef, scorecardId, applies: false, ownerRef: undefined, level: undefined, levelRank: 0, score: 0, states: {} }, states: '{}' });
        }
      }
    }
    if (writes.length === 0 && run.trigger !== 'score') return { changed: 0 };

    const at = run.at.toISOString();
    const write = this.#db.transaction(() => {
      const runId = Number(
        this.#stmt.insertRun.run(at, run.trigger, JSON.stringify(run.scorecardIds), run.full ? 1 : 0, results.length, writes.length).lastInsertRowid,
      );
      for (const { r, states } of writes) {
        this.#stmt.insertResult.run(runId, r.entityRef, r.scorecardId, at, r.applies ? 1 : 0, r.ownerRef ?? null, r.level ?? null, r.levelRank, r.score, states);
      }
    });
    write.immediate();
    return { changed: writes.length };
  }
}
