import type { AnyCommand } from '../src/core/commands/index.js';
import exempt from './exempt.js';
import fix from './fix.js';
import health from './health.js';
import help from './help.js';
import info from './info.js';
import leaderboard from './leaderboard.js';
import mine from './mine.js';
import notMine from './not-mine.js';
import oncall from './oncall.js';
import optin from './optin.js';
import optout from './optout.js';
import search from './search.js';
import snooze from './snooze.js';
import team from './team.js';
import scoreboard from './scoreboard.js';
import whoOwns from './who-owns.js';

/** The registry: the only list of chat subcommands. Help and the Slack manifest check derive from it. */
export const commands: readonly AnyCommand[] = [help, whoOwns, oncall, health, info, search, team, mine, leaderboard, exempt, snooze, optout, optin, notMine, scoreboard, fix];
