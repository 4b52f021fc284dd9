import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** `../shared` beside the checkout, where CI puts the fixtures and the published contracts. */
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const BACKSTAGE_FIXTURES = join(SHARED, 'fixtures', 'backstage');
export const CONTRACTS = join(SHARED, 'contracts');
export const hasShared = existsSync(BACKSTAGE_FIXTURES);
