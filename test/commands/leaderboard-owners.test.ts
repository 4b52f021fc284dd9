import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { toPlainText } from '../../src/core/message/index.js';
import { createOutreachSetup } from '../../src/jobs.js';
import { LEADERBOARD_LIMITS, planLeaderboard } from '../../src/core/jobs/plan-leaderboard.js';
import type { TestBot } from '../support/test-bot.js';
import { createTestBot } from '../support/test-bot.js';

/** The demo catalog has a service owned by a person and one owned by a Group nobody declared. */
const DEMO = fileURLToPath(new URL('../../src/demo/catalog/all.yaml', import.meta.url));
const NOT_A_TEAM = /Not a team, not ranked: team-ghost \(not in the catalog, 1 service\), (piotr\.zielinski|Piotr Zieli.ski) \(a person, 1 service\)\./;

describe('the leaderboard ranks Groups only', () => {
  let bot: TestBot;
  beforeAll(() => {
    bot = createTestBot({ catalog: DEMO });
  });
  afterAll(() => bot.close());

  it('in chat: the others in one "not a team" line', async () => {
    const out = await bot.say('leaderboard production-readiness');
    expect(out.outcome).toBe('ok');
    const ranked = out.text.split('\n').filter((l) => /^\s+• \d+\. /.test(l));
    expect(ranked.length).toBeGreaterThan(5);
    expect(ranked.join('\n')).not.toMatch(/team-ghost|piotr/i);
    expect(out.text).toMatch(NOT_A_TEAM);
  });

  it('in the weekly post: the same line', () => {
    const setup = createOutreachSetup({ steward: bot.steward, config: loadConfig({}), logger: bot.steward.logger, messengers: [] });
    const [first] = setup.outreach.planLeaderboards({ scorecard: 'production-readiness' });
    const text = toPlainText(first!.plan.reply);
    expect(text).toMatch(NOT_A_TEAM);
    expect(text.split('Top services')[0]).not.toMatch(/\d+\. team-ghost/);
  });
});

describe('steward leaderboard --all', () => {
  it('lists every team, where the weekly post stops at ten', () => {
    const bot = createTestBot({ catalog: null });
    try {
      const scorecard = bot.steward.scoring.scorecards[0]!;
      const standings = Array.from({ length: 14 }, (_, i) => ({ ownerRef: `group:default/team-${i}`, rank: i + 1, services: 1, averageScore: 90 - i, levels: {} }));
      const plan = (teamLimit?: number) =>
        toPlainText(
          planLeaderboard({ scorecard, week: '2026-W49', previousWeek: '2026-W48', period: '2026-W49', standings, current: [], previous: [], nameOf: (r) => r, channels: [], teamLimit }).reply,
        );
      expect(LEADERBOARD_LIMITS.teams).toBe(10);
      expect(plan()).not.toContain('14. group:default/team-13');
      expect(plan(Number.MAX_SAFE_INTEGER)).toContain('14. group:default/team-13');
    } finally {
      bot.close();
    }
  });
});
