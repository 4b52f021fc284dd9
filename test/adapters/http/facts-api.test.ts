import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFactsApi, createFactsReportApi } from '../../../src/adapters/http/facts-api.js';
import { readReport } from '../../../src/infra/reports/read-report.js';
import { FIXTURES } from '../../support/test-bot.js';
import type { ScoringBot } from '../../scoring/support/scoring-bot.js';
import { createScoringBot } from '../../scoring/support/scoring-bot.js';

const TOKEN = 'test-token-0123456789abcdef';

describe('POST /api/v1/facts', () => {
  let bot: ScoringBot;
  let server: Server;
  let url: string;
  let disabledServer: Server;
  let disabledUrl: string;

  const listen = async (handler: Parameters<typeof createServer>[1]): Promise<[Server, string]> => {
    const s = createServer(handler);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return [s, `http://127.0.0.1:${(s.address() as AddressInfo).port}/api/v1/facts`];
  };

  beforeAll(async () => {
    bot = createScoringBot();
    const deps = { catalog: bot.steward.catalog, scoring: bot.steward.scoring, logger: bot.steward.logger, maxBodyBytes: 2048 };
    [server, url] = await listen(createFactsApi({ ...deps, token: TOKEN }));
    [disabledServer, disabledUrl] = await listen(createFactsApi({ ...deps, token: undefined }));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await new Promise((r) => disabledServer.close(r));
    bot.close();
  });

  const post = async (body: unknown, options: { token?: string | null; type?: string; method?: string; to?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': options.type ?? 'application/json' };
    if (options.token !== null) headers['authorization'] = `Bearer ${options.token ?? TOKEN}`;
    const res = await fetch(options.to ?? url, {
      method: options.method ?? 'POST',
      headers,
      ...(options.method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  };

  it('stores the facts and answers with what changed and the levels after the push', async () => {
    const res = await post({ service: 'checkout-api', facts: { 'alerts.configured': true, 'readme.bytes': 900 }, source: 'ci/github-actions', observedAt: '2026-11-01' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      service: 'component:default/checkout-api',
      stored: 2,
      changed: ['alerts.configured', 'readme.bytes'],
      results: [
        { scorecard: 'readiness', level: 'bronze', score: 73 },
        { scorecard: 'docs', level: 'good', score: 100 },
      ],
    });
    expect(bot.steward.db.prepare("SELECT source, observed_at FROM facts WHERE key = 'readme.bytes'").get()).toEqual({
      source: 'ci/github-actions',
      observed_at: '2026-11-01T00:00:00.000Z',
    });
    expect(bot.logs.some((l) => l.message === 'facts pushed' && JSON.stringify(l.fields).includes('readme.bytes'))).toBe(true);
    expect(JSON.stringify(bot.logs)).not.toContain(TOKEN);
  });

  it('finds the service by title or ref, like chat does', async () => {
    expect((await post({ service: 'Web Shop', facts: { 'alerts.configured': true } })).body['service']).toBe('component:default/web-shop');
    expect((await post({ service: 'component:default/search-api', facts: { 'slo.defined': true } })).status).toBe(200);
  });

  it('refuses a missing or wrong bearer token with 401, and everything when no token is configured', async () => {
    const none = await post({ service: 'checkout-api', facts: { 'a.b': 1 } }, { token: null });
    expect(none).toMatchObject({ status: 401, body: { error: 'send Authorization: Bearer <STEWARD_API_TOKEN>' } });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await post({ service: 'checkout-api', facts: { 'a.b': 1 } }, { token: 'nope' })).toMatchObject({ status: 401, body: { error: 'the bearer token is wrong' } });
    expect(await post({ service: 'checkout-api', facts: { 'a.b': 1 } }, { to: disabledUrl })).toMatchObject({
      status: 503,
      body: { error: 'the API is disabled: the server has no STEWARD_API_TOKEN' },
    });
    expect(bot.steward.db.prepare("SELECT count(*) FROM facts WHERE key = 'a.b'").pluck().get()).toBe(0);
  });

  it('answers 4xx with every problem named for bad bodies, and stores nothing', async () => {
    expect(await post('{"service": ')).toMatchObject({ status: 400, body: { error: 'the body is not valid JSON' } });
    expect(await post({ facts: { 'a.b': 1 }, extra: true })).toMatchObject({
      status: 400,
      body: { error: 'invalid body', problems: ['service is required: the name or ref of a catalog entity', 'unknown field extra'] },
    });
    expect(await post({ service: 'checkout-api', facts: [1, 2] })).toMatchObject({ status: 400, body: { problems: ['facts is required: an object of key: value'] } });
    expect(await post({ service: 'checkout-api', facts: { 'Bad Key': 1, 'ok.key': { deep: 1 }, 'cve.critical': 0 }, observedAt: 'yesterday' })).toMatchObject({
      status: 400,
      body: {
        error: 'invalid facts',
        problems: [
          'facts.Bad Key: a fact key is lower-case words joined by dots, e.g. alerts.configured',
          'facts.ok.key: a fact value is a string, a number or true/false',
          'observedAt: must be an ISO date or timestamp, e.g. 2026-11-30T09:00:00Z',
        ],
      },
    });
    expect(await post({ service: 'checkout-api', facts: {} })).toMatchObject({ status: 400, body: { problems: ['facts: none given'] } });
    expect(bot.steward.db.prepare("SELECT count(*) FROM facts WHERE key = 'cve.critical'").pluck().get()).toBe(0);
  });

  it('answers 404 with suggestions for an unknown service', async () => {
    expect(await post({ service: 'chekout-api', facts: { 'a.b': 1 } })).toMatchObject({
      status: 404,
      body: { error: 'no service called "chekout-api" in the catalog', suggestions: ['checkout-api'] },
    });
  });

  it('answers 405, 413 and 415 for the wrong method, size and content type', async () => {
    expect(await post(null, { method: 'GET' })).toMatchObject({ status: 405, body: { error: 'use POST' } });
    const big = { service: 'checkout-api', facts: { 'notes.text': 'x'.repeat(4000) } };
    expect(await post(big)).toMatchObject({ status: 413, body: { error: 'the body is larger than 2048 bytes' } });
    expect(await post('service=checkout-api', { type: 'application/x-www-form-urlencoded' })).toMatchObject({ status: 415 });
  });
});

describe('POST /api/v1/facts/report', () => {
  let bot: ScoringBot;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // After the sample reports were written: a report dated in the future is refused.
    bot = createScoringBot({ now: new Date('2026-11-30T09:00:00Z') });
    server = createServer(
      createFactsReportApi({ token: TOKEN, catalog: bot.steward.catalog, scoring: bot.steward.scoring, logger: bot.steward.logger, readReport, clock: { now: () => bot.now() } }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/facts/report`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    bot.close();
  });

  const send = async (query: string, body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${query}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const report = (file: string): string => readFileSync(join(FIXTURES, 'reports', file), 'utf8');

  it('reads the report from the body, detects its format and stores its facts at the report\'s own time', async () => {
    const res = await send('?service=checkout-api', report('trivy.json'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      service: 'component:default/checkout-api',
      format: 'trivy',
      source: 'report/trivy',
      observedAt: '2026-11-29T06:15:42.123Z',
      facts: { 'cve.critical': 1, 'cve.high': 1 },
      leftOut: [],
    });
    expect(bot.steward.stores.facts.factsOf('component:default/checkout-api').find((f) => f.key === 'cve.critical')).toMatchObject({ source: 'report/trivy' });
  });

  it('an unrecognised body is 400 naming the formats; an unknown service 404; no token 401', async () => {
    const bad = await send('?service=checkout-api', report('not-a-report.json'));
    expect(bad).toEqual({
      status: 400,
      body: {
        error: 'the body: not a report format Steward knows; known report formats: CycloneDX JSON, SPDX JSON, SARIF 2.1.0, Trivy JSON, Grype JSON, k6 summary JSON',
        formats: ['trivy', 'grype', 'sarif', 'cyclonedx', 'spdx', 'k6'],
      },
    });
    expect((await send('?service=chekout-api', report('spdx.json'))).status).toBe(404);
    expect((await send('', report('spdx.json'))).status).toBe(400);
    expect((await send('?service=checkout-api', report('spdx.json'), { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await send('?service=checkout-api', report('spdx.json'), { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('a report whose only date is malformed records what it can and says what it left out', async () => {
    const res = await send('?service=checkout-api', report('cyclonedx-bad-date.json'));
    expect(res.status).toBe(200);
    expect(res.body['facts']).toEqual({ 'sbom.components': 0 });
    expect(res.body['leftOut']).toEqual(['metadata.timestamp: "yesterday-ish" is not an ISO timestamp; left out']);
  });
});
