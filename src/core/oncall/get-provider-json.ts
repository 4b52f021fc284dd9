import type { z } from 'zod';
import { OncallProviderError } from './oncall-provider.js';

/**
 * One GET to an on-call provider's JSON API, with every way it can go wrong turned into an
 * `OncallProviderError`: no answer (timeout when `signal` fired, else unavailable), an answer cut
 * short, an error status (the provider's own `failure`, which knows its error body and wording),
 * a body that is not JSON, or JSON not shaped as `schema` expects. `fetch` is injected, as
 * everywhere, so tests point it at a local server.
 */
export interface ProviderGet<T> {
  /** As people know it, for messages: `PagerDuty`, `Opsgenie`. */
  readonly provider: string;
  readonly fetch: typeof fetch;
  readonly url: URL;
  /** The path as the messages show it: `GET /<path>`. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly schema: z.ZodType<T>;
  readonly signal: AbortSignal;
  readonly failure: (res: Response, text: string) => OncallProviderError;
}

export async function getProviderJson<T>(get: ProviderGet<T>): Promise<T> {
  const { provider, path, signal } = get;
  let res: Response;
  try {
    res = await get.fetch(get.url, { headers: get.headers, signal });
  } catch (err) {
    if (signal.aborted) throw new OncallProviderError('timeout', `${provider} did not answer GET /${path}`, { cause: err });
    throw new OncallProviderError('unavailable', `${provider} could not be reached: ${(err as Error).message}`, { cause: err });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    if (signal.aborted) throw new OncallProviderError('timeout', `${provider} did not finish its answer to GET /${path}`, { cause: err });
    throw new OncallProviderError('unavailable', `${provider} broke off its answer to GET /${path}`, { cause: err, status: res.status });
  }
  if (!res.ok) throw get.failure(res, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new OncallProviderError('invalid_response', `${provider} answered GET /${path} with something that is not JSON`, { cause: err, status: res.status });
  }
  const parsed = get.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OncallProviderError('invalid_response', `${provider}'s answer to GET /${path} is not shaped as expected (${issue?.path.join('.')}: ${issue?.message})`, { status: res.status });
  }
  return parsed.data;
}

/**
 * How long a 429 asks us to wait: `Retry-After` (seconds or an HTTP date), else the provider's own
 * header that counts seconds (PagerDuty's `ratelimit-reset`, Opsgenie's `X-RateLimit-Period-In-Sec`).
 */
export function retryAfterMs(headers: Headers, now: number, secondsHeader: string): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const own = headers.get(secondsHeader);
  const seconds = Number(own);
  return own !== null && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
