import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoringBot } from '../scoring/support/scoring-bot.js';
import { createScoringBot } from '../scoring/support/scoring-bot.js';

describe('/service leaderboard, team and mine', () => {
  let bot: ScoringBot;

  beforeAll(async () => {
    bot = createScoringBot({ rollout: { readiness: 'leaderboard' } });
    await bot.say('leaderboard'); // week 45: the first standings go into history
    bot.advance(7);
    bot.push('search-api', { 'alerts.configured': true, 'slo.defined': true });
    bot.push('web-shop', { 'alerts.configured': true });
  });
  afterAll(() => bot.close());

  it('ranks teams on the scorecards in the leaderboard phase, with the change since last week', async () => {
    const out = await bot.say('/service leaderboard');
    expect(out.outcome).toBe('ok');
    expect(out.reply.fallback).toBe('Readiness: 1. Payments 64, 2. Platform 45.');
    expect(out.text).toBe(
      [
        'Readiness: 2 teams',
        '  • 1. Payments 64/100 · 2 services (Bronze 1, no level 1) · +9 since 2026-W45',
        '  • 2. Platform 45/100 · 1 service (no level 1) · +27 since 2026-W45',
        'Average score of each team’s services. Ask leaderboard <scorecard> for one scorecard.',
      ].join('\n'),
    );
  });

  it('shows any scorecard when named, shares places between equal teams, and says it is not on the weekly board yet', async () => {
    const out = await bot.say('leaderboard docs');
    expect(out.text).toContain('  • 1. Payments 25/100 · 2 services (Basic 2)\n  • 1. Platform 25/100 · 2 services (Basic 2)');
    expect(out.text).toContain('Docs is in its "visible" rollout phase: it is not on the weekly leaderboard yet.');
    expect((await bot.say('leaderboard nope')).errorCode).toBe('unknown_scorecard');
  });

  it('falls back to every scorecard when none has reached the leaderboard phase', async () => {
    const quiet = createScoringBot();
    try {
      const out = await quiet.say('leaderboard');
      expect(out.text).toMatch(/^Readiness: 2 teams\n/);
      expect(out.text).toContain('\nDocs: 2 teams\n');
      expect(out.text).toContain('No scorecard has reached the leaderboard rollout phase yet, so this shows all of them.');
    } finally {
      quiet.close();
    }
  });

  it("team shows each service's levels and the team's rank per scorecard", async () => {
    const out = await bot.say('team platform');
    expect(out.reply.fallback).toBe('Platform: 1 members, owns 2 (batch-jobs, search-api).');
    expect(out.text).toContain('  • batch-jobs (component · service) — Docs Basic\n  • search-api (component · service) — Readiness No level, Docs Basic');
    expect(out.text).toContain('Rank: Readiness 2nd of 2 (45/100); Docs 1st of 2 (25/100)');
  });

  it("mine lists the caller's services with their levels and how many checks fail", async () => {
    const out = await bot.say('mine', { as: 'chen.li@acme.example' });
    expect(out.reply.fallback).toBe('You are in Platform. You own 2: batch-jobs, search-api.');
    expect(out.text).toContain('  • search-api (component · service) — Readiness No level (2 failing), Docs Basic');
    expect(out.text).toContain('2 failing checks across these. Ask health <service> for how to fix them.');
  });
});
