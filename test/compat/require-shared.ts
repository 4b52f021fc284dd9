import { CONTRACTS, BACKSTAGE_FIXTURES, SHARED, hasShared } from './shared.js';
import { existsSync } from 'node:fs';

/**
 * Global setup of the compatibility suite: without its fixtures every test would be skipped and
 * the run would pass having checked nothing. Asked for explicitly, that is a failure to report.
 */
export default function requireShared(): void {
  const missing = [hasShared ? undefined : BACKSTAGE_FIXTURES, existsSync(CONTRACTS) ? undefined : CONTRACTS].filter(Boolean);
  if (missing.length === 0) return;
  console.error(
    [
      '',
      '!!! The compatibility suite cannot run: its fixtures are missing.',
      `!!! Not found: ${missing.join(', ')}`,
      `!!! Looked in ${SHARED}; point STEWARD_SHARED at the folder that holds fixtures/ and contracts/,`,
      '!!! e.g. STEWARD_SHARED=/path/to/shared npm run test:compat',
      '',
    ].join('\n'),
  );
  throw new Error(`compatibility fixtures missing in ${SHARED} (set STEWARD_SHARED)`);
}
