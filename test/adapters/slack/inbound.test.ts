import { describe, expect, it } from 'vitest';
import { commandInvocation, commandText, POST_TO_CHANNEL, shareRequest, shareValue, slackActor } from '../../../src/adapters/slack/inbound.js';

const at = new Date('2026-11-30T09:00:00Z');

describe('a slash command becomes an Invocation', () => {
  it('carries the text, the channel and the actor', () => {
    const inv = commandInvocation(
      { command: '/service', text: '  who-owns payments-api ', user_id: 'U0ANA', user_name: 'ana.ruiz', channel_id: 'C0GENERAL', team_id: 'T0ACME' },
      { id: 'U0ANA', name: 'Ana Ruiz' },
      at,
    );
    expect(inv).toEqual({ platform: 'slack', actor: { id: 'U0ANA', name: 'Ana Ruiz' }, channel: 'C0GENERAL', text: 'who-owns payments-api', receivedAt: at });
  });

  it('undoes the escaping Slack applies to command text', () => {
    expect(commandText('search a &amp; b &lt;x&gt;')).toBe('search a & b <x>');
    expect(commandText('search &amp;lt;')).toBe('search &lt;');
  });

  it('unwraps mentions, channels and links that Slack wraps when a command escapes its text', () => {
    expect(commandText('team <@U0ANA|ana.ruiz> <#C0PAY|team-payments> <https://a.example/x|a.example/x> <!here|here>')).toBe(
      'team @ana.ruiz #team-payments https://a.example/x here',
    );
  });

  it('turns control characters into spaces and an absent text into an empty one', () => {
    expect(commandText('who-owns\u0000pay\nments')).toBe('who-owns pay ments');
    expect(commandText(undefined)).toBe('');
  });

  it('prefers the catalog name of the person, then Slack’s, then the user name', () => {
    const person = { ref: 'user:default/ana.ruiz', name: 'Ana Ruiz', email: 'ana.ruiz@acme.example', slackId: 'U0ANA', teamsId: undefined };
    expect(slackActor('U0ANA', { email: 'ana.ruiz@acme.example', name: 'Ana R.' }, person, 'ana')).toMatchObject({ name: 'Ana Ruiz', person });
    expect(slackActor('U0EVE', { email: undefined, name: 'Eve Stone' }, undefined, 'eve').name).toBe('Eve Stone');
    expect(slackActor('U0X', { email: undefined, name: undefined }, undefined, 'x.user').name).toBe('x.user');
  });
});

describe('the "Post to channel" button', () => {
  const click = (overrides: Record<string, unknown> = {}, action: Record<string, unknown> = {}) => ({
    type: 'block_actions',
    user: { id: 'U0ANA', username: 'ana.ruiz', name: 'ana.ruiz' },
    channel: { id: 'C0GENERAL' },
    container: { type: 'message', channel_id: 'C0GENERAL', is_ephemeral: true },
    actions: [{ type: 'button', action_id: POST_TO_CHANNEL, value: 'who-owns payments-api', ...action }],
    ...overrides,
  });

  it('carries the command text, which a click runs again', () => {
    expect(shareValue(' who-owns payments-api ')).toBe('who-owns payments-api');
    expect(shareRequest(click())).toEqual({ text: 'who-owns payments-api', userId: 'U0ANA', userName: 'ana.ruiz', channelId: 'C0GENERAL' });
  });

  it('has no button when the text would not fit in a button value', () => {
    expect(shareValue('x'.repeat(2001))).toBeUndefined();
    expect(shareValue('  ')).toBeUndefined();
  });

  it('finds the channel in the container when the payload has no channel', () => {
    expect(shareRequest(click({ channel: undefined }))?.channelId).toBe('C0GENERAL');
  });

  it('ignores other buttons, other interactions and malformed payloads', () => {
    expect(shareRequest(click({}, { action_id: 'open_link_0' }))).toBeUndefined();
    expect(shareRequest(click({ type: 'view_submission' }))).toBeUndefined();
    expect(shareRequest(click({}, { value: 42 }))).toBeUndefined();
    expect(shareRequest(click({}, { value: '   ' }))).toBeUndefined();
    expect(shareRequest(click({ user: 'U0ANA' }))).toBeUndefined();
    expect(shareRequest(click({ actions: [] }))).toBeUndefined();
    expect(shareRequest(null)).toBeUndefined();
    expect(shareRequest('payload')).toBeUndefined();
  });
});
