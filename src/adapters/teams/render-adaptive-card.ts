import type { Action, Block, Inline, PersonRef, Reply } from '../../core/message/index.js';
import { safeUrl } from '../../core/message/index.js';

/**
 * Reply → Adaptive Card (schema 1.5, the newest Teams renders). Pure: one function per block kind.
 *
 * 1. Escaping. Every string of a Reply is data. Text is rendered as `RichTextBlock` → `TextRun`,
 *    which Adaptive Cards never read as Markdown (unlike `TextBlock` and `FactSet`), so `**x**`,
 *    `[a](b)`, `- item` or `<at>x</at>` in a service description arrive exactly as typed. Bold,
 *    code and links are TextRun properties (`weight`, `fontType`, `selectAction`), never markup.
 * 2. Mentions are the person's name: a Teams `<at>` mention needs a Markdown `TextBlock` plus an
 *    entity, and Markdown is what rule 1 keeps catalog text out of. Channels are their names.
 *    Where the caller knows a person's Teams account (`mentionable`: its id and the name *Teams*
 *    gave it, never catalog text), the card ends with one line of real `<at>` mentions of them, so
 *    they are notified; a name that could carry Markdown is not mentioned.
 * 3. Budget. Teams refuses a message over about 100 KB (413 `MessageSizeTooBig`; older docs said
 *    40 KB and 28 KB) and counts the JSON as UTF-16. The card is kept within `budgetBytes`
 *    (default 28 KB, UTF-16): long texts are cut with `…`, and trailing elements that do not fit
 *    are summed up as "…and N more"; the footer (buttons the adapter adds) always survives.
 * 4. Buttons: URL buttons → `Action.OpenUrl` (http, https and mailto only); action buttons →
 *    `Action.Submit` whose `data` is `{ steward: id, value }`, which Teams sends back as the
 *    `value` of a message activity.
 */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const DEFAULT_CARD_BUDGET_BYTES = 28 * 1024;
/** Above this Teams may refuse the message; config refuses a larger budget. */
export const MAX_CARD_BUDGET_BYTES = 80 * 1024;

export const TEAMS_LIMITS = {
  /** Longest text of one run; a single run must never eat the whole budget. */
  runText: 4000,
  buttonTitle: 100,
  url: 2048,
  actionsPerSet: 6,
  submitValue: 2000,
} as const;

export type CardElement = Record<string, unknown> & { readonly type: string };
export type CardAction = Record<string, unknown> & { readonly type: 'Action.OpenUrl' | 'Action.Submit' };

export interface AdaptiveCard {
  readonly $schema: string;
  readonly type: 'AdaptiveCard';
  readonly version: '1.5';
  readonly body: CardElement[];
  readonly fallbackText: string;
  readonly msteams: { readonly width: 'Full'; readonly entities?: readonly MentionEntity[] };
}

/** A Teams account to mention: its id and the display name Teams gave it. */
export interface TeamsAccount {
  readonly id: string;
  readonly name: string;
}

export interface MentionEntity {
  readonly type: 'mention';
  readonly text: string;
  readonly mentioned: TeamsAccount;
}

export interface CardRenderOptions {
  /** UTF-16 bytes the card's JSON may take; default 28 KB. */
  readonly budgetBytes?: number | undefined;
  /** Elements that must survive the budget, rendered last (e.g. the "Post to channel" choice). */
  readonly footer?: readonly CardElement[] | undefined;
  /** The Teams account of a person the reply mentions, when known; those become real mentions. */
  readonly mentionable?: ((person: PersonRef) => TeamsAccount | undefined) | undefined;
}

/** What the submit data of a Steward button looks like when Teams sends it back. */
export interface SubmitData {
  readonly steward: string;
  readonly value: string;
}

/** An element with how many things of the reply it shows, so a cut can say how many were left out. */
interface Piece {
  readonly element: CardElement;
  readonly counts: number;
}

export function renderAdaptiveCard(reply: Reply, options: CardRenderOptions = {}): AdaptiveCard {
  const budget = options.budgetBytes ?? DEFAULT_CARD_BUDGET_BYTES;
  const pieces = withSeparators(reply.blocks.flatMap(renderBlock));
  const mentions = options.mentionable ? mentionEntities(reply, options.mentionable) : [];
  const footer = [...mentionLine(mentions), ...(options.footer ?? [])];
  const fallbackText = cut(reply.fallback, 1000);
  const shell = (body: CardElement[]): AdaptiveCard => ({
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    body,
    fallbackText,
    msteams: mentions.length > 0 ? { width: 'Full', entities: mentions } : { width: 'Full' },
  });
  const all = [...pieces.map((p) => p.element), ...footer];
  if (all.length === 0) return shell(textRuns([fallbackText || ' ']).map((p) => p.element));
  if (cardBytes(shell(all)) <= budget) return shell(all);

  // Over budget: keep the longest prefix of the body that fits together with the footer and the
  // "…and N more" line. The JSON of an array is its elements joined by commas, so sizes add up.
  const size = (e: unknown): number => JSON.stringify(e).length * 2;
  const fixed = cardBytes(shell(footer)) + size(moreLine(999_999)) + 2;
  let used = fixed;
  let kept = 0;
  for (const p of pieces) {
    const next = used + size(p.element) + 2;
    if (next > budget) break;
    used = next;
    kept += 1;
  }
  const hidden = pieces.slice(kept).reduce((n, p) => n + p.counts, 0);
  const body = pieces.slice(0, kept).map((p) => p.element);
  return shell([...body, ...(hidden > 0 ? [moreLine(hidden)] : []), ...footer]);
}

/** The size Teams counts: the JSON as UTF-16. */
export const cardBytes = (card: unknown): number => JSON.stringify(card).length * 2;

/** The attachment a message activity carries. */
export const cardAttachment = (card: AdaptiveCard): { contentType: string; content: AdaptiveCard } => ({
  contentType: ADAPTIVE_CARD_CONTENT_TYPE,
  content: card,
});

export function renderBlock(block: Block): Array<Piece | 'separator'> {
  switch (block.kind) {
    case 'heading':
      return renderHeading(block);
    case 'text':
      return textRuns(block.spans);
    case 'fields':
      return renderFields(block);
    case 'list':
      return renderList(block);
    case 'context':
      return textRuns(block.spans, { isSubtle: true, size: 'Small' });
    case 'actions':
      return renderActions(block);
    case 'divider':
      return ['separator'];
  }
}

function renderHeading(block: Extract<Block, { kind: 'heading' }>): Piece[] {
  const text = cut(block.text.trim(), 300);
  if (text === '') return [];
  return [one({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text, size: 'Large', weight: 'Bolder' }] })];
}

function renderFields(block: Extract<Block, { kind: 'fields' }>): Piece[] {
  return block.items.flatMap((item): Piece[] => {
    const label = cut(item.label.trim(), 300);
    const value = runs(item.value);
    if (label === '' && value.length === 0) return [];
    const labelRun = label === '' ? [] : [{ type: 'TextRun', text: value.length > 0 ? `${label}: ` : label, weight: 'Bolder' }];
    return [one({ type: 'RichTextBlock', inlines: [...labelRun, ...value] })];
  });
}

function renderList(block: Extract<Block, { kind: 'list' }>): Piece[] {
  const items = block.items.flatMap((item): Piece[] => {
    const value = runs(item);
    return value.length === 0 ? [] : [one({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '• ' }, ...value] })];
  });
  const more = block.more ?? 0;
  return more > 0 ? [...items, { element: moreLine(more), counts: more }] : items;
}

function renderActions(block: Extract<Block, { kind: 'actions' }>): Piece[] {
  const seen = new Set<string>();
  const actions = block.actions.flatMap((a): CardAction[] => {
    const rendered = renderAction(a);
    const key = rendered ? JSON.stringify(rendered) : '';
    if (!rendered || seen.has(key)) return [];
    seen.add(key);
    return [rendered];
  });
  const pieces: Piece[] = [];
  for (let i = 0; i < actions.length; i += TEAMS_LIMITS.actionsPerSet) {
    pieces.push(one({ type: 'ActionSet', actions: actions.slice(i, i + TEAMS_LIMITS.actionsPerSet) }));
  }
  return pieces;
}

/** A button, or nothing when it cannot be sent as it is (a cut URL or value would point elsewhere). */
export function renderAction(action: Action): CardAction | undefined {
  const title = cut(action.label.trim(), TEAMS_LIMITS.buttonTitle);
  if (title === '') return undefined;
  if (action.type === 'url') {
    const url = safeUrl(action.url);
    return url && url.length <= TEAMS_LIMITS.url ? { type: 'Action.OpenUrl', title, url } : undefined;
  }
  if (action.id === '' || action.value.length > TEAMS_LIMITS.submitValue) return undefined;
  const data: SubmitData = { steward: action.id, value: action.value };
  return {
    type: 'Action.Submit',
    title,
    data,
    ...(action.style ? { style: action.style === 'primary' ? 'positive' : 'destructive' } : {}),
  };
}

// ---- spans --------------------------------------------------------------------------------

function textRuns(spans: readonly Inline[], style: Record<string, unknown> = {}): Piece[] {
  const inlines = runs(spans, style);
  return inlines.length === 0 ? [] : [one({ type: 'RichTextBlock', inlines })];
}

/** Spans as TextRuns: plain text, never Markdown. Empty runs are left out. */
export function runs(spans: readonly Inline[], style: Record<string, unknown> = {}): Array<Record<string, unknown>> {
  return spans.flatMap((span): Array<Record<string, unknown>> => {
    const run = (text: string, extra: Record<string, unknown> = {}): Array<Record<string, unknown>> =>
      text === '' ? [] : [{ type: 'TextRun', text: cut(text, TEAMS_LIMITS.runText), ...style, ...extra }];
    if (typeof span === 'string') return run(span);
    switch (span.type) {
      case 'strong':
        return run(span.text, { weight: 'Bolder' });
      case 'code':
        return run(span.text, { fontType: 'Monospace' });
      case 'link': {
        const url = safeUrl(span.url);
        const label = span.label.trim() || span.url;
        if (!url || url.length > TEAMS_LIMITS.url) return run(label === span.url ? span.url : `${label} (${span.url})`);
        return run(label, { selectAction: { type: 'Action.OpenUrl', url } });
      }
      case 'mention':
        return run(personName(span.person));
      case 'channel':
        return run(span.channel.trim());
    }
  });
}

const personName = (person: PersonRef): string => person.name.trim() || person.email || 'someone';

/** Names Teams shows as they are in a Markdown TextBlock: letters, digits, spaces and . ' - only. */
const PLAIN_NAME = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .'\u2019-]{0,99}$/u;
const MAX_MENTIONS = 20;

/** One entity per Teams account the reply mentions, in order of appearance. */
function mentionEntities(reply: Reply, mentionable: (person: PersonRef) => TeamsAccount | undefined): MentionEntity[] {
  const out = new Map<string, MentionEntity>();
  const spansOf = (b: Block): readonly Inline[] =>
    b.kind === 'text' || b.kind === 'context' ? b.spans : b.kind === 'list' ? b.items.flat() : b.kind === 'fields' ? b.items.flatMap((i) => i.value) : [];
  for (const span of reply.blocks.flatMap(spansOf)) {
    if (typeof span === 'string' || span.type !== 'mention' || out.size >= MAX_MENTIONS) continue;
    const account = mentionable(span.person);
    const name = account?.name.trim();
    if (!account || !name || !PLAIN_NAME.test(name) || out.has(account.id)) continue;
    out.set(account.id, { type: 'mention', text: `<at>${name}</at>`, mentioned: { id: account.id, name } });
  }
  return [...out.values()];
}

/** The only Markdown a card carries: `<at>` mentions of Teams accounts, by the names Teams gave them. */
function mentionLine(mentions: readonly MentionEntity[]): CardElement[] {
  if (mentions.length === 0) return [];
  return [{ type: 'TextBlock', text: mentions.map((m) => m.text).join(' '), wrap: true, isSubtle: true, size: 'Small' }];
}

// ---- helpers ------------------------------------------------------------------------------

const one = (element: CardElement): Piece => ({ element, counts: 1 });

export const moreLine = (n: number): CardElement => ({
  type: 'RichTextBlock',
  inlines: [{ type: 'TextRun', text: `…and ${n} more`, isSubtle: true }],
});

/** Dividers become `separator: true` on the next element (Adaptive Cards has no divider element). */
function withSeparators(items: ReadonlyArray<Piece | 'separator'>): Piece[] {
  const out: Piece[] = [];
  let separate = false;
  for (const item of items) {
    if (item === 'separator') {
      separate = out.length > 0;
      continue;
    }
    out.push(separate ? { ...item, element: { ...item.element, separator: true } } : item);
    separate = false;
  }
  return out;
}

/** At most `max` characters, cut between code points, with `…` when anything was cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

