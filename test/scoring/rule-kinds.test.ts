import { describe, expect, it } from 'vitest';
import type { Entity } from '../../src/core/catalog/index.js';
import type { Fact, FactValue, RuleDefinition, RuleOutcome, ServiceSnapshot } from '../../src/core/scoring/index.js';
import { compileRule, entity, ruleSchemaFor } from './support/engine.js';

const NOW = new Date('2026-11-30T09:00:00Z');

const fact = (key: string, value: FactValue, observed = '2026-11-29T00:00:00Z', source = 'ci'): Fact => ({ key, value, source, observedAt: new Date(observed) });

function run(rule: unknown, options: { entity?: Entity; facts?: Fact[]; owner?: string } = {}): RuleOutcome {
  const snapshot: ServiceSnapshot = {
    entity: options.entity ?? entity(),
    ownerRef: options.owner,
    facts: new Map((options.facts ?? []).map((f) => [f.key, f])),
    exemptions: [],
    now: NOW,
  };
  return compileRule(ruleSchemaFor(rule))(snapshot);
}

describe('rule kind: field', () => {
  it('passes when the field is present, fails when it is missing or empty', () => {
    expect(run({ kind: 'field', path: 'spec.owner' }, { entity: entity({ spec: { owner: 'team-payments' } }) })).toEqual({
      status: 'pass',
      evidence: 'spec.owner is "team-payments"',
    });
    expect(run({ kind: 'field', path: 'spec.owner' })).toEqual({ status: 'fail', evidence: 'spec.owner is not set' });
    expect(run({ kind: 'field', path: 'metadata.description' }, { entity: entity({ metadata: { description: '  ' } }) }).status).toBe('fail');
    expect(run({ kind: 'field', path: 'metadata.tags' }, { entity: entity({ metadata: { tags: [] } }) }).status).toBe('fail');
  });

  it('equals a value or any of several, and a list field contains it', () => {
    const prod = { kind: 'field', path: 'spec.lifecycle', equals: 'production' };
    expect(run(prod).status).toBe('pass');
    expect(run(prod, { entity: entity({ spec: { lifecycle: 'experimental' } }) })).toEqual({
      status: 'fail',
      evidence: 'spec.lifecycle is "experimental" (must be "production")',
    });
    expect(run({ kind: 'field', path: 'spec.lifecycle', equals: ['production', 'experimental'] }, { entity: entity({ spec: { lifecycle: 'experimental' } }) }).status).toBe('pass');
    expect(run({ kind: 'field', path: 'metadata.tags', equals: 'pci' }, { entity: entity({ metadata: { tags: ['java', 'pci'] } }) }).status).toBe('pass');
  });

  it('matches a pattern and checks a minimum length', () => {
    expect(run({ kind: 'field', path: 'metadata.description', matches: '^[A-Z]' }, { entity: entity({ metadata: { description: 'lower case' } }) }).status).toBe('fail');
    expect(run({ kind: 'field', path: 'metadata.description', minLength: 20 }, { entity: entity({ metadata: { description: 'Too short' } }) })).toEqual({
      status: 'fail',
      evidence: 'metadata.description is "Too short" (must be at least 20 characters)',
    });
  });

  it('reads label and annotation keys that contain dots and slashes', () => {
    const e = entity({ metadata: { labels: { tier: '1' }, annotations: { 'backstage.io/techdocs-ref': 'dir:.' } } });
    expect(run({ kind: 'field', path: 'metadata.labels.tier', equals: 1 }, { entity: e }).status).toBe('pass');
    expect(run({ kind: 'field', path: 'metadata.annotations.backstage.io/techdocs-ref' }, { entity: e }).status).toBe('pass');
  });
});

describe('rule kind: annotation', () => {
  const e = entity({ metadata: { annotations: { 'pagerduty.com/service-id': 'PXYZ', empty: '' } } });
  it('is present, equals or matches', () => {
    expect(run({ kind: 'annotation', key: 'pagerduty.com/service-id' }, { entity: e })).toEqual({ status: 'pass', evidence: 'annotation pagerduty.com/service-id is "PXYZ"' });
    expect(run({ kind: 'annotation', key: 'empty' }, { entity: e })).toEqual({ status: 'fail', evidence: 'annotation empty is not set' });
    expect(run({ kind: 'annotation', key: 'pagerduty.com/service-id', equals: 'PABC' }, { entity: e }).status).toBe('fail');
    expect(run({ kind: 'annotation', key: 'pagerduty.com/service-id', matches: '^P[A-Z]+$' }, { entity: e }).status).toBe('pass');
  });
});

describe('rule kind: link', () => {
  const e = entity({ metadata: { links: [{ url: 'https://wiki.example/runbook', type: 'runbook', title: 'Runbook' }, { url: 'https://grafana.example/d/1' }] } });
  it('finds a link by type, URL or title', () => {
    expect(run({ kind: 'link', type: 'runbook' }, { entity: e })).toEqual({ status: 'pass', evidence: 'link https://wiki.example/runbook' });
    expect(run({ kind: 'link', urlMatches: 'grafana' }, { entity: e }).status).toBe('pass');
    expect(run({ kind: 'link', type: 'dashboard' }, { entity: e })).toEqual({ status: 'fail', evidence: 'no link of type dashboard in metadata.links' });
    expect(run({ kind: 'link', type: 'runbook' }).status).toBe('fail');
  });
});

describe('rule kind: fact', () => {
  it('is unknown when the fact is missing, never a pass', () => {
    expect(run({ kind: 'fact', fact: 'slo.defined' })).toEqual({ status: 'unknown', evidence: 'no fact slo.defined reported', missing: ['slo.defined'] });
  });
  it('is present, equals or matches', () => {
    expect(run({ kind: 'fact', fact: 'slo.defined' }, { facts: [fact('slo.defined', false)] }).status).toBe('pass');
    expect(run({ kind: 'fact', fact: 'slo.defined', equals: true }, { facts: [fact('slo.defined', false)] })).toEqual({
      status: 'fail',
      evidence: 'slo.defined is false (must be true)',
    });
    expect(run({ kind: 'fact', fact: 'secrets.store', matches: '^vault' }, { facts: [fact('secrets.store', 'vault-prod')] }).status).toBe('pass');
  });
  it('is unknown when the fact is older than staleAfterDays', () => {
    const out = run({ kind: 'fact', fact: 'slo.defined', staleAfterDays: 30 }, { facts: [fact('slo.defined', true, '2026-09-01T00:00:00Z')] });
    expect(out).toEqual({
      status: 'unknown',
      evidence: 'slo.defined was last reported 2026-09-01, 90 days ago (older than 30 days)',
      missing: ['slo.defined'],
    });
  });
  it('derives catalog.* facts from the descriptor instead of storing them', () => {
    const e = entity({ metadata: { labels: { tier: '1' }, annotations: { 'opsgenie.com/team': 'web' } } });
    expect(run({ kind: 'fact', fact: 'catalog.owner', equals: 'team-payments' }, { entity: e, owner: 'group:default/team-payments' }).status).toBe('pass');
    expect(run({ kind: 'fact', fact: 'catalog.tier', equals: '1' }, { entity: e }).status).toBe('pass');
    expect(run({ kind: 'fact', fact: 'catalog.annotation.opsgenie.com/team' }, { entity: e }).status).toBe('pass');
    expect(run({ kind: 'fact', fact: 'catalog.owner' }, { entity: e })).toEqual({ status: 'fail', evidence: 'the catalog has no owner' });
  });
});

describe('rule kind: fact-compare', () => {
  const cves = { kind: 'fact-compare', fact: 'cve.critical', op: '==', value: 0 };
  it('compares numbers with every operator', () => {
    expect(run(cves, { facts: [fact('cve.critical', 0)] })).toEqual({ status: 'pass', evidence: 'cve.critical is 0' });
    expect(run(cves, { facts: [fact('cve.critical', 3)] })).toEqual({ status: 'fail', evidence: 'cve.critical is 3 (needs == 0)' });
    const cases: Array<[string, number, boolean]> = [
      ['<', 5, true], ['<', 4, false], ['<=', 4, true], ['>', 3, true], ['>', 4, false], ['>=', 4, true], ['!=', 4, false], ['!=', 1, true],
    ];
    for (const [op, value, pass] of cases) {
      expect(run({ kind: 'fact-compare', fact: 'n', op, value }, { facts: [fact('n', 4)] }).status, `4 ${op} ${value}`).toBe(pass ? 'pass' : 'fail');
    }
  });
  it('reads numbers pushed as text, and calls a non-number unknown rather than failing it', () => {
    expect(run(cves, { facts: [fact('cve.critical', '0')] }).status).toBe('pass');
    expect(run({ kind: 'fact-compare', fact: 'cve.critical', op: '<=', value: 0 }, { facts: [fact('cve.critical', 'lots')] })).toEqual({
      status: 'unknown',
      evidence: 'cve.critical is "lots", not a number',
      missing: ['cve.critical'],
    });
  });
  it('compares booleans and strings for equality', () => {
    expect(run({ kind: 'fact-compare', fact: 'alerts.configured', op: '==', value: true }, { facts: [fact('alerts.configured', true)] }).status).toBe('pass');
    expect(run({ kind: 'fact-compare', fact: 'alerts.configured', op: '==', value: true }, { facts: [fact('alerts.configured', 'true')] }).status).toBe('pass');
    expect(run({ kind: 'fact-compare', fact: 'secrets.store', op: '!=', value: 'env' }, { facts: [fact('secrets.store', 'env')] }).status).toBe('fail');
  });
  it('is unknown when missing', () => {
    expect(run(cves).status).toBe('unknown');
  });
});

describe('rule kind: fact-age', () => {
  const loadTest = { kind: 'fact-age', fact: 'loadtest.last_run', maxDays: 90 };
  it('passes within the window and fails after it, counting from the date in the value', () => {
    expect(run(loadTest, { facts: [fact('loadtest.last_run', '2026-09-01')] })).toEqual({ status: 'pass', evidence: 'loadtest.last_run is 2026-09-01, 90 days ago' });
    expect(run(loadTest, { facts: [fact('loadtest.last_run', '2026-08-31T12:00:00Z')] }).status).toBe('pass');
    expect(run(loadTest, { facts: [fact('loadtest.last_run', '2026-08-31')] })).toEqual({
      status: 'fail',
      evidence: 'loadtest.last_run is 2026-08-31, 91 days ago (needs within 90 days)',
    });
    expect(run(loadTest, { facts: [fact('loadtest.last_run', '2026-05-01')] }).evidence).toContain('213 days ago');
  });
  it('counts from when the fact was reported with of: observed', () => {
    const rule = { kind: 'fact-age', fact: 'sbom.present', maxDays: 30, of: 'observed' };
    expect(run(rule, { facts: [fact('sbom.present', true, '2026-11-20T00:00:00Z')] }).status).toBe('pass');
    expect(run(rule, { facts: [fact('sbom.present', true, '2026-10-01T00:00:00Z')] }).evidence).toBe('sbom.present was last reported 2026-10-01, 60 days ago (needs within 30 days)');
  });
  it('is unknown when the value is not a date, or missing', () => {
    expect(run(loadTest, { facts: [fact('loadtest.last_run', 'last tuesday')] }).status).toBe('unknown');
    expect(run(loadTest).status).toBe('unknown');
  });
});

describe('rule kind: attestation', () => {
  const dr = { kind: 'attestation', name: 'dr-drill', validForDays: 180 };
  it('holds until it expires, and says who attested', () => {
    expect(run(dr, { facts: [fact('attestation.dr-drill', '2026-10-01', '2026-10-01T00:00:00Z', 'ana.ruiz@acme.example')] })).toEqual({
      status: 'pass',
      evidence: 'attested by ana.ruiz@acme.example on 2026-10-01, valid until 2027-03-30',
    });
    expect(run(dr, { facts: [fact('attestation.dr-drill', '2026-05-01', '2026-05-01T00:00:00Z', 'cli')] })).toEqual({
      status: 'fail',
      evidence: 'attestation of 2026-05-01 expired on 2026-10-28',
    });
  });
  it('is unknown until someone attests', () => {
    expect(run(dr)).toEqual({ status: 'unknown', evidence: 'no attestation recorded (fact attestation.dr-drill)', missing: ['attestation.dr-drill'] });
  });
});

describe('rule kind: any-of', () => {
  const oncall = {
    kind: 'any-of',
    rules: [
      { kind: 'annotation', key: 'pagerduty.com/service-id' },
      { kind: 'fact-compare', fact: 'oncall.rotation', op: '==', value: true },
    ],
  };
  it('passes when one rule passes, is unknown when none passes and one is unknown, else fails', () => {
    expect(run(oncall, { entity: entity({ metadata: { annotations: { 'pagerduty.com/service-id': 'P1' } } }) }).status).toBe('pass');
    expect(run(oncall)).toEqual({
      status: 'unknown',
      evidence: 'annotation pagerduty.com/service-id is not set; no fact oncall.rotation reported',
      missing: ['oncall.rotation'],
    });
    expect(run(oncall, { facts: [fact('oncall.rotation', false)] }).status).toBe('fail');
  });
});

describe('rule parameters are checked when a scorecard loads', () => {
  const problems = (rule: unknown): string[] => {
    try {
      ruleSchemaFor(rule);
      return [];
    } catch (err) {
      return (err as Error).message.split('\n');
    }
  };
  it('names the bad parameter of each kind', () => {
    expect(problems({ kind: 'nope' })).toEqual(['kind: must be one of field, annotation, link, fact, fact-compare, fact-age, attestation, any-of']);
    expect(problems({ kind: 'field', path: 'owner' })).toEqual(['path: must start with metadata. or spec., e.g. spec.owner']);
    expect(problems({ kind: 'annotation', key: 'x', matches: '(' })).toEqual(['matches: is not a valid regular expression']);
    expect(problems({ kind: 'link' })).toEqual(['a link rule needs type, urlMatches or titleMatches']);
    expect(problems({ kind: 'fact', fact: 'Not A Key' })).toEqual(['fact: a fact key is lower-case words joined by dots, e.g. alerts.configured']);
    expect(problems({ kind: 'fact-compare', fact: 'a.b', op: '>', value: 'high' })).toEqual(['value: ordering operators (< <= > >=) need a number value']);
    expect(problems({ kind: 'fact-age', fact: 'a.b', maxDays: 0 })).toEqual(['maxDays: must be at least 1 day']);
    expect(problems({ kind: 'attestation', name: 'dr', validForDays: 1.5 })).toEqual(['validForDays: must be a whole number of days']);
    expect(problems({ kind: 'any-of', rules: [{ kind: 'link', type: 'runbook' }] })).toEqual(['rules: any-of needs at least two rules']);
    expect(problems({ kind: 'fact', fact: 'a.b', extra: 1 })).toEqual(['extra: unknown key']);
  });
  it('accepts every kind with good parameters', () => {
    const good: RuleDefinition[] = [
      { kind: 'field', path: 'spec.owner' },
      { kind: 'annotation', key: 'x' },
      { kind: 'link', type: 'runbook' },
      { kind: 'fact', fact: 'a.b' },
      { kind: 'fact-compare', fact: 'a.b', op: '<', value: 3 },
      { kind: 'fact-age', fact: 'a.b', maxDays: 3, of: 'value' },
      { kind: 'attestation', name: 'dr', validForDays: 3 },
      { kind: 'any-of', rules: [{ kind: 'link', type: 'runbook' }, { kind: 'fact', fact: 'a.b' }] },
    ];
    for (const rule of good) expect(problems(rule), rule.kind).toEqual([]);
  });
});
