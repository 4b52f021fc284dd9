import type { Block, Inline, PersonRef, Reply } from '../message/index.js';

/**
 * The same reply with every mentioned person passed through `resolve`, e.g. to add the Slack user
 * id of people the catalog knows only by email. Each distinct person is resolved once; a person
 * `resolve` cannot improve is returned unchanged, so a renderer falls back to the name.
 */
export async function fillMentions(reply: Reply, resolve: (person: PersonRef) => Promise<PersonRef>): Promise<Reply> {
  const people = new Map<PersonRef, Promise<PersonRef>>();
  const visit = (spans: readonly Inline[]): void => {
    for (const s of spans) if (typeof s !== 'string' && s.type === 'mention' && !people.has(s.person)) people.set(s.person, resolve(s.person));
  };
  for (const block of reply.blocks) spansOf(block).forEach(visit);
  if (people.size === 0) return reply;
  const resolved = new Map<PersonRef, PersonRef>();
  await Promise.all([...people].map(async ([before, after]) => resolved.set(before, await after)));
  const swap = (spans: readonly Inline[]): Inline[] =>
    spans.map((s) => (typeof s !== 'string' && s.type === 'mention' ? { ...s, person: resolved.get(s.person) ?? s.person } : s));
  return { ...reply, blocks: reply.blocks.map((b) => mapSpans(b, swap)) };
}

function spansOf(block: Block): ReadonlyArray<readonly Inline[]> {
  switch (block.kind) {
    case 'text':
    case 'context':
      return [block.spans];
    case 'fields':
      return block.items.map((i) => i.value);
    case 'list':
      return block.items;
    default:
      return [];
  }
}

function mapSpans(block: Block, f: (spans: readonly Inline[]) => Inline[]): Block {
  switch (block.kind) {
    case 'text':
    case 'context':
      return { ...block, spans: f(block.spans) };
    case 'fields':
      return { ...block, items: block.items.map((i) => ({ ...i, value: f(i.value) })) };
    case 'list':
      return { ...block, items: block.items.map(f) };
    default:
      return block;
  }
}
