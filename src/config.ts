import { existsSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { z } from 'zod';
import { InputError } from './core/errors.js';

/**
 * The one place that reads the environment and the config file (house rule 5). Everything is
 * validated with zod; every problem is listed with its path; the result is frozen.
 */
const fileSchema = z
  .object({
    timezone: z.string().default('UTC'),
    logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
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
});

export interface Config {
  readonly db: string;
  readonly configFile: string | undefined;
  readonly port: number;
  readonly timezone: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Present when Slack is configured: a bot token and either a signing secret (HTTP) or an app token (Socket Mode). */
  readonly slack: SlackConfig | undefined;
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
  const parsedEnv = envSchema.safeParse(env);
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
  }
  let slack: SlackConfig | undefined;
  if (e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) {
    if (!e.SLACK_BOT_TOKEN) problems.push('environment SLACK_BOT_TOKEN: required when Slack is configured (xoxb-…)');
    if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
      problems.push('environment SLACK_SIGNING_SECRET: required for the HTTP endpoint (or set SLACK_APP_TOKEN for Socket Mode)');
    }
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
  if (problems.length > 0) throw new InputError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze({
    db: overrides.db ?? e.STEWARD_DB ?? overrides.dbDefault ?? './data/steward.db',
    configFile,
    port: e.PORT ?? 3000,
    timezone: file.timezone,
    logLevel: e.STEWARD_LOG_LEVEL ?? file.logLevel ?? 'info',
    slack,
  });
}
