import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { SERVICE_KINDS, requireEntity } from '../core/catalog/index.js';
import type { Entity } from '../core/catalog/index.js';
import { CommandError, InputError } from '../core/errors.js';
import type { ScorecardResult } from '../core/scoring/index.js';
import { levelLabel } from '../core/scoring/index.js';
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
      let results: ScorecardResult[];
      let changed: number | undefined;
      if (values.service !== undefined) {
        results = s.evaluate(findService(steward, values.service), { ...(ids ? { scorecardIds: ids } : {}), record: 'score' });
      } else {
        ({ results, changed } = s.refresh({ ...(ids ? { scorecardIds: ids } : {}), trigger: 'score' }));
      }
      const seconds = (performance.now() - started) / 1000;
      if (values.json) {
        io.out(`${JSON.stringify({ evaluatedAt: steward.clock.now().toISOString(), results: results.map(resultJson) }, null, 2)}\n`);
        return EXIT.ok;
      }
      const order = new Map(s.scorecards.map((c, i) => [c.id, i]));
      // By the name shown (not the ref, whose kind and namespace would scatter the names), then the scorecards' own order.
      const shown = (ref: string): string => ref.slice(ref.indexOf('/') + 1);
      const sorted = [...results].sort(
        (a, b) => shown(a.entityRef).localeCompare(shown(b.entityRef)) || a.entityRef.localeCompare(b.entityRef) || order.get(a.scorecard.id)! - order.get(b.scorecard.id)!,
      );
      const width = {
        service: Math.max(7, ...sorted.map((r) => r.entityRef.length - r.entityRef.indexOf('/') - 1)),
        scorecard: Math.max(9, ...sorted.map((r) => r.scorecard.id.length)),
      };
      const services = new Set(results.map((r) => r.entityRef)).size;
      const lines = sorted.length > 0 ? [resultHeader(width), ...sorted.map((r) => resultRow(r, width))] : [];
      if (values.service !== undefined && results.length === 0) lines.push(`No scorecard applies to ${values.service}.`);
      lines.push(
        `Evaluated ${services} service${services === 1 ? '' : 's'} against ${ids?.length ?? s.scorecards.length} scorecard${(ids?.length ?? s.scorecards.length) === 1 ? '' : 's'} in ${seconds.toFixed(2)} s` +
          (changed !== undefined ? `; ${changed} result${changed === 1 ? '' : 's'} changed since the last run.` : '.'),
      );
      io.out(`${lines.join('\n')}\n`);
      return EXIT.ok;
    });
  },
};
