import type { Exemption, ExemptionStore, NewExemption } from '../../core/scoring/index.js';
import type { Db } from './open-database.js';

interface ExemptionRow {
  id: number;
  entity_ref: string;
  scorecard_id: string;
  check_id: string;
  reason: string;
  until_day: string;
  created_by: string;
  created_at: string;
}

const COLUMNS = 'id, entity_ref, scorecard_id, check_id, reason, until_day, created_by, created_at';

const toExemption = (row: ExemptionRow): Exemption => ({
  id: row.id,
  entityRef: row.entity_ref,
  scorecardId: row.scorecard_id,
  checkId: row.check_id,
  reason: row.reason,
  until: row.until_day,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
});

/** Exemptions, kept after they end (and after they are replaced) as the record of who decided what. */
export class SqliteExemptionStore implements ExemptionStore {
  readonly #db: Db;
  readonly #stmt;

  constructor(db: Db) {
    this.#db = db;
    // `until_day >= today` is "still holds": an exemption covers its whole last day (UTC).
    this.#stmt = {
      of: db.prepare(`SELECT ${COLUMNS} FROM exemptions WHERE entity_ref = ? AND replaced_at IS NULL AND until_day >= ? ORDER BY id`),
      all: db.prepare(`SELECT ${COLUMNS} FROM exemptions WHERE replaced_at IS NULL AND until_day >= ? ORDER BY entity_ref, id`),
      replace: db.prepare(
        'UPDATE exemptions SET replaced_at = ? WHERE entity_ref = ? AND scorecard_id = ? AND check_id = ? AND replaced_at IS NULL',
      ),
      insert: db.prepare(
        `INSERT INTO exemptions (entity_ref, scorecard_id, check_id, reason, until_day, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      ),
    };
  }

  exemptionsOf(entityRef: string, at: Date): Exemption[] {
    return (this.#stmt.of.all(entityRef, at.toISOString().slice(0, 10)) as ExemptionRow[]).map(toExemption);
  }

  allExemptions(at: Date): Map<string, Exemption[]> {
    const out = new Map<string, Exemption[]>();
    for (const row of this.#stmt.all.all(at.toISOString().slice(0, 10)) as ExemptionRow[]) {
      let list = out.get(row.entity_ref);
      if (!list) out.set(row.entity_ref, (list = []));
      list.push(toExemption(row));
    }
    return out;
  }

  addExemption(e: NewExemption): Exemption {
    const run = this.#db.transaction((): Exemption => {
      const at = e.createdAt.toISOString();
      this.#stmt.replace.run(at, e.entityRef, e.scorecardId, e.checkId);
      return toExemption(this.#stmt.insert.get(e.entityRef, e.scorecardId, e.checkId, e.reason, e.until, e.createdBy, at) as ExemptionRow);
    });
    return run.immediate();
  }
}
