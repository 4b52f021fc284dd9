import { describe, expect, it } from 'vitest';
import { channelTarget, commandText, conversationOf, submitted, submittedCommand, usersOf } from '../../../src/adapters/teams/inbound.js';
import { BOT, CHANNEL_PAYMENTS, TEAM, channel, installActivity, messageActivity } from './teams-harness.js';

const URL = 'http://127.0.0.1:9/amer/';

describe('teams inbound', () => {
  it('removes the bot mention, decodes entities and an optional /service prefix', () => {
    expect(commandText(messageActivity(URL, 'who-owns payments-api', { where: channel }))).toBe('who-owns payments-api');
    expect(commandText({ text: '<at>Steward</at>&nbsp;who-owns a&amp;b', recipient: BOT })).toBe('who-owns a&b');
    expect(commandText({ text: '/service oncall payments', recipient: BOT })).toBe('oncall payments');
    expect(commandText({ text: '<p>who-owns</p> <p>x</p>\n', recipient: BOT })).toBe('who-owns x');
    // Another person's mention is kept as text (it may be an argument).
    const other = { text: '<at>Steward</at> team <at>Ana</at>', recipient: BOT, entities: [{ type: 'mention', text: '<at>Steward</at>', mentioned: BOT }] };
    expect(commandText(other)).toBe('team <at>Ana</at>');
  });

  it('remembers the channel without the thread id, with the team and channel names', () => {
    const rec = conversationOf(messageActivity(URL, 'help', { where: channel }))!;
    expect(rec).toMatchObject({ conversationId: CHANNEL_PAYMENTS.id, kind: 'channel', teamName: TEAM.name, channelName: CHANNEL_PAYMENTS.name, userId: undefined });
    expect(rec.reference).toMatchObject({ bot: BOT, conversation: { id: CHANNEL_PAYMENTS.id }, serviceUrl: URL, channelId: 'msteams' });
  });

  it('a personal chat is remembered with its user; installs record added members', () => {
    expect(conversationOf(messageActivity(URL, 'help', { as: '29:ben' }))).toMatchObject({ kind: 'personal', userId: '29:ben', reference: { user: { id: '29:ben' } } });
    expect(usersOf(installActivity(URL, channel, [BOT.id, '29:eve'])).map((u) => u.userId)).toEqual(['29:eve']);
  });

  it('reads Steward submit data and turns command buttons into command text', () => {
    expect(submitted({ value: { steward: 'post_to_channel', value: 'who-owns x', stewardChannel: '19:c' } })).toEqual({ id: 'post_to_channel', value: 'who-owns x', channel: '19:c' });
    expect(submitted({ value: { something: 'else' } })).toBeUndefined();
    expect(submittedCommand({ id: 'snooze', value: 'payments-api docs 7', channel: undefined })).toBe('snooze payments-api docs 7');
    expect(submittedCommand({ id: 'Bad Id!', value: 'x', channel: undefined })).toBeUndefined();
  });

  it('maps catalog channel names and links to lookups', () => {
    expect(channelTarget('Payments / Releases')).toEqual({ by: 'name', team: 'Payments', channel: 'Releases' });
    expect(channelTarget('https://teams.microsoft.com/l/channel/19%3Aabc%40thread.tacv2/Releases?groupId=g&tenantId=t')).toEqual({ by: 'id', conversationId: '19:abc@thread.tacv2' });
    expect(channelTarget('19:abc@thread.tacv2;messageid=1')).toEqual({ by: 'id', conversationId: '19:abc@thread.tacv2' });
    expect(channelTarget('#payments')).toBeUndefined();
  });
});
