import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { SLACK_EVENT_SCOPES, SLACK_EXTRA_SCOPES, SLACK_METHOD_SCOPES } from '../src/adapters/slack/index.js';

/**
 * manifest.json, the Slack app a platform engineer creates, stays in step with the code: the
 * `/service` usage hint lists exactly the registered subcommands, and the bot asks for exactly
 * the scopes of the Web API methods the adapter calls. (The full schema check against Slack's
 * published manifest schema is in the compatibility suite.)
 */
interface SlashCommand {
  command: string;
  url?: string;
  description: string;
  usage_hint?: string;
  should_escape?: boolean;
}

const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as {
  _metadata: { major_version: number };
  display_information: { name: string; description?: string };
  features: {
    bot_user: { display_name: string };
    slash_commands: SlashCommand[];
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url?: string }; socket_mode_enabled?: boolean; event_subscriptions?: { request_url?: string; bot_events?: string[]; user_events?: string[] } };
};

const service = manifest.features.slash_commands.find((c) => c.command === '/service');
const expectedHint = commands.map((c) => c.usage).join(' | ');

describe('manifest.json', () => {
  it('declares /service, answered at /slack/events', () => {
    expect(service).toBeDefined();
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(service!.url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
  });

  it('lists exactly the registered subcommands in the usage hint, in registry order', () => {
    const names = service!.usage_hint!.split(' | ').map((part) => part.split(' ')[0]);
    expect(names, `usage_hint should be "${expectedHint}"`).toEqual(commands.map((c) => c.name));
    expect(service!.usage_hint, 'regenerate the hint from commands/index.ts').toBe(expectedHint);
  });

  it('asks for exactly the bot scopes the code uses', () => {
    const eventScopes = Object.values(SLACK_EVENT_SCOPES).filter((s): s is string => s !== undefined);
    const used = new Set<string>([...SLACK_EXTRA_SCOPES, ...Object.values(SLACK_METHOD_SCOPES), ...eventScopes]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...used].sort());
    expect(new Set(manifest.oauth_config.scopes.bot).size, 'no scope twice').toBe(manifest.oauth_config.scopes.bot.length);
    expect([...used].sort()).toEqual(['app_mentions:read', 'chat:write', 'commands', 'im:history', 'im:write', 'users:read', 'users:read.email']);
  });

  it('turns interactivity on at the same URL, for the "Post to channel" button', () => {
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: service!.url });
  });

  it('sends command text unescaped, which the inbound adapter expects', () => {
    expect(service!.should_escape).toBe(false);
  });

  it('uses HTTP by default; Socket Mode is a switch the README explains', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('subscribes to exactly the events the adapter listens to, at the same URL', () => {
    const events = manifest.settings.event_subscriptions;
    expect(events?.request_url).toBe(service!.url);
    expect([...(events?.bot_events ?? [])].sort()).toEqual(Object.keys(SLACK_EVENT_SCOPES).sort());
    expect(events?.user_events).toBeUndefined();
  });

  it('turns the Home tab on and lets people write to the bot in its messages tab', () => {
    expect(manifest.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false });
  });

  it("fits Slack's limits for the fields it sets", () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description!.length).toBeLessThanOrEqual(140);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
    expect(service!.command.length).toBeLessThanOrEqual(32);
    expect(service!.description.length).toBeLessThanOrEqual(2000);
    expect(service!.usage_hint!.length).toBeLessThanOrEqual(1000);
  });
});
