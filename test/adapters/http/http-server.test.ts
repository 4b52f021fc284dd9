import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthCheck } from '../../../src/adapters/http/health-check.js';
import type { Handler } from '../../../src/adapters/http/route-requests.js';
import { routeRequests } from '../../../src/adapters/http/route-requests.js';
import { memoryLogger } from '../../support/memory-logger.js';

/** The HTTP edge shared by every adapter: the route table and /healthz, over real HTTP. */
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(routes: Record<string, Handler | undefined>) {
  const { logger, logs } = memoryLogger();
  server = createServer(routeRequests(routes, logger));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, logs };
}

describe('/healthz', () => {
  const health = (ping: () => boolean | Promise<boolean>) => createHealthCheck({ ping, logger: memoryLogger().logger });

  it('is 200 {"status":"ok"} when the database answers', async () => {
    const { url } = await serve({ '/healthz': health(() => true) });
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is 503 when the database does not answer, whether it says no or throws', async () => {
    const { url } = await serve({
      '/healthz': health(() => false),
      '/healthz2': health(() => {
        throw new Error('SQLITE_BUSY: /secret/path');
      }),
    });
    for (const path of ['/healthz', '/healthz2']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ status: 'unavailable' });
      expect(text).not.toContain('SQLITE');
    }
  });

  it('answers HEAD without a body and refuses POST', async () => {
    const { url } = await serve({ '/healthz': health(async () => true) });
    const head = await fetch(`${url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});

describe('the route table', () => {
  it('is a JSON 404 for paths it does not know, and for routes that are switched off', async () => {
    const { url } = await serve({ '/slack/events': undefined });
    for (const path of ['/nothing', '/slack/events', '/slack/events/extra']) {
      const res = await fetch(`${url}${path}`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not found' });
    }
  });

  it('routes by path, ignoring the query string', async () => {
    const { url } = await serve({ '/here': (_req, res) => void res.writeHead(204).end() });
    expect((await fetch(`${url}/here?x=1`)).status).toBe(204);
  });

  it('turns a handler that throws or rejects into a bare 500, and logs the error', async () => {
    const { url, logs } = await serve({
      '/throws': () => {
        throw new Error('boom at /srv/app.ts:12');
      },
      '/rejects': async () => {
        throw new Error('async boom');
      },
    });
    for (const path of ['/throws', '/rejects']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'internal error' });
    }
    expect(logs.filter((l) => l.level === 'error').map((l) => l.fields?.['path'])).toEqual(['/throws', '/rejects']);
  });
});
