import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { teamsManifest } from '../../src/adapters/teams/app-package.js';
import { renderAdaptiveCard } from '../../src/adapters/teams/render-adaptive-card.js';
import type { Block } from '../../src/core/message/index.js';
import { actions, button, code, context, divider, fields, heading, link, list, mention, reply, strong, text, urlButton } from '../../src/core/message/index.js';
import type { TeamsHarness } from '../adapters/teams/teams-harness.js';
import { channel, installActivity, startTeamsHarness } from '../adapters/teams/teams-harness.js';
import { CONTRACTS } from './shared.js';

/**
 * Teams' published contracts from the shared folder beside the project (contracts.md §8 recipes):
 * 1. the cards Steward sends validate against adaptive-card-1.5.0.schema.json (draft-06; its
 *    legacy top-level `id` becomes `$id` for Ajv 8, and the Teams-only `msteams` property is
 *    stripped, as the schema's README says hosts must);
 * 2. the app manifest validates against MicrosoftTeams.v1.30.schema.json. That schema declares
 *    draft-04, but uses no keyword whose meaning changed after it (no boolean exclusiveMinimum,
 *    no `id` keyword), so Ajv 8 validates it as is with `$schema` dropped: no ajv-draft-04 needed;
 * 3. the activities Steward sends and the fake connector's answers match the Connector swagger.
 */
const TEAMS = join(CONTRACTS, 'teams');
const CARD_SCHEMA = join(TEAMS, 'adaptive-card-1.5.0.schema.json');
const MANIFEST_SCHEMA = join(TEAMS, 'MicrosoftTeams.v1.30.schema.json');
const CONNECTOR = join(TEAMS, 'botframework-connector-api.swagger.json');

interface AjvInstance {
  addSchema(schema: unknown, key?: string): AjvInstance;
  addMetaSchema(schema: unknown): AjvInstance;
  compile(schema: unknown): ValidateFn;
  getSchema(ref: string): ValidateFn | undefined;
}
type ValidateFn = ((data: unknown) => boolean) & { errors?: unknown[] | null };
type AjvClass = new (options: Record<string, unknown>) => AjvInstance;

async function loadAjv(): Promise<{ Ajv: AjvClass; addFormats: (ajv: AjvInstance) => void; draft06: unknown } | undefined> {
  try {
    const [ajv, formats] = (await Promise.all(['ajv', 'ajv-formats'].map((n) => import(n)))) as Array<{ default: unknown }>;
    const draft06 = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json') as unknown;
    return { Ajv: ajv!.default as AjvClass, addFormats: formats!.default as (ajv: AjvInstance) => void, draft06 };
  } catch {
    return undefined;
  }
}

const ajvLib = await loadAjv();
const missing = ![CARD_SCHEMA, MANIFEST_SCHEMA, CONNECTOR].every(existsSync) ? `no ${TEAMS}` : !ajvLib ? 'ajv and ajv-formats are not installed' : undefined;
if (missing) process.stderr.write(`teams compatibility checks skipped: ${missing}\n`);

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

function cardValidator(): (card: unknown) => ValidateFn {
  const ajv = new ajvLib!.Ajv({ strict: false, allErrors: true });
  ajvLib!.addFormats(ajv);
  ajv.addMetaSchema(ajvLib!.draft06);
  const { id, ...schema } = readJson(CARD_SCHEMA);
  const validate = ajv.compile({ ...schema, $id: id });
  return (card) => {
    const { msteams: _teamsOnly, ...standard } = card as Record<string, unknown>;
    validate(standard);
    return validate;
  };
}

const every: Block[] = [
  heading('payments-api **not bold**'),
  text(['Owned by ', strong('Payments'), ' · ', code('payments-api'), ' · ', link('https://wiki.acme.example/pay', 'wiki'), ' · ', link('javascript:x', 'bad')]),
  fields([['Team', 'Payments'], ['On call', [mention({ name: 'Ana Ruiz', teamsId: '29:ana' })]], ['', 'no label']]),
  divider(),
  list([['one'], ['two']], 3),
  context('source: catalog'),
  actions([urlButton('Runbook', 'https://runbooks.acme.example/pay'), button('Snooze', 'snooze', 'payments-api docs 7', 'danger'), button('Go', 'x', 'y', 'primary')]),
  divider(),
];

describe.skipIf(missing !== undefined)('Adaptive Cards against adaptive-card-1.5.0.schema.json', () => {
  it('every block kind, a cut-down card and the "Post to channel" footer are valid 1.5 cards', () => {
    const check = cardValidator();
    const footer = [
      { type: 'Input.ChoiceSet', id: 'stewardChannel', label: 'Post this answer to a channel', isRequired: true, errorMessage: 'Pick a channel', value: '19:a', choices: [{ title: 'Payments / Releases', value: '19:a' }], separator: true },
      { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Post to channel', data: { steward: 'post_to_channel', value: 'who-owns x' } }] },
    ];
    const cards = [
      renderAdaptiveCard(reply('all kinds', every)),
      renderAdaptiveCard(reply('long', [list(Array.from({ length: 3000 }, (_, i) => [`service-${i}`]))]), { footer }),
      renderAdaptiveCard({ fallback: 'empty', blocks: [], visibility: 'caller' }),
    ];
    for (const card of cards) {
      const v = check(card);
      expect(v.errors ?? [], JSON.stringify(v.errors, null, 2)).toEqual([]);
    }
  });

  it('the validator is real: an unknown element or a 1.6-only property is refused', () => {
    const check = cardValidator();
    const card = renderAdaptiveCard(reply('x', [text('x')]));
    expect(check({ ...card, body: [{ type: 'NoSuchElement' }] }).errors?.length).toBeGreaterThan(0);
    expect(check({ ...card, body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'x', nope: 1 }] }] }).errors?.length).toBeGreaterThan(0);
  });
});

describe.skipIf(missing !== undefined)('the Teams app manifest against MicrosoftTeams.v1.30.schema.json', () => {
  const build = (): ValidateFn => {
    const ajv = new ajvLib!.Ajv({ strict: false, allErrors: true, validateSchema: false });
    ajvLib!.addFormats(ajv);
    const { $schema: _draft04, ...schema } = readJson(MANIFEST_SCHEMA);
    return ajv.compile(schema);
  };

  it('is valid, with the placeholder id and with a real one', () => {
    const validate = build();
    for (const appId of [undefined, '11111111-2222-3333-4444-555555555555']) {
      const ok = validate(teamsManifest({ appId, commands, version: '0.1.0' }));
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('the validator is real: a non-GUID bot id or a 31-character short name is refused', () => {
    const validate = build();
    const m = teamsManifest({ commands, version: '0.1.0' });
    expect(validate({ ...m, id: 'not-a-guid' })).toBe(false);
    expect(validate({ ...m, name: { short: 'x'.repeat(31) } })).toBe(false);
  });
});

describe.skipIf(missing !== undefined)('activities and the fake connector against the Connector swagger', () => {
  let h: TeamsHarness;
  let spec: AjvInstance;
  beforeAll(async () => {
    h = await startTeamsHarness();
    spec = new ajvLib!.Ajv({ strict: false, allErrors: true, validateSchema: false });
    ajvLib!.addFormats(spec);
    spec.addSchema(readJson(CONNECTOR), 'connector');
  });
  afterAll(() => h.close());
  const def = (name: string): ValidateFn => spec.getSchema(`connector#/definitions/${name}`)!;

  it('the replies and proactive messages Steward sends are Activities', async () => {
    await h.post(installActivity(h.connector.serviceUrl, channel));
    await h.say('who-owns payments-api', { as: '29:ana' });
    await h.say('help', { where: channel });
    await h.server.teams.messenger.postToChannel('Payments / Releases', reply('Leaderboard', [text('1. Payments')], 'channel'));
    expect(h.connector.activities.length).toBeGreaterThanOrEqual(3);
    const activity = def('Activity');
    for (const a of h.connector.activities) expect(activity(a.body), JSON.stringify(activity.errors)).toBe(true);
  });

  it('the fake answers with ResourceResponse, ConversationResourceResponse, ChannelAccount and ErrorResponse', async () => {
    const base = h.connector.serviceUrl;
    const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(def('ResourceResponse')(await (await post('v3/conversations/a%3Ax/activities', { type: 'message', text: 'x' })).json())).toBe(true);
    expect(def('ConversationResourceResponse')(await (await post('v3/conversations', { bot: { id: '28:b' }, members: [{ id: '29:ana' }], isGroup: false })).json())).toBe(true);
    expect(def('ChannelAccount')(await (await fetch(`${base}v3/conversations/a%3Ax/members/29%3Aana`)).json())).toBe(true);
    const missingMember = await fetch(`${base}v3/conversations/a%3Ax/members/29%3Anobody`);
    expect(missingMember.status).toBe(404);
    expect(def('ErrorResponse')(await missingMember.json())).toBe(true);
  });
});
