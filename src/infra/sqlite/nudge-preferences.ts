import type { Disowned, NudgePreferences, Snooze } from '../../core/nudges/index.js';
import type { Db } from './open-database.js';

interface SnoozeRow {
  person_ref: string;
  entity_ref: string;
  scorecard_id: string;
  check_id: string;
  until: string;
}

/** Opt-outs, snoozed checks and "not my service", as people set them in chat. */
export class SqliteNudgePreferences implements NudgePreferences {
  readonly #stmt;

  constructor(db: Db) {
    this.#stmt = {
      isOut: db.prepare('SELECT 1 FROM nudge_optouts WHERE person_ref = ?').pluck(),
      allOut: db.prepare('SELECT person_ref FROM nudge_optouts').pluck(),
      optOut: db.prepare('INSERT INTO nudge_optouts (person_ref, at) VALUES (?, ?) ON CONFLICT (person_ref) DO NOTHING'),
      optIn: db.prepare('DELETE FROM nudge_optouts WHERE person_ref = ?'),
      snooze: db.prepare(
        `INSERT INTO nudge_snoozes (person_ref, entity_ref, scorecard_id, check_id, until, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (person_ref, entity_ref, scorecard_id, check_id) DO UPDATE SET until = excluded.until, at = excluded.at`,
      ),
      snoozes: db.prepare('SELECT person_ref, entity_ref, scorecard_id, check_id, until FROM nudge_snoozes WHERE until > ?'),
      disown: db.prepare('INSERT INTO nudge_disowned (person_ref, entity_ref, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      disowned: db.prepare('SELECT person_ref, entity_ref, at FROM nudge_disowned ORDER BY at, person_ref'),
    };
  }

  isOptedOut(personRef: string): boolean {
    return this.#stmt.isOut.get(personRef) !== undefined;
  }

  optedOut(): Set<string> {
    return new Set(this.#stmt.allOut.all() as string[]);
  }

  setOptedOut(personRef: string, optedOut: boolean, at: Date): void {
    if (optedOut) this.#stmt.optOut.run(personRef, at.toISOString());
    else this.#stmt.optIn.run(personRef);
  }

  snooze(s: Snooze, at: Date): void {
    this.#stmt.snooze.run(s.personRef, s.entityRef, s.scorecardId, s.checkId, s.until.toISOString(), at.toISOString());
  }

  snoozes(at: Date): Snooze[] {
    return (this.#stmt.snoozes.all(at.toISOString()) as SnoozeRow[]).map((r) => ({
      personRef: r.person_ref,
      entityRef: r.entity_ref,
      scorecardId: r.scorecard_id,
      checkId: r.check_id,
      until: new Date(r.until),
    }));
  }

  disown(personRef: string, entityRef: string, at: Date): void {
    this.#stmt.disown.run(personRef, entityRef, at.toISOString());
  }

  disowned(): Disowned[] {
    return (this.#stmt.disowned.all() as Array<{ person_ref: string; entity_ref: string; at: string }>).map((r) => ({
      personRef: r.person_ref,
      entityRef: r.entity_ref,
      at: new Date(r.at),
    }));
  }
}
