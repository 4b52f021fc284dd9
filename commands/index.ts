import type { AnyCommand } from '../src/core/commands/index.js';
import help from './help.js';
import info from './info.js';
import mine from './mine.js';
import search from './search.js';
import team from './team.js';
import whoOwns from './who-owns.js';

/** The registry: the only list of chat subcommands. Help and the Slack manifest check derive from it. */
export const commands: readonly AnyCommand[] = [help, whoOwns, info, search, team, mine];
