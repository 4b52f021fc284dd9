import type { OncallAnswer, OncallProvider, OncallTarget } from './oncall-provider.js';
import { OncallProviderError } from './oncall-provider.js';

export type AskResult = { readonly ok: true; readonly answer: OncallAnswer } | { readonly ok: false; readonly error: OncallProviderError };

/**
 * Asks a provider with a hard deadline and never throws. The deadline is enforced twice: the
 * provider gets an AbortSignal for its requests, and the answer is raced against the same signal,
 * so a provider that ignores the signal (or hangs while reading a body) still cannot hold a
 * person in an incident longer than `timeoutMs`.
 */
export async function askProvider(
  provider: OncallProvider,
  target: OncallTarget,
  options: { readonly timeoutMs: number; readonly at: Date },
): Promise<AskResult> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const timeout = (): OncallProviderError =>
    new OncallProviderError('timeout', `${provider.name} did not answer within ${options.timeoutMs} ms`);
  const deadline = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(timeout()), { once: true });
  });
  try {
    const answer = await Promise.race([provider.lookup(target, { signal, at: options.at }), deadline]);
    return { ok: true, answer };
  } catch (err) {
    if (err instanceof OncallProviderError) return { ok: false, error: err };
    if (signal.aborted) return { ok: false, error: timeout() };
    // A bug in a provider must not reach the person asking: it becomes "did not answer", with
    // the cause kept for the log.
    return {
      ok: false,
      error: new OncallProviderError('unavailable', `${provider.name} lookup failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err }),
    };
  }
}
