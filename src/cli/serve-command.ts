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
    const logger = createLogger({ level: config.logLevel });
    // Loaded here, not at the top: Bolt and botbuilder cost a second that `ask` should not pay.
    const { startServer } = await import('../serve.js');
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer({ config, logger });
    } catch (err) {
      // A bad token or missing Slack setting is a configuration problem: exit 2 with its message.
      if (err instanceof BotError && /^slack_(auth_failed|config)$/.test(err.code)) throw new InputError(err.message, { cause: err });
      throw err;
    }
    io.err(`steward serving on ${server.url}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    logger.info('shutting down');
    await server.close();
    return EXIT.ok;
  },
};
