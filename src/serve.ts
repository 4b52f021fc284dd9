import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFactsApi, createFactsReportApi } from './adapters/http/facts-api.js';
import { readReport } from './infra/reports/read-report.js';
import type { FactsCollectJob } from './core/facts/index.js';
import { createFactsCollectJob } from './core/facts/index.js';
import { createGateApi } from './adapters/http/gate-api.js';
import { createHealthCheck } from './adapters/http/health-check.js';
import { createPrometheusMetrics } from './infra/metrics/prometheus-metrics.js';
import type { Handler } from './adapters/http/route-requests.js';
import { routeRequests } from './adapters/http/route-requests.js';
import type { SlackAdapter } from './adapters/slack/index.js';
import { createSlackAdapter } from './adapters/slack/index.js';
import type { Config } from './config.js';
import { homeView } from './core/commands/index.js';
import { createInFlightLimit } from './core/commands/index.js';
import type { Clock, Logger } from './core/ports.js';
import type { Db } from './infra/sqlite/open-database.js';
import { createDatabasePing } from './infra/sqlite/open-database.js';
import { queuedIdentityStore, retryOnBusy } from './infra/sqlite/write-queue.js';
import type { TeamsAdapter } from './adapters/teams/index.js';
import type { Steward } from './app/create-steward.js';
import { stewardFromConfig } from './app/create-steward.js';
import type { GithubSyncJob } from './core/github/index.js';
import { createGithubSyncJob } from './core/github/index.js';
import type { CronScheduler } from './infra/cron/cron-scheduler.js';
import { createCronScheduler } from './infra/cron/cron-scheduler.js';
import type { RunningJobs } from './jobs.js';
import { startJobs } from './jobs.js';
import { createWebRoutes } from './adapters/web/web-routes.js';
import { createJobThreads } from './app/job-thread.js';
import type { JobName, JobResult } from './app/scheduled-work.js';
import { scheduledWork } from './app/scheduled-work.js';

/**
 * `steward serve`: the HTTP side of the composition (the parts come from src/app/create-steward.ts). One `node:http` server on `config.port`
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
  /** How long `close()` waits for requests and answers in flight (default 10 s). */
  readonly shutdownGraceMs?: number | undefined;
  /** Where botbuilder fetches the Bot Framework signing keys (tests point it at loopback). */
  readonly teamsOpenIdMetadataUrl?: string | undefined;
  /** Schedule the leaderboard and nudges (default true; tests of other routes may turn it off). */
  readonly jobs?: boolean | undefined;
  /** With `github:` in the config: sync once at start as well as on the schedule (default true). */
  readonly githubSyncOnStart?: boolean | undefined;
  /**
   * Run the scheduled jobs (GitHub sync, fact collection) in threads of their own (default true);
   * false runs them on the event loop, as the benchmark's side-by-side baseline does.
   */
  readonly jobThreads?: boolean | undefined;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly steward: Steward;
  readonly slack: SlackAdapter | undefined;
  readonly teams: TeamsAdapter;
  /** The scheduled GitHub organisation sync, when the config has `github:`. */
  readonly githubSync: GithubSyncJob | undefined;
  /** Fact collection on `facts.schedule` (default hourly), when a collector is configured (PagerDuty, Opsgenie, Prometheus). */
  readonly factsCollect: FactsCollectJob | undefined;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const metrics = createPrometheusMetrics({ catalogSize: () => steward.catalog.counts(), githubSync: () => githubSync?.status() });
  const started = Date.now();
  const steward = stewardFromConfig(config, {
    db: options.db,
    logger,
    metrics,
    clock: options.clock,
    referenceId: options.referenceId,
    fetch: options.fetch,
    teamsOpenIdMetadataUrl: options.teamsOpenIdMetadataUrl,
    // Requests must never wait with the whole thread for an import's write lock.
    nonBlockingWrites: true,
  });
  // One limit for every platform: it protects this process, whoever asks.
  const limit = createInFlightLimit({ global: config.limits.commandsInFlight, perUser: config.limits.commandsInFlightPerUser });
  let slack: SlackAdapter | undefined;
  // Read by /metrics at scrape time; set below when the config has `github:`.
  let githubSync: GithubSyncJob | undefined;
  let listening: ReturnType<typeof createServer> | undefined;
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
        identities: queuedIdentityStore(steward.stores.identities, steward.writes),
        clock: steward.clock,
        logger,
        fetch: options.fetch,
        retries: options.slackRetries,
        referenceId: options.referenceId,
        // The page records its evaluations: retried, not waited for, while an import holds the lock.
        home: (actor) =>
          retryOnBusy(() =>
            homeView({ catalog, clock: steward.clock, scoring: steward.scoring, oncall: steward.oncall, nudges: steward.nudges, fixes: steward.fixes, timeZone: config.timezone }, actor),
          ),
        limit,
        // A Slack id learned from an email is remembered on the catalog person, so answers and
        // later jobs mention them without asking Slack again; one set in the catalog wins.
        onIdentityLearned: (email, slackUserId) => {
          void steward.writes
            .enqueue('catalog chat identity', () => {
              const person = catalog.personByEmail(email);
              if (person && !person.slackId) catalog.setChatIdentity(person.ref, { slackId: slackUserId });
            })
            .catch(() => {});
        },
      });
    } else {
      logger.warn('Slack is not configured (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN); /slack/events answers 404');
    }
    // Teams is always served: with MICROSOFT_APP_ID JWTs are checked, without it emulator mode (loopback only).
    // Loaded here, not at the top: botbuilder takes a second or two to load, which every other CLI command would pay.
    const loadTeams = async (): Promise<TeamsAdapter> => {
      const { createTeamsAdapter } = await import('./adapters/teams/index.js');
      return createTeamsAdapter({
        connection: await steward.teams(),
        router: steward.router,
        catalog: steward.catalog,
        references: steward.stores.conversations,
        clock: steward.clock,
        logger,
        referenceId: options.referenceId,
        limit,
      });
    };
    // With an app id Teams is in use: load it now. In emulator mode (local development) botbuilder,
    // about 50 MB of RSS, waits for the first /api/messages or the first job that posts to Teams.
    const teams = config.teams.appId ? await loadTeams() : lazyTeams(loadTeams, logger);

    // The scheduled jobs run in threads of their own (src/app/job-thread.ts) when they can: with a
    // database file and nothing injected that a thread cannot share (a test's fetch or clock).
    const dbFile = typeof options.db === 'string' ? options.db : options.db === undefined ? config.db : options.db.name;
    const threads =
      options.jobThreads !== false && !options.fetch && !options.clock && dbFile !== '' && dbFile !== ':memory:'
        ? createJobThreads({ config, db: dbFile, logger })
        : undefined;
    const inProcess = scheduledWork(steward, config);
    const work = <J extends JobName>(job: J): (() => Promise<JobResult<J>>) => (threads ? () => threads.run(job) : () => inProcess[job]() as Promise<JobResult<J>>);

    // The GitHub organisation sync on its schedule (config `github:`), one run at a time.
    const syncConfig = config.github.sync;
    githubSync = syncConfig
      ? createGithubSyncJob({ schedule: syncConfig.schedule, clock: steward.clock, logger, sync: { org: syncConfig.org }, work: work('github-sync') })
      : undefined;

    // Fact collection on its schedule (`facts.schedule`), when PagerDuty or Prometheus is configured.
    const factsCollect =
      steward.factCollectors.length > 0
        ? createFactsCollectJob({
            work: work('facts-collect'),
            sources: steward.factCollectors.map((c) => c.id),
            schedule: config.facts.schedule,
            clock: steward.clock,
            logger,
          })
        : undefined;

    const ping = createDatabasePing(steward.db);
    let jobsStarted = false;
    const routes: Record<string, Handler | undefined> = {
      '/slack/events': slack?.handle,
      '/api/messages': teams.handle,
      '/healthz': createHealthCheck({
        ping,
        logger,
        details: () => ({
          database: 'ok',
          uptimeSeconds: Math.round((Date.now() - started) / 1000),
          slack: slack ? slack.mode : 'off',
          oncallProviders: [config.oncall.pagerduty ? 'pagerduty' : undefined, config.oncall.opsgenie ? 'opsgenie' : undefined].filter(Boolean),
          catalog: steward.catalog.counts(),
          jobs: jobsStarted
            ? {
                dryRun: config.outreach.dryRun,
                timezone: config.timezone,
                leaderboard: config.outreach.leaderboard.schedule,
                nudges: config.outreach.nudges.schedule,
              }
            : 'off',
          githubSync: githubSync ? githubSync.status() : 'off',
          factsCollect: factsCollect ? factsCollect.status() : 'off',
        }),
      }),
      '/metrics': async (req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(await metrics.render());
      },
      // Both record an evaluation: retried, not waited for, while an import holds the lock.
      '/api/v1/facts': createFactsApi({ token: config.apiToken, catalog: steward.catalog, scoring: steward.scoring, logger, runWrite: (w) => retryOnBusy(w) }),
      '/api/v1/facts/report': createFactsReportApi({ token: config.apiToken, catalog: steward.catalog, scoring: steward.scoring, logger, readReport, clock: steward.clock }),
      '/api/v1/gate/': createGateApi({ token: config.apiToken, catalog: steward.catalog, scoring: steward.scoring, runWrite: (w) => retryOnBusy(w) }),
      // The web scoreboard: `/`, `/scorecards/`, `/teams/`, `/services/`, `/signin`, `/signout`, `/web/style.css`.
      ...createWebRoutes({
        catalog: steward.catalog,
        scoring: steward.scoring,
        oncall: steward.oncall,
        clock: steward.clock,
        logger,
        store: steward.stores.signIns,
        ...config.web,
        fetch: options.fetch,
        runWrite: (w) => retryOnBusy(w),
      }),
    };
    const server = createServer(routeRequests(routes, logger));
    listening = server;
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
    jobsStarted = options.jobs !== false;
    // Teams reaches people and channels it has a stored conversation with; Slack by id or email.
    // With an app id the Steward has the Teams messenger already; in emulator mode only serve does.
    if (teams.mode === 'emulator') steward.addMessenger(teams.messenger);
    const jobs: RunningJobs | undefined = options.jobs === false ? undefined : await startJobs({ steward, config, logger, metrics });
    // A run missed while Steward was down runs now, without holding up the start.
    const catchingUp = jobs?.catchUp().catch((err: unknown) => logger.error('outreach catch-up failed', { err: String(err) }));
    let githubScheduler: CronScheduler | undefined;
    let firstSync: Promise<unknown> | undefined;
    if (githubSync && syncConfig) {
      const sync = githubSync;
      githubScheduler = createCronScheduler({ logger });
      githubScheduler.schedule('github-sync', syncConfig.schedule, config.timezone, async () => {
        await sync.run();
      });
      if (options.githubSyncOnStart !== false) firstSync = sync.run();
    }
    let factsScheduler: CronScheduler | undefined;
    if (factsCollect) {
      factsScheduler = createCronScheduler({ logger });
      factsScheduler.schedule('facts-collect', config.facts.schedule, config.timezone, async () => {
        await factsCollect.run();
      });
    }
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    logger.info('steward serving', { port, slack: slack ? slack.mode : 'off' });

    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      steward,
      slack,
      teams,
      githubSync,
      factsCollect,
      close() {
        // Stop accepting, let requests and answers in flight finish, but never wait forever:
        // after the grace period open connections are cut and the database is closed anyway.
        closing ??= (async () => {
          const grace = options.shutdownGraceMs ?? 10_000;
          let timer: NodeJS.Timeout | undefined;
          const deadline = new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), grace);
            timer.unref();
          });
          // A job mid-run is asked to stop at once, beside the draining: it stops at its next await
          // (a transaction under way commits first) and the next run does the work again.
          const stoppingJobs = threads?.stop();
          const drained = (async () => {
            await new Promise<void>((resolve) => {
              // Keep-alive connections turn idle one by one as their last answer goes out (Slack and
              // load balancers keep them open): close each then, or close() waits the whole grace.
              const sweep = setInterval(() => server.closeIdleConnections(), 100);
              sweep.unref();
              server.close(() => {
                clearInterval(sweep);
                resolve();
              });
              server.closeIdleConnections();
            });
            await stoppingJobs;
            await slack?.stop();
            await teams.stop();
            await catchingUp;
            await jobs?.stop();
            await githubScheduler?.stop();
            await factsScheduler?.stop();
            await firstSync;
            await steward.writes.drain();
            return 'drained' as const;
          })();
          const how = await Promise.race([drained, deadline]);
          clearTimeout(timer);
          if (how === 'timeout') {
            logger.warn('shutdown grace period over; closing open connections', { graceMs: grace });
            server.closeAllConnections();
          }
          steward.close();
          logger.info('stopped', { how });
        })();
        return closing;
      },
    };
  } catch (err) {
    // Never half-started: a failure after listen (the jobs) must not leave the port open.
    if (listening?.listening) {
      listening.closeAllConnections();
      await new Promise<void>((resolve) => listening!.close(() => resolve()));
    }
    await slack?.stop().catch(() => {});
    steward.close();
    throw err;
  }
}

/**
 * The Teams adapter in emulator mode, loaded on first use: the first `/api/messages` request or
 * message to Teams loads botbuilder; until then `idle` and `stop` have nothing to wait for.
 */
function lazyTeams(load: () => Promise<TeamsAdapter>, logger: Logger): TeamsAdapter {
  let loading: Promise<TeamsAdapter> | undefined;
  const adapter = (): Promise<TeamsAdapter> => (loading ??= load());
  return {
    mode: 'emulator',
    handle: (req, res) => {
      adapter().then(
        (a) => a.handle(req, res),
        (err: unknown) => {
          logger.error('Teams adapter failed to load', { err: err instanceof Error ? err.message : String(err) });
          req.resume();
          if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' }).end('Teams is unavailable');
        },
      );
    },
    messenger: {
      platform: 'teams',
      postToChannel: async (channel, reply) => (await adapter()).messenger.postToChannel(channel, reply),
      sendDirect: async (person, reply) => (await adapter()).messenger.sendDirect(person, reply),
    },
    idle: async () => {
      if (loading) await (await loading).idle();
    },
    stop: async () => {
      if (loading) await (await loading.catch(() => undefined))?.stop();
    },
  };
}
