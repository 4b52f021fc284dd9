import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/ports.js';

/**
 * `GET /healthz`: 200 `{"status":"ok"}` when the database answers, 503 otherwise. The probe is
 * injected (the adapter knows no database); it may throw or return false.
 */
export function createHealthCheck(options: {
  ping: () => boolean | Promise<boolean>;
  logger: Logger;
  /** More to report (schedules, providers, catalog size); never secrets. Failures here never fail the check. */
  details?: () => Record<string, unknown>;
}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'GET only' }));
      return;
    }
    let ok = false;
    try {
      ok = (await options.ping()) === true;
    } catch (err) {
      options.logger.warn('health check failed', { err: err instanceof Error ? err.message : String(err) });
    }
    let details: Record<string, unknown> = {};
    try {
      details = options.details?.() ?? {};
    } catch (err) {
      options.logger.warn('health details failed', { err: err instanceof Error ? err.message : String(err) });
    }
    const body = JSON.stringify(ok ? { status: 'ok', ...details } : { status: 'unavailable', database: 'not answering' });
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
