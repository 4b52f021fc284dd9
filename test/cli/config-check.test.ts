import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../src/steward.js', import.meta.url));

function steward(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('steward config check', () => {
  it('prints the effective config with every secret masked', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-config-'));
    const r = steward(['config', 'check'], cwd, {
      SLACK_BOT_TOKEN: 'xoxb-very-secret-token',
      SLACK_SIGNING_SECRET: 'shhh-signing-secret',
      PORT: '4000',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('very-secret');
    expect(r.stdout).not.toContain('shhh');
    expect(r.stdout).toContain('"SLACK_BOT_TOKEN": "<set, 22 characters>"');
    expect(r.stdout).toContain('"PORT": 4000');
  });

  it('prints the keys by the names the README documents, not internal ones', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-config-'));
    writeFileSync(join(cwd, 'steward.config.yaml'), 'teams:\n  cardBudgetKb: 20\noncall:\n  freshSeconds: 30\n');
    const r = steward(['config', 'check'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"cardBudgetKb": 20');
    expect(r.stdout).toContain('"freshSeconds": 30');
    expect(r.stdout).toContain('"exemptionWarnDays": 180');
    expect(r.stdout).not.toMatch(/cardBudgetBytes|freshForMs|"botToken"/);
  });

  it('refuses an unknown time zone with its key (exit 2)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-config-'));
    writeFileSync(join(cwd, 'steward.config.yaml'), 'timezone: Europe/Berln\n');
    const r = steward(['config', 'check'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('./steward.config.yaml: timezone: unknown time zone "Europe/Berln"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a rollout for a scorecard that does not exist, naming the key (exit 2)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-config-'));
    writeFileSync(join(cwd, 'steward.config.yaml'), 'scorecards:\n  rollout:\n    production-readines: gate\n');
    const r = steward(['config', 'check'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scorecards.rollout.production-readines');
    expect(r.stderr).not.toContain('config ok');
  });

  it('refuses for serve a bot token without a signing secret or app token, which a CLI dry run does not need', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-config-'));
    const r = steward(['config', 'check'], cwd, { SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('environment SLACK_SIGNING_SECRET: required');
  });

  it('lists every problem with its path and exits 2', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-config-'));
    writeFileSync(join(cwd, 'steward.config.yaml'), 'timezone: 42\nunknownKey: true\n');
    const r = steward(['config', 'check'], cwd, { PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('environment PORT:');
    expect(r.stderr).toContain('./steward.config.yaml: timezone:');
    expect(r.stderr).toMatch(/unknownKey/);
  });

  it('names the line of a config file that is not YAML', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-config-'));
    writeFileSync(join(cwd, 'bad.yaml'), 'timezone: UTC\n  nested: [oops\n');
    const r = steward(['config', 'check', '--config', 'bad.yaml'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+: /);
  });
});
