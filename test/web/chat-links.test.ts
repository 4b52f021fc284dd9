import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/core/message/index.js';
import { nudgeReply, planLeaderboard } from '../../src/core/jobs/index.js';
import type { WebHarness } from './web-harness.js';
import { startWebHarness } from './web-harness.js';

/** With STEWARD_PUBLIC_URL set, chat answers and posts lead to their page on the scoreboard. */
describe('links from chat to the web scoreboard', () => {
  let web: WebHarness;
  beforeAll(async () => {
    web = await startWebHarness();
  });
  afterAll(async () => web.close());

  const say = async (text: string) =>
    toPlainText((await web.server.steward.router.dispatch({ platform: 'slack', actor: { id: 'U1' }, text, receivedAt: web.now() })).reply);

  it('info and health answers carry "Open in browser" to the service page', async () => {
    expect(await say('info payments-api')).toContain('→ Open in browser: http://scoreboard.test/services/payments-api');
    expect(await say('health payments-api')).toContain('→ Open in browser: http://scoreboard.test/services/payments-api');
  });

  it('the weekly leaderboard post links to the scoreboard, and a nudge to each service page', () => {
    const { steward } = web.server;
    const card = steward.scoring.findScorecard('production-readiness')!;
    const standings = steward.scoring.standings(card.id);
    const post = planLeaderboard({ scorecard: card, week: '2026-W49', previousWeek: '2026-W48', period: '2026-W49', standings, current: [], previous: [], nameOf: (r) => r, channels: [], publicUrl: 'http://scoreboard.test' });
    expect(toPlainText(post.reply)).toContain('→ Open the scoreboard: http://scoreboard.test/');

    const [result] = steward.scoring.evaluate(steward.catalog.lookup('ledger-service')[0]!, { scorecardIds: [card.id] });
    const failing = result!.checks.filter((c) => c.state === 'fail').map((check) => ({ result: result!, check }));
    expect(failing.length).toBeGreaterThan(0);
    const nudge = nudgeReply(failing, 3, { publicUrl: 'http://scoreboard.test' });
    expect(toPlainText(nudge)).toContain('Open in browser <http://scoreboard.test/services/ledger-service>');
    expect(toPlainText(nudgeReply(failing, 3, {}))).not.toContain('Open in browser');
  });
});

describe('answers without a public address', () => {
  let web: WebHarness;
  beforeAll(async () => {
    web = await startWebHarness({ publicUrl: null, scored: false });
  });
  afterAll(async () => web.close());

  it('carry no browser link', async () => {
    const outcome = await web.server.steward.router.dispatch({ platform: 'slack', actor: { id: 'U1' }, text: 'info payments-api', receivedAt: web.now() });
    expect(toPlainText(outcome.reply)).not.toContain('Open in browser');
  });
});
