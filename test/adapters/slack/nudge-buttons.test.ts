import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandButton } from '../../../src/core/message/index.js';
import type { Action } from '../../../src/core/message/index.js';
import type { SlackHarness } from './slack-harness.js';
import { startSlackHarness, textsOf } from './slack-harness.js';

/**
 * The buttons of a nudge, clicked in Slack: signed block_actions into a running server. A button
 * carries the command a person could type, so a click goes through the router like a typed command.
 */
const PAYMENTS = 'component:default/payments-api';
const snoozeButton = commandButton('Snooze 7 days', ['snooze', PAYMENTS, 'production-readiness/runbook', '7']);
const notMineButton = commandButton('Not my service', ['not-mine', PAYMENTS]);
const optOutButton = commandButton('Opt out of nudges', ['optout'], 'danger');

const idAndValue = (a: Action): [string, string] => (a.type === 'button' ? [a.id, a.value] : ['', '']);

describe('nudge buttons in Slack', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
  });
  afterEach(() => h.close());

  const commandLines = (command: string) => h.logs.filter((l) => l.message === 'command' && l.fields?.['command'] === command);
  const metric = async (command: string): Promise<string | undefined> =>
    (await (await fetch(`${h.server.url}/metrics`)).text()).split('\n').find((l) => l.startsWith(`steward_commands_total{command="${command}"`));

  it('Snooze: Ana clicks it, the check is snoozed, she alone is told, and the click is logged and counted like a typed command', async () => {
    const clicked = await h.click(...idAndValue(snoozeButton), { as: 'U0ANA' });
    expect(clicked.ack.status).toBe(200);
    expect(clicked.answers).toHaveLength(1);
    expect(clicked.answers[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(clicked.answers[0]!['text'])).toBe('Snoozed Runbook linked on payments-api for 7 days.\nYou will not be nudged about it before Mon 7 Dec 09:00 UTC. It still counts on the scorecard.');
    expect(clicked.json).not.toContain('post_to_channel');
    expect(h.server.steward.nudges.snoozes(h.now())).toEqual([
      { personRef: 'user:default/ana.ruiz', entityRef: PAYMENTS, scorecardId: 'production-readiness', checkId: 'runbook', until: new Date(h.now().getTime() + 7 * 86_400_000) },
    ]);
    expect(commandLines('snooze')).toHaveLength(1);
    expect(commandLines('snooze')[0]!.fields).toMatchObject({ outcome: 'ok', platform: 'slack' });
    expect(h.logs.find((l) => l.message === 'slack command answered')?.fields).toMatchObject({ user: 'U0ANA', action: 'command:snooze', command: 'snooze', outcome: 'ok' });
    expect(await metric('snooze')).toBe('steward_commands_total{command="snooze",outcome="ok",platform="slack"} 1');
  });

  it('not-mine typed and "Not my service" clicked take the same path and say the same', async () => {
    const typed = await h.say('not-mine payments-api', { as: 'U0BEN' });
    const clicked = await h.click(...idAndValue(notMineButton), { as: 'U0ANA' });
    const said = 'Noted: payments-api is not yours. You will not be nudged about it, and Steward\'s admins see the note.\nFix the owner in its catalog-info.yaml, or who-owns payments-api to see who the catalog names.';
    expect(typed.answers[0]!['text']).toBe(said);
    expect(clicked.answers[0]!['text']).toBe(said);
    // Listed by time, then person (the clock is fixed).
    expect(h.server.steward.nudges.disowned().map((d) => [d.personRef, d.entityRef])).toEqual([
      ['user:default/ana.ruiz', PAYMENTS],
      ['user:default/ben.okafor', PAYMENTS],
    ]);
    expect(commandLines('not-mine').map((l) => l.fields?.['outcome'])).toEqual(['ok', 'ok']);
    expect(await metric('not-mine')).toBe('steward_commands_total{command="not-mine",outcome="ok",platform="slack"} 2');
  });

  it('Opt out: the clicker gets no more nudges', async () => {
    const clicked = await h.click(...idAndValue(optOutButton), { as: 'U0BEN' });
    expect(clicked.answers[0]!['text']).toBe('You will get no more nudges from Steward.\nYour services stay on the scorecards and the leaderboard. optin turns nudges back on.');
    expect(h.server.steward.nudges.optedOut()).toEqual(new Set(['user:default/ben.okafor']));
  });

  it('a button whose service has left the catalog gets the answer a typed command would, not an error trace', async () => {
    const clicked = await h.click('command:snooze', 'snooze component:default/retired-api production-readiness/runbook 7', { as: 'U0ANA' });
    expect(clicked.answers).toHaveLength(1);
    expect(String(clicked.answers[0]!['text'])).toMatch(/^I don't know a service called "component:default\/retired-api"/);
    expect(commandLines('snooze')[0]!.fields).toMatchObject({ outcome: 'user_error', code: 'not_found' });
  });

  it('buttons of nudges sent by an older Steward (ids and `|` values) still work, through the router', async () => {
    const snoozed = await h.click('nudge_snooze', `${PAYMENTS}|production-readiness|runbook`, { as: 'U0ANA' });
    expect(snoozed.answers[0]!['text']).toBe('Snoozed Runbook linked on payments-api for 7 days.\nYou will not be nudged about it before Mon 7 Dec 09:00 UTC. It still counts on the scorecard.');
    const disowned = await h.click('nudge_not_mine', PAYMENTS, { as: 'U0BEN' });
    expect(disowned.answers[0]!['text']).toMatch(/^Noted: payments-api is not yours\./);
    const out = await h.click('nudge_opt_out', 'all', { as: 'U0BEN' });
    expect(out.answers[0]!['text']).toBe('You will get no more nudges from Steward.\nYour services stay on the scorecards and the leaderboard. optin turns nudges back on.');
    expect(['snooze', 'not-mine', 'optout'].map((c) => commandLines(c).length)).toEqual([1, 1, 1]);
  });

  it('an old button with a value it cannot read is answered with how to type the command', async () => {
    const clicked = await h.click('nudge_snooze', 'garbled', { as: 'U0ANA' });
    expect(clicked.answers).toHaveLength(1);
    expect(clicked.answers[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    // The command's own help: its usage and examples.
    expect(String(clicked.answers[0]!['text'])).toMatch(/^snooze .*: Stop nudging you about one check on one service/);
    expect(textsOf(clicked.answers[0]).join('\n')).toContain('`snooze checkout-web runbook 7`');
    expect(clicked.json).not.toMatch(/Something went wrong|Error/);
    expect(h.server.steward.nudges.snoozes(h.now())).toEqual([]);
  });
});
