import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The first hour of a new user (issue 20): the binary on the demo catalog, as the README leads
 * people through it. Every command here once printed a stack trace, a wrong exit code or nothing.
 */
const BIN = fileURLToPath(new URL('../../src/steward.js', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let cwd: string;
function steward(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    input: '',
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, STEWARD_DB: 'data/demo.db', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const STACK = /\n\s+at /;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'steward-first-hour-'));
  // `npm run demo`: the demo catalog and its seeded facts in ./data/demo.db.
  const demo = steward(['demo'], {});
  expect(demo.code).toBe(0);
  expect(existsSync(join(cwd, 'data', 'demo.db'))).toBe(true);
});

describe('clean messages and exit codes', () => {
  it('leaderboard --scorecard nosuch: a message with the choices, exit 2', () => {
    const r = steward(['leaderboard', '--scorecard', 'nosuch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('steward: There is no scorecard called "nosuch".');
    expect(r.stderr).not.toMatch(STACK);
  });

  it('backup into a folder that does not exist creates it', () => {
    const r = steward(['backup', 'backups/nightly/steward.db']);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, 'backups', 'nightly', 'steward.db'))).toBe(true);
  });
});

describe('steward leaderboard out of the box', () => {
  it('prints every scorecard and says which are not posted weekly (exit 0)', () => {
    const r = steward(['leaderboard']);
    expect(r.code).toBe(0);
    for (const title of ['Production readiness', 'Security posture', 'Reliability', 'Documentation health', 'Cost discipline']) expect(r.stdout).toContain(`${title} · `);
    expect(r.stdout).toContain('Not posted weekly (rollout phase below leaderboard): production-readiness');
    expect(steward(['leaderboard', '--all', '--scorecard', 'reliability']).code).toBe(0);
  });

  it('--post still posts only scorecards in their leaderboard phase', () => {
    const r = steward(['leaderboard', '--post']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--post has nothing to post');
  });
});

describe('steward --version and --help', () => {
  it('--version prints the version from package.json', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
    const r = steward(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('--help fits an 80-column terminal and still lists every command', () => {
    const r = steward(['--help']);
    expect(r.code).toBe(0);
    const widest = Math.max(...r.stdout.split('\n').map((l) => l.length));
    expect(widest).toBeLessThanOrEqual(80);
    for (const name of ['serve', 'import', 'gate', 'leaderboard', 'nudge', 'exempt', 'teams-package', 'backup', 'config check']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
    expect(r.stdout).toContain('WARN ONLY');
  });
});

describe('steward import of something that is not a catalog', () => {
  it('README.md (no descriptor in it) is exit 2 with the reason', () => {
    const r = steward(['import', fileURLToPath(new URL('../../README.md', import.meta.url)), '--db', 'data/other.db']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no Backstage descriptor (a YAML document with apiVersion, kind and metadata.name) in ');
  });

  it('an empty YAML file is exit 2 too; the demo catalog again is exit 0', () => {
    writeFileSync(join(cwd, 'empty.yaml'), '\n');
    expect(steward(['import', 'empty.yaml', '--db', 'data/other.db']).code).toBe(2);
    expect(steward(['import', fileURLToPath(new URL('../../src/demo/catalog/all.yaml', import.meta.url))]).code).toBe(0);
  });
});

describe('steward nudge, the dry run, without Slack credentials', () => {
  const config = (): string => {
    writeFileSync(join(cwd, 'nudge.yaml'), 'scorecards:\n  rollout:\n    production-readiness: nudge\n');
    return 'nudge.yaml';
  };

  it('plans from the catalog: a team with a channel is reachable, one without is not', () => {
    const r = steward(['nudge', '--config', config()]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('planned as if Slack and Teams were (from the catalog)');
    const unreachable = r.stdout.split('\n').find((l) => l.startsWith('skipped, nobody reachable')) ?? '';
    expect(unreachable).toContain('group:default/team-ghost');
    expect(unreachable).not.toContain('team-payments');
    // Whoever is due is named with where it would go (the day of the week decides who is due).
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('  to '))) expect(line).toMatch(/^  to (slack|teams) (DM \S|#|C|\S)/);
  });

  it('needs no signing secret: a bot token alone is enough for a dry run', () => {
    const r = steward(['nudge', '--config', config()], { SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('SLACK_SIGNING_SECRET');
  });
});

describe('steward exempt', () => {
  const day = (fromNow: number): string => new Date(Date.now() + fromNow * 86_400_000).toISOString().slice(0, 10);

  it('says the rule when the reason is too short', () => {
    const r = steward(['exempt', 'payments-api', 'production-readiness/load-test', '--reason', 'ab', '--until', day(30)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('A reason needs at least 3 characters ("ab" has 2)');
  });

  it('warns about an end date more than 180 days away, and not about one within', () => {
    const far = steward(['exempt', 'payments-api', 'production-readiness/load-test', '--reason', 'rig rebuilt', '--until', day(3 * 365)]);
    expect(far.code).toBe(0);
    expect(far.stderr).toMatch(/steward: warning: \d{4}-\d\d-\d\d is \d+ days away, more than 180: check the date/);
    const near = steward(['exempt', 'payments-api', 'production-readiness/runbook', '--reason', 'rig rebuilt', '--until', day(60)]);
    expect(near.code).toBe(0);
    expect(near.stderr).toBe('');
  });

  it('takes the limit from scorecards.exemptionWarnDays', () => {
    writeFileSync(join(cwd, 'long.yaml'), 'scorecards:\n  exemptionWarnDays: 2000\n');
    const r = steward(['exempt', 'payments-api', 'production-readiness/alerts', '--reason', 'rig rebuilt', '--until', day(3 * 365), '--config', 'long.yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('steward score', () => {
  it('has a header and lists services by the name shown, whatever their namespace', () => {
    const r = steward(['score']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+SCORECARD\s+LEVEL\s+SCORE\s+CHECKS$/);
    const names = lines.slice(1).filter((l) => /\/100/.test(l)).map((l) => l.split(/\s+/)[0]!);
    expect(names.length).toBeGreaterThan(100);
    // dbt-models and event-pipeline live in the `data` namespace; they sort among the rest.
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });
});
