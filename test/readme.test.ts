import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** What a new user needs from the README and once had to find out the hard way. */
const README = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

describe('the README', () => {
  it('says to invite the bot to the leaderboard channels, in the Slack set-up and beside the leaderboard config', () => {
    const slackSetup = README.slice(README.indexOf('## Slack'), README.indexOf('## Microsoft Teams'));
    expect(slackSetup).toMatch(/Invite the bot \(`\/invite @Steward`\) to the channels the weekly leaderboard goes to/);
    const outreach = README.slice(README.indexOf('## Weekly leaderboard and owner nudges'), README.indexOf('## On call'));
    expect(outreach).toContain('`/invite @Steward` in each channel under `outreach.leaderboard.channels.slack`');
    expect(outreach).toContain('not_in_channel');
  });

  it('shows how to move a scorecard to gate, since every gate starts warn only', () => {
    const gate = README.slice(README.indexOf('### Deploy gate'), README.indexOf('## Weekly leaderboard'));
    expect(gate).toContain('WARN ONLY');
    expect(gate).toContain('"enforced": false');
    expect(gate).toMatch(/rollout:\n\s+production-readiness: gate/);
  });
});
