import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type JsonSend = (status: number, body: Record<string, unknown>, headers?: Record<string, string>) => void;

/** How the JSON APIs answer: never cached; a body not read yet is drained, so the socket stays usable. */
export function jsonSender(req: IncomingMessage, res: ServerResponse): JsonSend {
  return (status, body, headers = {}) => {
    if (!req.complete) req.resume();
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
  };
}

/**
 * The `STEWARD_API_TOKEN` check shared by the facts and gate APIs, in constant time. Answers
 * 503 (no token configured: never "open") or 401 itself and returns false when refused.
 */
export function bearerAuthorised(req: IncomingMessage, token: string | undefined, send: JsonSend): boolean {
  if (token === undefined) {
    send(503, { error: 'the API is disabled: the server has no STEWARD_API_TOKEN' });
    return false;
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  // Hashing both sides gives equal lengths, so the comparison time says nothing about the token.
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  if (!m || !timingSafeEqual(digest(m[1]!), digest(token))) {
    send(401, { error: m ? 'the bearer token is wrong' : 'send Authorization: Bearer <STEWARD_API_TOKEN>' }, { 'www-authenticate': 'Bearer' });
    return false;
  }
  return true;
}
