import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = `${ROOT}src/steward.js`;
const PRETEND = fileURLToPath(new URL('./support/pretend-node.mjs', import.meta.url));

function stewardOn(version: string) {
  const r = spawnSync(process.execPath, ['--import', PRETEND, BIN, '--version'], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', PRETEND_NODE: version },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the minimum Node.js version', () => {
  it('is what the dependencies need, in engines and the README', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { engines: { node: string } };
    // undici needs 20.18.1; vite and rolldown (npm test) ^20.19.0 || >=22.12.0.
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
    expect(readFileSync(`${ROOT}README.md`, 'utf8')).toContain('Node.js 20.19 or newer');
  });

  it.each(['20.11.1', '20.18.3', '21.7.3', '22.11.0', '18.20.4'])('refuses Node.js %s at start with a clear message (exit 2)', (version) => {
    const r = stewardOn(version);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `steward: Node.js ${version} is not supported; Steward needs Node.js 20.19 or newer (^20.19.0 || >=22.12.0). Install a current LTS release from https://nodejs.org and run it again.\n`,
    );
  });

  it.each(['20.19.0', '22.12.0', '24.1.0'])('runs on Node.js %s', (version) => {
    const r = stewardOn(version);
    expect(r.stderr).not.toContain('is not supported');
  });
});
