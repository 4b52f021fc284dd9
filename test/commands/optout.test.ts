import { afterAll, describe, expect, it } from 'vitest';
import type { ScoringBot } from '../scoring/support/scoring-bot.js';
import { createScoringBot } from '../scoring/support/scoring-bot.js';

describe('/service optout and optin', () => {
  const bot: ScoringBot = createScoringBot();
  afterAll(() => bot.close());

  it('turns nudges off and on again for the caller only', async () => {
    const off = await bot.say('/service optout', { as: 'ana.ruiz@acme.example' });
    expect(off.text).toBe('You will get no more nudges from Steward.\nYour services stay on the scorecards and the leaderboard. optin turns nudges back on.');
    expect(bot.steward.nudges.optedOut()).toEqual(new Set(['user:default/ana.ruiz']));
    expect((await bot.say('optout', { as: 'ana.ruiz@acme.example' })).outcome).toBe('ok'); // twice is fine
    const on = await bot.say('/service optin', { as: 'ana.ruiz@acme.example' });
    expect(on.reply.fallback).toBe('Nudges are back on: at most one a week, about failing checks on services you own.\noptout turns them off.');
    expect(bot.steward.nudges.optedOut().size).toBe(0);
    expect((await bot.say('optin', { as: 'ana.ruiz@acme.example' })).reply.fallback).toBe('Nudges are already on for you.\noptout turns them off.');
  });

  it('needs a catalog person', async () => {
    expect((await bot.say('optout')).errorCode).toBe('not_in_catalog');
  });
});
