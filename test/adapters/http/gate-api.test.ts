import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateApi } from '../../../src/adapters/http/gate-api.js';
import type { ScoringBot } from '../../scoring/support/scoring-bot.js';
import { createScoringBot } from '../../scoring/support/scoring-bot.js';

const TOKEN = 'gate-token-0123456789abcdef';

describe('GET /api/v1/gate/<service>', () => {
  let bot: ScoringBot;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    bot = createScoringBot({ rollout: { readiness: 'gate' } });
    bot.push('checkout-api', { 'alerts.configured': true });
    server = createServer(createGateApi({ token: TOKEN, catalog: bot.steward.catalog, scoring: bot.steward.scoring }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/gate/`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    bot.close();
  });

  const get = async (path: string, token: string | null = TOKEN) => {
    const res = await fetch(`${base}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers pass with the level when the service reaches the minimum', async () => {
    const res = await get('checkout-api?scorecard=readiness&min=bronze');
    expect(res).toEqual({
      status: 200,
      body: { pass: true, service: 'checkout-api', scorecard: 'readiness', min: 'bronze', level: 'bronze', score: 73, enforced: true, applies: true, failing: [] },
    });
  });

  it('answers pass: false with the failing checks and their fix links (still 200: it is an answer)', async () => {
    const res = await get('search-api?scorecard=readiness&min=bronze');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ pass: false, level: null, score: 18 });
    expect(res.body['failing']).toEqual([
      {
        check: 'runbook',
        title: 'Runbook linked',
        level: 'bronze',
        state: 'fail',
        evidence: 'no link of type runbook in metadata.links',
        fix: 'https://docs.acme.example/runbooks?service=search-api',
        how: 'Add a runbook link to metadata.links.',
      },
      {
        check: 'alerts',
        title: 'Alerts configured',
        level: 'bronze',
        state: 'unknown',
        evidence: 'no fact alerts.configured reported',
        fix: 'https://handbook.acme.example/eng/playbooks/alerts',
        how: 'Configure alerts and push alerts.configured=true.',
      },
    ]);
  });

  it('passes in warn mode below the gate rollout phase, and takes a full ref in the path', async () => {
    const res = await get(`${encodeURIComponent('component:default/search-api')}?scorecard=docs&min=good`);
    expect(res.body).toMatchObject({ pass: true, enforced: false, level: 'basic' });
    expect(res.body['warning']).toBe('docs is in its "visible" rollout phase, below "gate": this is a warning and the gate passes.');
  });

  it('refuses bad tokens, names missing parameters, unknown scorecards, levels and services', async () => {
    expect(await get('checkout-api?scorecard=readiness&min=gold', null)).toMatchObject({ status: 401 });
    expect(await get('checkout-api?scorecard=readiness&min=gold', 'wrong-token')).toMatchObject({ status: 401 });
    expect(await get('checkout-api')).toEqual({
      status: 400,
      body: { error: 'invalid request', problems: ['scorecard: the query needs ?scorecard=ID', 'min: the query needs &min=LEVEL'] },
    });
    expect(await get('?scorecard=readiness&min=gold')).toMatchObject({ status: 400, body: { problems: ['name the service in the path: /api/v1/gate/<service>'] } });
    expect(await get('checkout-api?scorecard=readyness&min=gold')).toEqual({
      status: 400,
      body: { error: 'There is no scorecard called "readyness".', hint: 'Did you mean readiness?' },
    });
    expect(await get('checkout-api?scorecard=readiness&min=platinum')).toMatchObject({ status: 400, body: { hint: 'Levels: bronze, silver, gold.' } });
    expect(await get('nothing-here?scorecard=readiness&min=gold')).toMatchObject({ status: 404 });
    const post = await fetch(`${base}checkout-api`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(post.status).toBe(405);
  });
});
