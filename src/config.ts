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
});

export interface Config {
  readonly db: string;
  readonly configFile: string | undefined;
  readonly port: number;
  readonly timezone: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

export interface ConfigOverrides {
  readonly db?: string | undefined;
  readonly config?: string | undefined;
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
  if (problems.length > 0) throw new InputError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze({
    db: overrides.db ?? e.STEWARD_DB ?? './data/steward.db',
    configFile,
    port: e.PORT ?? 3000,
    timezone: file.timezone,
    logLevel: e.STEWARD_LOG_LEVEL ?? file.logLevel ?? 'info',
  });
}
