import { afterAll, describe, expect, it } from 'vitest';
import type { ScoringBot } from '../scoring/support/scoring-bot.js';
import { createScoringBot } from '../scoring/support/scoring-bot.js';

describe('/service not-mine', () => {
  const bot: ScoringBot = createScoringBot();
  afterAll(() => bot.close());

  it('records that a service is not the caller\'s, by any name the catalog knows it by', async () => {
    const said = await bot.say('/service not-mine checkout-api', { as: 'ben.okafor@acme.example' });
    expect(said.outcome).toBe('ok');
    expect(said.text).toBe(
      "Noted: checkout-api is not yours. You will not be nudged about it, and Steward's admins see the note.\nFix the owner in its catalog-info.yaml, or who-owns checkout-api to see who the catalog names.",
    );
    expect((await bot.say('not-mine component:default/search-api', { as: 'ben.okafor@acme.example' })).outcome).toBe('ok');
    expect(bot.steward.nudges.disowned().map((d) => [d.personRef, d.entityRef])).toEqual([
      ['user:default/ben.okafor', 'component:default/checkout-api'],
      ['user:default/ben.okafor', 'component:default/search-api'],
    ]);
  });

  it('says what is wrong: an unknown service, no service, a stranger', async () => {
    const unknown = await bot.say('not-mine chekout-api', { as: 'ben.okafor@acme.example' });
    expect(unknown.errorCode).toBe('not_found');
    expect(unknown.text).toContain('I don\'t know a service called "chekout-api"');
    const bare = await bot.say('not-mine', { as: 'ben.okafor@acme.example' });
    expect(bare.outcome).toBe('usage');
    expect(bare.text).toContain('not-mine <service>');
    expect((await bot.say('not-mine checkout-api', { as: 'nobody@acme.example' })).errorCode).toBe('not_in_catalog');
  });

  it('is listed by help, from the registry', async () => {
    expect((await bot.say('help')).text).toContain('not-mine <service>');
  });
});
