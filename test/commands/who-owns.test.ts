import { afterAll, describe, expect, it } from 'vitest';
import { createTestBot } from '../support/test-bot.js';

describe('/service who-owns', () => {
  const bot = createTestBot();
  afterAll(() => bot.close());

  it('names the owning team, its channel, email and members, and where ownership came from', async () => {
    const out = await bot.say('/service who-owns payments-api');
    expect(out.outcome).toBe('ok');
    expect(out.reply.fallback).toBe(
      'Payments API (payments-api) is owned by Payments. Channel: #team-payments. Members: Ana Ruiz <ana.ruiz@acme.example>, Ben Okafor <ben.okafor@acme.example>.',
    );
    expect(out.text).toContain('Email: payments@acme.example');
    expect(out.text).toMatch(/Ownership from spec\.owner, defined at .*services\.yaml:\d+\./);
  });

  it('finds a service by title, alias, namespace/name and full ref, in any case', async () => {
    for (const q of ['"Payments API"', 'Payments API', 'pay', 'PAYMENTS', 'default/payments-api', 'component:default/payments-api']) {
      const out = await bot.say(`who-owns ${q}`);
      expect(out.reply.fallback, q).toMatch(/^Payments API \(payments-api\) is owned by Payments\./);
    }
  });

  it('mentions people with their Slack id when the catalog knows it', async () => {
    const out = await bot.say('who-owns ledger-service');
    const fields = out.reply.blocks.find((b) => b.kind === 'fields');
    expect(JSON.stringify(fields)).toContain('"slackId":"U0ANA"');
  });

  it('suggests near names for a typo, as an answer rather than an error', async () => {
    const out = await bot.say('who-owns paymnets-api');
    expect(out).toMatchObject({ outcome: 'user_error', errorCode: 'not_found' });
    expect(out.text).toBe('I don\'t know a service called "paymnets-api".\nDid you mean "payments-api", "payments-db"?');
  });

  it('says plainly when a service has no owner', async () => {
    const out = await bot.say('who-owns orphan-job');
    expect(out.reply.fallback).toBe('orphan-job has no owner on record.');
    expect(out.text).toMatch(/Add spec\.owner to the descriptor, defined at .*services\.yaml:\d+/);
  });

  it('inherits ownership from the system and says so', async () => {
    const out = await bot.say('who-owns settlement-batch');
    expect(out.reply.fallback).toMatch(/^settlement-batch is owned by Payments\./);
    expect(out.text).toContain('No owner of its own; inherited from the system Money Movement (money)');
  });

  it('flags an owner that is not in the catalog', async () => {
    const out = await bot.say('who-owns ghost-worker');
    expect(out.reply.fallback).toBe('ghost-worker names owner group:default/team-ghost, which is not a known group in the catalog.');
  });

  it('tells a person owner apart from a team', async () => {
    const out = await bot.say('who-owns dana-scripts');
    expect(out.reply.fallback).toBe('dana-scripts is owned by a person, Dana Kim, not a team.');
  });

  it('keeps catalog text as data', async () => {
    const out = await bot.say('who-owns legacy-notifier');
    expect(out.reply.fallback).toMatch(/^Legacy <!channel> notifier \(legacy-notifier\) is owned by Platform\./);
    const heading = out.reply.blocks[0];
    expect(heading).toEqual({ kind: 'heading', text: 'Legacy <!channel> notifier (legacy-notifier)' });
  });

  it('reads a channel from slack.com/bot-notify when it names one', async () => {
    const out = await bot.say('who-owns legacy-notifier');
    expect(out.text).toContain('Slack: C0PLATFORM');
  });

  it('asks for a service when none is named', async () => {
    const out = await bot.say('who-owns');
    expect(out.outcome).toBe('usage');
    expect(out.reply.fallback).toBe('Missing <service>. Usage: who-owns <service>');
  });
});
