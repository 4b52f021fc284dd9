import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Clock, Logger } from '../../core/ports.js';
import type { SeenRequests } from './seen-requests.js';

/**
 * Everything a request to `/slack/events` must pass before Bolt sees it, so a refused request
 * runs nothing:
 *
 * 1. size: more than 64 KB (Slack's payloads are a few KB) is 413, decided from Content-Length
 *    or while reading, never by buffering it all;
 * 2. Slack's `ssl_check=1` probe (unsigned by design) is answered 200 and nothing else happens;
 * 3. signature: `v0=HMAC-SHA256(secret, "v0:{ts}:{raw body}")`, compared in constant time, and
 *    a timestamp within five minutes of now in *either* direction (Bolt alone accepts any future
 *    timestamp) — else 401;
 * 4. the body must be something Slack sends (a command, an interaction `payload`, an Events API
 *    envelope) — else 400 at once, instead of Bolt's 404 after three seconds;
 * 5. a request already handled (same event id, or the same signed body and timestamp) is
 *    answered 200 with `X-Slack-No-Retry: 1` and not run again.
 *
 * The verified raw body is handed on as `rawBody`, which Bolt's receiver uses as is.
 */
export interface RequestGateOptions {
  readonly signingSecret: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly seen: SeenRequests;
  readonly maxBodyBytes?: number;
  readonly toleranceSeconds?: number;
}

export type VerifiedRequest = IncomingMessage & { rawBody: Buffer };
export type Next = (req: VerifiedRequest, res: ServerResponse) => void;

export const MAX_BODY_BYTES = 64 * 1024;
const FORM = 'application/x-www-form-urlencoded';
/** How much of an oversized body is read and discarded so the client sees the 413; then the socket is cut. */
const DRAIN_LIMIT = 1024 * 1024;

export function createRequestGate(options: RequestGateOptions): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const max = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const tolerance = options.toleranceSeconds ?? 300;
  const { logger, seen } = options;

  return (req, res, next) => {
    if (req.method !== 'POST') return refuse(res, 405, 'POST only', { allow: 'POST' });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) return tooLarge(req, res, max, logger);

    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        tooLarge(req, res, max, logger);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => logger.warn('slack request stream failed', { err: err.message }));
    req.on('end', () => {
      if (over) return;
      try {
        admit(req, res, Buffer.concat(chunks), next);
      } catch (err) {
        logger.error('slack request gate failed', { err: err instanceof Error ? err.stack : String(err) });
        if (!res.headersSent) refuse(res, 500, 'internal error');
      }
    });
  };

  function admit(req: IncomingMessage, res: ServerResponse, raw: Buffer, next: Next): void {
    const mediaType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const body = raw.toString('utf8');
    const form = mediaType === FORM ? parseQuery(body) : undefined;
    if (form && form['ssl_check'] === '1' && form['command'] === undefined && form['payload'] === undefined) {
      res.writeHead(200).end();
      return;
    }

    const timestamp = header(req, 'x-slack-request-timestamp');
    const signature = header(req, 'x-slack-signature');
    const ts = timestamp !== undefined && /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : undefined;
    const now = Math.floor(options.clock.now().getTime() / 1000);
    if (ts === undefined || signature === undefined) return unauthorised(res, 'missing signature headers');
    if (Math.abs(now - ts) > tolerance) return unauthorised(res, `timestamp ${ts} is ${now - ts} s from now`);
    const expected = `v0=${createHmac('sha256', options.signingSecret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`;
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) return unauthorised(res, 'signature mismatch');

    const kind = classify(mediaType, form, body);
    if (kind.type === 'bad') return refuse(res, 400, kind.reason);
    if (kind.type === 'ignore') {
      logger.debug('slack interaction acknowledged and ignored', { payloadType: kind.payloadType });
      res.writeHead(200).end();
      return;
    }

    const key = kind.eventId ? `event:${kind.eventId}` : `body:${createHash('sha256').update(`${timestamp}:`).update(raw).digest('hex')}`;
    if (!seen.claim(key)) {
      logger.info('duplicate slack delivery not run again', { retryNum: header(req, 'x-slack-retry-num'), key: key.slice(0, 24) });
      res.writeHead(200, { 'x-slack-no-retry': '1' }).end();
      return;
    }
    // A failure on our side (5xx) must not swallow Slack's retry of it.
    res.on('finish', () => {
      if (res.statusCode >= 500) seen.release(key);
    });

    // Bolt parses a form only when the media type is exactly this (a charset makes it JSON.parse
    // the body and answer 400): normalise what is, after all, the same content type.
    if (form) req.headers['content-type'] = FORM;
    const verified = req as VerifiedRequest;
    verified.rawBody = raw;
    next(verified, res);
  }

  function unauthorised(res: ServerResponse, why: string): void {
    logger.warn('slack request refused', { status: 401, why });
    refuse(res, 401, 'invalid or stale signature');
  }
}

type Kind = { type: 'run'; eventId?: string | undefined } | { type: 'ignore'; payloadType: string } | { type: 'bad'; reason: string };

/** Interaction types this app answers; any other is acknowledged and ignored. */
const HANDLED_PAYLOADS = new Set(['block_actions']);

function classify(mediaType: string, form: ReturnType<typeof parseQuery> | undefined, body: string): Kind {
  if (form) {
    if (typeof form['command'] === 'string') return { type: 'run' };
    if (typeof form['payload'] === 'string') {
      const payload = parseJson(form['payload']);
      if (payload === undefined || typeof payload['type'] !== 'string') return { type: 'bad', reason: 'payload is not a JSON object with a type' };
      return HANDLED_PAYLOADS.has(payload['type']) ? { type: 'run' } : { type: 'ignore', payloadType: payload['type'] };
    }
    return { type: 'bad', reason: 'form body has neither command nor payload' };
  }
  if (mediaType === 'application/json') {
    const json = parseJson(body);
    if (json === undefined) return { type: 'bad', reason: 'body is not a JSON object' };
    if (json['type'] === 'url_verification' && typeof json['challenge'] === 'string') return { type: 'run' };
    if (json['type'] === 'event_callback' && typeof json['event_id'] === 'string') return { type: 'run', eventId: json['event_id'] };
    return { type: 'bad', reason: 'not an Events API envelope' };
  }
  return { type: 'bad', reason: `unsupported content type ${mediaType || '(none)'}` };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function refuse(res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ ok: false, error }));
}

function tooLarge(req: IncomingMessage, res: ServerResponse, max: number, logger: Logger): void {
  logger.warn('slack request refused', { status: 413, limit: max });
  if (!res.headersSent) refuse(res, 413, `body larger than ${max} bytes`, { connection: 'close' });
  // Read (and drop) a bounded amount so the client can finish sending and read the 413.
  let drained = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) req.destroy();
  });
  req.resume();
}
