import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingActivity } from '../../src/adapters/teams/messenger.js';
import { createTeamsMessenger } from '../../src/adapters/teams/messenger.js';
import type { TeamsReference } from '../../src/adapters/teams/inbound.js';
import { deliveryLines } from '../../src/cli/nudge-command.js';
import { createOutreachSetup } from '../../src/jobs.js';
import type { OutreachBot } from './support/outreach-bot.js';
import { createOutreachBot } from './support/outreach-bot.js';

/**
 * `steward leaderboard --post` with Teams: the leaderboard goes to the Teams channels Steward has a
 * stored conversation reference for, as a card with no Markdown text beside it, and the output
 * names every channel it could not reach.
 */
describe('the leaderboard posted to Teams', () => {
  let o: OutreachBot | undefined;
  afterEach(async () => {
    await o?.close();
    o = undefined;
  });

  it('reaches a channel Steward has seen and reports the one it has not', async () => {
    o = await createOutreachBot({ outreach: { leaderboard: { channels: { teams: ['Payments / Releases', 'Ghosts / General'] } } } });
    const store = o.bot.steward.stores.conversations;
    const reference: TeamsReference = {
      bot: { id: '28:steward-bot', name: 'Steward' },
      conversation: { id: '19:releases@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-acme', isGroup: true },
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9/amer/',
    };
    store.saveConversation(
      { conversationId: '19:releases@thread.tacv2', kind: 'channel', tenantId: 'tenant-acme', serviceUrl: reference.serviceUrl, userId: undefined, teamId: '19:team', teamName: 'Payments', channelId: '19:releases@thread.tacv2', channelName: 'Releases', reference },
      o.bot.now(),
    );
    const sent: Array<{ to: string; activity: OutgoingActivity }> = [];
    const teams = createTeamsMessenger({
      references: store,
      send: async (to, activity) => {
        sent.push({ to: to.conversation.id, activity });
        return { id: `msg-${sent.length}` };
      },
      clock: { now: () => o!.bot.now() },
    });
    const setup = createOutreachSetup({ steward: o.bot.steward, config: o.config, logger: o.bot.steward.logger, owner: 'test:teams', messengers: [teams] });
    const deliveries = setup.outreach.planLeaderboards().flatMap((p) => p.plan.deliveries);
    expect(deliveries.map((d) => d.platform)).toEqual(['teams', 'teams']);
    const written = new Set(setup.outreach.record(deliveries));
    const report = await setup.deliver({ maxWaitMs: 0 });
    const lines = deliveryLines(setup, deliveries.map((d) => d.key), written, report);

    expect(sent.map((s) => s.to)).toEqual(['19:releases@thread.tacv2']);
    const activity = sent[0]!.activity as Record<string, unknown>;
    expect(activity['text']).toBeUndefined();
    expect(activity['summary']).toMatch(/^Readiness/);
    expect(lines.some((l) => l.startsWith('sent     teams Payments / Releases'))).toBe(true);
    expect(lines.find((l) => l.startsWith('FAILED   teams Ghosts / General'))).toContain('Steward has not seen the Teams channel');
    expect(lines.at(-1)).toBe('Could not reach 1: teams Ghosts / General');
  });
});
