import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi } from '../support/fake-slack-api.js';
import { startFakeSlackApi } from '../support/fake-slack-api.js';
import { CONTRACTS } from './shared.js';

/**
 * Slack's published contracts from the shared folder beside the project:
 * 1. manifest.json validates against slackapi/manifest-schema (the root schema and the v1 and v2
 *    schemas it `$ref`s by URL; contracts.md §8 has the loader recipe);
 * 2. the fake Web API of the test suite answers in the shapes of slack_web_openapi_v2.json.
 * Needs Ajv 8 and ajv-formats (dev dependencies); without them, or without the shared folder,
 * the suite is skipped and says why.
 */
const SLACK = join(CONTRACTS, 'slack');
const ROOT_SCHEMA = join(SLACK, 'manifest.schema.json');
const SCHEMA_URL = 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/';

interface AjvInstance {
  addSchema(schema: unknown, key?: string): AjvInstance;
  compile(schema: unknown): ValidateFn;
  getSchema(ref: string): ValidateFn | undefined;
}
type ValidateFn = ((data: unknown) => boolean) & { errors?: unknown[] | null };
type AjvClass = new (options: Record<string, unknown>) => AjvInstance;

/** Loaded by name at run time so the type check does not need the packages installed. */
async function loadAjv(): Promise<{ Ajv: AjvClass; addFormats: (ajv: AjvInstance) => void } | undefined> {
  const names = ['ajv', 'ajv-formats'];
  try {
    const [ajv, formats] = (await Promise.all(names.map((n) => import(n)))) as Array<{ default: unknown }>;
    return { Ajv: ajv!.default as AjvClass, addFormats: formats!.default as (ajv: AjvInstance) => void };
  } catch {
    return undefined;
  }
}

const ajvLib = await loadAjv();
const missing = !existsSync(ROOT_SCHEMA) ? `no ${ROOT_SCHEMA}` : !ajvLib ? 'ajv and ajv-formats are not installed' : undefined;
if (missing) process.stderr.write(`slack compatibility checks skipped: ${missing}\n`);

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe.skipIf(missing !== undefined)('manifest.json against Slack’s manifest schema', () => {
  const build = (): ValidateFn => {
    const ajv = new ajvLib!.Ajv({ strict: false, allErrors: true });
    ajvLib!.addFormats(ajv);
    ajv.addSchema(readJson(join(SLACK, 'manifest.schema.1.0.0.json')), `${SCHEMA_URL}manifest.schema.1.0.0.json`);
    ajv.addSchema(readJson(join(SLACK, 'manifest.schema.2.0.0.json')), `${SCHEMA_URL}manifest.schema.2.0.0.json`);
    return ajv.compile(readJson(ROOT_SCHEMA));
  };
  const manifest = readJson(new URL('../../manifest.json', import.meta.url).pathname);

  it('is a valid app manifest', () => {
    const validate = build();
    const ok = validate(manifest);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the validator is real: a 33-character command or an unknown setting is refused', () => {
    const validate = build();
    const features = manifest['features'] as { slash_commands: Array<Record<string, unknown>> };
    const long = { ...manifest, features: { ...features, slash_commands: [{ ...features.slash_commands[0], command: `/${'x'.repeat(32)}` }] } };
    expect(validate(long)).toBe(false);
    expect(validate({ ...manifest, settings: { ...(manifest['settings'] as object), no_such_setting: true } })).toBe(false);
  });
});

describe.skipIf(missing !== undefined)('the fake Slack Web API against slack_web_openapi_v2.json', () => {
  let fake: FakeSlackApi;
  let spec: AjvInstance;
  beforeAll(async () => {
    fake = await startFakeSlackApi({ users: [{ id: 'U0BEN', name: 'Ben Okafor', email: 'ben@acme.example' }] });
    spec = new ajvLib!.Ajv({ strict: false, allErrors: true, validateSchema: false });
    ajvLib!.addFormats(spec);
    spec.addSchema(readJson(join(SLACK, 'slack_web_openapi_v2.json')), 'slack-web-api');
  });
  afterAll(() => fake.close());

  const call = async (method: string, args: Record<string, string>): Promise<unknown> => {
    const res = await fetch(`${fake.apiUrl}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-test' },
      body: new URLSearchParams(args).toString(),
    });
    return res.json();
  };
  const schema = (method: string, verb: string, status: '200' | 'default'): ValidateFn => {
    const validate = spec.getSchema(`slack-web-api#/paths/~1${method}/${verb}/responses/${status}/schema`);
    if (!validate) throw new Error(`no ${status} schema for ${method}`);
    return validate;
  };

  for (const [method, verb, args, error] of [
    ['auth.test', 'get', {}, undefined],
    ['users.info', 'get', { user: 'U0BEN' }, { user: 'U0NOBODY' }],
    ['users.lookupByEmail', 'get', { email: 'ben@acme.example' }, { email: 'nobody@acme.example' }],
    ['conversations.open', 'post', { users: 'U0BEN' }, { users: '' }],
    ['chat.postMessage', 'post', { channel: 'C0GENERAL', text: 'hello' }, { channel: '' }],
  ] as const) {
    it(`${method}: success and error bodies match the spec`, async () => {
      const ok = schema(method, verb, '200');
      const body = await call(method, args);
      expect(ok(body), JSON.stringify(ok.errors)).toBe(true);
      expect(ok({ ok: true }), 'the schema must require more than ok').toBe(false);
      if (error) {
        const failed = schema(method, verb, 'default');
        const errBody = await call(method, error);
        expect(errBody).toMatchObject({ ok: false });
        expect(failed(errBody), JSON.stringify(failed.errors)).toBe(true);
      }
    });
  }
});
