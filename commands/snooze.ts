import { z } from 'zod';
import { defineCommand, requiredText } from '../src/core/commands/index.js';
import { MAX_SNOOZE_DAYS, snoozeCheck } from '../src/core/nudges/index.js';

/** Nudge control: stop reminding the caller of one check on one service for a while. */
export default defineCommand({
  name: 'snooze',
  summary: 'Stop nudging you about one check on one service for some days',
  params: ['service', 'check', 'days'],
  args: z.object({
    service: requiredText('service', 'snooze checkout-web runbook 7'),
    check: requiredText('check', 'snooze checkout-web runbook 7'),
    days: z.coerce
      .number({ error: 'missing <days>: how many days, e.g. 7' })
      .int('days is a whole number')
      .min(1, 'snooze for at least 1 day')
      .max(MAX_SNOOZE_DAYS, `snooze for at most ${MAX_SNOOZE_DAYS} days; an admin can record an exemption for longer`),
  }),
  examples: ['snooze checkout-web runbook 7', 'snooze checkout-web production-readiness/alerts 14'],
  run({ args, catalog, scoring, nudges, clock, timeZone, invocation }) {
    return snoozeCheck({ preferences: nudges, catalog, scoring, clock, timeZone }, invocation.actor, args);
  },
});
