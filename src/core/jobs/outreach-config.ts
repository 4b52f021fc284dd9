import { z } from 'zod';

/**
 * The `outreach:` section of the config file: when the weekly leaderboard and the nudges run,
 * where the leaderboard goes, and the brakes on nudges. Everything has a default, and outreach
 * starts as a dry run (house rule 9): the scheduler plans and logs, and sends nothing until
 * `dryRun: false`.
 *
 * ```yaml
 * outreach:
 *   dryRun: false
 *   leaderboard: { schedule: { days: [mon], at: "09:00" }, channels: { slack: ["#engineering"] } }
 *   nudges: { schedule: { days: [mon, tue, wed, thu, fri], at: "10:00" }, cooldownDays: 7,
 *             quietHours: { from: "18:00", to: "09:00" }, workingDays: [mon, tue, wed, thu, fri] }
 * ```
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 09:00');
const weekdays = z.array(z.enum(WEEKDAYS, `must be one of ${WEEKDAYS.join(', ')}`)).min(1, 'name at least one day');

export const scheduleSchema = z.object({ days: weekdays, at: clockTime }).strict();
export type Schedule = z.infer<typeof scheduleSchema>;

export const outreachFileSchema = z
  .object({
    /** Default true: scheduled runs plan and log what they would send, and send nothing. */
    dryRun: z.boolean().optional(),
    leaderboard: z
      .object({
        schedule: scheduleSchema.optional(),
        /** Channels per platform: Slack `C…` ids or `#names` (the bot must be a member), Teams channel ids. */
        channels: z.object({ slack: z.array(z.string().min(1)).optional(), teams: z.array(z.string().min(1)).optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    nudges: z
      .object({
        schedule: scheduleSchema.optional(),
        /** Days between two nudges to the same person. */
        cooldownDays: z.number().int().min(0).max(90).optional(),
        /** No nudge is planned between these times in the person's zone; `from` after `to` spans midnight. */
        quietHours: z.object({ from: clockTime, to: clockTime }).strict().optional(),
        /** Days on which a person may be nudged, in their zone. */
        workingDays: weekdays.optional(),
        /** One digest per person per week (true), or one message per service (false). */
        digest: z.boolean().optional(),
        /** Checks shown in one message; the rest are counted. */
        maxChecks: z.number().int().min(1).max(20).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type OutreachFileConfig = z.infer<typeof outreachFileSchema>;

export interface OutreachConfig {
  readonly dryRun: boolean;
  readonly leaderboard: {
    readonly schedule: Schedule;
    readonly channels: { readonly slack: readonly string[]; readonly teams: readonly string[] };
  };
  readonly nudges: NudgeSettings;
}

export interface NudgeSettings {
  readonly schedule: Schedule;
  readonly cooldownDays: number;
  readonly quietHours: { readonly from: string; readonly to: string } | undefined;
  readonly workingDays: readonly Weekday[];
  readonly digest: boolean;
  readonly maxChecks: number;
}

const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

export const DEFAULT_OUTREACH_CONFIG: OutreachConfig = outreachConfig(undefined);

/** The validated file section with every default filled in. */
export function outreachConfig(file: OutreachFileConfig | undefined): OutreachConfig {
  const n = file?.nudges;
  return Object.freeze({
    dryRun: file?.dryRun ?? true,
    leaderboard: Object.freeze({
      schedule: file?.leaderboard?.schedule ?? ({ days: ['mon'], at: '09:00' } satisfies Schedule),
      channels: Object.freeze({ slack: file?.leaderboard?.channels?.slack ?? [], teams: file?.leaderboard?.channels?.teams ?? [] }),
    }),
    nudges: Object.freeze({
      schedule: n?.schedule ?? ({ days: [...WORKDAYS], at: '10:00' } satisfies Schedule),
      cooldownDays: n?.cooldownDays ?? 7,
      quietHours: n?.quietHours ?? { from: '18:00', to: '09:00' },
      workingDays: n?.workingDays ?? WORKDAYS,
      digest: n?.digest ?? true,
      maxChecks: n?.maxChecks ?? 10,
    }),
  });
}
