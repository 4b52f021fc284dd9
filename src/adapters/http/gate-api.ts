import { bearerAuthorised, jsonSender } from './bearer-auth.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogReader } from '../../core/catalog/index.js';
import { SERVICE_KINDS, findEntity } from '../../core/catalog/index.js';
import { CommandError } from '../../core/errors.js';
import type { ScoringService } from '../../core/scoring/index.js';
import { gateReport } from '../../core/scoring/index.js';

export interface GateApiOptions {
  /** `STEWARD_API_TOKEN`, the same as the facts API's. */
  readonly token: string | undefined;
  readonly catalog: CatalogReader;
  readonly scoring: ScoringService;
  /** The path the handler is mounted under; the service name follows it. */
  readonly prefix?: string | undefined;
  /** How the decision's recorded evaluation runs: serve retries it while another process holds the write lock. */
  readonly runWrite?: (<T>(write: () => T) => Promise<T>) | undefined;
}

/**
 * `GET /api/v1/gate/<service>?scorecard=ID&min=LEVEL` → 200 `{ "pass": bool, "level": …,
 * "failing": [{ check, fix, … }] }`: the same decision and shape as `steward gate --json`. A gate
 * decision is an answer, so a failing gate is still 200 with `pass: false`; 4xx means the
 * question was wrong (401 token, 400 scorecard or level, 404 service).
 */
export function createGateApi(options: GateApiOptions) {
  const prefix = options.prefix ?? '/api/v1/gate/';
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = jsonSender(req, res);
    if (req.method !== 'GET') return send(405, { error: 'use GET' }, { allow: 'GET' });
    if (!bearerAuthorised(req, options.token, send)) return;

    const url = new URL(req.url ?? '/', 'http://localhost');
    let service: string;
    try {
      service = url.pathname.startsWith(prefix) ? decodeURIComponent(url.pathname.slice(prefix.length)).trim() : '';
    } catch {
      return send(400, { error: 'the service in the path is not valid percent-encoding' });
    }
    const scorecard = url.searchParams.get('scorecard')?.trim() ?? '';
    const min = url.searchParams.get('min')?.trim() ?? '';
    const problems = [
      ...(service === '' ? [`name the service in the path: ${prefix}<service>`] : []),
      ...(scorecard === '' ? ['scorecard: the query needs ?scorecard=ID'] : []),
      ...(min === '' ? ['min: the query needs &min=LEVEL'] : []),
    ];
    if (problems.length > 0) return send(400, { error: 'invalid request', problems });

    const found = findEntity(options.catalog, service, SERVICE_KINDS);
    if (found.status === 'missing') return send(404, { error: `no service called "${service}" in the catalog`, suggestions: found.suggestions });
    try {
      const decide = () => options.scoring.gate(found.entity, scorecard, min);
      return send(200, gateReport(found.entity.name, options.runWrite ? await options.runWrite(decide) : decide()));
    } catch (err) {
      if (err instanceof CommandError) return send(400, { error: err.message, ...(err.hint ? { hint: err.hint } : {}) });
      throw err;
    }
  };
}
