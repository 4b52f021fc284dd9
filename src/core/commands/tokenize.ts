/**
 * Splits a chat line into words. Double and single quotes group words, and so do the curly quotes
 * that Slack and phones substitute ("payments api" may arrive as “payments api”). A leading
 * `/service` (or any slash command word) is dropped, so every platform feeds the same grammar.
 */
const OPEN_TO_CLOSE: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '«': '»' };

export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let closing: string | null = null;
  for (const ch of line.trim()) {
    if (closing !== null) {
      if (ch === closing || (closing === '”' && ch === '"')) closing = null;
      else current += ch;
      continue;
    }
    const close = OPEN_TO_CLOSE[ch];
    if (close !== undefined) {
      closing = close;
      inToken = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    current += ch;
    inToken = true;
  }
  // An unclosed quote takes the rest of the line, which is what the user meant.
  if (inToken) tokens.push(current);
  if (tokens.length > 0 && tokens[0]!.startsWith('/')) tokens.shift();
  return tokens;
}
