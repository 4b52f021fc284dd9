import { toWallClock } from '../oncall/index.js';
import { isoWeek } from '../scoring/index.js';

/**
 * The keys of the delivery ledger. A key names one message for one period, so whatever plans it
 * again (a retry, a restart, a second process, `steward nudge --send` on the same day) finds it
 * taken. They hold catalog refs and channel names, never a platform, so Slack and Teams share the
 * "once a week" promise.
 */

/** The ISO week an instant falls in, as the calendar reads in `timeZone` (Monday 00:30 in Berlin is already the new week). */
export function weekIn(instant: Date, timeZone: string): string {
  return isoWeek(new Date(toWallClock(instant, timeZone)));
}

export const leaderboardKey = (scorecardId: string, channel: string, week: string): string => `leaderboard:${scorecardId}:${channel}:${week}`;

/** One digest per person per week. */
export const nudgeKey = (personRef: string, week: string): string => `nudge:${personRef}:${week}`;

/** With `digest: false`, one message per person, service and week. */
export const serviceNudgeKey = (personRef: string, entityRef: string, week: string): string => `nudge:${personRef}:${entityRef}:${week}`;

/** The team-channel message for a team nobody in which can be reached directly. */
export const teamNudgeKey = (teamRef: string, week: string): string => `nudge:${teamRef}:${week}`;
