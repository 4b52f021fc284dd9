import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runShell } from './adapters/shell/run-shell.js';
import { renderText } from './adapters/shell/render-text.js';
import type { Config } from './config.js';
import { loadConfig } from './config.js';
import type { Actor } from './core/commands/index.js';
import { BotError, InputError } from './core/errors.js';
import { createLogger } from './infra/log/create-logger.js';
import { openDatabase } from './infra/sqlite/open-database.js';
import { migrate } from './infra/sqlite/migrate.js';
import type { ImportReport } from './import-catalog.js';
import { importCatalog } from './import-catalog.js';
import { createSteward } from './main.js';
import { kindSpelling } from './infra/sqlite/catalog-store.js';

/** The `steward` binary: argument parsing and exit codes only; the work happens in main.ts. */

const EXIT = { ok: 0, negative: 1, usage: 2 } as const;

const USAGE = `Usage: steward <command> [options]

Commands:
  demo                              the shell on the bundled demo catalog (./data/demo.db)
  shell [--as EMAIL]                interactive: type chat commands, e.g. who-owns payments-api
  ask "<text>" [--as EMAIL] [--json]  one chat command; the answer on stdout
  import <file|dir>... [--prune]    import Backstage catalog-info.yaml descriptors
  migrate                           apply pending database migrations

Options for every command:
  --db PATH        database file (default $STEWARD_DB, else ./data/steward.db)
  --config PATH    config file (default $STEWARD_CONFIG, else ./steward.config.yaml if present)

Exit codes: 0 done; 1 the answer is negative (not found); 2 bad usage, input or config.`;

const DEMO_CATALOG = fileURLToPath(new URL('./demo/catalog/all.yaml', import.meta.url));
const DEMO_DB = './data/demo.db';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const io: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(`${USAGE}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const rest = argv.slice(1);
  switch (command) {
    case 'demo':
      return demo(rest);
    case 'shell':
      return shell(rest);
    case 'ask':
      return ask(rest);
    case 'import':
      return importCommand(rest);
    case 'migrate':
      return migrateCommand(rest);
    default:
      throw new InputError(`unknown command "${command}"; run steward --help for the list`);
  }
}

const common = {
  db: { type: 'string' },
  config: { type: 'string' },
} as const;

interface Values {
  db?: string;
  config?: string;
  as?: string;
  json?: boolean;
  prune?: boolean;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

/** Parses one command's options; an unknown or malformed one is bad usage that names it. */
function parse(args: string[], options: OptionSpec, positionals = false): { values: Values; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...common, ...options }, allowPositionals: positionals, strict: true });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

function configFrom(values: { db?: unknown; config?: unknown }, dbDefault?: string): Config {
  return loadConfig(process.env, {
    db: (values.db as string | undefined) ?? (process.env['STEWARD_DB'] ? undefined : dbDefault),
    config: values.config as string | undefined,
  });
}

function actorFor(email: string | undefined): Actor {
  return email ? { id: email, email } : { id: safeUserName(), name: safeUserName() };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'shell';
  }
}

async function openSteward(config: Config) {
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  return createSteward({ db: config.db, logger });
}

async function shell(args: string[], banner?: string, dbDefault?: string): Promise<number> {
  const { values } = parse(args, { as: { type: 'string' } });
  const steward = await openSteward(configFrom(values, dbDefault));
  try {
    const actor = actorFor(values.as);
    const person = actor.email ? steward.catalog.personByEmail(actor.email) : undefined;
    await runShell({
      router: steward.router,
      actor: { ...actor, person, name: person?.name ?? actor.name },
      clock: steward.clock,
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      ...(banner ? { banner } : {}),
    });
  } finally {
    steward.close();
  }
  return EXIT.ok;
}

async function demo(args: string[]): Promise<number> {
  const { values } = parse(args, { as: { type: 'string' } });
  const config = configFrom(values, DEMO_DB);
  const steward = await openSteward(config);
  let report: ImportReport;
  try {
    report = importCatalog(steward.catalog, [DEMO_CATALOG], { prune: true });
  } finally {
    steward.close();
  }
  const counts = Object.entries(report.summary.kinds)
    .map(([kind, c]) => `${c.added + c.updated + c.unchanged} ${kind}`)
    .join(', ');
  const as = values.as ?? 'ana.ruiz@northwind.example';
  const banner = [
    `Steward demo: a fictional company's catalog (${counts}) in ${config.db}.`,
    `You are ${as}. Try: who-owns payments-api · who-owns pay · team payments · search ledger · info checkout-web · mine · help`,
    'Type exit or press Ctrl-D to leave.',
    '',
  ].join('\n');
  return shell(['--as', as, ...(values.db ? ['--db', values.db] : []), ...(values.config ? ['--config', values.config] : [])], banner, DEMO_DB);
}

async function ask(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { as: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (positionals.length === 0) throw new InputError('ask needs the command text, e.g. steward ask "who-owns payments-api"');
  const config = configFrom(values);
  if (!existsSync(config.db) && config.db !== ':memory:') {
    throw new InputError(`database ${config.db} does not exist yet; run steward import <catalog> first (or pass --db)`);
  }
  const steward = await openSteward(config);
  try {
    const actor = actorFor(values.as);
    const person = actor.email ? steward.catalog.personByEmail(actor.email) : undefined;
    const outcome = await steward.router.dispatch({
      platform: 'shell',
      actor: { ...actor, person },
      text: positionals.join(' '),
      receivedAt: steward.clock.now(),
    });
    io.out(values.json ? `${JSON.stringify(outcome.reply, null, 2)}\n` : `${renderText(outcome.reply)}\n`);
    switch (outcome.outcome) {
      case 'ok':
        return EXIT.ok;
      case 'usage':
      case 'unknown_command':
        return EXIT.usage;
      default:
        return EXIT.negative;
    }
  } finally {
    steward.close();
  }
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { prune: { type: 'boolean' } }, true);
  if (positionals.length === 0) throw new InputError('import needs at least one file or folder of catalog-info.yaml descriptors');
  const steward = await openSteward(configFrom(values));
  const tty = Boolean(process.stderr.isTTY);
  let lastProgress = 0;
  let report: ImportReport;
  try {
    report = importCatalog(steward.catalog, positionals, {
      prune: values.prune ?? false,
      onProgress: (files) => {
        const now = Date.now();
        if (files % 500 === 0 || now - lastProgress > 1000) {
          lastProgress = now;
          io.err(tty ? `\rread ${files} files…` : `read ${files} files\n`);
        }
      },
    });
  } finally {
    steward.close();
    if (tty && lastProgress > 0) io.err('\r\u001b[K');
  }
  io.out(formatReport(report));
  return report.errors.length > 0 ? EXIT.usage : EXIT.ok;
}

export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  const kinds = Object.entries(report.summary.kinds).sort(([a], [b]) => a.localeCompare(b));
  lines.push(`Read ${report.filesRead} file${report.filesRead === 1 ? '' : 's'} in ${report.seconds.toFixed(2)} s.`);
  if (kinds.length === 0) lines.push('No entities imported.');
  const width = Math.max(8, ...kinds.map(([k]) => k.length));
  for (const [kind, c] of kinds) {
    lines.push(
      `  ${kindSpelling(kind).padEnd(width)}  added ${String(c.added).padStart(5)}  updated ${String(c.updated).padStart(5)}  unchanged ${String(c.unchanged).padStart(5)}  removed ${String(c.removed).padStart(5)}`,
    );
  }
  const place = (p: { file: string; line: number; message: string }): string =>
    `  ${p.line > 0 ? `${p.file}:${p.line}` : p.file}: ${p.message}`;
  if (report.warnings.length > 0) {
    lines.push(`Warnings (${report.warnings.length}; imported anyway):`);
    lines.push(...report.warnings.map(place));
  }
  if (report.errors.length > 0) {
    lines.push(`Problems (${report.errors.length}; these were not imported, everything else was):`);
    lines.push(...report.errors.map(place));
  }
  return `${lines.join('\n')}\n`;
}

async function migrateCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {});
  const config = configFrom(values);
  const db = openDatabase(config.db, { readonly: false, migrationsDir: undefined });
  try {
    const result = migrate(db);
    io.out(`${config.db}: ${result.alreadyApplied} migration(s) applied before; ${result.applied.length} now${result.applied.length ? `: ${result.applied.join(', ')}` : ''}.\n`);
  } finally {
    db.close();
  }
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof InputError || (err instanceof BotError && err.code.startsWith('migration_'))) {
      io.err(`steward: ${err.message}\n`);
      process.exitCode = EXIT.usage;
    } else {
      const e = err as Error;
      io.err(`steward: ${e?.message ?? String(err)}\n`);
      if (process.env['STEWARD_DEBUG']) io.err(`${e?.stack}\n`);
      process.exitCode = EXIT.negative;
    }
  },
);
