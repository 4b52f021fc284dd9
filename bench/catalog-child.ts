import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { silentLogger } from '../src/core/ports.js';
import { importCatalog } from '../src/import-catalog.js';
import { openDatabase } from '../src/infra/sqlite/open-database.js';
import { createSteward } from '../src/main.js';

/**
 * One measured step of bench/catalog.ts in a process of its own, so its peak RSS is its own:
 * `idle` (just the modules loaded), `baseline <dir> <db>` (parse + one insert transaction) or
 * `import <dir> <db>` (steward's whole import). Prints one JSON line.
 */
const [step, dir, db] = process.argv.slice(2);
const started = performance.now();
let extra: Record<string, unknown> = {};
if (step === 'baseline') {
  const bare = openDatabase(db!, { migrate: false });
  bare.exec('CREATE TABLE raw (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
  const insert = bare.prepare('INSERT INTO raw (doc) VALUES (?)');
  bare.transaction(() => {
    for (const f of readdirSync(dir!).filter((n) => n.endsWith('.yaml'))) {
      for (const doc of loadAll(readFileSync(join(dir!, f), 'utf8'))) insert.run(JSON.stringify(doc));
    }
  })();
  bare.close();
} else if (step === 'import') {
  const steward = createSteward({ db: db!, logger: silentLogger });
  const report = importCatalog(steward.catalog, [join(dir!, 'all.yaml')]);
  extra = { entities: steward.db.prepare('SELECT count(*) FROM entities').pluck().get(), problems: report.errors.length, importSeconds: report.seconds };
  steward.close();
} else if (step !== 'idle') {
  throw new Error(`unknown step ${step}`);
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, ...extra })}\n`);
