import { afterAll, describe, expect, it } from 'vitest';
import { createTestBot } from '../support/test-bot.js';

describe('help', () => {
  const bot = createTestBot({ catalog: null });
  afterAll(() => bot.close());

  it('lists every registered command', async () => {
    const out = await bot.say('help');
    for (const name of ['help', 'who-owns', 'info', 'search', 'team', 'mine']) expect(out.text).toContain(name);
  });

  it('explains one command with examples', async () => {
    const out = await bot.say('help who-owns');
    expect(out.text).toContain('Usage: who-owns <service>');
    expect(out.text).toContain('who-owns "Payments API"');
  });

  it('answers an empty line with help', async () => {
    expect((await bot.say('/service')).reply.fallback).toMatch(/^Commands: help, who-owns/);
  });

  it('suggests the nearest command for a typo', async () => {
    const out = await bot.say('/service who-own payments-api');
    expect(out.outcome).toBe('unknown_command');
    expect(out.reply.fallback).toContain('Did you mean `who-owns`?');
  });
});

describe('info', () => {
  const bot = createTestBot();
  afterAll(() => bot.close());

  it('describes a service: lifecycle, tier, owner, system, links and dependencies', async () => {
    const out = await bot.say('info payments-api');
    expect(out.reply.fallback).toBe('Payments API (payments-api) (component · service, production): Takes card payments and refunds for every storefront.');
    expect(out.text).toContain('Lifecycle: production');
    expect(out.text).toContain('Tier: 1');
    expect(out.text).toContain('Owner: Payments');
    expect(out.text).toContain('System: Money Movement');
    expect(out.text).toContain('Runbook <https://runbooks.acme.example/payments-api>');
    expect(out.text).toContain('Depends on: ledger-service, payments-db');
    expect(out.text).toContain('Provides APIs: payments-rest');
  });

  it('shows who depends on a resource', async () => {
    const out = await bot.say('info payments-db');
    expect(out.text).toContain('Needed by: Payments API');
  });
});

describe('search', () => {
  const bot = createTestBot();
  afterAll(() => bot.close());

  it('finds services by words in their description', async () => {
    const out = await bot.say('search ledger');
    expect(out.reply.fallback).toMatch(/^1 match for "ledger": ledger-service/);
  });

  it('finds by tag, alias and short words', async () => {
    expect((await bot.say('search java')).reply.fallback).toMatch(/payments-api/);
    expect((await bot.say('search pay')).reply.fallback).toMatch(/payments-api/);
    expect((await bot.say('search db')).reply.fallback).toMatch(/payments-db/);
  });

  it('says when nothing matches', async () => {
    const out = await bot.say('search quantum');
    // The fallback is the plain text of the blocks: the answer, then the hint.
    expect(out.reply.fallback).toBe('Nothing in the catalog matches "quantum".\nSearch looks at names, titles, aliases, descriptions and tags; try a shorter word.');
    expect(out.reply.fallback).toBe(out.text);
  });

  it('treats quotes and FTS syntax as plain words', async () => {
    const out = await bot.say('search "ledger" OR NEAR(');
    expect(out.outcome).toBe('ok');
  });
});

describe('team', () => {
  const bot = createTestBot();
  afterAll(() => bot.close());

  it("lists a team's people, channel and what it owns", async () => {
    const out = await bot.say('team payments');
    expect(out.reply.fallback).toMatch(/^Payments: 2 members, owns 6 /);
    expect(out.text).toContain('Part of: Engineering');
    expect(out.text).toContain('Slack: #team-payments');
    expect(out.text).toContain('payments-api (component · service)');
  });

  it('suggests teams for a typo', async () => {
    const out = await bot.say('team platfrom');
    expect(out.text).toContain('Did you mean "Platform"');
  });
});

describe('mine', () => {
  const bot = createTestBot();
  afterAll(() => bot.close());

  it("lists the caller's services through their teams", async () => {
    const out = await bot.say('mine', { as: 'ana.ruiz@acme.example' });
    expect(out.reply.fallback).toMatch(/^You are in Payments\. You own 6: /);
  });

  it('includes what a person owns directly', async () => {
    const out = await bot.say('mine', { as: 'DANA.KIM@acme.example' });
    expect(out.reply.fallback).toBe('You are in no team in the catalog. You own 1: dana-scripts.');
  });

  it('says why it cannot answer for someone unknown', async () => {
    const out = await bot.say('mine', { as: 'stranger@else.example' });
    expect(out.outcome).toBe('user_error');
    expect(out.text).toContain('no User entity has the email stranger@else.example');
  });
});
