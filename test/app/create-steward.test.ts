import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Steward } from '../../src/app/create-steward.js';
import { stewardFromConfig } from '../../src/app/create-steward.js';
import { loadConfig } from '../../src/config.js';

/** The composition root as the CLI and serve get it: from the environment, once per process. */
describe('the composition root', () => {
  let steward: Steward | undefined;
  afterEach(() => steward?.close());

  const open = (env: Record<string, string>): Steward =>
    (steward = stewardFromConfig(loadConfig({ STEWARD_DB: join(mkdtempSync(join(tmpdir(), 'steward-app-')), 's.db'), ...env })));

  it('builds each store once and hands the same one to everyone who asks', () => {
    const s = open({});
    expect(s.stores.facts).toBe(s.stores.facts);
    expect(s.stores.ledger).toBe(s.stores.ledger);
    expect(Object.keys(s.stores).sort()).toEqual(['conversations', 'exemptions', 'facts', 'github', 'identities', 'jobRuns', 'ledger', 'scores', 'signIns']);
  });

  it('offers the messengers of the configured platforms: none, Slack, then Slack and Teams with an app id', () => {
    expect(open({}).messengers().map((m) => m.platform)).toEqual([]);
    steward!.close();
    expect(open({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).messengers().map((m) => m.platform)).toEqual(['slack']);
    steward!.close();
    const both = open({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'p' });
    expect(both.messengers().map((m) => m.platform)).toEqual(['slack', 'teams']);
  });

  it('has one Teams connection per process, and refuses a second messenger for a platform', async () => {
    const s = open({});
    const connection = await s.teams();
    expect(await s.teams()).toBe(connection);
    expect(connection.emulator).toBe(true);
    s.addMessenger(connection.messenger);
    expect(s.messengers().map((m) => m.platform)).toEqual(['teams']);
    expect(() => s.addMessenger(connection.messenger)).toThrow('a teams messenger is already wired');
  });

  it('has no GitHub reader without a token, and one (the same) with it', async () => {
    expect(await open({}).githubReader()).toBeUndefined();
    steward!.close();
    const s = open({ GITHUB_TOKEN: 'ghp_test' });
    const reader = await s.githubReader();
    expect(reader).toBeDefined();
    expect(await s.githubReader()).toBe(reader);
    expect((await s.githubSync())?.catalog).toBe(s.catalog);
  });
});
