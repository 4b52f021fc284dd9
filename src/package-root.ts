import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Steward's own data files (migrations, the bundled scorecards, the demo catalog, package.json)
 * sit beside package.json. Modules find them from here rather than from their own location, so
 * the same code works run from `src/` through tsx and compiled into `dist/src/` by `npm run build`.
 * A leaf module: it imports only Node, so every layer may use it.
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** An absolute path inside Steward's package, e.g. `packagePath('migrations')`. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`steward: no package.json above ${from}; the installation is incomplete`);
  }
}
