import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/message/index.js';
import type { ScoringBot } from '../scoring/support/scoring-bot.js';
import { createScoringBot } from '../scoring/support/scoring-bot.js';

const buttons = (blocks: readonly Block[]): Array<{ label: string; url: string }> =>
  blocks.flatMap((b) => (b.kind === 'actions' ? b.actions.flatMap((a) => (a.type === 'url' ? [{ label: a.label, url: a.url }] : [])) : []));

describe('/service health', () => {
  let bot: ScoringBot;

  beforeAll(async () => {
    bot = createScoringBot();
    // Week 45: someone looks; history starts. Week 46: CI reports bad news and an exemption is granted.
    await bot.say('health search-api');
    bot.advance(7);
    bot.push('search-api', {
      'alerts.configured': false,
      'slo.defined': false,
      'loadtest.last_run': '2026-01-01',
      'attestation.dr-drill': '2025-01-01',
      'readme.bytes': 100,
    });
    bot.steward.scoring.exempt({ entity: bot.entity('checkout-api'), check: 'slo', reason: 'SLO tool migration', until: '2026-12-15', by: 'ana.ruiz@acme.example' });
    bot.advance(7);
  });
  afterAll(() => bot.close());

  it('gives level and score per scorecard, in the fallback too', async () => {
    const out = await bot.say('/service health search-api');
    expect(out.outcome).toBe('ok');
    expect(out.reply.fallback).toBe('search-api: Readiness: No level · 18/100 (6 failing); Docs: Basic · 25/100 (1 failing).');
    expect(out.text).toMatch(/^search-api\nReadiness: No level · 18\/100\n/);
    expect(out.text).toContain('\nDocs: Basic · 25/100\n');
  });

  it('lists failing checks most important level first, with the how-to and since when, capped', async () => {
    const out = await bot.say('health search-api');
    const lines = out.text.split('\n');
    const first = lines.indexOf('Readiness: No level · 18/100');
    expect(lines.slice(first + 1, first + 7)).toEqual([
      '  • ✗ Alerts configured (Bronze): Configure alerts and push alerts.configured=true. Failing since 2026-11-09.',
      '  • ✗ Runbook linked (Bronze): Add a runbook link to metadata.links. Failing since 2026-11-02.',
      '  • ✗ On-call connected (Silver): Add the pagerduty.com/service-id annotation. Failing since 2026-11-02.',
      '  • ✗ SLO defined (Silver): Define an SLO. Failing since 2026-11-09.',
      '  • ✗ Disaster recovery drill attested (Gold): Run the DR drill and attest it. Failing since 2026-11-09.',
      '  …and 1 more',
    ]);
    expect(out.text).toContain('Next level (Bronze) needs: Runbook linked, Alerts configured.');
  });

  it('puts a URL button on each fix link: templated with the service, relative ones joined to the base', async () => {
    const out = await bot.say('health search-api');
    expect(buttons(out.reply.blocks)).toEqual([
      { label: 'Fix: Alerts configured', url: 'https://handbook.acme.example/eng/playbooks/alerts' },
      { label: 'Fix: Runbook linked', url: 'https://docs.acme.example/runbooks?service=search-api' },
      { label: 'Fix: Disaster recovery drill attested', url: 'https://handbook.acme.example/eng/playbooks/dr' },
      { label: 'Fix: README is long enough', url: 'https://www.makeareadme.com/' },
    ]);
  });

  it('shows unknown checks as unknown with the missing fact, and exemptions with reason and end date', async () => {
    const out = await bot.say('health checkout-api');
    expect(out.text).toContain('  • ? Alerts configured: unknown, no fact alerts.configured reported');
    expect(out.text).toContain('  • ? Disaster recovery drill attested: unknown, no attestation recorded (fact attestation.dr-drill)');
    expect(out.text).toContain('  • ~ SLO defined: exempt until 2026-12-15 (SLO tool migration, by ana.ruiz@acme.example)');
    expect(out.text).toContain('Readiness: No level · 64/100');
    expect(out.text).toContain(
      'Unknown checks wait for facts: steward facts collect (PagerDuty, Prometheus), a CI report (steward facts push checkout-api --report FILE), or steward facts push checkout-api key=value.',
    );
  });

  it('goes into detail for one scorecard: what was seen, and what passes', async () => {
    const out = await bot.say('health "search-api" Readiness');
    expect(out.reply.fallback).toBe('search-api: Readiness: No level · 18/100 (6 failing).');
    expect(out.text).toContain('Seen: loadtest.last_run is 2026-01-01, 319 days ago (needs within 90 days). Failing since 2026-11-09.');
    expect(out.text).toContain('Seen: attestation by test of 2025-01-01 expired on 2026-01-01.');
    expect(out.text).toContain('Passing: Owner recorded.');
    expect(out.text).not.toContain('…and');
  });

  it('says what the next level needs, and when the top is reached', async () => {
    bot.push('checkout-api', { 'alerts.configured': true, 'loadtest.last_run': '2026-11-01', 'attestation.dr-drill': '2026-10-01', 'readme.bytes': 900 });
    const out = await bot.say('health checkout-api');
    expect(out.text).toContain('Readiness: Gold · 100/100');
    expect(out.text).toContain('Top level reached (Gold).');
    expect(out.text).toContain('Docs: Good · 100/100');
  });

  it('says plainly when a scorecard does not apply, and suggests scorecards and services', async () => {
    expect((await bot.say('health old-lib readiness')).reply.fallback).toBe('Readiness does not apply to old-lib: its filter leaves out this component.');
    const typo = await bot.say('health checkout-api readyness');
    expect(typo).toMatchObject({ outcome: 'user_error', errorCode: 'unknown_scorecard' });
    expect(typo.text).toBe('There is no scorecard called "readyness".\nDid you mean readiness?');
    const missing = await bot.say('health chekout-api');
    expect(missing.text).toContain('Did you mean "checkout-api"');
    expect((await bot.say('health')).outcome).toBe('usage');
  });

  it('is listed in help', async () => {
    expect((await bot.say('help health')).text).toContain('Usage: health <service> [scorecard]');
  });
});
