import { BotError, CommandError, InputError } from './core/errors.js';
import type { CliCommand, Io } from './cli/cli-kit.js';
import { EXIT } from './cli/cli-kit.js';
import { askCommand, demoCommand, shellCommand } from './cli/chat-commands.js';
import { importCommand } from './cli/import-command.js';
import { syncCommand } from './cli/sync-command.js';
import { migrateCommand } from './cli/migrate-command.js';
import { backupCommand } from './cli/backup-command.js';
import { configCommand } from './cli/config-command.js';
import { exemptCommand } from './cli/exempt-command.js';
import { fixCommand } from './cli/fix-command.js';
import { leaderboardCommand } from './cli/leaderboard-command.js';
import { nudgeCommand } from './cli/nudge-command.js';
import { factsCommand } from './cli/facts-command.js';
import { gateCommand } from './cli/gate-command.js';
import { scoreCommand } from './cli/score-command.js';
import { serveCommand } from './cli/serve-command.js';
import { teamsPackageCommand } from './cli/teams-package-command.js';
import { wrapText } from './cli/wrap-text.js';
import { readFileSync } from 'node:fs';
import { packagePath } from './package-root.js';

/** The `steward` binary: picks the command module and turns failures into exit codes. */

const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  demoCommand,
  shellCommand,
  askCommand,
  importCommand,
  syncCommand,
  migrateCommand,
  backupCommand,
  configCommand,
  factsCommand,
  scoreCommand,
  gateCommand,
  exemptCommand,
  leaderboardCommand,
  nudgeCommand,
  teamsPackageCommand,
  fixCommand,
];

/** Terminal-friendly: each command's usage, then its summary wrapped below it, no row over 80 columns. */
const HELP_WIDTH = 80;

function usage(): string {
  return [
    'Usage: steward <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.flatMap((c) => [`  ${c.usage}`, ...wrapText(c.summary, HELP_WIDTH, '      ')]),
    '',
    'Options for every command:',
    '  --db PATH        database file (default $STEWARD_DB, else ./data/steward.db)',
    '  --config PATH    config file (default $STEWARD_CONFIG, else',
    '                   ./steward.config.yaml if present)',
    '',
    'steward --version prints the version; steward --help this list.',
    ...wrapText('Exit codes: 0 done; 1 the answer is negative (not found, gate failed); 2 bad usage, input or config.', HELP_WIDTH),
  ].join('\n');
}

const io: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${usage()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`${(JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new InputError(`unknown command "${name}"; run steward --help for the list`);
  return command.run(rest, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CommandError) {
      // The answer chat would give (an unknown scorecard, a bad level): a message, never a stack.
      io.err(`steward: ${err.message}${err.hint ? ` ${err.hint}` : ''}\n`);
      process.exitCode = err.code === 'not_found' ? EXIT.negative : EXIT.usage;
    } else if (err instanceof InputError || (err instanceof BotError && err.code.startsWith('migration_'))) {
      io.err(`steward: ${err.message}\n`);
      process.exitCode = EXIT.usage;
    } else {
      // Not a failure we know: the stack is what a bug report needs.
      io.err(`steward: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = EXIT.negative;
    }
  },
);
