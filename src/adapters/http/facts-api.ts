import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { CatalogReader } from '../../core/catalog/index.js';
import { SERVICE_KINDS, findEntity } from '../../core/catalog/index.js';
import { CommandError, InputError } from '../../core/errors.js';
import type { ParsedReport, ReadReport } from '../../core/facts/index.js';
import { REPORT_FORMATS, reportPushes } from '../../core/facts/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { ScoringService } from '../../core/scoring/index.js';
import { checkFacts, parseFactDate } from '../../core/scoring/index.js';
import type { JsonSend } from './bearer-auth.js';
import { bearerAuthorised, jsonSender } from './bearer-auth.js';

export interface FactsApiOptions {
  /** `STEWARD_API_TOKEN`; without one every call is refused (503), so an unset token never means "open". */
  readonly token: string | undefined;
  readonly catalog: CatalogReader;
  readonly scoring: ScoringService;
  readonly logger: Logger;
  /** Largest body accepted; default 64 KiB (200 facts fit many times over). */
  readonly maxBodyBytes?: number | undefined;
  /** How the push's write runs: serve retries it while another process holds the database's write lock. */
  readonly runWrite?: (<T>(write: () => T) => Promise<T>) | undefined;
}

const bodySchema = z
  .object({
    service: z.string({ error: 'service is required: the name or ref of a catalog entity' }).trim().min(1, 'service must not be empty').max(300),
    facts: z.record(z.string(), z.unknown(), { error: 'facts is required: an object of key: value' }),
    source: z.string().trim().min(1).max(100, 'source is at most 100 characters').optional(),
    observedAt: z.string().optional(),
  })
  .strict();

type Send = JsonSend;

/**
 * `POST /api/v1/facts` with `Authorization: Bearer $STEWARD_API_TOKEN` and a JSON body
 * `{ "service": "payments-api", "facts": { "alerts.configured": true }, "source"?: …, "observedAt"?: … }`.
 * Every refusal is a 4xx whose JSON names each problem; a push is all or nothing. The answer
 * carries the service's levels after the push, since the facts are evaluated at once.
 */
export function createFactsApi(options: FactsApiOptions) {
  const maxBytes = options.maxBodyBytes ?? 64 * 1024;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send: Send = jsonSender(req, res);
    if (req.method !== 'POST') return send(405, { error: 'use POST' }, { allow: 'POST' });
    if (!bearerAuthorised(req, options.token, send)) return;
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) return send(415, { error: 'send the body as application/json' });

    const raw = await readBody(req, maxBytes);
    if (raw === undefined) return send(413, { error: `the body is larger than ${maxBytes} bytes` });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return send(400, { error: 'the body is not valid JSON' });
    }
    const parsed = bodySchema.safeParse(json);
    if (!parsed.success) {
      return send(400, {
        error: 'invalid body',
        problems: parsed.error.issues.map((i) => {
          if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`;
          const path = i.path.join('.');
          // Messages that already start with their field ("service is required") stand alone.
          return path === '' || i.message.startsWith(path) ? i.message : `${path}: ${i.message}`;
        }),
      });
    }
    const body = parsed.data;
    const problems = checkFacts(body.facts).problems;
    let observedAt: Date | undefined;
    if (body.observedAt !== undefined) {
      observedAt = parseFactDate(body.observedAt);
      if (!observedAt) problems.push('observedAt: must be an ISO date or timestamp, e.g. 2026-11-30T09:00:00Z');
    }
    if (problems.length > 0) return send(400, { error: 'invalid facts', problems });

    const found = findEntity(options.catalog, body.service, SERVICE_KINDS);
    if (found.status === 'missing') {
      return send(404, { error: `no service called "${body.service}" in the catalog`, suggestions: found.suggestions });
    }
    try {
      const push = () => options.scoring.pushFacts(found.entity, body.facts, { source: body.source ?? 'api', observedAt });
      const pushed = options.runWrite ? await options.runWrite(push) : push();
      options.logger.info('facts pushed', { service: found.entity.ref, keys: Object.keys(body.facts), source: body.source ?? 'api' });
      return send(200, {
        service: found.entity.ref,
        stored: pushed.stored,
        changed: pushed.changed,
        results: pushed.results.map((r) => ({ scorecard: r.scorecard.id, level: r.level ?? null, score: r.score })),
      });
    } catch (err) {
      if (err instanceof CommandError) return send(400, { error: 'invalid facts', problems: err.message.split('; ') });
      throw err;
    }
  };
}

/** The body as text, or undefined once it passes `max` bytes (the rest is drained, not buffered). */
async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('utf8');
}

export interface FactsReportApiOptions extends FactsApiOptions {
  readonly readReport: ReadReport;
  readonly clock: Clock;
}

/**
 * `POST /api/v1/facts/report?service=NAME` with the report itself as the JSON body (Trivy, Grype,
 * SARIF 2.1.0, CycloneDX, SPDX or a k6 summary, told apart by content), the same bearer token as
 * `/api/v1/facts`. The facts are stored under `report/<format>` at the report's own time; the
 * answer says what was recorded, what was left out, and the levels after. An SBOM runs to
 * megabytes, so the body may be up to 10 MiB by default.
 */
export function createFactsReportApi(options: FactsReportApiOptions) {
  const maxBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send: Send = jsonSender(req, res);
    if (req.method !== 'POST') return send(405, { error: 'use POST' }, { allow: 'POST' });
    if (!bearerAuthorised(req, options.token, send)) return;
    const service = new URL(req.url ?? '/', 'http://localhost').searchParams.get('service')?.trim();
    if (!service) return send(400, { error: 'name the service: POST /api/v1/facts/report?service=payments-api' });
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) return send(415, { error: 'send the report as application/json' });
    const raw = await readBody(req, maxBytes);
    if (raw === undefined) return send(413, { error: `the body is larger than ${maxBytes} bytes` });

    const now = options.clock.now();
    let report: ParsedReport;
    try {
      report = options.readReport(raw, 'the body', now);
    } catch (err) {
      if (err instanceof InputError) return send(400, { error: err.message, formats: REPORT_FORMATS });
      throw err;
    }
    const found = findEntity(options.catalog, service, SERVICE_KINDS);
    if (found.status === 'missing') return send(404, { error: `no service called "${service}" in the catalog`, suggestions: found.suggestions });
    const { pushes, problems } = reportPushes([{ name: 'the body', report }], now);
    if (problems.length > 0 || pushes.length === 0) return send(400, { error: 'nothing to record', problems });
    const push = pushes[0]!;
    try {
      const pushed = options.scoring.pushFacts(found.entity, push.values, { source: push.source, observedAt: push.observedAt });
      options.logger.info('report pushed', { service: found.entity.ref, format: report.format, keys: Object.keys(push.values) });
      return send(200, {
        service: found.entity.ref,
        format: report.format,
        source: push.source,
        observedAt: push.observedAt.toISOString(),
        facts: push.values,
        changed: pushed.changed,
        leftOut: report.problems,
        results: pushed.results.map((r) => ({ scorecard: r.scorecard.id, level: r.level ?? null, score: r.score })),
      });
    } catch (err) {
      if (err instanceof CommandError) return send(400, { error: 'invalid facts', problems: err.message.split('; ') });
      throw err;
    }
  };
}
