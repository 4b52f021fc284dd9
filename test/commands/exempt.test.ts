import { afterAll, describe, expect, it } from 'vitest';
import type { ScoringBot } from '../scoring/support/scoring-bot.js';
import { createScoringBot } from '../scoring/support/scoring-bot.js';

describe('/service exempt', () => {
  const bot: ScoringBot = createScoringBot({ admins: ['Ana.Ruiz@acme.example'] });
  afterAll(() => bot.close());
  const exemptions = (): unknown => bot.steward.db.prepare('SELECT count(*) FROM exemptions').pluck().get();

  it('is refused to anyone who is not an admin, and records nothing', async () => {
    for (const as of ['ben.okafor@acme.example', undefined]) {
      const out = await bot.say('/service exempt search-api runbook 2026-11-20 the wiki move', as ? { as } : {});
      expect(out).toMatchObject({ command: 'exempt', outcome: 'user_error', errorCode: 'not_admin' });
      expect(out.reply.fallback).toBe(
        'Only Steward admins can record exemptions. Ask one, or run steward exempt on the server. Admins are listed under admins in the config.',
      );
      expect(out.text).toBe('Only Steward admins can record exemptions.\nAsk one, or run steward exempt on the server. Admins are listed under admins in the config.');
    }
    expect(exemptions()).toBe(0);
  });

  it('records an exemption for an admin, in the channel', async () => {
    const out = await bot.say('exempt search-api runbook 2026-11-20 the wiki move', { as: 'ana.ruiz@acme.example' });
    expect(out.outcome).toBe('ok');
    expect(out.reply.visibility).toBe('channel');
    expect(out.reply.fallback).toBe(
      'search-api is exempt from Readiness / runbook until 2026-11-20: the wiki move.\nIt counts again from 2026-11-21. Recorded by ana.ruiz@acme.example.',
    );
    expect(exemptions()).toBe(1);
  });

  it('shows its usage, derived from its parameters', async () => {
    const out = await bot.say('exempt search-api', { as: 'ana.ruiz@acme.example' });
    expect(out.reply.fallback).toBe('Missing <check>; missing <until>; missing <reason>. Usage: exempt <service> <check> <until YYYY-MM-DD> <reason...>');
  });
});
