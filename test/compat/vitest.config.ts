import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The compatibility suite: real-world Backstage catalogs and the published Slack and Teams schemas
 * from the shared folder beside the project. `.ci/run` runs it when that folder is present;
 * `npm test` never needs it.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/compat/**/*.test.ts'],
    // Fails loudly when the fixtures are missing, instead of passing with every test skipped.
    globalSetup: ['test/compat/require-shared.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    allowOnly: false,
  },
});
