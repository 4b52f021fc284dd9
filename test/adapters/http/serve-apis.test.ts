import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { importCatalog } from '../../../src/import-catalog.js';
import type { RunningServer } from '../../../src/serve.js';
import { startServer } from '../../../src/serve.js';
import { memoryLogger } from '../../support/memory-logger.js';
import { SMALL_ORG } from '../../support/test-bot.js';

/** `steward serve` as an operator runs it: the facts and gate APIs and /healthz on one port. */
const TOKEN = 'test-token-0123456789abcdef';

describe('steward serve: the HTTP APIs', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-serve-'));
    const config = loadConfig({ STEWARD_API_TOKEN: TOKEN, PORT: '0', STEWARD_DB: join(dir, 's.db') });
    server = await startServer({ config, logger: memoryLogger().logger });
    importCatalog(server.steward.catalog, [SMALL_ORG]);
  });
  afterAll(async () => server.close());

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers ?? {}) } });

  it('answers /healthz', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('takes facts from CI and gates on them', async () => {
    const before = await call('/api/v1/gate/payments-api?scorecard=production-readiness&min=bronze');
    expect(before.status).toBe(200);
    const gate = (await before.json()) as { pass: boolean; failing: unknown[] };
    expect(typeof gate.pass).toBe('boolean');
    const pushed = await call('/api/v1/facts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'payments-api', facts: { 'alerts.configured': true } }),
    });
    expect(pushed.status).toBe(200);
  });

  it('refuses a wrong token and an unknown service', async () => {
    const wrong = await fetch(`${server.url}/api/v1/gate/payments-api?scorecard=production-readiness&min=bronze`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    expect((await call('/api/v1/gate/no-such-service?scorecard=production-readiness&min=bronze')).status).toBe(404);
  });

  it('answers 404 for a path it does not serve', async () => {
    expect((await fetch(`${server.url}/api/v2/nothing`)).status).toBe(404);
  });
});
