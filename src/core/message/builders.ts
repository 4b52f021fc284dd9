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

export function reply(fallback: string, blocks: readonly Block[] = [], visibility: Visibility = 'caller'): Reply {
  return { fallback, blocks: blocks.length > 0 ? blocks : [text(fallback)], visibility };
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
