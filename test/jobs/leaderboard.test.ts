import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateOrg, writeOrg } from '../../bench/generate-org.js';
import { renderBlockKit } from '../../src/adapters/slack/render-block-kit.js';
import { toPlainText } from '../../src/core/message/index.js';
import { createScoringBot } from '../scoring/support/scoring-bot.js';
import type { OutreachBot } from './support/outreach-bot.js';
import { createOutreachBot } from './support/outreach-bot.js';
import { loadConfig } from '../../src/config.js';
import { outreachConfig } from '../../src/core/jobs/index.js';
import { createOutreachSetup } from '../../src/jobs.js';

describe('the weekly leaderboard', () => {
  let o: OutreachBot | undefined;
  afterEach(async () => {
    await o?.close();
    o = undefined;
  });

  it('ranks teams, shows the top services, the most improved since last ISO week, new levels and drops, and posts once per channel and week', async () => {
    // Sunday 29 Nov 2026 20:00 Berlin, week 48: the first standings go into history.
    o = await createOutreachBot({ now: new Date('2026-11-29T19:00:00Z'), outreach: { leaderboard: { channels: { slack: ['C0ENG', '#leads'] } } } });
    o.bot.push('web-shop', { 'alerts.configured': true });
    o.bot.steward.scoring.refresh({ trigger: 'score' });
    // Monday 30 Nov 09:00 Berlin: week 49. checkout-api reaches Bronze, web-shop loses its alerts.
    o.bot.setNow(new Date('2026-11-30T08:00:00Z'));
    o.bot.push('checkout-api', { 'alerts.configured': true });
    o.bot.push('web-shop', { 'alerts.configured': false });
    o.bot.push('search-api', { 'alerts.configured': true });
    const run = await o.setup.outreach.run('leaderboard', '2026-11-30T09:00');
    expect(run.written).toEqual(['leaderboard:readiness:C0ENG:2026-W49', 'leaderboard:readiness:#leads:2026-W49']);
    const entry = o.setup.ledger.get('leaderboard:readiness:C0ENG:2026-W49')!;
    expect(toPlainText(entry.reply)).toBe(
      [
        'Readiness · 2026-W49',
        'Teams (4)',
        '  • 1. Payments 64/100 · 2 services',
        '  • 2. Platform 36/100 · 1 service · +18',
        '  • 3. Data 18/100 · 1 service',
        '  • 3. Search 18/100 · 1 service',
        'Top services',
        '  • checkout-api 73/100 · Bronze',
        '  • web-shop 55/100',
        '  • search-api 36/100',
        '  • data-api 18/100',
        '  • search-ui 18/100',
        'Most improved since 2026-W48',
        '  • Platform +18 to 36/100',
        'New levels',
        '  • checkout-api reached Bronze (Payments)',
        'Biggest drops',
        '  • web-shop −18 to 55/100 (Payments)',
        'Teams are ranked by the average score of their services. health <service> says what to fix.',
      ].join('\n'),
    );
    const report = await o.setup.deliver();
    expect(report.sent).toBe(2);
    expect(o.slack.posted().map((p) => p.channel).sort()).toEqual(['#leads', 'C0ENG']);

    // The same period again (a restart, a second process), or `--post` later that week: nothing new.
    expect((await o.setup.outreach.run('leaderboard', '2026-11-30T09:00')).claimed).toBe(false);
    const again = o.setup.outreach.planLeaderboards();
    expect(o.setup.outreach.record(again.flatMap((p) => p.plan.deliveries))).toEqual([]);
    await o.setup.deliver();
    expect(o.slack.posted()).toHaveLength(2);
  });

  it('leaves out scorecards below the leaderboard phase', async () => {
    o = await createOutreachBot({ rollout: { readiness: 'nudge' } });
    expect(o.setup.outreach.planLeaderboards()).toEqual([]);
    expect(o.setup.outreach.planLeaderboards({ scorecard: 'readiness' })).toHaveLength(1);
  });

  it('fits Block Kit for an org of 2,000 services and 150 teams', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-bigorg-'));
    writeOrg(dir, generateOrg({ components: 2000, teams: 150, seed: 11 }));
    const bot = createScoringBot({ includeDefaults: true, folders: [], catalog: [join(dir, 'all.yaml')], rollout: { 'production-readiness': 'leaderboard' } });
    try {
      const config = { ...loadConfig({}), outreach: outreachConfig({ leaderboard: { channels: { slack: ['C0ENG'] } } }) };
      const setup = createOutreachSetup({ steward: bot.steward, config, logger: bot.steward.logger, messengers: [] });
      const [plan] = setup.outreach.planLeaderboards();
      const message = renderBlockKit(plan!.plan.reply);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(plan!.plan.reply.blocks.length).toBeLessThanOrEqual(14);
      for (const b of message.blocks as Array<{ text?: { text: string } }>) expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      const text = toPlainText(plan!.plan.reply);
      const teams = Number(/^Production readiness · \d{4}-W\d{2}\nTeams \((\d+)\)\n/.exec(text)?.[1]);
      expect(teams).toBeGreaterThan(100); // the teams whose services the scorecard covers
      expect(text).toContain(`…and ${teams - 10} more`);
    } finally {
      bot.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
