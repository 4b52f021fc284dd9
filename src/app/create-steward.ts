import type { Config, FactsConfig } from '../config.js';
import type { CollectFactsDeps, FactCollector } from '../core/facts/index.js';
import { createPagerDutyCollector } from '../infra/pagerduty/pagerduty-collector.js';
import { createOpsgenieCollector } from '../infra/opsgenie/opsgenie-collector.js';
import { createPrometheusCollector } from '../infra/prometheus/prometheus-collector.js';
import type { TeamsConnection, TeamsConnectionOptions } from '../adapters/teams/connection.js';
import type { Platform } from '../core/message/index.js';
import type { Messenger } from '../core/messaging/index.js';
import type { DeliveryLedger, JobRuns } from '../core/jobs/index.js';
import type { EtagCache, GithubReader, GithubSyncState, SyncGithubDeps } from '../core/github/index.js';
import { parseDescriptors } from './parse-descriptors.js';
import type { IdentityStore } from '../core/people/index.js';
import type { ExemptionStore, FactStore, ScoreHistory, StandingsStore } from '../core/scoring/index.js';
import { createLogger } from '../infra/log/create-logger.js';
import { ConversationStore } from '../infra/sqlite/conversation-store.js';
import { SqliteDeliveryLedger } from '../infra/sqlite/delivery-ledger.js';
import { GithubStore } from '../infra/sqlite/github-store.js';
import { SqliteIdentityStore } from '../infra/sqlite/identity-store.js';
import { SqliteJobRuns } from '../infra/sqlite/job-runs.js';

import { commands } from '../../commands/index.js';
import type { Router } from '../core/commands/index.js';
import { createRouter } from '../core/commands/index.js';
import type { Clock, Logger, Metrics } from '../core/ports.js';
import { noMetrics, systemClock } from '../core/ports.js';
import type { Db } from '../infra/sqlite/open-database.js';
import { openDatabase } from '../infra/sqlite/open-database.js';
import type { WriteQueue } from '../infra/sqlite/write-queue.js';
import { createWriteQueue, retryOnBusy } from '../infra/sqlite/write-queue.js';
import { CatalogStore } from '../infra/sqlite/catalog-store.js';
import type { ScoringService } from '../core/scoring/index.js';
import { createScoringService } from '../core/scoring/index.js';
import type { ScorecardSettings } from '../infra/scorecards/load-scorecards.js';
import { loadScorecards } from '../infra/scorecards/load-scorecards.js';
import { SqliteExemptionStore } from '../infra/sqlite/exemption-store.js';
import { SqliteFactStore } from '../infra/sqlite/fact-store.js';
import { SqliteScoreStore } from '../infra/sqlite/score-store.js';
import type { OncallConfig, OncallProvider, OncallService } from '../core/oncall/index.js';
import { DEFAULT_ONCALL_CONFIG, configuredRotations, createOncallService } from '../core/oncall/index.js';
import { createOpsgenieProvider } from '../infra/opsgenie/opsgenie-provider.js';
import { createPagerDutyProvider } from '../infra/pagerduty/pagerduty-provider.js';
import { OncallStore } from '../infra/sqlite/oncall-store.js';
import type { NudgePreferences } from '../core/nudges/index.js';
import { SqliteNudgePreferences } from '../infra/sqlite/nudge-preferences.js';
import type { SignInLinks, SignInStore } from '../core/web/index.js';
import { SqliteSignInStore } from '../infra/sqlite/sign-in-store.js';
import { createSignInLinks } from '../adapters/web/session.js';
import type { FixService, FixWriter } from '../core/fixes/index.js';
import { createFixService } from '../core/fixes/index.js';
import { editCatalogInfo } from '../infra/backstage/edit-catalog-info.js';

/**
 * The composition root: the only place that knows every concrete part. Every store, provider and
 * messenger is built here, once, and handed out as a port; `serve`, the jobs, the CLI commands and
 * the test bot all get their Steward from here, so they run the same code. Stores are built on
 * first use: a one-off CLI command prepares the statements it needs and no more.
 */
export interface Steward {
  readonly db: Db;
  readonly catalog: CatalogStore;
  readonly router: Router;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly scoring: ScoringService;
  /** On-call lookups; `oncall.refresh()` is what a scheduler calls to keep answers warm. */
  readonly oncall: OncallService;
  /** Opt-outs, snoozes and "not my service": the chat commands and the nudge buttons write here. */
  readonly nudges: NudgePreferences;
  /** Personal sign-in links to the web scoreboard (`scoreboard`); `publicUrl` undefined when not configured. */
  readonly signIn: SignInLinks;
  readonly stores: StewardStores;
  /** Fix pull requests (`steward fix`, the chat command `fix` and its buttons); GitHub writes need a token. */
  readonly fixes: FixService;
  /**
   * The messengers of the configured platforms, Slack first, built once. Teams joins when it is
   * connected (`steward serve` hands its adapter's messenger over with `addMessenger`).
   */
  messengers(): readonly Messenger[];
  /** The Bot Framework connection (botbuilder, loaded on first use), one per process. */
  teams(): Promise<TeamsConnection>;
  /** The GitHub reader (octokit, loaded on first use); undefined without a token. */
  githubReader(): Promise<GithubReader | undefined>;
  /** Everything `syncGithub` runs on (`sync github` and serve's schedule); undefined without a token. */
  githubSync(): Promise<SyncGithubDeps | undefined>;
  addMessenger(messenger: Messenger): void;
  /** The configured fact sources, PagerDuty and Opsgenie before Prometheus (see `factCollectors`); none without tokens or URLs. */
  readonly factCollectors: readonly FactCollector[];
  /** Everything `collectFacts` runs on (`facts collect` and serve's schedule). */
  factsCollect(): CollectFactsDeps;
  /** The bot's own writes that must not block (see `nonBlockingWrites`); serve drains it on shutdown. */
  readonly writes: WriteQueue;
  close(): void;
}

/** The SQLite stores behind core's ports, one instance each per Steward. */
export interface StewardStores {
  /** Score history, and the team standings kept from it. */
  readonly scores: ScoreHistory & StandingsStore;
  readonly facts: FactStore;
  readonly exemptions: ExemptionStore;
  /** Chat identities learned from Slack (email ↔ user id). */
  readonly identities: IdentityStore;
  /** Teams conversation references (proactive messages need them). */
  readonly conversations: ConversationStore;
  readonly ledger: DeliveryLedger;
  readonly jobRuns: JobRuns;
  readonly github: GithubSyncState & EtagCache;
  /** Web scoreboard sign-in links and the shared session secret. */
  readonly signIns: SignInStore;
}

export interface StewardOptions {
  readonly db: string | Db;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly referenceId?: () => string;
  /**
   * `serve`: the connection never waits for another process's write lock (busy_timeout 0, since
   * better-sqlite3 would wait with the whole thread); a command whose write finds it taken runs
   * again a moment later, and the bot's own writes go through `writes`, retried the same way.
   */
  readonly nonBlockingWrites?: boolean | undefined;
  /** Where command, provider and job figures go (Prometheus in `serve`); none by default. */
  readonly metrics?: Metrics | undefined;
  /** Scorecard folders, fix-link base, rollout and chat admins (from the config); the bundled scorecards load by default. */
  readonly scoring?: (ScorecardSettings & { readonly admins?: readonly string[] | undefined; readonly exemptionWarnDays?: number | undefined }) | undefined;
  /** On-call providers and rotations (`config.oncall`), the zone for "until" (`config.timezone`), and `fetch` for tests. */
  readonly oncall?: { readonly config?: OncallConfig; readonly timeZone?: string; readonly fetch?: typeof fetch } | undefined;
  /** GitHub for `sync github` (`config.github`): a token and the REST base URL. */
  readonly github?:
    | {
        readonly token: string | undefined;
        readonly apiUrl: string;
        readonly fetch?: typeof fetch | undefined;
        /** Spacing of the fix writer's writes; undefined keeps octokit's one per second (tests pass 0). */
        readonly writeSpacingMs?: number | undefined;
      }
    | undefined;
  /**
   * Teams (`config.teams`): with an app id the jobs reach Teams from any process (the CLI too);
   * without one Teams runs in emulator mode, for `serve` alone.
   */
  readonly teams?: Omit<TeamsConnectionOptions, 'references' | 'clock'> | undefined;
  /** Slack for the jobs' messenger (`config.slack`); `fetch` and retries for tests and proxies. */
  readonly slack?: { readonly botToken: string; readonly apiUrl: string; readonly fetch?: typeof fetch | undefined } | undefined;
  /** Fact collectors (`config.facts`; PagerDuty's token is the on-call one) and `fetch` for tests. */
  readonly facts?: { readonly prometheus?: FactsConfig['prometheus']; readonly fetch?: typeof fetch | undefined } | undefined;
  /** The web scoreboard's public address (`config.web.publicUrl`), for sign-in links and "Open in browser". */
  readonly web?: { readonly publicUrl: string | undefined } | undefined;
}

export function createSteward(options: StewardOptions): Steward {
  // Scorecards first: a broken definition stops start-up before the database is opened.
  const scorecards = loadScorecards(options.scoring);
  const db = typeof options.db === 'string' ? openDatabase(options.db) : options.db;
  if (options.nonBlockingWrites) db.pragma('busy_timeout = 0');
  const writes = createWriteQueue({ logger: options.logger });
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? noMetrics;
  const catalog = new CatalogStore(db);
  const stores = lazyStores({
    scores: () => new SqliteScoreStore(db),
    facts: () => new SqliteFactStore(db),
    exemptions: () => new SqliteExemptionStore(db),
    identities: () => new SqliteIdentityStore(db),
    conversations: () => new ConversationStore(db),
    ledger: () => new SqliteDeliveryLedger(db),
    jobRuns: () => new SqliteJobRuns(db),
    github: () => new GithubStore(db),
    signIns: () => new SqliteSignInStore(db),
  });

  const oncallSettings = options.oncall?.config ?? DEFAULT_ONCALL_CONFIG;
  const oncallFetch = options.oncall?.fetch ?? fetch;
  const { pagerduty: pd, opsgenie: og } = oncallSettings;
  const oncallProviders: OncallProvider[] = [
    ...(pd ? [createPagerDutyProvider({ token: pd.token, baseUrl: pd.apiUrl, webUrl: pd.webUrl, fetch: oncallFetch, clock })] : []),
    ...(og ? [createOpsgenieProvider({ apiKey: og.apiKey, baseUrl: og.apiUrl, webUrl: og.webUrl, fetch: oncallFetch, clock })] : []),
  ].map((p) => measuredProvider(p, metrics));
  const oncall = createOncallService({
    catalog,
    cache: new OncallStore(db),
    providers: oncallProviders,
    clock,
    logger: options.logger,
    rotations: configuredRotations(oncallSettings.rotations),
    timeZone: options.oncall?.timeZone,
    timeoutMs: oncallSettings.timeoutMs,
    freshForMs: oncallSettings.freshForMs,
  });
  const scoring = createScoringService({
    catalog,
    entities: catalog,
    facts: stores.facts,
    exemptions: stores.exemptions,
    history: stores.scores,
    standingsStore: stores.scores,
    scorecards,
    admins: options.scoring?.admins,
    exemptionWarnDays: options.scoring?.exemptionWarnDays,
    clock,
    logger: options.logger,
    // Whether a service has an on-call rotation and from which source, resolved live from the
    // catalog (its own annotations, its system's, its team's, or a native rotation).
    derivedFacts: (entity) => oncall.facts(entity),
  });
  const nudges = new SqliteNudgePreferences(db);
  let writer: Promise<FixWriter | undefined> | undefined;
  const fixes = createFixService({
    catalog,
    scoring,
    repositories: { repositoryOf: (ref) => stores.github.repositoryOf(ref) },
    editCatalogInfo,
    writer: () =>
      (writer ??= (async () => {
        const settings = options.github;
        if (!settings?.token) return undefined;
        // Loaded on the first fix: octokit is not needed by anything else a command does.
        const { createGithubWriter } = await import('../infra/github/github-writer.js');
        return createGithubWriter({
          token: settings.token,
          baseUrl: settings.apiUrl,
          logger: options.logger,
          ...(settings.fetch ? { fetch: settings.fetch } : {}),
          ...(settings.writeSpacingMs !== undefined ? { writeSpacingMs: settings.writeSpacingMs, retryAfterBaseValue: 1 } : {}),
        });
      })()),
  });
  // Through the lazy store: a CLI command that mints no link prepares none of its statements.
  const signInStore: SignInStore = {
    addLink: (hash, link) => stores.signIns.addLink(hash, link),
    peekLink: (hash, now) => stores.signIns.peekLink(hash, now),
    consumeLink: (hash, now) => stores.signIns.consumeLink(hash, now),
    setting: (key, generate) => stores.signIns.setting(key, generate),
  };
  const signIn = createSignInLinks({ store: signInStore, publicUrl: options.web?.publicUrl, clock });
  const router = createRouter({
    commands,
    services: { catalog, clock, scoring, oncall, nudges, signIn, fixes, timeZone: options.oncall?.timeZone },
    logger: options.logger,
    ...(options.referenceId ? { referenceId: options.referenceId } : {}),
    ...(options.nonBlockingWrites ? { runCommand: <T>(work: () => Promise<T>) => retryOnBusy(work) } : {}),
    // One log line per command, with the id that ties it to the adapter's lines and, on an
    // internal error, the reference the user was shown.
    observe: ({ invocation, outcome, seconds, id }) => {
      const command = outcome.command ?? 'unknown';
      metrics.commandHandled({ command, outcome: outcome.outcome, platform: invocation.platform, seconds });
      options.logger.info('command', {
        id,
        command,
        outcome: outcome.outcome,
        platform: invocation.platform,
        ms: Math.round(seconds * 10_000) / 10,
        ...(outcome.referenceId ? { ref: outcome.referenceId } : {}),
        ...(outcome.errorCode ? { code: outcome.errorCode } : {}),
      });
    },
  });

  let teamsConnection: Promise<TeamsConnection> | undefined;
  const teams = (): Promise<TeamsConnection> =>
    (teamsConnection ??= (async () => {
      const { createTeamsConnection } = await import('../adapters/teams/connection.js');
      return createTeamsConnection({ ...options.teams, references: stores.conversations, clock });
    })());
  const slack = options.slack;
  // The SDKs load on the first send: every other CLI command would pay their start-up time.
  const messengers: Messenger[] = [
    ...(slack
      ? [
          lazyMessenger('slack', async () => {
            const { createSlackJobMessenger } = await import('../adapters/slack/messenger.js');
            return createSlackJobMessenger({ botToken: slack.botToken, apiUrl: slack.apiUrl, fetch: slack.fetch, identities: stores.identities, clock });
          }),
        ]
      : []),
    ...(options.teams?.appId ? [lazyMessenger('teams', async () => (await teams()).messenger)] : []),
  ];
  let github: Promise<GithubReader | undefined> | undefined;
  const githubReader = (): Promise<GithubReader | undefined> =>
    (github ??= (async () => {
      const settings = options.github;
      if (!settings?.token) return undefined;
      // Loaded here, not at the top: octokit is needed by the GitHub sync only.
      const { createGithubReader } = await import('../infra/github/github-reader.js');
      return createGithubReader({
        token: settings.token,
        baseUrl: settings.apiUrl,
        ...(settings.fetch ? { fetch: settings.fetch } : {}),
        etags: stores.github,
        clock,
        logger: options.logger,
      });
    })());
  // PagerDuty first: Prometheus only ever adds `alerts.configured = true` (a rule it routes), so
  // within one run its observation, the later one, wins over PagerDuty's "no integration".
  const factsFetch = options.facts?.fetch ?? oncallFetch;
  const prom = options.facts?.prometheus;
  const factCollectors: FactCollector[] = [
    ...(pd ? [createPagerDutyCollector({ token: pd.token, baseUrl: pd.apiUrl, fetch: factsFetch })] : []),
    ...(og ? [createOpsgenieCollector({ apiKey: og.apiKey, baseUrl: og.apiUrl, fetch: factsFetch })] : []),
    ...(prom ? [createPrometheusCollector({ url: prom.url, auth: prom.auth, serviceLabel: prom.serviceLabel, queries: prom.queries, fetch: factsFetch })] : []),
  ];
  return {
    db,
    catalog,
    router,
    clock,
    logger: options.logger,
    metrics,
    scoring,
    oncall,
    nudges,
    signIn,
    stores,
    fixes,
    messengers: () => messengers,
    teams,
    githubReader,
    async githubSync() {
      const reader = await githubReader();
      return reader && { reader, state: stores.github, catalog, facts: stores.facts, parse: parseDescriptors, clock };
    },
    factCollectors,
    factsCollect: () => ({
      services: () => catalog.entitiesOfKinds(['component']),
      facts: stores.facts,
      collectors: factCollectors,
      clock,
      logger: options.logger,
    }),
    addMessenger(messenger) {
      if (messengers.some((m) => m.platform === messenger.platform)) throw new Error(`a ${messenger.platform} messenger is already wired`);
      messengers.push(messenger);
    },
    writes,
    close: () => {
      if (db.open) db.close();
    },
  };
}

/**
 * The Steward a CLI command or `serve` runs on, from the validated config. CLI logs go to stderr
 * and stay quiet unless something is wrong; `serve` passes its own logger and metrics.
 */
export function stewardFromConfig(
  config: Config,
  overrides: Partial<Pick<StewardOptions, 'db' | 'logger' | 'metrics' | 'clock' | 'referenceId' | 'nonBlockingWrites'>> & {
    readonly fetch?: typeof fetch | undefined;
    /** Where botbuilder fetches the Bot Framework signing keys (tests point it at loopback). */
    readonly teamsOpenIdMetadataUrl?: string | undefined;
  } = {},
): Steward {
  const { fetch: fetchImpl, teamsOpenIdMetadataUrl, ...rest } = overrides;
  return createSteward({
    db: config.db,
    logger: createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }),
    scoring: { ...config.scorecards, admins: config.admins },
    oncall: { config: config.oncall, timeZone: config.timezone, ...(fetchImpl ? { fetch: fetchImpl } : {}) },
    github: { ...config.github, fetch: fetchImpl },
    web: { publicUrl: config.web.publicUrl },
    teams: { ...config.teams, ...(teamsOpenIdMetadataUrl ? { openIdMetadataUrl: teamsOpenIdMetadataUrl } : {}) },
    ...(config.slack ? { slack: { botToken: config.slack.botToken, apiUrl: config.slack.apiUrl, fetch: fetchImpl } } : {}),
    facts: { prometheus: config.facts.prometheus, fetch: fetchImpl },
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  });
}

/** A messenger whose implementation is built on its first message. */
function lazyMessenger(platform: Platform, load: () => Promise<Messenger>): Messenger {
  let real: Promise<Messenger> | undefined;
  const get = (): Promise<Messenger> => (real ??= load());
  return {
    platform,
    postToChannel: async (channel, reply) => (await get()).postToChannel(channel, reply),
    sendDirect: async (person, reply) => (await get()).sendDirect(person, reply),
  };
}

/** Each store built on first use, then the same instance every time. */
function lazyStores(factories: { readonly [K in keyof StewardStores]: () => StewardStores[K] }): StewardStores {
  const built: Partial<Record<keyof StewardStores, unknown>> = {};
  const stores = {} as StewardStores;
  for (const key of Object.keys(factories) as Array<keyof StewardStores>) {
    Object.defineProperty(stores, key, { enumerable: true, get: () => (built[key] ??= factories[key]()) });
  }
  return stores;
}

/** Times every provider call and counts its outcome, without the provider knowing. */
function measuredProvider(provider: OncallProvider, metrics: Metrics): OncallProvider {
  return {
    id: provider.id,
    name: provider.name,
    ...(provider.webLink ? { webLink: provider.webLink.bind(provider) } : {}),
    async lookup(target, options) {
      const started = performance.now();
      try {
        const answer = await provider.lookup(target, options);
        metrics.providerCall({ provider: provider.id, outcome: 'ok', seconds: (performance.now() - started) / 1000 });
        return answer;
      } catch (err) {
        const reason = (err as { reason?: unknown }).reason;
        metrics.providerCall({ provider: provider.id, outcome: typeof reason === 'string' ? reason : 'error', seconds: (performance.now() - started) / 1000 });
        throw err;
      }
    },
  };
}
