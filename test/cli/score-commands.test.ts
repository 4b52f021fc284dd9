import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'src', 'steward.js');
const FIXTURES = join(ROOT, 'test', 'fixtures');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real binary in a temp working directory, with the scorecard fixtures configured. */
function steward(cwd: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('steward facts push, score, gate and exempt', () => {
  let cwd: string;
  const run = (...args: string[]): Run => steward(cwd, args);

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'steward-score-cli-'));
    cpSync(join(FIXTURES, 'catalog'), join(cwd, 'catalog'), { recursive: true });
    cpSync(join(FIXTURES, 'scorecards', 'good'), join(cwd, 'cards'), { recursive: true });
    // Folders in the config file are read relative to it; `readiness` enforces its gate, `docs` only warns.
    writeFileSync(
      join(cwd, 'steward.config.yaml'),
      ['scorecards:', '  folders: [./cards]', '  fixLinkBaseUrl: https://handbook.acme.example/eng/', '  rollout:', '    readiness: gate', ''].join('\n'),
    );
    const imported = run('import', 'catalog/org.yaml', 'catalog/scorecards.yaml');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
  });

  it('facts push stores facts, says what changed and prints the levels after the push', () => {
    const r = run('facts', 'push', 'checkout-api', 'alerts.configured=true', 'readme.bytes=1200', '--source', 'ci/github');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Stored 2 facts for checkout-api \(2 changed\) from ci\/github\.\n/);
    expect(r.stdout).toContain('  Readiness: Bronze · 73/100\n');
    expect(r.stdout).toContain('  Docs: Good · 100/100\n');
  });

  it('facts push exits 2 for bad input and 1 for a service that is not in the catalog', () => {
    const bad = run('facts', 'push', 'checkout-api', 'Bad Key=1', 'catalog.owner=me');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'steward: facts.Bad Key: a fact key is lower-case words joined by dots, e.g. alerts.configured; facts.catalog.owner: catalog.* facts come from the catalog descriptor and cannot be pushed\n',
    );
    const noEquals = run('facts', 'push', 'checkout-api', 'alerts.configured');
    expect(noEquals).toMatchObject({ code: 2, stderr: 'steward: facts push: "alerts.configured" is not key=value\n' });
    expect(run('facts', 'push', 'checkout-api').code).toBe(2);
    expect(run('facts', 'pull', 'checkout-api', 'a=1').code).toBe(2);
    const missing = run('facts', 'push', 'chekout-api', 'a.b=1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('steward: I don\'t know a service called "chekout-api". Did you mean "checkout-api"?\n');
  }, 120_000);

  it('gate exits 0 when the service reaches the level', () => {
    const r = run('gate', 'checkout-api', '--scorecard', 'readiness', '--min', 'bronze');
    expect(r).toMatchObject({ code: 0, stdout: 'PASS checkout-api: Readiness is Bronze (73/100); Bronze required.\n' });
  });

  it('gate exits 1 below the level and prints each failing check with its fix link', () => {
    const r = run('gate', 'search-api', '--scorecard', 'readiness', '--min', 'silver');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'FAIL search-api: Readiness is No level (18/100); Silver required. Failing:',
        '  ✗ Runbook linked (bronze): no link of type runbook in metadata.links',
        '    how: Add a runbook link to metadata.links.',
        '    fix: https://docs.acme.example/runbooks?service=search-api',
        '  ? Alerts configured (bronze): unknown, no fact alerts.configured reported',
        '    how: Configure alerts and push alerts.configured=true.',
        '    fix: https://handbook.acme.example/eng/playbooks/alerts',
        '  ✗ On-call connected (silver): annotation pagerduty.com/service-id is not set; annotation opsgenie.com/team is not set',
        '    how: Add the pagerduty.com/service-id annotation.',
        '  ? SLO defined (silver): unknown, no fact slo.defined reported',
        '    how: Define an SLO.',
        '',
      ].join('\n'),
    );
  });

  it('gate answers as JSON in the shape of the HTTP gate API', () => {
    const r = run('gate', 'checkout-api', '--scorecard', 'readiness', '--min', 'silver', '--json');
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(body).toMatchObject({ pass: false, level: 'bronze', score: 73, enforced: true, min: 'silver' });
    expect(body['failing']).toEqual([
      { check: 'slo', title: 'SLO defined', level: 'silver', state: 'unknown', evidence: 'no fact slo.defined reported', fix: null, how: 'Define an SLO.' },
    ]);
  });

  it('gate passes with a warning while the scorecard is below its gate rollout phase', () => {
    const r = run('gate', 'search-api', '--scorecard', 'docs', '--min', 'good');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^WARN ONLY: docs is in its "visible" rollout phase, so this gate never fails \(exit 0\); set scorecards\.rollout\.docs: gate in the config to enforce it\.\n/);
    expect(r.stdout).toContain('\nWARN search-api: Docs is Basic (25/100); Good required. Failing:\n');
    expect(r.stdout).toContain('warning: docs is in its "visible" rollout phase, below "gate": this is a warning and the gate passes.');
    const json = JSON.parse(run('gate', 'search-api', '--scorecard', 'docs', '--min', 'good', '--json').stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ pass: true, enforced: false });
    const enforced = run('gate', 'checkout-api', '--scorecard', 'readiness', '--min', 'bronze');
    expect(enforced.stdout).not.toContain('WARN ONLY');
  });

  it('gate exits 2 for an unknown scorecard or level and for missing options, 1 for an unknown service', () => {
    const scorecard = run('gate', 'checkout-api', '--scorecard', 'readyness', '--min', 'gold');
    expect(scorecard).toMatchObject({ code: 2, stdout: '' });
    expect(scorecard.stderr).toBe('steward: There is no scorecard called "readyness". Did you mean readiness?\n');
    const level = run('gate', 'checkout-api', '--scorecard', 'readiness', '--min', 'platinum');
    expect(level).toMatchObject({ code: 2, stderr: 'steward: "platinum" is not a level of readiness. Levels: bronze, silver, gold.\n' });
    expect(run('gate', 'checkout-api', '--scorecard', 'readiness')).toMatchObject({ code: 2, stderr: 'steward: gate needs --min LEVEL, e.g. --min silver\n' });
    expect(run('gate', '--scorecard', 'readiness', '--min', 'gold').code).toBe(2);
    expect(run('gate', 'checkout-api', '--scorecard', 'readiness', '--min', 'gold', '--colour').code).toBe(2);
    expect(run('gate', 'no-such-service', '--scorecard', 'readiness', '--min', 'gold').code).toBe(1);
  }, 120_000);

  it('exempt records an exemption that the gate then honours; bad dates exit 2', () => {
    const ambiguous = run('exempt', 'checkout-api', 'slo', '--reason', 'SLO tool migration', '--until', '2099-12-31');
    expect(ambiguous).toMatchObject({
      code: 2,
      stderr: 'steward: Several scorecards have a check called "slo". Name one: readiness/slo, production-readiness/slo.\n',
    });
    const r = run('exempt', 'checkout-api', 'readiness/slo', '--reason', 'SLO tool migration', '--until', '2099-12-31', '--by', 'ana.ruiz@acme.example');
    expect(r).toMatchObject({ code: 0, stderr: expect.stringContaining('steward: warning: 2099-12-31 is ') as unknown as string });
    expect(r.stdout).toBe('Exempted checkout-api from readiness/slo until 2099-12-31: SLO tool migration. It counts again from 2100-01-01.\n');
    expect(run('gate', 'checkout-api', '--scorecard', 'readiness', '--min', 'silver').code).toBe(0);
    const past = run('exempt', 'checkout-api', 'readiness/slo', '--reason', 'x y z', '--until', '2001-01-01');
    expect(past).toMatchObject({ code: 2, stderr: 'steward: 2001-01-01 has passed; an exemption needs an end date from today on.\n' });
    expect(run('exempt', 'checkout-api', 'readiness/slo', '--until', '2099-01-01').code).toBe(2);
    expect(run('exempt', 'checkout-api', 'readiness/slow', '--reason', 'x y z', '--until', '2099-01-01').stderr).toBe(
      'steward: There is no check called "readiness/slow". Did you mean slo?\n',
    );
  }, 120_000);

  it('score evaluates every service and prints one line per service and scorecard', () => {
    const r = run('score', '--scorecard', 'readiness');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SERVICE\s+SCORECARD\s+LEVEL\s+SCORE\s+CHECKS\ncheckout-api\s+readiness\s+Silver\s+82\/100\s+2 unknown, 1 exempt\n/);
    expect(r.stdout).toMatch(/\nsearch-api\s+readiness\s+No level\s+18\/100\s+2 failing, 4 unknown\n/);
    expect(r.stdout).toMatch(/\nEvaluated 3 services against 1 scorecard in \d+\.\d\d s; \d+ results? changed since the last run\.\n$/);
  });

  it('score --service --json gives every check with its state, evidence and fix', () => {
    const r = run('score', '--service', 'search-api', '--json');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { results: Array<{ scorecard: string; checks: Array<Record<string, unknown>> }> };
    // The config's scorecards sort first (order 1 and 2), then the five defaults.
    expect(body.results.map((x) => x.scorecard)).toEqual(['readiness', 'docs', 'production-readiness', 'security-posture', 'reliability', 'documentation', 'cost-discipline']);
    expect(body.results[0]!.checks.find((c) => c['id'] === 'runbook')).toEqual({
      id: 'runbook',
      title: 'Runbook linked',
      level: 'bronze',
      weight: 2,
      state: 'fail',
      evidence: 'no link of type runbook in metadata.links',
      fix: 'https://docs.acme.example/runbooks?service=search-api',
      how: 'Add a runbook link to metadata.links.',
    });
    expect(run('score', '--scorecard', 'nope').code).toBe(2);
    expect(run('score', '--service', 'nope').code).toBe(1);
  }, 90_000);

  it('refuses to start on a broken scorecard folder, naming file and line (exit 2)', () => {
    const broken = mkdtempSync(join(tmpdir(), 'steward-score-broken-'));
    cpSync(join(FIXTURES, 'scorecards', 'broken', 'b-bad-params.yaml'), join(broken, 'bad.yaml'));
    writeFileSync(join(broken, 'steward.config.yaml'), 'scorecards:\n  folders: [.]\n');
    const r = steward(cwd, ['score', '--config', join(broken, 'steward.config.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^steward: invalid scorecards:\n {2}.*bad\.yaml:8: checks\[0\]\.rule\.op: must be one of < <= > >= == !=\n/);
  });
});
