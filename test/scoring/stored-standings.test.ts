import { afterEach, describe, expect, it } from 'vitest';
import { teamStandings } from '../../src/core/scoring/index.js';
import type { ScoringBot } from './support/scoring-bot.js';
import { createScoringBot } from './support/scoring-bot.js';

/**
 * `team` and `leaderboard` read stored standings (migration 0014) instead of evaluating every
 * service on each ask; these check that what is stored is what the history says.
 */
describe('stored team standings', () => {
  let bot: ScoringBot | undefined;
  afterEach(() => bot?.close());

  /** The standings as computed from every latest result, the way they were before being stored. */
  const fromHistory = (b: ScoringBot, id: string) => {
    const card = b.steward.scoring.scorecards.find((c) => c.id === id)!;
    const isTeam = (ref: string) => ref.startsWith('group:') && b.steward.catalog.get(ref) !== undefined;
    return teamStandings(b.steward.stores.scores.latest(id), card.levels, isTeam);
  };

  it('are stored by a scoring run and read back without evaluating anything', async () => {
    bot = createScoringBot();
    bot.steward.scoring.refresh({ trigger: 'score' });
    const stored = bot.steward.stores.scores.readStandings('readiness', 'now');
    expect(stored?.totals.map((t) => t.ownerRef).sort()).toEqual(['group:default/team-payments', 'group:default/team-platform']);

    const runs = () => Number(bot!.steward.db.prepare('SELECT count(*) FROM score_runs').pluck().get());
    const before = runs();
    const out = await bot.say('leaderboard readiness');
    expect(out.outcome).toBe('ok');
    expect(out.text).toContain('1. Payments');
    // Asking evaluated nothing: no scoring run was recorded.
    expect(runs()).toBe(before);
  });

  it('follow each pushed fact without a full run, and agree with the history', () => {
    bot = createScoringBot();
    bot.steward.scoring.refresh({ trigger: 'score' });
    bot.advance(1);
    bot.push('search-api', { 'alerts.configured': true, 'slo.defined': true });
    bot.push('web-shop', { 'alerts.configured': true });
    bot.advance(1);
    bot.push('search-api', { 'alerts.configured': false });
    for (const id of ['readiness', 'docs']) {
      expect(bot.steward.scoring.standings(id)).toEqual(fromHistory(bot, id));
    }
    const stored = bot.steward.stores.scores.readStandings('readiness', 'now');
    expect(stored?.computedAt).toEqual(bot.now());
  });

  it('are computed once by a first ask on a database that never stored any', async () => {
    bot = createScoringBot();
    expect(bot.steward.stores.scores.readStandings('readiness', 'now')).toBeUndefined();
    const out = await bot.say('team payments');
    expect(out.text).toMatch(/Rank: Readiness 1st of 2/);
    expect(bot.steward.stores.scores.readStandings('readiness', 'now')).toBeDefined();
    expect(bot.steward.scoring.standings('readiness')).toEqual(fromHistory(bot, 'readiness'));
  });
});
