// A delivery pass in its own process, for the crash test: `node --import tsx deliver-child.ts <db> <slack api url> <stale after ms>`.
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/core/ports.js';
import { createOutreachSetup } from '../../../src/jobs.js';
import { createSteward } from '../../../src/app/create-steward.js';

const [db, apiUrl, staleAfterMs] = process.argv.slice(2);
const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: apiUrl, STEWARD_DB: db });
const steward = createSteward({ db: db!, logger: silentLogger, scoring: { includeDefaults: false, folders: [] }, slack: config.slack });
const setup = createOutreachSetup({ steward, config, logger: silentLogger, owner: `child:${process.pid}` });
const { deliverPending } = await import('../../../src/core/jobs/index.js');
const report = await deliverPending({
  ledger: setup.ledger,
  messengers: setup.messengers,
  clock: steward.clock,
  logger: silentLogger,
  owner: `child:${process.pid}`,
  wait: (ms) => new Promise((r) => setTimeout(r, ms)),
  concurrency: 1,
  staleAfterMs: Number(staleAfterMs),
});
process.stdout.write(JSON.stringify(report));
steward.close();
