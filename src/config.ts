import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { load } from 'js-yaml';
import { z } from 'zod';
import { InputError } from './core/errors.js';
import { isCronExpression } from './core/github/index.js';
import type { OncallConfig } from './core/oncall/index.js';
import { isTimeZone, oncallConfig, oncallFileSchema } from './core/oncall/index.js';
import type { OutreachConfig } from './core/jobs/index.js';
import { outreachConfig, outreachFileSchema } from './core/jobs/index.js';
import { ROLLOUT_PHASES, factKeySchema } from './core/scoring/index.js';
import { DEFAULT_IN_FLIGHT_LIMITS } from './core/commands/in-flight-limit.js';
import { dirname, resolve } from 'node:path';

/** The GitHub sync's default schedule: hourly, at minute 0. */
export const GITHUB_SYNC_DEFAULT_SCHEDULE = '0 * * * *';

/** Fact collection's default schedule in serve: hourly, at minute 30 (the GitHub sync has minute 0). */
export const FACTS_COLLECT_DEFAULT_SCHEDULE = '30 * * * *';

/**
 * The one place that reads the environment and the config file (house rule 5). Everything is
 * validated with zod; every problem is listed with its path; the result is frozen.
 */
const fileSchema = z
  .object({
    timezone: z.string().default('UTC'),
    logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
    /** People who may record scorecard exemptions in chat, by email. */
    admins: z.array(z.email('must be an email address')).optional(),
    scorecards: z
      .object({
        folders: z.array(z.string().min(1)).optional(),
        fixLinkBaseUrl: z.url('must be a URL such as https://handbook.example.com/').optional(),
        rollout: z.record(z.string(), z.enum(ROLLOUT_PHASES, `must be one of ${ROLLOUT_PHASES.join(', ')}`)).optional(),
        /** An exemption ending further away than this many days is accepted with a warning. */
        exemptionWarnDays: z.number().int().min(1).max(3650).optional(),
      })
      .strict()
      .optional(),
    /** On-call: deadlines, cache freshness, web links, native rotations (see core/oncall/oncall-config.ts). */
    oncall: oncallFileSchema.optional(),
    /** Weekly leaderboard and nudges: schedules, channels, brakes, dry run (see core/jobs/outreach-config.ts). */
    outreach: outreachFileSchema.optional(),
    /** GitHub organisation sync in `serve`: the org, a cron schedule (default hourly), which repositories. */
    github: z
      .object({
        org: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'must be a GitHub organisation login'),
        schedule: z.string().refine((c) => isCronExpression(c), 'must be a five-field cron expression, e.g. "0 * * * *" (hourly)').default(GITHUB_SYNC_DEFAULT_SCHEDULE),
        repoPattern: z.string().min(1).optional(),
        includeArchived: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** Fact collectors (`steward facts collect`, and serve's schedule, default hourly): Prometheus's queries and label. */
    facts: z
      .object({
        schedule: z.string().refine((c) => isCronExpression(c), 'must be a five-field cron expression, e.g. "0 * * * *" (hourly)').default(FACTS_COLLECT_DEFAULT_SCHEDULE),
        prometheus: z
          .object({
            url: z.url('must be a URL such as http://prometheus:9090').optional(),
            serviceLabel: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name, e.g. service').default('service'),
            queries: z
              .record(z.string(), z.string().trim().min(1, 'must be a PromQL query'))
              .superRefine((queries, ctx) => {
                // Each key is the fact it fills: named like a pushed one, so the issue names the key.
                for (const key of Object.keys(queries)) {
                  const checked = factKeySchema.safeParse(key);
                  if (!checked.success) ctx.addIssue({ code: 'custom', path: [key], message: checked.error.issues[0]!.message });
                }
              })
              .default({}),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /** Teams: the Adaptive Card budget in KB (UTF-16, as Teams counts); Teams refuses messages over about 100 KB. */
    teams: z.object({ cardBudgetKb: z.number().int().min(4).max(80, 'must be at most 80 (Teams refuses messages over about 100 KB)').optional() }).strict().optional(),
    /** The web scoreboard: its public address (STEWARD_PUBLIC_URL wins) and how long a session lasts. */
    web: z
      .object({
        publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://steward.acme.example' }).optional(),
        sessionHours: z.number().int().min(1).max(24 * 90, 'must be at most 2160 (90 days)').optional(),
        /** An authenticating proxy in front of Steward: the header naming the signed-in person, trusted only from these addresses. */
        trustedProxy: z
          .object({
            header: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name such as X-Forwarded-Email'),
            addresses: z.array(z.string().refine((a) => isIP(a) !== 0, 'must be an IP address such as 10.0.0.5 (the proxy as Steward sees it)')).min(1),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /** Back-pressure in `serve`: commands in flight at once, in all and per person; past either, "busy, try again". */
    limits: z
      .object({
        commandsInFlight: z.number().int().min(1).max(10_000).optional(),
        commandsInFlightPerUser: z.number().int().min(1).max(100).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const envSchema = z.object({
  STEWARD_DB: z.string().min(1).optional(),
  STEWARD_CONFIG: z.string().min(1).optional(),
  STEWARD_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
  SLACK_API_URL: z.url('must be a URL such as https://slack.com/api/').optional(),
  STEWARD_API_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)').optional(),
  PAGERDUTY_TOKEN: z.string().min(1).optional(),
  PAGERDUTY_API_URL: z.url('must be a URL such as https://api.pagerduty.com').optional(),
  OPSGENIE_API_KEY: z.string().min(1).optional(),
  OPSGENIE_API_URL: z.url('must be a URL such as https://api.opsgenie.com (EU: https://api.eu.opsgenie.com)').optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  PROMETHEUS_URL: z.url('must be a URL such as http://prometheus:9090').optional(),
  PROMETHEUS_TOKEN: z.string().min(1).optional(),
  PROMETHEUS_USERNAME: z.string().min(1).optional(),
  PROMETHEUS_PASSWORD: z.string().min(1).optional(),
  GITHUB_API_URL: z.url('must be a URL such as https://api.github.com (GitHub Enterprise Server: https://HOST/api/v3)').optional(),
  MICROSOFT_APP_ID: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be the bot\'s Microsoft App ID (a GUID)').optional(),
  MICROSOFT_APP_PASSWORD: z.string().min(1).optional(),
  MICROSOFT_APP_TENANT_ID: z.string().min(1).optional(),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], 'must be MultiTenant, SingleTenant or UserAssignedMSI').optional(),
  STEWARD_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://steward.acme.example' }).optional(),
  STEWARD_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  STEWARD_OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'must be the OpenID provider\'s issuer URL, e.g. https://login.acme.example' }).optional(),
  STEWARD_OIDC_CLIENT_ID: z.string().min(1).optional(),
  STEWARD_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
});

export interface GithubSyncConfig {
  readonly org: string;
  /** Cron expression in the configured time zone. */
  readonly schedule: string;
  readonly repoPattern: string | undefined;
  readonly includeArchived: boolean;
}

export interface Config {
  readonly db: string;
  readonly configFile: string | undefined;
  readonly port: number;
  readonly timezone: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Present when Slack is configured: a bot token and either a signing secret (HTTP) or an app token (Socket Mode). */
  readonly slack: SlackConfig | undefined;
  /** Emails (lower case) of the people who may record exemptions in chat. */
  readonly admins: readonly string[];
  readonly scorecards: ScorecardConfig;
  /** Bearer token of the facts and gate APIs (`STEWARD_API_TOKEN`); without it they refuse every call. */
  readonly apiToken: string | undefined;
  /** On-call providers (present when their token is set), deadlines and native rotations. */
  readonly oncall: OncallConfig;
  /** Leaderboard and nudge schedules, channels and brakes; `dryRun` is true until the file says otherwise. */
  readonly outreach: OutreachConfig;
  /** GitHub for `steward sync github`: the token (`GITHUB_TOKEN`, absent: sync refuses) and the REST base URL. */
  readonly github: {
    readonly token: string | undefined;
    readonly apiUrl: string;
    /** `github:` in the file: the organisation `serve` syncs on a schedule; undefined: no scheduled sync. */
    readonly sync: GithubSyncConfig | undefined;
  };
  /** Teams (Bot Framework): without an app id `/api/messages` runs in local emulator mode. */
  readonly teams: TeamsConfig;
  /** Fact collectors: serve's schedule and Prometheus (PagerDuty's token is `oncall.pagerduty`'s). */
  readonly facts: FactsConfig;
  /** The web scoreboard served by `steward serve`. */
  readonly web: WebConfig;
  /** `limits:`: commands in flight at once in `serve`, in all (default 100) and per person (default 5). */
  readonly limits: { readonly commandsInFlight: number; readonly commandsInFlightPerUser: number };
}

export interface FactsConfig {
  /** Cron expression in the configured time zone; serve collects on it when a collector is configured. */
  readonly schedule: string;
  /** Present when `PROMETHEUS_URL` or `facts.prometheus.url` is set. */
  readonly prometheus:
    | {
        readonly url: string;
        readonly auth: { readonly bearer: string } | { readonly username: string; readonly password: string } | undefined;
        readonly serviceLabel: string;
        readonly queries: Readonly<Record<string, string>>;
      }
    | undefined;
}

export interface WebConfig {
  /** Where people reach Steward's pages (`STEWARD_PUBLIC_URL`, else `web.publicUrl`), no trailing slash; links need it. */
  readonly publicUrl: string | undefined;
  /** Signs session cookies (`STEWARD_SESSION_SECRET`); undefined: generated once and kept in the database. */
  readonly sessionSecret: string | undefined;
  /** `web.sessionHours`: how long a sign-in lasts (default 168, a week). */
  readonly sessionHours: number;
  /** Single sign-on with OpenID Connect (`STEWARD_OIDC_*`); undefined when not configured. */
  readonly oidc: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string } | undefined;
  /** `web.trustedProxy`: requests from these addresses are signed in as the person the header names. */
  readonly trustedProxy: { readonly header: string; readonly addresses: readonly string[] } | undefined;
}

export interface TeamsConfig {
  readonly appId: string | undefined;
  readonly appPassword: string | undefined;
  readonly tenantId: string | undefined;
  readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' | undefined;
  /** Adaptive Card budget in bytes (UTF-16); default 28 KB. */
  readonly cardBudgetBytes: number;
}

export interface ScorecardConfig {
  /** Folders of extra scorecards, resolved against the config file's folder. */
  readonly folders: readonly string[];
  /** Relative fix links in scorecards are joined to this. */
  readonly fixLinkBaseUrl: string | undefined;
  /** Rollout phase per scorecard id; a scorecard not named here is `visible`. */
  readonly rollout: Readonly<Record<string, (typeof ROLLOUT_PHASES)[number]>>;
  /** `scorecards.exemptionWarnDays`: an exemption ending later than this is accepted with a warning (default 180). */
  readonly exemptionWarnDays: number;
}

export interface SlackConfig {
  readonly botToken: string;
  readonly signingSecret: string | undefined;
  readonly appToken: string | undefined;
  /** Base URL of the Web API, ending in `/`. */
  readonly apiUrl: string;
}

export interface ConfigOverrides {
  readonly db?: string | undefined;
  readonly config?: string | undefined;
  /** The database when neither --db nor STEWARD_DB names one (the demo uses its own). */
  readonly dbDefault?: string | undefined;
}

const DEFAULT_CONFIG_FILE = './steward.config.yaml';

export function loadConfig(env: Record<string, string | undefined>, overrides: ConfigOverrides = {}): Config {
  const problems: string[] = [];
  // An empty variable (`SLACK_BOT_TOKEN=` in an env file) means unset, not "set to nothing".
  const parsedEnv = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsedEnv.success) {
    for (const i of parsedEnv.error.issues) problems.push(`environment ${i.path.join('.')}: ${i.message}`);
  }
  const e = parsedEnv.success ? parsedEnv.data : {};
  const explicitFile = overrides.config ?? e.STEWARD_CONFIG;
  const configFile = explicitFile ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  let file: z.infer<typeof fileSchema> = { timezone: 'UTC' };
  if (configFile !== undefined) {
    let raw: unknown;
    try {
      raw = load(readFileSync(configFile, 'utf8')) ?? {};
    } catch (err) {
      const e2 = err as NodeJS.ErrnoException & { mark?: { line: number } };
      const where = e2.mark ? `${configFile}:${e2.mark.line + 1}` : configFile;
      throw new InputError(`${where}: ${e2.code === 'ENOENT' ? 'config file not found' : e2.message.split('\n')[0]}`);
    }
    const parsed = fileSchema.safeParse(raw);
    if (parsed.success) file = parsed.data;
    else for (const i of parsed.error.issues) problems.push(`${configFile}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    // Checked here, not when the scheduler starts: node-cron would only fail once serve is listening.
    if (parsed.success && !isTimeZone(file.timezone)) {
      problems.push(`${configFile}: timezone: unknown time zone "${file.timezone}"; use an IANA name such as Europe/Berlin or UTC`);
    }
  }
  let slack: SlackConfig | undefined;
  if (e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) {
    if (!e.SLACK_BOT_TOKEN) problems.push('environment SLACK_BOT_TOKEN: required when Slack is configured (xoxb-…)');
    if (e.SLACK_BOT_TOKEN) {
      const apiUrl = e.SLACK_API_URL ?? 'https://slack.com/api/';
      slack = {
        botToken: e.SLACK_BOT_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        appToken: e.SLACK_APP_TOKEN,
        apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
      };
    }
  }
  if ((e.MICROSOFT_APP_PASSWORD || e.MICROSOFT_APP_TENANT_ID || e.MICROSOFT_APP_TYPE) && !e.MICROSOFT_APP_ID) {
    problems.push('environment MICROSOFT_APP_ID: required when other MICROSOFT_APP_* variables are set (without it /api/messages runs in emulator mode)');
  }
  if (e.MICROSOFT_APP_ID && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !e.MICROSOFT_APP_PASSWORD) {
    problems.push('environment MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID (unless MICROSOFT_APP_TYPE=UserAssignedMSI)');
  }
  if (e.MICROSOFT_APP_TYPE === 'SingleTenant' && !e.MICROSOFT_APP_TENANT_ID) {
    problems.push('environment MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=SingleTenant');
  }
  if (file.github && !e.GITHUB_TOKEN) {
    problems.push('environment GITHUB_TOKEN: required by github.org in the config file (a token with the repo and read:org scopes)');
  }
  if (e.PROMETHEUS_TOKEN && (e.PROMETHEUS_USERNAME || e.PROMETHEUS_PASSWORD)) {
    problems.push('environment PROMETHEUS_TOKEN: set either a bearer token or PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD, not both');
  }
  if (Boolean(e.PROMETHEUS_USERNAME) !== Boolean(e.PROMETHEUS_PASSWORD)) {
    problems.push('environment PROMETHEUS_USERNAME: basic auth needs both PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD');
  }
  const prometheusUrl = e.PROMETHEUS_URL ?? file.facts?.prometheus?.url;
  if (!prometheusUrl && file.facts?.prometheus && Object.keys(file.facts.prometheus.queries).length > 0) {
    problems.push(`${configFile}: facts.prometheus.queries: needs a Prometheus: set PROMETHEUS_URL or facts.prometheus.url`);
  }
  const oidcSet = [e.STEWARD_OIDC_ISSUER, e.STEWARD_OIDC_CLIENT_ID, e.STEWARD_OIDC_CLIENT_SECRET].filter((v) => v !== undefined).length;
  if (oidcSet > 0 && oidcSet < 3) problems.push('environment STEWARD_OIDC_ISSUER, STEWARD_OIDC_CLIENT_ID, STEWARD_OIDC_CLIENT_SECRET: set all three for single sign-on, or none');
  if (oidcSet === 3 && !(e.STEWARD_PUBLIC_URL ?? file.web?.publicUrl)) {
    problems.push('environment STEWARD_PUBLIC_URL: required by STEWARD_OIDC_ISSUER (the provider sends people back to <STEWARD_PUBLIC_URL>/signin/oidc/callback)');
  }
  if (problems.length > 0) throw new InputError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze({
    db: overrides.db ?? e.STEWARD_DB ?? overrides.dbDefault ?? './data/steward.db',
    configFile,
    port: e.PORT ?? 3000,
    timezone: file.timezone,
    logLevel: e.STEWARD_LOG_LEVEL ?? file.logLevel ?? 'info',
    slack,
    admins: Object.freeze((file.admins ?? []).map((a) => a.toLowerCase())),
    scorecards: Object.freeze({
      folders: Object.freeze((file.scorecards?.folders ?? []).map((f) => resolve(configFile ? dirname(configFile) : '.', f))),
      fixLinkBaseUrl: file.scorecards?.fixLinkBaseUrl,
      rollout: Object.freeze({ ...file.scorecards?.rollout }),
      exemptionWarnDays: file.scorecards?.exemptionWarnDays ?? 180,
    }),
    apiToken: e.STEWARD_API_TOKEN,
    oncall: oncallConfig(e, file.oncall),
    outreach: outreachConfig(file.outreach),
    github: Object.freeze({
      token: e.GITHUB_TOKEN,
      apiUrl: (e.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
      sync: file.github
        ? Object.freeze({ org: file.github.org, schedule: file.github.schedule, repoPattern: file.github.repoPattern, includeArchived: file.github.includeArchived ?? false })
        : undefined,
    }),
    teams: Object.freeze({
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      cardBudgetBytes: (file.teams?.cardBudgetKb ?? 28) * 1024,
    }),
    facts: Object.freeze({
      schedule: file.facts?.schedule ?? FACTS_COLLECT_DEFAULT_SCHEDULE,
      prometheus: prometheusUrl
        ? Object.freeze({
            url: prometheusUrl,
            auth: e.PROMETHEUS_TOKEN
              ? { bearer: e.PROMETHEUS_TOKEN }
              : e.PROMETHEUS_USERNAME && e.PROMETHEUS_PASSWORD
                ? { username: e.PROMETHEUS_USERNAME, password: e.PROMETHEUS_PASSWORD }
                : undefined,
            serviceLabel: file.facts?.prometheus?.serviceLabel ?? 'service',
            queries: Object.freeze({ ...file.facts?.prometheus?.queries }),
          })
        : undefined,
    }),
    web: Object.freeze({
      publicUrl: (e.STEWARD_PUBLIC_URL ?? file.web?.publicUrl)?.replace(/\/+$/, ''),
      sessionSecret: e.STEWARD_SESSION_SECRET,
      sessionHours: file.web?.sessionHours ?? 168,
      oidc:
        e.STEWARD_OIDC_ISSUER && e.STEWARD_OIDC_CLIENT_ID && e.STEWARD_OIDC_CLIENT_SECRET
          ? Object.freeze({ issuer: e.STEWARD_OIDC_ISSUER, clientId: e.STEWARD_OIDC_CLIENT_ID, clientSecret: e.STEWARD_OIDC_CLIENT_SECRET })
          : undefined,
      trustedProxy: file.web?.trustedProxy
        ? Object.freeze({ header: file.web.trustedProxy.header.toLowerCase(), addresses: Object.freeze([...file.web.trustedProxy.addresses]) })
        : undefined,
    }),
    limits: Object.freeze({
      commandsInFlight: file.limits?.commandsInFlight ?? DEFAULT_IN_FLIGHT_LIMITS.global,
      commandsInFlightPerUser: file.limits?.commandsInFlightPerUser ?? DEFAULT_IN_FLIGHT_LIMITS.perUser,
    }),
  });
}

/**
 * What `steward serve` needs beyond what every command needs. A CLI command that only reads or
 * plans (a nudge dry run, `leaderboard`) runs with a bot token alone; serve, and `config check`
 * on its behalf, refuse the config with these listed.
 */
export function serveProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.slack && !config.slack.signingSecret && !config.slack.appToken) {
    problems.push('environment SLACK_SIGNING_SECRET: required for the HTTP endpoint (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  return problems;
}

/**
 * The effective config under the names the README documents: environment variables by their
 * variable name and the file's settings by their YAML path (`teams.cardBudgetKb`, not the
 * internal `cardBudgetBytes`), so what `config check` prints can be copied into the file.
 * Secrets are left in; the caller masks them.
 */
export function describeConfig(config: Config): { environment: Record<string, unknown>; file: Record<string, unknown> } {
  const { slack, teams, oncall } = config;
  return {
    environment: {
      STEWARD_DB: config.db,
      STEWARD_CONFIG: config.configFile ?? null,
      STEWARD_LOG_LEVEL: config.logLevel,
      PORT: config.port,
      SLACK_BOT_TOKEN: slack?.botToken ?? null,
      SLACK_SIGNING_SECRET: slack?.signingSecret ?? null,
      SLACK_APP_TOKEN: slack?.appToken ?? null,
      SLACK_API_URL: slack?.apiUrl ?? null,
      STEWARD_API_TOKEN: config.apiToken ?? null,
      PAGERDUTY_TOKEN: oncall.pagerduty?.token ?? null,
      PAGERDUTY_API_URL: oncall.pagerduty?.apiUrl ?? null,
      OPSGENIE_API_KEY: oncall.opsgenie?.apiKey ?? null,
      OPSGENIE_API_URL: oncall.opsgenie?.apiUrl ?? null,
      GITHUB_TOKEN: config.github.token ?? null,
      GITHUB_API_URL: config.github.apiUrl,
      PROMETHEUS_URL: config.facts.prometheus?.url ?? null,
      PROMETHEUS_TOKEN: config.facts.prometheus?.auth && 'bearer' in config.facts.prometheus.auth ? config.facts.prometheus.auth.bearer : null,
      PROMETHEUS_USERNAME: config.facts.prometheus?.auth && 'username' in config.facts.prometheus.auth ? config.facts.prometheus.auth.username : null,
      PROMETHEUS_PASSWORD: config.facts.prometheus?.auth && 'password' in config.facts.prometheus.auth ? config.facts.prometheus.auth.password : null,
      MICROSOFT_APP_ID: teams.appId ?? null,
      MICROSOFT_APP_PASSWORD: teams.appPassword ?? null,
      MICROSOFT_APP_TENANT_ID: teams.tenantId ?? null,
      MICROSOFT_APP_TYPE: teams.appType ?? null,
      STEWARD_PUBLIC_URL: config.web.publicUrl ?? null,
      STEWARD_SESSION_SECRET: config.web.sessionSecret ?? null,
      STEWARD_OIDC_ISSUER: config.web.oidc?.issuer ?? null,
      STEWARD_OIDC_CLIENT_ID: config.web.oidc?.clientId ?? null,
      STEWARD_OIDC_CLIENT_SECRET: config.web.oidc?.clientSecret ?? null,
    },
    file: {
      timezone: config.timezone,
      admins: config.admins,
      scorecards: {
        folders: config.scorecards.folders,
        fixLinkBaseUrl: config.scorecards.fixLinkBaseUrl ?? null,
        rollout: config.scorecards.rollout,
        exemptionWarnDays: config.scorecards.exemptionWarnDays,
      },
      oncall: {
        timeoutMs: oncall.timeoutMs,
        freshSeconds: oncall.freshForMs / 1000,
        pagerduty: { webUrl: oncall.pagerduty?.webUrl ?? null },
        opsgenie: { webUrl: oncall.opsgenie?.webUrl ?? null },
        rotations: oncall.rotations,
      },
      outreach: config.outreach,
      teams: { cardBudgetKb: teams.cardBudgetBytes / 1024 },
      facts: {
        schedule: config.facts.schedule,
        prometheus: config.facts.prometheus
          ? { url: config.facts.prometheus.url, serviceLabel: config.facts.prometheus.serviceLabel, queries: config.facts.prometheus.queries }
          : null,
      },
      web: { sessionHours: config.web.sessionHours, trustedProxy: config.web.trustedProxy ?? null },
      limits: config.limits,
    },
  };
}
