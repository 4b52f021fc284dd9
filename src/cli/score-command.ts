import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { SERVICE_KINDS, requireEntity } from '../core/catalog/index.js';
import type { Entity } from '../core/catalog/index.js';
import { CommandError, InputError } from '../core/errors.js';
import type { ScorecardResult } from '../core/scoring/index.js';
import { describeProvenance, levelLabel } from '../core/scoring/index.js';
import type { Steward } from '../app/create-steward.js';
import { stewardFromConfig } from '../app/create-steward.js';
import type { CliCommand, Io } from './cli-kit.js';
import { EXIT, configFrom, parseCli } from './cli-kit.js';

/**
 * The Steward for the scoring commands, with the config's scorecard folders, fix-link base,
 * rollout phases and admins. The database must exist: scoring a catalog nobody imported would
 * only ever say "not found".
 */
export function openScoringSteward(config: Config): Steward {
  if (config.db !== ':memory:' && !existsSync(config.db)) {
    throw new InputError(`database ${config.db} does not exist yet; run steward import <catalog> first (or pass --db)`);
  }
  return stewardFromConfig(config);
}

/**
 * Runs a scoring command, turning the answers scoring gives as CommandErrors into exit codes:
 * a service that is not in the catalog is a negative answer (1); everything else the caller
 * got wrong — scorecard, check, level, date, facts — is bad input (2).
 */
export async function withScoring(io: Io, config: Config, run: (steward: Steward) => number | Promise<number>): Promise<number> {
  const steward = openScoringSteward(config);
  try {
    return await run(steward);
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    io.err(`steward: ${err.message}${err.hint ? ` ${err.hint}` : ''}\n`);
    return err.code === 'not_found' ? EXIT.negative : EXIT.usage;
  } finally {
    steward.close();
  }
}

export const findService = (steward: Steward, name: string): Entity => requireEntity(steward.catalog, name, SERVICE_KINDS, 'service');

/** A result as JSON for scripts: stable keys, check states, evidence and fix links. */
export function resultJson(r: ScorecardResult): Record<string, unknown> {
  return {
    service: r.entityRef,
    scorecard: r.scorecard.id,
    level: r.level ?? null,
    score: r.score,
    owner: r.ownerRef ?? null,
    evaluatedAt: r.evaluatedAt.toISOString(),
    nextLevel: r.nextLevel ?? null,
    checks: r.checks.map((c) => ({
      id: c.check.id,
      title: c.check.title,
      level: c.check.level,
      weight: c.check.weight,
      state: c.state,
      evidence: c.evidence,
      ...(c.missing.length > 0 ? { missing: c.missing } : {}),
      ...(c.provenance.length > 0
        ? { facts: c.provenance.map((p) => ({ key: p.key, source: p.source, observedAt: p.observedAt.toISOString(), from: describeProvenance(p, r.evaluatedAt) })) }
        : {}),
      ...(c.exemption ? { exemption: { reason: c.exemption.reason, until: c.exemption.until, by: c.exemption.createdBy } } : {}),
      ...(c.state !== 'pass' ? { fix: c.fixUrl ?? null, how: c.check.fix.how } : {}),
    })),
  };
}

/** The column names above `resultRow`s of the same widths. */
export function resultHeader(width: { service: number; scorecard: number }): string {
  return `${'SERVICE'.padEnd(width.service)}  ${'SCORECARD'.padEnd(width.scorecard)}  ${'LEVEL'.padEnd(8)}  ${'SCORE'.padStart(7)}  CHECKS`;
}

/** `payments-api  production-readiness  Bronze  56/100  2 failing, 1 unknown` */
export function resultRow(r: ScorecardResult, width: { service: number; scorecard: number }): string {
  const n = (state: string): number => r.checks.filter((c) => c.state === state).length;
  const notes = [n('fail') > 0 ? `${n('fail')} failing` : '', n('unknown') > 0 ? `${n('unknown')} unknown` : '', n('exempt') > 0 ? `${n('exempt')} exempt` : '']
    .filter(Boolean)
    .join(', ');
  const name = r.entityRef.slice(r.entityRef.indexOf('/') + 1);
  return `${name.padEnd(width.service)}  ${r.scorecard.id.padEnd(width.scorecard)}  ${levelLabel(r.level).padEnd(8)}  ${String(r.score).padStart(3)}/100  ${notes || 'all passing'}`;
}

export const scoreCommand: CliCommand = {
  name: 'score',
  usage: 'score [--service NAME] [--scorecard ID] [--json]',
  summary: 'evaluate scorecards (every service, or one) and store the results',
  async run(args, io) {
    const { values } = parseCli(args, { service: { type: 'string' }, scorecard: { type: 'string' }, json: { type: 'boolean' } });
    return withScoring(io, configFrom(io, values), (steward) => {
      const s = steward.scoring;
      const started = performance.now();
      const ids = values.scorecard !== undefined ? [s.requireScorecard(values.scorecard).id] : undefined;
      const cardCount = ids?.length ?? s.scorecards.length;
      const order = new Map(s.scorecards.map((c, i) => [c.id, i]));
      // The JSON document is written a batch at a time too: at 50,000 services it is hundreds of MB.
      const json = values.json ? createJsonResults(io, steward.clock.now()) : undefined;
      // A full run streams (issue 14): each batch is stored, printed or reduced to a short row, and let go.
      const rows: Row[] = [];
      let services: number;
      let changed: number | undefined;
      const take = (batch: readonly ScorecardResult[]): void => {
        if (json) json.add(batch);
        else for (const r of batch) rows.push(toRow(r, order));
      };
      if (values.service !== undefined) {
        const results = s.evaluate(findService(steward, values.service), { ...(ids ? { scorecardIds: ids } : {}), record: 'score' });
        take(results);
        services = results.length > 0 ? 1 : 0;
      } else {
        ({ services, changed } = s.refreshInBatches({ ...(ids ? { scorecardIds: ids } : {}), trigger: 'score' }, take));
      }
      const seconds = (performance.now() - started) / 1000;
      if (json) {
        json.end();
        return EXIT.ok;
      }
      // By the name shown (not the ref, whose kind and namespace would scatter the names), then the scorecards' own order.
      rows.sort((a, b) => a.name.localeCompare(b.name) || a.ref.localeCompare(b.ref) || a.order - b.order);
      // Loops, not Math.max(...rows): spreading 50,000 values into a call overflows the stack.
      const width = { service: 7, scorecard: 9 };
      for (const r of rows) {
        if (r.name.length > width.service) width.service = r.name.length;
        if (r.scorecard.length > width.scorecard) width.scorecard = r.scorecard.length;
      }
      const lines: string[] = rows.length > 0 ? [resultHeader(width)] : [];
      const flush = (): void => {
        if (lines.length > 0) io.out(`${lines.join('\n')}\n`);
        lines.length = 0;
      };
      for (const r of rows) {
        lines.push(`${r.name.padEnd(width.service)}  ${r.scorecard.padEnd(width.scorecard)}  ${r.rest}`);
        if (lines.length === 1000) flush();
      }
      if (values.service !== undefined && rows.length === 0) lines.push(`No scorecard applies to ${values.service}.`);
      lines.push(
        `Evaluated ${services} service${services === 1 ? '' : 's'} against ${cardCount} scorecard${cardCount === 1 ? '' : 's'} in ${seconds.toFixed(2)} s` +
          (changed !== undefined ? `; ${changed} result${changed === 1 ? '' : 's'} changed since the last run.` : '.'),
      );
      flush();
      return EXIT.ok;
    });
  },
};

/** What the table keeps of a result: a few short strings instead of every check with its evidence. */
interface Row {
  readonly ref: string;
  readonly order: number;
  readonly name: string;
  readonly scorecard: string;
  /** Level, score and notes, already padded (they have fixed widths). */
  readonly rest: string;
}

function toRow(r: ScorecardResult, order: ReadonlyMap<string, number>): Row {
  const full = resultRow(r, { service: 0, scorecard: 0 });
  const name = r.entityRef.slice(r.entityRef.indexOf('/') + 1);
  // resultRow with zero widths is `name  scorecard  rest`: keep the rest, pad the first two later.
  return { ref: r.entityRef, order: order.get(r.scorecard.id) ?? 0, name, scorecard: r.scorecard.id, rest: full.slice(name.length + 2 + r.scorecard.id.length + 2) };
}

/** `{ "evaluatedAt": …, "results": [ … ] }` as JSON.stringify(…, null, 2) would write it, a batch at a time. */
function createJsonResults(io: Io, evaluatedAt: Date): { add(batch: readonly ScorecardResult[]): void; end(): void } {
  let count = 0;
  io.out(`{\n  "evaluatedAt": ${JSON.stringify(evaluatedAt.toISOString())},\n  "results": [`);
  return {
    add(batch) {
      if (batch.length === 0) return;
      const parts: string[] = [];
      for (const r of batch) {
        const text = JSON.stringify(resultJson(r), null, 2).replace(/\n/g, '\n    ');
        parts.push(`${count++ === 0 ? '' : ','}\n    ${text}`);
      }
      io.out(parts.join(''));
    },
    end() {
      io.out(count === 0 ? ']\n}\n' : '\n  ]\n}\n');
    },
  };
}
