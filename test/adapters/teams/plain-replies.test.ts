import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../../../src/import-catalog.js';
import { FIXED_NOW } from '../../support/test-bot.js';
import type { TeamsHarness } from './teams-harness.js';
import { channel, startTeamsHarness } from './teams-harness.js';

/**
 * Teams answers are one Adaptive Card with nothing beside it: no `text` that Teams would show a
 * second time and read as Markdown. Catalog text stays text, plain lines are `textFormat: plain`.
 */
describe('Teams replies without doubled Markdown', () => {
  let h: TeamsHarness;
  const dir = mkdtempSync(join(tmpdir(), 'steward-teams-plain-'));

  beforeAll(async () => {
    h = await startTeamsHarness();
    const file = join(dir, 'evil.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: evil-svc',
        '  description: "Docs at [x](https://evil.test) and **bold** <at>Everyone</at>"',
        'spec: { type: service, lifecycle: production, owner: team-payments }',
        '',
      ].join('\n'),
    );
    importCatalog(h.server.steward.catalog, [file], { now: FIXED_NOW });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never turns a description like [x](https://evil.test) into a link', async () => {
    const said = await h.say('info evil-svc');
    expect(said.sent).toHaveLength(1);
    const body = said.sent[0]!.body;
    expect(body['text']).toBeUndefined();
    expect(body['textFormat']).toBeUndefined();
    const json = JSON.stringify(body);
    // The description arrives as typed, in a TextRun; no TextBlock (Markdown) carries it and no
    // mention entity was made of the <at> in it.
    expect(said.text).toContain('Docs at [x](https://evil.test) and **bold** <at>Everyone</at>');
    expect(json).not.toContain('"TextBlock"');
    expect(json).not.toContain('"mention"');
    expect(json).not.toMatch(/"url":"https:\/\/evil\.test"/);
  });

  it('reads plain words in a channel mention, answering in the thread', async () => {
    const said = await h.say('who owns payments-api?', { where: channel });
    expect(said.sent).toHaveLength(1);
    expect(said.text).toContain('Payments');
  });

  it('answers a line it does not understand with the short help, as a card', async () => {
    const said = await h.say('good morning');
    expect(said.text).toContain("who's on call for payments?");
    expect(said.sent[0]!.body['text']).toBeUndefined();
  });
});
