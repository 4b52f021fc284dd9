import { afterEach, describe, expect, it } from 'vitest';
import { conversationOf, usersOf } from '../../../src/adapters/teams/inbound.js';
import { ConversationStore } from '../../../src/infra/sqlite/conversation-store.js';
import type { Db } from '../../../src/infra/sqlite/open-database.js';
import { openDatabase } from '../../../src/infra/sqlite/open-database.js';
import { CHANNEL_PAYMENTS, TEAM, channel, installActivity, messageActivity } from '../../adapters/teams/teams-harness.js';

const URL = 'http://127.0.0.1:9/amer/';
const T0 = new Date('2026-11-30T09:00:00Z');

describe('ConversationStore (migration 0007)', () => {
  let db: Db | undefined;
  afterEach(() => db?.close());

  it('stores channels and personal chats and finds them by name, user id, AAD id and UPN', () => {
    db = openDatabase(':memory:');
    const store = new ConversationStore(db);
    store.saveConversation(conversationOf(installActivity(URL, channel))!, T0);
    store.saveConversation(conversationOf(messageActivity(URL, 'help', { as: '29:ben' }))!, T0);
    store.saveUser({ ...usersOf(messageActivity(URL, 'help', { as: '29:ben' }))[0]!, upn: 'Ben.Okafor@acme.example' }, T0);

    expect(store.channelByName('payments', 'RELEASES')?.conversationId).toBe(CHANNEL_PAYMENTS.id);
    expect(store.conversation(`${CHANNEL_PAYMENTS.id};messageid=42`)?.teamName).toBe(TEAM.name);
    expect(store.personalChat('29:ben')?.conversationId).toBe('a:dm-ben');
    expect(store.personalChat('aad-ben')?.conversationId).toBe('a:dm-ben');
    expect(store.user({ upn: 'ben.okafor@acme.example' })?.userId).toBe('29:ben');
    expect(store.user({ id: 'aad-ben' })?.userId).toBe('29:ben');
    expect(store.channels(10).map((c) => c.conversationId)).toEqual([CHANNEL_PAYMENTS.id]);
  });

  it('a later sighting without names keeps the names learned earlier, and refreshes the serviceUrl', () => {
    db = openDatabase(':memory:');
    const store = new ConversationStore(db);
    store.saveConversation(conversationOf(installActivity(URL, channel))!, T0);
    const bare = conversationOf({ ...messageActivity('http://127.0.0.1:9/emea/', 'help', { where: channel }), channelData: { tenant: { id: 't' } } })!;
    store.saveConversation(bare, new Date(T0.getTime() + 1000));
    const got = store.conversation(CHANNEL_PAYMENTS.id)!;
    expect(got).toMatchObject({ teamName: TEAM.name, channelName: CHANNEL_PAYMENTS.name, serviceUrl: 'http://127.0.0.1:9/emea/' });
    expect(got.reference.serviceUrl).toBe('http://127.0.0.1:9/emea/');
  });
});
