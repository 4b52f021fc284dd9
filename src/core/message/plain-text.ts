import type { Block, Inline, Reply } from './types.js';

/** One span as plain text: what a terminal, a log line or a notification shows. */
export function inlineToPlainText(span: Inline): string {
  if (typeof span === 'string') return span;
  switch (span.type) {
    case 'strong':
    case 'code':
      return span.text;
    case 'link':
      return span.label === span.url ? span.url : `${span.label} <${span.url}>`;
    case 'mention':
      return span.person.email ? `${span.person.name} <${span.person.email}>` : span.person.name;
    case 'channel':
      return span.channel;
  }
}

export const spansToPlainText = (spans: readonly Inline[]): string => spans.map(inlineToPlainText).join('');

function blockToPlainText(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return block.text;
    case 'text':
      return spansToPlainText(block.spans);
    case 'context':
      return spansToPlainText(block.spans);
    case 'fields':
      return block.items.map((f) => `${f.label}: ${spansToPlainText(f.value)}`).join('\n');
    case 'list': {
      const lines = block.items.map((item) => `  • ${spansToPlainText(item)}`);
      if (block.more) lines.push(`  …and ${block.more} more`);
      return lines.join('\n');
    }
    case 'actions':
      return block.actions.map((a) => (a.type === 'url' ? `→ ${a.label}: ${a.url}` : `[${a.label}]`)).join('\n');
    case 'divider':
      return '';
  }
}

/** The whole reply as plain text, one block per paragraph; also what `reply(blocks)` uses as fallback. */
export function toPlainText(reply: Pick<Reply, 'blocks'>): string {
  return reply.blocks
    .map(blockToPlainText)
    .filter((s, i, all) => s !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
