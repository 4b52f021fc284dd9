import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/steward.js', import.meta.url));

export interface BinaryRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The real `steward` binary, asynchronously, so that fakes served from the test's own process
 * (GitHub, PagerDuty, Opsgenie) can answer it. Only PATH and HOME (the working folder) come from
 * outside; everything else is the `env` given.
 */
export function runSteward(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): Promise<BinaryRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
