import { z } from 'zod';
import { defineCommand } from '../src/core/commands/index.js';
import { optIn } from '../src/core/nudges/index.js';

/** Nudge control: nudges back on for the caller after `optout`. */
export default defineCommand({
  name: 'optin',
  summary: 'Turn nudges back on for you',
  params: [],
  args: z.object({}),
  run({ catalog, scoring, nudges, clock, invocation }) {
    return optIn({ preferences: nudges, catalog, scoring, clock }, invocation.actor);
  },
});
