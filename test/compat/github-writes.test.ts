import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixWorld } from '../fixes/support/fix-world.js';
import { startFixWorld } from '../fixes/support/fix-world.js';
import { CONTRACTS } from './shared.js';

/**
 * The fake GitHub's write side against GitHub's published REST description: every route the fix
 * writer used is in it, and every field the fake answered with is declared there with that type.
 * The fake sends the fields Steward reads, not all of them, so `required` is not checked.
 */
const OPENAPI = join(CONTRACTS, 'github', 'github-rest-subset.openapi.json');

interface AjvInstance {
  addSchema(schema: unknown, key?: string): AjvInstance;
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown[] | null };
}
type AjvClass = new (options: Record<string, unknown>) => AjvInstance;

const Ajv = await import('ajv').then((m) => (m as unknown as { default: AjvClass }).default).catch(() => undefined);
const missing = !existsSync(OPENAPI) ? `no ${OPENAPI}` : !Ajv ? 'ajv is not installed' : undefined;
if (missing) process.stderr.write(`github write compatibility checks skipped: ${missing}\n`);

/** OpenAPI 3.0 to JSON Schema, loosely: `nullable` becomes a null type, `required` is dropped. */
function loosen(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(loosen);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (k !== 'required' && k !== 'nullable' && k !== 'example' && k !== 'examples') out[k] = loosen(x);
  const o = v as Record<string, unknown>;
  if (o['nullable'] === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}

describe.skipIf(missing !== undefined)('the fake GitHub writes in the shapes of the published REST description', () => {
  let world: FixWorld;
  beforeAll(async () => {
    world = await startFixWorld();
    // One pull request opened and one linked, one refused and cleaned up: every route the writer uses.
    world.writes.pushBranch('payments', 'steward/fix-documentation-techdocs', { 'notes.md': 'x' });
    expect((await world.bot.say('fix payments-api documentation/techdocs', { as: 'ana.ruiz@acme.example' })).outcome).toBe('ok');
    expect((await world.bot.say('fix payments-api documentation/techdocs', { as: 'ana.ruiz@acme.example' })).outcome).toBe('ok');
    world.writes.fault({ route: 'pulls', status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'No commits' }], documentation_url: 'https://docs.github.com/rest', status: '422' } });
    await world.bot.say('fix dana-scripts documentation/techdocs', { as: 'dana.kim@acme.example' });
  });
  afterAll(async () => world?.close());

  it('uses only documented routes, and answers each with documented fields', () => {
    const doc = JSON.parse(readFileSync(OPENAPI, 'utf8')) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }> }>>; components: unknown };
    const ajv = new Ajv!({ strict: false, allErrors: true, logger: false });
    ajv.addSchema({ components: loosen(doc.components) }, 'gh');
    const routes = Object.keys(doc.paths).map((template) => ({
      template,
      re: new RegExp(`^${template.replace(/\{path\}|\{ref\}/g, '(.+)').replace(/\{[^}]+\}/g, '([^/]+)')}$`),
    }));
    const seen = new Set<string>();
    for (const r of world.writes.requests) {
      const path = decodeURIComponent(r.path.split('?')[0]!);
      const route = routes.find((x) => x.re.test(path));
      expect(route, `${r.method} ${path} is not in the REST description`).toBeDefined();
      const op = doc.paths[route!.template]![r.method.toLowerCase()];
      expect(op, `${r.method} ${route!.template} is not in the REST description`).toBeDefined();
      seen.add(`${r.method} ${route!.template}`);
      const response = op!.responses[String(r.status)];
      expect(response, `${r.method} ${route!.template} does not document ${r.status}`).toBeDefined();
      const schema = response!.content?.['application/json']?.schema;
      if (!schema || r.body === undefined) continue;
      const validate = ajv.compile(JSON.parse(JSON.stringify(loosen(schema)).replaceAll('"#/components', '"gh#/components')));
      expect(validate(r.body) ? [] : validate.errors, `${r.method} ${path} ${r.status}`).toEqual([]);
    }
    expect([...seen].sort()).toEqual([
      'DELETE /repos/{owner}/{repo}/git/refs/{ref}',
      'GET /repos/{owner}/{repo}',
      'GET /repos/{owner}/{repo}/contents/{path}',
      'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
      'GET /repos/{owner}/{repo}/git/ref/{ref}',
      'GET /repos/{owner}/{repo}/pulls',
      'POST /repos/{owner}/{repo}/git/blobs',
      'POST /repos/{owner}/{repo}/git/commits',
      'POST /repos/{owner}/{repo}/git/refs',
      'POST /repos/{owner}/{repo}/git/trees',
      'POST /repos/{owner}/{repo}/pulls',
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
    ]);
  });
});
