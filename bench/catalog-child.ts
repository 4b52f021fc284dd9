import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { openDatabase } from '../src/infra/sqlite/open-database.js';

/**
 * The baseline of bench/catalog.ts in a process of its own, so its peak RSS is its own: js-yaml
 * parses every file of the folder and one transaction inserts each document as JSON, with no
 * checks, no relations and no index. `baseline <dir> <db>` prints one JSON line.
 */
const [step, dir, db] = process.argv.slice(2);
if (step !== 'baseline' || !dir || !db) throw new Error('usage: catalog-child.ts baseline <dir> <db>');
const started = performance.now();
const bare = openDatabase(db, { migrate: false });
bare.exec('CREATE TABLE raw (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
const insert = bare.prepare('INSERT INTO raw (doc) VALUES (?)');
// Subfolders too: the large generated orgs keep their components in components/.
const yamlFiles = (folder: string): string[] =>
  readdirSync(folder)
    .sort()
    .flatMap((n) => (statSync(join(folder, n)).isDirectory() ? yamlFiles(join(folder, n)) : n.endsWith('.yaml') ? [join(folder, n)] : []));
bare.transaction(() => {
  for (const f of yamlFiles(dir)) {
    for (const doc of loadAll(readFileSync(f, 'utf8'))) insert.run(JSON.stringify(doc));
  }
})();
bare.close();
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
