import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/compat/**', 'node_modules/**'],
    // Subprocess tests start the CLI through tsx; give them room on a busy 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    allowOnly: false,
  },
});
