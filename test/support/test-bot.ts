import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Outcome } from '../../src/core/commands/index.js';
import type { LogRecord } from './memory-logger.js';
import { memoryLogger } from './memory-logger.js';
import type { Reply } from '../../src/core/message/index.js';
import { toPlainText } from '../../src/core/message/index.js';
import { importCatalog } from '../../src/import-catalog.js';
import type { ImportReport } from '../../src/import-catalog.js';
import { createSteward } from '../../src/app/create-steward.js';
import type { Steward, StewardOptions } from '../../src/app/create-steward.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const SMALL_ORG = join(FIXTURES, 'catalog', 'all.yaml');
export const FIXED_NOW = new Date('2026-11-30T09:00:00Z');

export interface Said extends Outcome {
  /** The reply as the shell prints it. */
  readonly text: string;
}

export interface TestBot {
  readonly steward: Steward;
  readonly logs: LogRecord[];
  readonly imported: ImportReport | undefined;
  say(text: string, options?: { as?: string }): Promise<Said>;
  close(): void;
}

/**
 * The whole bot on a temp-file SQLite with every migration, a fixed clock and a named catalog,
 * driven the way a person drives it: `await bot.say('/service who-owns payments-api')`.
 */
export function createTestBot(
  options: { catalog?: string | null; scoring?: StewardOptions['scoring']; oncall?: StewardOptions['oncall']; github?: StewardOptions['github'] } = {},
): TestBot {
  const dir = mkdtempSync(join(tmpdir(), 'steward-test-'));
  const { logger, logs } = memoryLogger();
  let refs = 0;
  const steward = createSteward({
    db: join(dir, 'steward.db'),
    logger,
    clock: { now: () => FIXED_NOW },
    referenceId: () => `ref${String(++refs).padStart(3, '0')}`,
    ...(options.scoring ? { scoring: options.scoring } : {}),
    ...(options.oncall ? { oncall: options.oncall } : {}),
    ...(options.github ? { github: options.github } : {}),
  });
  const catalog = options.catalog === undefined ? SMALL_ORG : options.catalog;
  const imported = catalog === null ? undefined : importCatalog(steward.catalog, [catalog], { now: FIXED_NOW });
  return {
    steward,
    logs,
    imported,
    async say(text, sayOptions = {}) {
      const email = sayOptions.as;
      const person = email ? steward.catalog.personByEmail(email) : undefined;
      const outcome = await steward.router.dispatch({
        platform: 'shell',
        actor: { id: email ?? 'tester', email, person },
        text,
        receivedAt: FIXED_NOW,
      });
      return { ...outcome, text: toPlainText(outcome.reply) };
    },
    close() {
      steward.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const plain = (reply: Reply): string => toPlainText(reply);
