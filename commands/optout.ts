import { z } from 'zod';
import { defineCommand } from '../src/core/commands/index.js';
import { optOut } from '../src/core/nudges/index.js';

/** Nudge control: no more nudges for the caller (their services stay on the scorecards). */
export default defineCommand({
  name: 'optout',
  summary: 'Stop all nudges to you',
  params: [],
  args: z.object({}),
  run({ catalog, scoring, nudges, clock, invocation }) {
    return optOut({ preferences: nudges, catalog, scoring, clock }, invocation.actor);
  },
});
