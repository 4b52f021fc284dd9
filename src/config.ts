import { existsSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { z } from 'zod';
import { InputError } from './core/errors.js';
import { isCronExpression } from './core/github/index.js';
import type { OncallConfig } from './core/oncall/index.js';
import { isTimeZone, oncallConfig, oncallFileSchema } from './core/oncall/index.js';
import type { OutreachConfig } from './core/jobs/index.js';
import { outreachConfig, outreachFileSchema } from './core/jobs/index.js';
import { ROLLOUT_PHASES } from './core/scoring/index.js';
import { DEFAULT_IN_FLIGHT_LIMITS } from './core/commands/in-flight-limit.js';
import { dirname, resolve } from 'node:path';

/** The GitHub sync's default schedule: hourly, at minute 0. */
export const GITHUB_SYNC_DEFAULT_SCHEDULE = '0 * * * *';

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
    /** Teams: the Adaptive Card budget in KB (UTF-16, as Teams counts); Teams refuses messages over about 100 KB. */
    teams: z.object({ cardBudgetKb: z.number().int().min(4).max(80, 'must be at most 80 (Teams refuses messages over about 100 KB)').optional() }).strict().optional(),
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
  GITHUB_API_URL: z.url('must be a URL such as https://api.github.com (GitHub Enterprise Server: https://HOST/api/v3)').optional(),
  MICROSOFT_APP_ID: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be the bot\'s Microsoft App ID (a GUID)').optional(),
  MICROSOFT_APP_PASSWORD: z.string().min(1).optional(),
  MICROSOFT_APP_TENANT_ID: z.string().min(1).optional(),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], 'must be MultiTenant, SingleTenant or UserAssignedMSI').optional(),
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
  /** `limits:`: commands in flight at once in `serve`, in all (default 100) and per person (default 5). */
  readonly limits: { readonly commandsInFlight: number; readonly commandsInFlightPerUser: number };
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
      MICROSOFT_APP_ID: teams.appId ?? null,
      MICROSOFT_APP_PASSWORD: teams.appPassword ?? null,
      MICROSOFT_APP_TENANT_ID: teams.tenantId ?? null,
      MICROSOFT_APP_TYPE: teams.appType ?? null,
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
      limits: config.limits,
    },
  };
}
