import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/ports.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * The one HTTP server's routing: exact paths to handlers (`/slack/events`, `/healthz`, later
 * `/api/messages` and `/metrics`); a key ending in `/` also takes every path below it
 * (`/api/v1/gate/` → `/api/v1/gate/payments-api`); 404 JSON for anything else. A handler that throws gets a 500
 * without details; the error goes to the log, never to the client.
 */
export function routeRequests(routes: Readonly<Record<string, Handler | undefined>>, logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = pathOf(req.url);
    const handler = path === undefined ? undefined : (routes[path] ?? prefixRoute(routes, path));
    if (!handler) {
      req.resume();
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
      return;
    }
    const fail = (err: unknown): void => {
      logger.error('http handler failed', { path, err: err instanceof Error ? err.stack : String(err) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      if (!res.writableEnded) res.end(JSON.stringify({ error: 'internal error' }));
    };
    try {
      const result = handler(req, res);
      if (result) result.catch(fail);
    } catch (err) {
      fail(err);
    }
  };
}

function prefixRoute(routes: Readonly<Record<string, Handler | undefined>>, path: string): Handler | undefined {
  let best: string | undefined;
  for (const key of Object.keys(routes)) {
    // `/` is the web scoreboard's home page only: as a prefix it would take every path.
    if (key !== '/' && key.endsWith('/') && path.startsWith(key) && path.length > key.length && (!best || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : routes[best];
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
