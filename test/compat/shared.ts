import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

/**
 * The shared folder with the fixtures and the published contracts: `STEWARD_SHARED` when set
 * (a checkout elsewhere, a worktree), else `../shared` beside the checkout, where CI puts it.
 */
export const SHARED = process.env['STEWARD_SHARED'] ? resolve(process.env['STEWARD_SHARED']) : fileURLToPath(new URL('../../../shared/', import.meta.url));
export const BACKSTAGE_FIXTURES = join(SHARED, 'fixtures', 'backstage');
export const CONTRACTS = join(SHARED, 'contracts');
export const hasShared = existsSync(BACKSTAGE_FIXTURES);
