/**
 * A piece of user input cut to at most about `max` characters for a message, saying how long it
 * was: a 4 MB `metadata.name` must not become a 4 MB problem line (or log line, or chat reply).
 */
export function clipText(text: string, max = 200): string {
  if (text.length <= max) return text;
  // Cut between UTF-16 code units of one character would leave a lone surrogate: step back.
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${text.length.toLocaleString('en')} characters)`;
}

/** A whole problem message kept to a few hundred characters. */
export const clipMessage = (message: string): string => clipText(message, 300);
