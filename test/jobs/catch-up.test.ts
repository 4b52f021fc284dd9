import { afterEach, describe, expect, it } from 'vitest';
import type { CronScheduler } from '../../src/infra/cron/cron-scheduler.js';
import { startJobs } from '../../src/jobs.js';
import type { OutreachBot } from './support/outreach-bot.js';
import { createOutreachBot } from './support/outreach-bot.js';

/** Records what would be scheduled; the test fires nothing itself (node-cron is the clock's business). */
function recordingScheduler(): CronScheduler & { readonly scheduled: Array<{ name: string; expression: string; timeZone: string }> } {
  const scheduled: Array<{ name: string; expression: string; timeZone: string }> = [];
  return {
    scheduled,
    schedule: (name, expression, timeZone) => void scheduled.push({ name, expression, timeZone }),
    stop: async () => {},
  };
}

describe('serve: schedules and catch-up', () => {
  let o: OutreachBot;
  afterEach(async () => o.close());

  it('schedules the jobs in the configured zone, runs the missed period once on start, and not again after a restart', async () => {
    // Wednesday 2 Dec 2026 12:00 Berlin: Monday's leaderboard and today's nudges were missed.
    o = await createOutreachBot({ now: new Date('2026-12-02T11:00:00Z'), outreach: { leaderboard: { channels: { slack: ['C0ENG'] } } } });
    const wait = async (ms: number): Promise<void> => o.bot.setNow(new Date(o.bot.now().getTime() + ms));
    const start = () =>
      startJobs({ steward: o.bot.steward, config: o.config, logger: o.bot.steward.logger, scheduler: recordingScheduler(), wait, owner: 'test:1' });
    const scheduler = recordingScheduler();
    const first = await startJobs({ steward: o.bot.steward, config: o.config, logger: o.bot.steward.logger, scheduler, wait, owner: 'test:1' });
    expect(scheduler.scheduled).toEqual([
      { name: 'leaderboard', expression: '0 9 * * 1', timeZone: 'Europe/Berlin' },
      { name: 'nudges', expression: '0 10 * * 1,2,3,4,5', timeZone: 'Europe/Berlin' },
      { name: 'deliveries', expression: '* * * * *', timeZone: 'Europe/Berlin' },
    ]);
    const results = await first.catchUp();
    expect(results.map((r) => [r.job, r.period, r.claimed])).toEqual([
      ['leaderboard', '2026-11-30T09:00', true],
      ['nudges', '2026-12-02T10:00', true],
    ]);
    await first.stop();
    const posted = o.slack.posted().length;
    expect(o.slack.posted().filter((p) => p.channel === 'C0ENG')).toHaveLength(1);

    const second = await start();
    const again = await second.catchUp();
    expect(again.map((r) => r.claimed)).toEqual([false, false]);
    await second.stop();
    expect(o.slack.posted()).toHaveLength(posted);
  });
});
