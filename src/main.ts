import { commands } from '../commands/index.js';
import type { Router } from './core/commands/index.js';
import { createRouter } from './core/commands/index.js';
import type { Clock, Logger } from './core/ports.js';
import { systemClock } from './core/ports.js';
import type { Db } from './infra/sqlite/open-database.js';
import { openDatabase } from './infra/sqlite/open-database.js';
import { CatalogStore } from './infra/sqlite/catalog-store.js';

/**
 * The composition root: the only file that knows every concrete part. Adapters, the CLI and the
 * test bot all get their bot from here, so they run the same code.
 */
export interface Steward {
  readonly db: Db;
  readonly catalog: CatalogStore;
  readonly router: Router;
  readonly clock: Clock;
  readonly logger: Logger;
  close(): void;
}

export interface StewardOptions {
  readonly db: string | Db;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly referenceId?: () => string;
}

export function createSteward(options: StewardOptions): Steward {
  const db = typeof options.db === 'string' ? openDatabase(options.db) : options.db;
  const clock = options.clock ?? systemClock;
  const catalog = new CatalogStore(db);
  const router = createRouter({
    commands,
    services: { catalog, clock },
    logger: options.logger,
    ...(options.referenceId ? { referenceId: options.referenceId } : {}),
  });
  return {
    db,
    catalog,
    router,
    clock,
    logger: options.logger,
    close: () => {
      if (db.open) db.close();
    },
  };
}
