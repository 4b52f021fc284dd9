import { afterEach, describe, expect, it } from 'vitest';
import type { ScoringBot } from './support/scoring-bot.js';
import { createScoringBot } from './support/scoring-bot.js';

/** Rows of history, oldest first, as `entity scorecard level score states`. */
function rows(bot: ScoringBot, where = ''): string[] {
  return (
    bot.steward.db
      .prepare(`SELECT entity_ref, scorecard_id, at, applies, level, score, states FROM score_results ${where} ORDER BY id`)
      .all() as Array<{ entity_ref: string; scorecard_id: string; at: string; applies: number; level: string | null; score: number; states: string }>
  ).map((r) => `${r.at.slice(0, 10)} ${r.entity_ref.slice(r.entity_ref.indexOf('/') + 1)} ${r.scorecard_id} ${r.applies ? (r.level ?? 'none') : 'gone'} ${r.score} ${r.states}`);
}

describe('evaluation history across a fixed clock', () => {
  let bot: ScoringBot;
  afterEach(() => bot.close());

  it('stores a row only when a result changes, so the state at any time is a query', () => {
    bot = createScoringBot();
    const checkout = bot.entity('checkout-api');
    bot.steward.scoring.evaluate(checkout, { scorecardIds: ['readiness'], record: 'chat' });
    bot.steward.scoring.evaluate(checkout, { scorecardIds: ['readiness'], record: 'chat' });
    bot.advance(1);
    bot.push('checkout-api', { 'alerts.configured': true });
    bot.advance(1);
    bot.steward.scoring.evaluate(checkout, { scorecardIds: ['readiness'], record: 'chat' });
    expect(rows(bot, "WHERE scorecard_id = 'readiness'")).toEqual([
      '2026-11-02 checkout-api readiness none 55 {"owner":"p","runbook":"p","alerts":"u","oncall":"p","slo":"u","load-test":"u","dr-test":"u"}',
      '2026-11-03 checkout-api readiness bronze 73 {"owner":"p","runbook":"p","alerts":"p","oncall":"p","slo":"u","load-test":"u","dr-test":"u"}',
    ]);
    // One run per change; the repeated look on the same day wrote nothing.
    expect(bot.steward.db.prepare('SELECT trigger, changed FROM score_runs ORDER BY id').all()).toEqual([
      { trigger: 'chat', changed: 1 },
      { trigger: 'facts', changed: 2 },
    ]);
  });

  it('knows since when each check has been failing, across weeks', () => {
    bot = createScoringBot();
    const search = bot.entity('search-api');
    bot.push('search-api', { 'alerts.configured': false });
    bot.advance(7);
    bot.push('search-api', { 'slo.defined': true }); // a change elsewhere: alerts still failing
    bot.advance(7);
    const since = bot.steward.scoring.failingSince(search.ref, 'readiness');
    expect(Object.fromEntries([...since].map(([k, d]) => [k, d.toISOString().slice(0, 10)]))).toEqual({
      runbook: '2026-11-02',
      alerts: '2026-11-02',
      oncall: '2026-11-02',
    });
    bot.push('search-api', { 'alerts.configured': true });
    bot.advance(7);
    bot.push('search-api', { 'alerts.configured': false });
    expect(bot.steward.scoring.failingSince(search.ref, 'readiness').get('alerts')?.toISOString().slice(0, 10)).toBe('2026-11-23');
  });

  it('ranks teams and gives each its change since an ISO week', () => {
    bot = createScoringBot();
    const s = bot.steward.scoring;
    s.refresh({ trigger: 'score' }); // week 45
    bot.advance(7); // week 46
    bot.push('search-api', { 'alerts.configured': true, 'slo.defined': true });
    bot.push('checkout-api', { 'alerts.configured': false });
    bot.push('web-shop', { 'alerts.configured': true });
    s.refresh({ trigger: 'score' });
    const standings = s.standings('readiness', { since: '2026-W45' });
    expect(standings.map((t) => [t.ownerRef, t.rank, t.services, t.averageScore, t.levels, t.change?.scoreDelta, t.change?.rankDelta])).toEqual([
      ['group:default/team-payments', 1, 2, 64, { bronze: 1, none: 1 }, 9, 0],
      ['group:default/team-platform', 2, 1, 45, { none: 1 }, 27, 0],
    ]);
    // As of the end of week 45, from history alone.
    const then = s.standings('readiness', { asOf: new Date('2026-11-08T23:59:59Z') });
    expect(then.map((t) => [t.ownerRef, t.averageScore])).toEqual([
      ['group:default/team-payments', 55],
      ['group:default/team-platform', 18],
    ]);
    expect(() => s.standings('readiness', { since: '2026-W99' })).toThrow('"2026-W99" is not an ISO week');
  });

  it('shares a place between equal teams', () => {
    bot = createScoringBot();
    bot.steward.scoring.refresh({ trigger: 'score' });
    const docs = bot.steward.scoring.standings('docs');
    expect(docs.map((t) => [t.ownerRef, t.rank, t.averageScore])).toEqual([
      ['group:default/team-payments', 1, 25],
      ['group:default/team-platform', 1, 25],
    ]);
  });

  it('marks a service that left the catalog as no longer scored, on a full run', () => {
    bot = createScoringBot();
    bot.steward.scoring.refresh({ trigger: 'score' });
    bot.advance(1);
    // What `import --prune` does when a descriptor is gone.
    bot.steward.db.prepare("DELETE FROM entities WHERE ref = 'component:default/search-api'").run();
    const { changed } = bot.steward.scoring.refresh({ trigger: 'score' });
    expect(changed).toBe(2);
    expect(rows(bot, 'WHERE applies = 0')).toEqual(['2026-11-03 search-api readiness gone 0 {}', '2026-11-03 search-api docs gone 0 {}']);
    expect(bot.steward.scoring.standings('readiness').map((t) => t.ownerRef)).toEqual(['group:default/team-payments']);
    // A week later nothing more is written about it.
    bot.advance(7);
    expect(bot.steward.scoring.refresh({ trigger: 'chat' }).changed).toBe(0);
  });

  it('writes the same history a batch of two services at a time as in one piece, and hands every result out once', () => {
    bot = createScoringBot();
    const whole = bot.steward.scoring.refresh({ trigger: 'score' });
    const once = rows(bot);
    bot.close();
    bot = createScoringBot();
    const seen: string[] = [];
    const batches: number[] = [];
    const run = bot.steward.scoring.refreshInBatches({ trigger: 'score', batchSize: 2 }, (batch) => {
      batches.push(batch.length);
      for (const r of batch) seen.push(`${r.entityRef} ${r.scorecard.id}`);
    });
    // Row ids follow the batches; the history (the rows as a set) is the same.
    expect(rows(bot).sort()).toEqual([...once].sort());
    expect(run).toMatchObject({ evaluated: whole.results.length, changed: whole.changed });
    expect(seen).toEqual(whole.results.map((r) => `${r.entityRef} ${r.scorecard.id}`));
    expect(batches.length).toBeGreaterThan(2);
    // A service gone from the catalog is marked on the batched run's finish, as on a whole one.
    bot.advance(1);
    bot.steward.db.prepare("DELETE FROM entities WHERE ref = 'component:default/search-api'").run();
    expect(bot.steward.scoring.refreshInBatches({ trigger: 'score', batchSize: 2 }, () => {}).changed).toBe(2);
    expect(rows(bot, 'WHERE applies = 0')).toEqual(['2026-11-03 search-api readiness gone 0 {}', '2026-11-03 search-api docs gone 0 {}']);
  });

  it('records an explicit steward score run even when nothing changed', () => {
    bot = createScoringBot();
    bot.steward.scoring.refresh({ trigger: 'score' });
    bot.steward.scoring.refresh({ trigger: 'score' });
    bot.steward.scoring.refresh({ trigger: 'chat' });
    expect(bot.steward.db.prepare('SELECT trigger, full, evaluated, changed FROM score_runs ORDER BY id').all()).toEqual([
      { trigger: 'score', full: 1, evaluated: 8, changed: 8 },
      { trigger: 'score', full: 1, evaluated: 8, changed: 0 },
    ]);
  });
});
