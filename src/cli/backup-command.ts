import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { backupDatabase } from '../infra/sqlite/backup-database.js';
import { openDatabase } from '../infra/sqlite/open-database.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, parseCli } from './cli-kit.js';

export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup <file>',
  summary: 'an online copy of the database, safe while serve runs',
  async run(args, io) {
    const { values, positionals } = parseCli(args, {}, true);
    if (positionals.length !== 1) throw new InputError('backup needs exactly one argument: the file to write, e.g. steward backup steward-2026-11-30.db');
    const config = configFrom(io, values);
    if (!existsSync(config.db)) throw new InputError(`database ${config.db} does not exist; nothing to back up`);
    const target = positionals[0]!;
    if (resolve(target) === resolve(config.db)) throw new InputError('backup: the target is the database itself; name another file');
    // A missing folder is created, as teams-package does: `backup /backups/$(date +%F).db` on a new host.
    mkdirSync(dirname(resolve(target)), { recursive: true });
    const db = openDatabase(config.db, { migrate: false });
    try {
      const result = await backupDatabase(db, target);
      io.out(`Backed up ${config.db} to ${result.file} (${result.pages} pages, integrity ${result.integrity}).\n`);
    } finally {
      db.close();
    }
    return EXIT.ok;
  },
};
