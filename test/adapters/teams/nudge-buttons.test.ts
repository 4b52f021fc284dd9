import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandButton } from '../../../src/core/message/index.js';
import type { Action } from '../../../src/core/message/index.js';
import { renderAction } from '../../../src/adapters/teams/render-adaptive-card.js';
import type { TeamsHarness } from './teams-harness.js';
import { messageActivity, startTeamsHarness } from './teams-harness.js';

/**
 * The buttons of a nudge, clicked in Teams: the submit data of the rendered Action.Submit comes
 * back as the value of a message activity, and runs the button's command like a typed one.
 */
const PAYMENTS = 'component:default/payments-api';

describe('nudge buttons in Teams', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  afterAll(() => h.close());

  /** What Teams sends when `as` clicks the rendered button. */
  const click = (button: Action, as: string) => {
    const data = renderAction(button)!['data'];
    return h.post(messageActivity(h.connector.serviceUrl, '', { as, mention: false, value: data }));
  };
  const commandLines = (command: string) => h.logs.filter((l) => l.message === 'command' && l.fields?.['command'] === command);

  it('Snooze: the check is snoozed, the clicker is told in the chat, and the router logs the command', async () => {
    const clicked = await click(commandButton('Snooze 7 days', ['snooze', PAYMENTS, 'production-readiness/runbook', '7']), '29:ana');
    expect(clicked.status).toBe(200);
    expect(clicked.sent).toHaveLength(1);
    expect(clicked.text).toContain('Snoozed Runbook linked on payments-api for 7 days.');
    expect(clicked.text).not.toContain('Post to channel');
    expect(h.server.steward.nudges.snoozes(new Date(0)).map((s) => [s.personRef, s.checkId])).toEqual([['user:default/ana.ruiz', 'runbook']]);
    expect(commandLines('snooze').map((l) => l.fields)).toMatchObject([{ outcome: 'ok', platform: 'teams' }]);
    expect(h.logs.find((l) => l.message === 'teams command answered' && l.fields?.['action'] === 'command:snooze')?.fields).toMatchObject({ user: '29:ana', outcome: 'ok' });
  });

  it('not-mine typed and "Not my service" clicked say the same', async () => {
    const typed = await h.say('not-mine payments-api', { as: '29:ben' });
    const clicked = await click(commandButton('Not my service', ['not-mine', PAYMENTS]), '29:chen');
    expect(typed.text).toContain('Noted: payments-api is not yours.');
    expect(clicked.text).toContain('Noted: payments-api is not yours.');
    expect(commandLines('not-mine').map((l) => [l.fields?.['outcome'], l.fields?.['platform']])).toEqual([
      ['ok', 'teams'],
      ['ok', 'teams'],
    ]);
  });

  it('an older nudge\'s Snooze (`ref|scorecard|check`) still works; one it cannot read gets the command\'s help, not an error', async () => {
    const old = await h.post(
      messageActivity(h.connector.serviceUrl, '', { as: '29:ben', mention: false, value: { steward: 'nudge_snooze', value: `${PAYMENTS}|production-readiness|runbook` } }),
    );
    expect(old.text).toContain('Snoozed Runbook linked on payments-api for 7 days.');
    const garbled = await h.post(messageActivity(h.connector.serviceUrl, '', { as: '29:ben', mention: false, value: { steward: 'nudge_snooze', value: 'garbled' } }));
    expect(garbled.sent).toHaveLength(1);
    expect(garbled.text).toContain('Stop nudging you about one check on one service');
    expect(garbled.text).not.toMatch(/Something went wrong/);
  });
});
