/**
 * http(s) and mailto URLs that parse; anything else is shown as text, never linked. Every renderer
 * asks this before it turns catalog text into a link, so a `javascript:` URL is refused the same
 * way on each platform.
 */
export function safeUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (!/^(https?:\/\/|mailto:)/i.test(trimmed)) return undefined;
  try {
    return new URL(trimmed).href;
  } catch {
    return undefined;
  }
}
