import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFactsApi } from './adapters/http/facts-api.js';
import { createGateApi } from './adapters/http/gate-api.js';
import { createHealthCheck } from './adapters/http/health-check.js';
import type { Handler } from './adapters/http/route-requests.js';
import { routeRequests } from './adapters/http/route-requests.js';
import type { SlackAdapter } from './adapters/slack/index.js';
import { createSlackAdapter } from './adapters/slack/index.js';
import type { Config } from './config.js';
import type { Clock, Logger } from './core/ports.js';
import type { Db } from './infra/sqlite/open-database.js';
import { SqliteIdentityStore } from './infra/sqlite/identity-store.js';
import type { Steward } from './main.js';
import { createSteward } from './main.js';

/**
 * `steward serve`: a composition file like main.ts. One `node:http` server on `config.port`
 * routes `/slack/events` to the Slack adapter (HTTP mode) and `/healthz` to the health check;
 * `/api/messages` (Teams) and `/metrics` join the route table later. With `SLACK_APP_TOKEN` the
 * Slack adapter uses Socket Mode and `/slack/events` is not served.
 */
export interface ServeOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** The database (path or open handle); default `config.db`. */
  readonly db?: string | Db | undefined;
  /** Used for every outgoing call: the Slack Web API, `response_url`, on-call providers (tests and proxies). */
  readonly fetch?: typeof fetch | undefined;
  readonly clock?: Clock | undefined;
  /** Slack Web API retries; default 2 (tests pass 0). */
  readonly slackRetries?: number | undefined;
  /** Reference ids shown to users when something breaks; injectable for tests. */
  readonly referenceId?: (() => string) | undefined;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly steward: Steward;
  readonly slack: SlackAdapter | undefined;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const steward = createSteward({
    db: options.db ?? config.db,
    logger,
    scoring: { ...config.scorecards, admins: config.admins },
    oncall: { config: config.oncall, timeZone: config.timezone, ...(options.fetch ? { fetch: options.fetch } : {}) },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.referenceId ? { referenceId: options.referenceId } : {}),
  });
  let slack: SlackAdapter | undefined;
  try {
    if (config.slack) {
      const { catalog } = steward;
      slack = await createSlackAdapter({
        botToken: config.slack.botToken,
        signingSecret: config.slack.signingSecret,
        appToken: config.slack.appToken,
        apiUrl: config.slack.apiUrl,
        router: steward.router,
        catalog,
        identities: new SqliteIdentityStore(steward.db),
        clock: steward.clock,
        logger,
        fetch: options.fetch,
        retries: options.slackRetries,
        referenceId: options.referenceId,
        // A Slack id learned from an email is remembered on the catalog person, so answers and
        // later jobs mention them without asking Slack again; one set in the catalog wins.
        onIdentityLearned: (email, slackUserId) => {
          const person = catalog.personByEmail(email);
          if (person && !person.slackId) catalog.setChatIdentity(person.ref, { slackId: slackUserId });
        },
      });
    } else {
      logger.warn('Slack is not configured (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN); /slack/events answers 404');
    }

    const ping = steward.db.prepare('SELECT 1').pluck();
    const routes: Record<string, Handler | undefined> = {
      '/slack/events': slack?.handle,
      '/healthz': createHealthCheck({ ping: () => steward.db.open && ping.get() === 1, logger }),
      '/api/v1/facts': createFactsApi({ token: config.apiToken, catalog: steward.catalog, scoring: steward.scoring, logger }),
      '/api/v1/gate/': createGateApi({ token: config.apiToken, catalog: steward.catalog, scoring: steward.scoring }),
    };
    const server = createServer(routeRequests(routes, logger));
    // Slack retries nothing a slow server eats, but a stuck client must not hold a socket forever.
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await slack?.start();
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    logger.info('steward serving', { port, slack: slack ? slack.mode : 'off' });

    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      steward,
      slack,
      close() {
        closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          await slack?.stop();
          steward.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await slack?.stop().catch(() => {});
    steward.close();
    throw err;
  }
}
