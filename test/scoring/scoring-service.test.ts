import { afterAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../src/core/errors.js';
import type { CompiledScorecard } from '../../src/core/scoring/index.js';
import { createScoringService } from '../../src/core/scoring/index.js';
import { SqliteExemptionStore } from '../../src/infra/sqlite/exemption-store.js';
import { SqliteFactStore } from '../../src/infra/sqlite/fact-store.js';
import { SqliteScoreStore } from '../../src/infra/sqlite/score-store.js';
import { memoryLogger } from '../support/memory-logger.js';
import { createScoringBot } from './support/scoring-bot.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof CommandError ? `${err.code}: ${err.message}${err.hint ? ` ${err.hint}` : ''}` : String(err);
  }
};

describe('pushing facts', () => {
  const bot = createScoringBot();
  afterAll(() => bot.close());
  const s = bot.steward.scoring;

  it('stores them with source and observation time, says which changed, and re-evaluates at once', () => {
    const checkout = bot.entity('checkout-api');
    const first = s.pushFacts(checkout, { 'alerts.configured': true, 'readme.bytes': 1200 }, { source: 'ci/github-actions', observedAt: new Date('2026-11-01T00:00:00Z') });
    expect(first.changed).toEqual(['alerts.configured', 'readme.bytes']);
    expect(first.results.map((r) => `${r.scorecard.id} ${r.level} ${r.score}`)).toEqual(['readiness bronze 73', 'docs good 100']);
    const again = s.pushFacts(checkout, { 'alerts.configured': true, 'readme.bytes': 1300 }, { source: 'ci' });
    expect(again.changed).toEqual(['readme.bytes']);
    const stored = bot.steward.db.prepare("SELECT key, value, source, observed_at FROM facts WHERE entity_ref = ? ORDER BY key").all(checkout.ref);
    expect(stored).toEqual([
      { key: 'alerts.configured', value: 'true', source: 'ci', observed_at: '2026-11-02T09:00:00.000Z' },
      { key: 'readme.bytes', value: '1300', source: 'ci', observed_at: '2026-11-02T09:00:00.000Z' },
    ]);
  });

  it('refuses the whole push, naming every bad key and value', () => {
    const checkout = bot.entity('checkout-api');
    expect(codeOf(() => s.pushFacts(checkout, { 'Bad Key': 1, 'ok.key': { nested: true }, 'catalog.owner': 'me' }, { source: 'ci' }))).toBe(
      'bad_facts: facts.Bad Key: a fact key is lower-case words joined by dots, e.g. alerts.configured; ' +
        'facts.ok.key: a fact value is a string, a number or true/false; ' +
        'facts.catalog.owner: catalog.* facts come from the catalog descriptor and cannot be pushed',
    );
    expect(codeOf(() => s.pushFacts(checkout, {}, { source: 'ci' }))).toBe('bad_facts: facts: none given');
    expect(codeOf(() => s.pushFacts(checkout, { 'a.b': 1 }, { source: 'ci', observedAt: new Date('2027-01-01T00:00:00Z') }))).toBe(
      'bad_facts: observedAt 2027-01-01T00:00:00.000Z is in the future',
    );
    expect(bot.steward.db.prepare("SELECT count(*) FROM facts WHERE key IN ('ok.key', 'a.b')").pluck().get()).toBe(0);
  });
});

describe('exemptions', () => {
  const bot = createScoringBot({ admins: ['Ana.Ruiz@acme.example'] });
  afterAll(() => bot.close());
  const s = bot.steward.scoring;

  it('are recorded by check id or scorecard/check, replace an earlier one, and count at once', () => {
    const search = bot.entity('search-api');
    const { exemption, scorecard } = s.exempt({ entity: search, check: 'runbook', reason: 'runbook moves to the new wiki', until: '2026-11-20', by: 'ana' });
    expect([scorecard.id, exemption.checkId, exemption.until]).toEqual(['readiness', 'runbook', '2026-11-20']);
    s.exempt({ entity: search, check: 'readiness/runbook', reason: 'the wiki move slipped', until: '2026-11-30', by: 'ana' });
    const [result] = s.evaluate(search, { scorecardIds: ['readiness'] });
    const runbook = result!.checks.find((c) => c.check.id === 'runbook')!;
    expect(runbook).toMatchObject({ state: 'exempt', exemption: { reason: 'the wiki move slipped', until: '2026-11-30' } });
    expect(bot.steward.db.prepare('SELECT count(*) FROM exemptions WHERE replaced_at IS NOT NULL').pluck().get()).toBe(1);
  });

  it('stop counting after their last day', () => {
    const search = bot.entity('search-api');
    bot.setNow(new Date('2026-12-01T00:00:00Z'));
    const [result] = s.evaluate(search, { scorecardIds: ['readiness'] });
    expect(result!.checks.find((c) => c.check.id === 'runbook')).toMatchObject({ state: 'fail', exemption: undefined });
    bot.setNow(new Date('2026-11-02T09:00:00Z'));
  });

  it('refuse unknown checks, past or malformed dates and empty reasons', () => {
    const search = bot.entity('search-api');
    const ex = (check: string, until: string, reason = 'a reason'): string | undefined =>
      codeOf(() => s.exempt({ entity: search, check, reason, until, by: 'ana' }));
    expect(ex('runbok', '2026-12-01')).toBe('unknown_check: There is no check called "runbok". Did you mean runbook?');
    expect(ex('nope/runbook', '2026-12-01')).toMatch(/^unknown_scorecard: There is no scorecard called "nope"/);
    expect(ex('runbook', '2026-11-01')).toBe('bad_date: 2026-11-01 has passed; an exemption needs an end date from today on.');
    expect(ex('runbook', '2026-02-30')).toBe('bad_date: "2026-02-30" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-31.');
    expect(ex('runbook', '2026-12-01', ' ')).toBe('bad_reason: A reason needs at least 3 characters: it is shown next to the exemption in every answer.');
    expect(ex('runbook', '2026-12-01', 'ab')).toBe('bad_reason: A reason needs at least 3 characters ("ab" has 2): it is shown next to the exemption in every answer.');
  });

  it('know who may grant them in chat', () => {
    expect(s.isAdmin('ana.ruiz@ACME.example')).toBe(true);
    expect(s.isAdmin('ben.okafor@acme.example')).toBe(false);
    expect(s.isAdmin(undefined)).toBe(false);
  });
});

describe('the gate', () => {
  const bot = createScoringBot({ rollout: { readiness: 'gate' } });
  afterAll(() => bot.close());
  const s = bot.steward.scoring;

  it('passes at or above the minimum and lists what stands below it otherwise', () => {
    const checkout = bot.entity('checkout-api');
    bot.push('checkout-api', { 'alerts.configured': true });
    expect(s.gate(checkout, 'readiness', 'bronze')).toMatchObject({ pass: true, enforced: true, failing: [] });
    const silver = s.gate(checkout, 'Readiness', 'SILVER');
    expect(silver).toMatchObject({ pass: false, enforced: true, min: 'silver', warning: undefined });
    expect(silver.failing.map((c) => `${c.check.id}:${c.state}`)).toEqual(['slo:unknown']);
  });

  it('warns instead of failing while the rollout is below gate', () => {
    const search = bot.entity('search-api');
    const d = s.gate(search, 'docs', 'good');
    expect(d).toMatchObject({ pass: true, enforced: false });
    expect(d.failing.map((c) => c.check.id)).toEqual(['readme']);
    expect(d.warning).toBe('docs is in its "visible" rollout phase, below "gate": this is a warning and the gate passes.');
  });

  it('passes with a note when the scorecard does not apply', () => {
    const d = s.gate(bot.entity('batch-jobs'), 'readiness', 'gold');
    expect(d).toMatchObject({ pass: true, applies: false, warning: 'readiness does not apply to batch-jobs (its filter leaves it out); nothing to gate.' });
  });

  it('names unknown scorecards and levels', () => {
    const checkout = bot.entity('checkout-api');
    expect(codeOf(() => s.gate(checkout, 'readyness', 'gold'))).toBe('unknown_scorecard: There is no scorecard called "readyness". Did you mean readiness?');
    expect(codeOf(() => s.gate(checkout, 'readiness', 'platinum'))).toBe('unknown_level: "platinum" is not a level of readiness. Levels: bronze, silver, gold.');
  });
});

describe('a check whose rule throws', () => {
  const bot = createScoringBot();
  afterAll(() => bot.close());

  it('is unknown for every service, the rest of the scorecard stands, and the log says it once', () => {
    const card = bot.steward.scoring.requireScorecard('readiness');
    const broken: CompiledScorecard = {
      ...card,
      checks: card.checks.map((c) => (c.id === 'owner' ? { ...c, evaluate: () => { throw new Error('bug in the owner rule'); } } : c)),
    };
    const { logger, logs } = memoryLogger();
    const store = new SqliteScoreStore(bot.steward.db);
    const scoring = createScoringService({
      catalog: bot.steward.catalog,
      entities: bot.steward.catalog,
      history: store,
      facts: new SqliteFactStore(bot.steward.db),
      exemptions: new SqliteExemptionStore(bot.steward.db),
      scorecards: [broken],
      clock: { now: () => bot.now() },
      logger,
    });
    const { results } = scoring.refresh({ trigger: 'score' });
    expect(results.map((r) => `${r.entityRef.slice(18)} ${r.checks.map((c) => c.state[0]).join('')}`)).toEqual([
      'checkout-api upupuuu',
      'search-api ufufuuu',
      'web-shop upupuuu',
    ]);
    expect(logs.filter((l) => l.level === 'error').map((l) => [l.message, l.fields?.['check'], l.fields?.['services']])).toEqual([
      ['scorecard check failed to evaluate', 'readiness/owner', 3],
    ]);
  });
});
