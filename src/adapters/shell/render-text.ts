import type { Reply } from '../../core/message/index.js';
import { toPlainText } from '../../core/message/index.js';

/**
 * Renders a reply for a terminal. Catalog text is printed as it is, except control characters,
 * which could move the cursor or recolour the terminal (ANSI escapes in a description).
 */
export function renderText(reply: Reply, options: { color?: boolean } = {}): string {
  const body = toPlainText(reply).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
  if (!options.color) return body;
  const heading = reply.blocks[0]?.kind === 'heading' ? reply.blocks[0].text : undefined;
  if (heading === undefined) return body;
  const first = body.indexOf('\n');
  const title = first === -1 ? body : body.slice(0, first);
  return `\u001b[1m${title}\u001b[22m${first === -1 ? '' : body.slice(first)}`;
}
