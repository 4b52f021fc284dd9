import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { DEFAULT_SCORECARDS_DIR, readScorecards } from '../../src/infra/scorecards/read-scorecards.js';
import { loadScorecards } from '../../src/infra/scorecards/load-scorecards.js';
import { GOOD_SCORECARDS, SCORECARD_FIXTURES } from './support/scoring-bot.js';

const BROKEN = join(SCORECARD_FIXTURES, 'broken');

describe('bad scorecard definitions', () => {
  const { scorecards, problems } = readScorecards([BROKEN]);
  const lines = problems.map((p) => `${p.file.slice(p.file.lastIndexOf('/') + 1)}:${p.line}: ${p.message}`);

  it('are all reported at once, each with its file, line and path', () => {
    expect(lines).toEqual([
      'a-unknown-kind.yaml:13: checks[1].rule.kind: must be one of field, annotation, link, fact, fact-compare, fact-age, attestation, any-of',
      'b-bad-params.yaml:8: checks[0].rule.op: must be one of < <= > >= == !=',
      'b-bad-params.yaml:17: checks[1].rule.value: ordering operators (< <= > >=) need a number value',
      'b-bad-params.yaml:22: checks[2].rule.matches: is not a valid regular expression',
      'b-bad-params.yaml:29: checks[3].rule.maxDays: is required',
      'b-bad-params.yaml:19: checks[2].id: compare is already the id of checks[0]',
      "b-bad-params.yaml:21: checks[2].level: platinum is not one of this scorecard's levels (bronze, silver)",
      'b-bad-params.yaml:24: checks[2].fix.link: unknown placeholder {team}; a fix link may use {service} {namespace} {kind} {owner} {system} {repo} {scorecard} {check}',
      'c-not-yaml.yaml:6: not valid YAML: deficient indentation',
      'e-missing-fields.yaml:1: id: must be lower-case words joined by -, e.g. production-readiness',
      'e-missing-fields.yaml:1: title: is required',
      'e-missing-fields.yaml:3: checks[0].title: is required',
      'e-missing-fields.yaml:5: checks[0].rule: a link rule needs type, urlMatches or titleMatches',
      'e-missing-fields.yaml:6: checks[0].fix.how: is required: one line saying how to fix it',
      'e-missing-fields.yaml:7: checks[0].colour: unknown key',
      'f-duplicate-id.yaml:2: scorecard id fine-one is already defined in test/fixtures/scorecards/broken/d-valid.yaml',
    ]);
    expect(scorecards.map((s) => s.definition.id)).toEqual(['fine-one']);
  });

  it('stop start-up with every problem listed (the CLI exits 2 on InputError)', () => {
    let error: unknown;
    try {
      loadScorecards({ includeDefaults: false, folders: [BROKEN] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toMatch(/^invalid scorecards:\n {2}test\/fixtures\/scorecards\/broken\/a-unknown-kind\.yaml:13: checks\[1\]\.rule\.kind: must be one of/);
    expect(message.split('\n')).toHaveLength(1 + lines.length);
  });

  it('name a missing folder and a rollout for a scorecard that does not exist', () => {
    expect(() => loadScorecards({ includeDefaults: false, folders: [join(SCORECARD_FIXTURES, 'nope')] })).toThrow(/scorecards\/nope: scorecard folder not found/);
    expect(() => loadScorecards({ includeDefaults: false, folders: [GOOD_SCORECARDS], rollout: { readines: 'gate' } })).toThrow(
      'config scorecards.rollout.readines: no scorecard has the id readines (loaded: docs, readiness)',
    );
  });
});

describe('the default scorecards', () => {
  const cards = loadScorecards();

  it('are the five the platform world runs, in a stable order, every one visible by default', () => {
    expect(cards.map((c) => c.id)).toEqual(['production-readiness', 'security-posture', 'reliability', 'documentation', 'cost-discipline']);
    expect(cards.every((c) => c.rollout === 'visible' && c.levels.join() === 'bronze,silver,gold')).toBe(true);
  });

  it('give every check a real absolute fix link and a one-line how-to', () => {
    for (const card of cards) {
      for (const check of card.checks) {
        expect(check.fix.link, `${card.id}/${check.id}`).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+\//);
        expect(check.fix.how.length, `${card.id}/${check.id}`).toBeGreaterThan(30);
        expect(check.fix.how).toMatch(/\.$/);
      }
    }
  });

  it('document every fact they read in scorecards/README.md', () => {
    const readme = readFileSync(join(DEFAULT_SCORECARDS_DIR, 'README.md'), 'utf8');
    const facts = new Set(cards.flatMap((c) => c.checks.flatMap((k) => k.facts)));
    expect(facts.size).toBe(18);
    for (const key of facts) expect(readme, key).toContain(`| \`${key}\` |`);
  });

  it('let a config rollout override the phase', () => {
    const gated = loadScorecards({ rollout: { 'production-readiness': 'gate' } });
    expect(gated.find((c) => c.id === 'production-readiness')!.rollout).toBe('gate');
  });
});
