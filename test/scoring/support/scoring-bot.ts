import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entity } from '../../../src/core/catalog/index.js';
import type { RolloutPhase } from '../../../src/core/scoring/index.js';
import { toPlainText } from '../../../src/core/message/index.js';
import { importCatalog } from '../../../src/import-catalog.js';
import { createSteward } from '../../../src/app/create-steward.js';
import type { Steward, StewardOptions } from '../../../src/app/create-steward.js';
import type { LogRecord } from '../../support/memory-logger.js';
import { memoryLogger } from '../../support/memory-logger.js';
import type { Said } from '../../support/test-bot.js';
import { FIXTURES } from '../../support/test-bot.js';

export const SCORECARD_FIXTURES = join(FIXTURES, 'scorecards');
export const GOOD_SCORECARDS = join(SCORECARD_FIXTURES, 'good');
/** The test org's teams and people, plus the services the scorecard tests grade. */
export const SCORING_CATALOG = [join(FIXTURES, 'catalog', 'org.yaml'), join(FIXTURES, 'catalog', 'scorecards.yaml')];
export const START = new Date('2026-11-02T09:00:00Z');
const DAY_MS = 86_400_000;

export interface ScoringBotOptions {
  /** Scorecard folders; default the fixture scorecards only (readiness, docs). */
  readonly folders?: readonly string[];
  readonly includeDefaults?: boolean;
  readonly rollout?: Record<string, RolloutPhase>;
  readonly admins?: readonly string[];
  readonly fixLinkBaseUrl?: string;
  readonly catalog?: readonly string[];
  readonly now?: Date;
  /** Slack for the jobs' messenger (a fake Web API). */
  readonly slack?: StewardOptions['slack'];
  /** As serve runs it: no busy timeout, commands retried when the database is locked. */
  readonly nonBlockingWrites?: boolean;
}

export interface ScoringBot {
  readonly steward: Steward;
  readonly logs: LogRecord[];
  readonly dir: string;
  readonly dbPath: string;
  now(): Date;
  /** Moves the fixed clock, e.g. a week on: `advance(7)`. */
  advance(days: number): void;
  setNow(at: Date): void;
  entity(name: string): Entity;
  push(service: string, facts: Record<string, unknown>, options?: { source?: string; observedAt?: Date }): void;
  say(text: string, options?: { as?: string }): Promise<Said>;
  close(): void;
}

/**
 * The test bot with scorecards: the real composition root on a temp-file SQLite with every
 * migration, a clock the test moves by hand, the fixture org and the fixture scorecards.
 */
export function createScoringBot(options: ScoringBotOptions = {}): ScoringBot {
  const dir = mkdtempSync(join(tmpdir(), 'steward-scoring-'));
  const dbPath = join(dir, 'steward.db');
  const { logger, logs } = memoryLogger();
  let now = options.now ?? START;
  let refs = 0;
  const steward = createSteward({
    db: dbPath,
    logger,
    clock: { now: () => now },
    referenceId: () => `ref${String(++refs).padStart(3, '0')}`,
    scoring: {
      includeDefaults: options.includeDefaults ?? false,
      folders: options.folders ?? [GOOD_SCORECARDS],
      rollout: options.rollout,
      admins: options.admins,
      fixLinkBaseUrl: options.fixLinkBaseUrl ?? 'https://handbook.acme.example/eng/',
    },
    slack: options.slack,
    nonBlockingWrites: options.nonBlockingWrites,
  });
  const report = importCatalog(steward.catalog, options.catalog ?? SCORING_CATALOG, { now });
  if (report.errors.length > 0) throw new Error(`fixture catalog: ${report.errors.map((e) => e.message).join('; ')}`);
  const entity = (name: string): Entity => {
    const e = steward.catalog.lookup(name)[0];
    if (!e) throw new Error(`no entity ${name} in the fixture catalog`);
    return e;
  };
  return {
    steward,
    logs,
    dir,
    dbPath,
    now: () => now,
    advance(days) {
      now = new Date(now.getTime() + days * DAY_MS);
    },
    setNow(at) {
      now = at;
    },
    entity,
    push(service, facts, pushOptions = {}) {
      steward.scoring.pushFacts(entity(service), facts, { source: pushOptions.source ?? 'test', observedAt: pushOptions.observedAt });
    },
    async say(text, sayOptions = {}) {
      const email = sayOptions.as;
      const person = email ? steward.catalog.personByEmail(email) : undefined;
      const outcome = await steward.router.dispatch({ platform: 'shell', actor: { id: email ?? 'tester', email, person }, text, receivedAt: now });
      return { ...outcome, text: toPlainText(outcome.reply) };
    },
    close() {
      steward.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
