import { toPlainText } from './plain-text.js';
import type { Action, Block, Inline, PersonRef, Reply, Visibility } from './types.js';

type Spans = Inline | readonly Inline[];

const spans = (value: Spans): readonly Inline[] =>
  typeof value === 'string' || !Array.isArray(value) ? [value as Inline] : (value as readonly Inline[]);

export const heading = (text: string): Block => ({ kind: 'heading', text });
export const text = (value: Spans): Block => ({ kind: 'text', spans: spans(value) });
export const context = (value: Spans): Block => ({ kind: 'context', spans: spans(value) });
export const divider = (): Block => ({ kind: 'divider' });
export const fields = (items: ReadonlyArray<readonly [string, Spans]>): Block => ({
  kind: 'fields',
  items: items.map(([label, value]) => ({ label, value: spans(value) })),
});
export const list = (items: readonly Spans[], more?: number): Block => ({
  kind: 'list',
  items: items.map(spans),
  ...(more ? { more } : {}),
});
export const actions = (items: readonly Action[]): Block => ({ kind: 'actions', actions: items });

export const strong = (value: string): Inline => ({ type: 'strong', text: value });
export const code = (value: string): Inline => ({ type: 'code', text: value });
export const link = (url: string, label: string): Inline => ({ type: 'link', url, label });
export const mention = (person: PersonRef): Inline => ({ type: 'mention', person });
export const channel = (name: string): Inline => ({ type: 'channel', channel: name });

export const urlButton = (label: string, url: string): Action => ({ type: 'url', label, url });
export const button = (label: string, id: string, value: string, style?: 'primary' | 'danger'): Action => ({
  type: 'button',
  label,
  id,
  value,
  ...(style ? { style } : {}),
});

/**
 * A reply whose fallback (notifications, screen readers, the shell) is the plain text of its
 * blocks, so each sentence is written once: `reply(message)` is one text block;
 * `reply([text(…), context(…)], 'channel')` derives the fallback with `toPlainText`.
 * `reply(fallback, blocks)` sets it explicitly: only where the derived text would say something
 * else (a notification shows its first line, and a heading alone says little), with a comment
 * saying why.
 */
export function reply(message: string): Reply;
export function reply(blocks: readonly Block[], visibility?: Visibility): Reply;
export function reply(fallback: string, blocks: readonly Block[], visibility?: Visibility): Reply;
export function reply(first: string | readonly Block[], second?: readonly Block[] | Visibility, third?: Visibility): Reply {
  if (typeof first !== 'string') {
    const visibility = typeof second === 'string' ? second : 'caller';
    return { fallback: toPlainText({ blocks: first }), blocks: first, visibility };
  }
  const blocks = typeof second === 'object' ? second : [];
  return { fallback: first, blocks: blocks.length > 0 ? blocks : [text(first)], visibility: third ?? 'caller' };
}

/** Joins spans with a separator, e.g. a comma-separated list of mentions. */
export function joinSpans(items: readonly Inline[], separator = ', '): Inline[] {
  const out: Inline[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(separator);
    out.push(item);
  });
  return out;
}
