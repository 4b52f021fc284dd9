import { migrate } from '../infra/sqlite/migrate.js';
import { openDatabase } from '../infra/sqlite/open-database.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, parseCli } from './cli-kit.js';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'apply pending database migrations (every command also does it on start)',
  async run(args, io) {
    const { values } = parseCli(args, {});
    const config = configFrom(io, values);
    const db = openDatabase(config.db, { migrate: false });
    try {
      const result = migrate(db);
      const now = result.applied.length > 0 ? `: ${result.applied.join(', ')}` : '';
      io.out(`${config.db}: ${result.alreadyApplied} migration(s) applied before; ${result.applied.length} now${now}.\n`);
    } finally {
      db.close();
    }
    return EXIT.ok;
  },
};
