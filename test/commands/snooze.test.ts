import { afterAll, describe, expect, it } from 'vitest';
import type { ScoringBot } from '../scoring/support/scoring-bot.js';
import { createScoringBot } from '../scoring/support/scoring-bot.js';

describe('/service snooze', () => {
  const bot: ScoringBot = createScoringBot({ rollout: { readiness: 'nudge' } });
  afterAll(() => bot.close());

  it('snoozes one check on one service for the caller', async () => {
    const out = await bot.say('/service snooze search-api runbook 7', { as: 'chen.li@acme.example' });
    expect(out.outcome).toBe('ok');
    expect(out.text).toBe('Snoozed Runbook linked on search-api for 7 days.\nYou will not be nudged about it before Mon 9 Nov 09:00 UTC. It still counts on the scorecard.');
    expect(bot.steward.nudges.snoozes(bot.now())).toEqual([
      { personRef: 'user:default/chen.li', entityRef: 'component:default/search-api', scorecardId: 'readiness', checkId: 'runbook', until: new Date('2026-11-09T09:00:00Z') },
    ]);
  });

  it('says what is wrong with the input', async () => {
    expect((await bot.say('snooze search-api runbook 0', { as: 'chen.li@acme.example' })).text).toContain('Snooze for at least 1 day');
    expect((await bot.say('snooze search-api runbook 365', { as: 'chen.li@acme.example' })).text).toContain('at most 90 days; an admin can record an exemption for longer');
    expect((await bot.say('snooze search-api nope 7', { as: 'chen.li@acme.example' })).errorCode).toBe('unknown_check');
    expect((await bot.say('snooze serch-api runbook 7', { as: 'chen.li@acme.example' })).errorCode).toBe('not_found');
    const stranger = await bot.say('snooze search-api runbook 7', { as: 'nobody@acme.example' });
    expect(stranger.errorCode).toBe('not_in_catalog');
    expect(stranger.text).toContain('I cannot find you in the catalog');
  });
});
