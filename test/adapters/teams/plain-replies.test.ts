import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../../src/adapters/teams/render-adaptive-card.js';
import { mention, reply, text } from '../../../src/core/message/index.js';
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

  it('keeps a personal sign-in link out of a channel, where Teams shows every answer to everyone', async () => {
    const said = await h.say('scoreboard', { where: channel });
    expect(said.sent).toHaveLength(1);
    expect(said.text).toContain('for your eyes only');
    expect(said.text).toContain('Ask me in a direct message');
    expect(said.text).not.toContain('/signin');
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

describe('real <at> mentions, only by the names Teams gave', () => {
  const person = { name: '**Ana** [x](https://evil.test)', email: 'ana.ruiz@acme.example' };
  const answer = reply('owners', [text(['Owner: ', mention(person)])]);

  it('mentions a person whose Teams account is known, by the Teams name, and keeps the catalog name as text', () => {
    const card = renderAdaptiveCard(answer, { mentionable: () => ({ id: '29:ana', name: 'Ana Ruiz' }) });
    expect(card.msteams.entities).toEqual([{ type: 'mention', text: '<at>Ana Ruiz</at>', mentioned: { id: '29:ana', name: 'Ana Ruiz' } }]);
    const json = JSON.stringify(card.body);
    expect(json).toContain('{"type":"TextBlock","text":"<at>Ana Ruiz</at>"');
    // The catalog's name is still a TextRun, as typed.
    expect(json).toContain('"type":"TextRun","text":"**Ana** [x](https://evil.test)"');
  });

  it('makes no mention without a Teams account, or when its name could carry Markdown', () => {
    expect(renderAdaptiveCard(answer).msteams.entities).toBeUndefined();
    expect(renderAdaptiveCard(answer, { mentionable: () => undefined }).msteams.entities).toBeUndefined();
    const sly = renderAdaptiveCard(answer, { mentionable: () => ({ id: '29:x', name: '[x](https://evil.test)' }) });
    expect(sly.msteams.entities).toBeUndefined();
    expect(JSON.stringify(sly)).not.toContain('"TextBlock"');
  });
});

describe('an owner Steward has met in Teams is mentioned for real', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  afterAll(() => h.close());

  it('who-owns in a channel mentions Ben by his Teams account once Ben has talked to Steward', async () => {
    const before = await h.say('who-owns payments-api', { as: '29:ana', where: channel });
    // Ana asked: she is not notified of her own question, and Steward has not met Ben yet.
    expect(JSON.stringify(before.sent[0]!.body)).not.toContain('"mention"');
    await h.say('mine', { as: '29:ben' });
    const after = await h.say('who-owns payments-api', { as: '29:ana', where: channel });
    const entities = (after.sent[0]!.body['attachments'] as Array<{ content: { msteams: { entities?: unknown[] } } }>)[0]!.content.msteams.entities;
    expect(entities).toContainEqual({ type: 'mention', text: '<at>Ben Okafor</at>', mentioned: { id: '29:ben', name: 'Ben Okafor' } });
  });
});
