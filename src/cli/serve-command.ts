import { serveProblems } from '../config.js';
import { BotError, InputError } from '../core/errors.js';
import { createLogger } from '../infra/log/create-logger.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, parseCli } from './cli-kit.js';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve',
  summary: 'HTTP server on $PORT: Slack at /slack/events, /healthz; schedules the jobs',
  async run(args, io) {
    const { values } = parseCli(args, {});
    const config = configFrom(io, values);
    const problems = serveProblems(config);
    if (problems.length > 0) throw new InputError(`invalid configuration:\n  ${problems.join('\n  ')}`);
    // Asynchronous: a slow reader of the log pipe must not stall answers; flushed on the way out.
    const logger = createLogger({ level: config.logLevel, async: true });
    // Loaded here, not at the top: Bolt and botbuilder cost a second that `ask` should not pay.
    const { startServer } = await import('../serve.js');
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer({ config, logger });
    } catch (err) {
      // A bad token or missing Slack setting is a configuration problem: exit 2 with its message.
      await logger.flush();
      if (err instanceof BotError && /^slack_(auth_failed|config)$/.test(err.code)) throw new InputError(err.message, { cause: err });
      throw err;
    }
    // Listening before anything is printed: whoever reads the first line may signal at once.
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    io.err(`steward serving on ${server.url}\n`);
    if (Object.keys(server.steward.catalog.counts()).length === 0) {
      // Every answer would be "not found": say how to fill the catalog before anyone asks.
      io.err(`steward: the catalog in ${config.db} is empty; import one with steward import <catalog-info.yaml|folder> (or steward sync github --org ORG), then ask again.\n`);
    }
    await stopped;
    logger.info('shutting down');
    await server.close();
    await logger.flush();
    return EXIT.ok;
  },
};
