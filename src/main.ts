import { commands } from '../commands/index.js';
import type { Router } from './core/commands/index.js';
import { createRouter } from './core/commands/index.js';
import type { Clock, Logger, Metrics } from './core/ports.js';
import { noMetrics, systemClock } from './core/ports.js';
import type { Db } from './infra/sqlite/open-database.js';
import { openDatabase } from './infra/sqlite/open-database.js';
import { CatalogStore } from './infra/sqlite/catalog-store.js';
import type { ScoringService } from './core/scoring/index.js';
import { createScoringService } from './core/scoring/index.js';
import type { ScorecardSettings } from './infra/scorecards/load-scorecards.js';
import { loadScorecards } from './infra/scorecards/load-scorecards.js';
import { SqliteExemptionStore } from './infra/sqlite/exemption-store.js';
import { SqliteFactStore } from './infra/sqlite/fact-store.js';
import { SqliteScoreStore } from './infra/sqlite/score-store.js';
import type { OncallConfig, OncallProvider, OncallService } from './core/oncall/index.js';
import { DEFAULT_ONCALL_CONFIG, configuredRotations, createOncallService } from './core/oncall/index.js';
import { createOpsgenieProvider } from './infra/opsgenie/opsgenie-provider.js';
import { createPagerDutyProvider } from './infra/pagerduty/pagerduty-provider.js';
import { OncallStore } from './infra/sqlite/oncall-store.js';
import type { NudgePreferences } from './core/nudges/index.js';
import { SqliteNudgePreferences } from './infra/sqlite/nudge-preferences.js';

/**
 * The composition root: the only file that knows every concrete part. Adapters, the CLI and the
 * test bot all get their bot from here, so they run the same code.
 */
export interface Steward {
  readonly db: Db;
  readonly catalog: CatalogStore;
  readonly router: Router;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scoring: ScoringService;
  /** On-call lookups; `oncall.refresh()` is what a scheduler calls to keep answers warm. */
  readonly oncall: OncallService;
  /** Opt-outs, snoozes and "not my service": the chat commands and the nudge buttons write here. */
  readonly nudges: NudgePreferences;
  close(): void;
}

export interface StewardOptions {
  readonly db: string | Db;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly referenceId?: () => string;
  /** Where command, provider and job figures go (Prometheus in `serve`); none by default. */
  readonly metrics?: Metrics | undefined;
  /** Scorecard folders, fix-link base, rollout and chat admins (from the config); the bundled scorecards load by default. */
  readonly scoring?: (ScorecardSettings & { readonly admins?: readonly string[] | undefined }) | undefined;
  /** On-call providers and rotations (`config.oncall`), the zone for "until" (`config.timezone`), and `fetch` for tests. */
  readonly oncall?: { readonly config?: OncallConfig; readonly timeZone?: string; readonly fetch?: typeof fetch } | undefined;
}

export function createSteward(options: StewardOptions): Steward {
  // Scorecards first: a broken definition stops start-up before the database is opened.
  const scorecards = loadScorecards(options.scoring);
  const db = typeof options.db === 'string' ? openDatabase(options.db) : options.db;
  const clock = options.clock ?? systemClock;
  const catalog = new CatalogStore(db);
  const scoreStore = new SqliteScoreStore(db);
  const scoring = createScoringService({
    catalog,
    entities: scoreStore,
    facts: new SqliteFactStore(db),
    exemptions: new SqliteExemptionStore(db),
    history: scoreStore,
    scorecards,
    admins: options.scoring?.admins,
    clock,
    logger: options.logger,
    // Whether a service has an on-call rotation and from which source, resolved live from the
    // catalog (its own annotations, its system's, its team's, or a native rotation).
    derivedFacts: (entity) => oncallService?.facts(entity) ?? [],
  });
  let oncallService: OncallService | undefined;
  const oncallSettings = options.oncall?.config ?? DEFAULT_ONCALL_CONFIG;
  const oncallFetch = options.oncall?.fetch ?? fetch;
  const { pagerduty: pd, opsgenie: og } = oncallSettings;
  const metrics = options.metrics ?? noMetrics;
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
  const nudges = new SqliteNudgePreferences(db);
  oncallService = oncall;
  const router = createRouter({
    commands,
    services: { catalog, clock, scoring, oncall, nudges, timeZone: options.oncall?.timeZone },
    logger: options.logger,
    ...(options.referenceId ? { referenceId: options.referenceId } : {}),
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
  return {
    db,
    catalog,
    router,
    clock,
    logger: options.logger,
    scoring,
    oncall,
    nudges,
    close: () => {
      if (db.open) db.close();
    },
  };
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
