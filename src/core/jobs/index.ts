export type { NudgeSettings, OutreachConfig, OutreachFileConfig, Schedule, Weekday } from './outreach-config.js';
export { DEFAULT_OUTREACH_CONFIG, WEEKDAYS, outreachConfig, outreachFileSchema, scheduleSchema } from './outreach-config.js';
export type { Occurrence } from './schedule.js';
export { cronExpression, inQuietHours, lastOccurrence, minuteOfDayIn, weekdayIn } from './schedule.js';
export { leaderboardKey, nudgeKey, serviceNudgeKey, teamNudgeKey, weekIn } from './delivery-keys.js';
export type {
  DeliveryLedger,
  DeliveryStatus,
  DeliveryTarget,
  JobRun,
  JobRuns,
  LedgerEntry,
  PlannedDelivery,
} from './outreach-ports.js';
export type { LeaderboardInput, LeaderboardPlan } from './plan-leaderboard.js';
export { LEADERBOARD_JOB, LEADERBOARD_LIMITS, planLeaderboard } from './plan-leaderboard.js';
export type { NudgeInput, NudgeOwner, NudgePerson, NudgePlan, SkipReason } from './plan-nudges.js';
export { NUDGE_JOB, nudgeReply, planNudges, platformFor } from './plan-nudges.js';
export type { DeliverOptions, DeliveryReport } from './deliver-pending.js';
export { deliverPending } from './deliver-pending.js';
export type { Outreach, OutreachDeps, OutreachJob, RunResult } from './outreach-service.js';
export { createOutreach } from './outreach-service.js';
export type { OneRunAtATime, RunOutcome } from './one-run-at-a-time.js';
export { oneRunAtATime } from './one-run-at-a-time.js';
