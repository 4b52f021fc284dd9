import type { types } from '@slack/bolt';
import type { Action, Block, Inline, PersonRef, Reply } from '../../core/message/index.js';
import { safeUrl } from '../../core/message/index.js';

/**
 * Reply → Slack Block Kit: one pure function per block kind. This file owns Slack's limits and its
 * escaping, so nothing a catalog says can make Slack refuse a message or ping anyone.
 *
 * 1. Escaping. Every string in a Reply is data. `&`, `<` and `>` are escaped everywhere, so
 *    `<!channel>`, `<!here>`, `<@U123>` and `<https://evil.example|click>` arrive as text and
 *    notify no one. A text object whose spans are all plain strings is sent as `plain_text`
 *    (exact; Slack formats nothing in it). Mixed spans need `mrkdwn`: there, catalog strings get
 *    their formatting characters (`*`, `_`, `~`, `` ` ``) swapped for look-alikes when they could
 *    open or close formatting (`payments_db` is left alone), and `verbatim: true` stops Slack
 *    from turning plain `@channel` or URLs into anything.
 * 2. Mentions and channels are markup only when they are real ids: `<@U…>` for a person whose
 *    Slack id is known, `<#C…>` for a channel id; anything else is the escaped name.
 * 3. Limits (docs.slack.dev Block Kit reference): what does not fit is cut with `…` or summed up
 *    as "…and N more"; a message is never refused for its size.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  /** A Home tab (and a modal) holds 100 blocks. */
  homeBlocks: 100,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  url: 3000,
  /** Slack keeps 40,000 characters of `text`; a notification needs far fewer. */
  fallbackText: 3000,
} as const;

export type SlackBlock = types.KnownBlock;
type TextObject = types.PlainTextElement | types.MrkdwnElement;
type Button = types.Button;

export interface BlockKitMessage {
  /** The notification and screen-reader text, escaped. */
  readonly text: string;
  readonly blocks: SlackBlock[];
}

export interface RenderOptions {
  /** Blocks that must survive the 50-block budget, rendered last (e.g. the "Post to channel" button). */
  readonly footer?: readonly Block[] | undefined;
  /** The surface's block limit: 50 in a message (the default), 100 in a Home tab. */
  readonly maxBlocks?: number | undefined;
}

/** Renders a reply; never produces a message Slack would refuse for its size or shape. */
export function renderBlockKit(reply: Reply, options: RenderOptions = {}): BlockKitMessage {
  const max = options.maxBlocks ?? SLACK_LIMITS.blocks;
  const footer = (options.footer ?? []).flatMap(renderBlock).slice(0, max);
  const body = reply.blocks.flatMap(renderBlock);
  const room = max - footer.length;
  let blocks: SlackBlock[];
  if (body.length <= room) {
    blocks = [...body, ...footer];
  } else {
    const shown = body.slice(0, room - 1);
    const hidden = body.slice(room - 1).filter((b) => b.type !== 'divider').length;
    blocks = [...shown, { type: 'context', elements: [plainText(`…and ${hidden} more`)] }, ...footer];
  }
  const text = fit(reply.fallback, SLACK_LIMITS.fallbackText, escapeChar);
  // An empty `blocks` array is not something to send; the fallback says it all.
  if (blocks.length === 0 && text.trim() !== '') blocks = renderText({ kind: 'text', spans: [reply.fallback] });
  return { text: text || ' ', blocks };
}

export function renderBlock(block: Block): SlackBlock[] {
  switch (block.kind) {
    case 'heading':
      return renderHeading(block);
    case 'text':
      return renderText(block);
    case 'fields':
      return renderFields(block);
    case 'list':
      return renderList(block);
    case 'context':
      return renderContext(block);
    case 'actions':
      return renderActions(block);
    case 'divider':
      return renderDivider();
  }
}

// ---- one function per block kind ----------------------------------------------------------

export function renderHeading(block: Extract<Block, { kind: 'heading' }>): SlackBlock[] {
  const text = fit(block.text.trim(), SLACK_LIMITS.headerText, escapeChar);
  return text === '' ? [] : [{ type: 'header', text: { type: 'plain_text', text } }];
}

export function renderText(block: Extract<Block, { kind: 'text' }>): SlackBlock[] {
  const text = textObject(block.spans, SLACK_LIMITS.sectionText);
  return text ? [{ type: 'section', text }] : [];
}

export function renderFields(block: Extract<Block, { kind: 'fields' }>): SlackBlock[] {
  const fields = block.items.flatMap((item): types.MrkdwnElement[] => {
    const label = `*${fit(neutralise(item.label.trim()), 300, escapeChar)}*`;
    const value = mrkdwn(item.value, SLACK_LIMITS.fieldText - label.length - 1);
    const text = value === '' ? label : `${label}\n${value}`;
    return item.label.trim() === '' && value === '' ? [] : [{ type: 'mrkdwn', text, verbatim: true }];
  });
  const sections: SlackBlock[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fields) {
    sections.push({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.fields) });
  }
  return sections;
}

export function renderList(block: Extract<Block, { kind: 'list' }>): SlackBlock[] {
  const max = SLACK_LIMITS.sectionText;
  const total = block.items.length + (block.more ?? 0);
  const moreLine = (n: number): string => `…and ${n} more`;
  const plain = block.items.every((item) => item.every((s) => typeof s === 'string'));
  // Room for the longest "…and N more" line, so a long item is cut rather than pushing it out.
  const lineMax = max - moreLine(total).length - 1;
  const lines = block.items.map((item) => `• ${plain ? fit(spansText(item), lineMax - 2, escapeChar) : mrkdwn(item, lineMax - 2)}`);
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const after = total - (i + 1);
    const tail = after > 0 ? moreLine(after).length + 1 : 0;
    if (used + line.length + tail > max) break;
    kept.push(line);
    used += line.length + 1;
  }
  const hidden = total - kept.length;
  if (hidden > 0) kept.push(moreLine(hidden));
  if (kept.length === 0) return [];
  const text = kept.join('\n');
  return [{ type: 'section', text: plain ? { type: 'plain_text', text } : { type: 'mrkdwn', text, verbatim: true } }];
}

export function renderContext(block: Extract<Block, { kind: 'context' }>): SlackBlock[] {
  const text = textObject(block.spans, SLACK_LIMITS.contextText);
  return text ? [{ type: 'context', elements: [text] }] : [];
}

export function renderActions(block: Extract<Block, { kind: 'actions' }>): SlackBlock[] {
  const ids = new Set<string>();
  const elements: Button[] = [];
  block.actions.forEach((action, i) => {
    const button = renderButton(action, i);
    if (!button || ids.has(button.action_id!) || elements.length >= SLACK_LIMITS.actionsElements) return;
    ids.add(button.action_id!);
    elements.push(button);
  });
  return elements.length === 0 ? [] : [{ type: 'actions', elements }];
}

export function renderDivider(): SlackBlock[] {
  return [{ type: 'divider' }];
}

/**
 * A button, or nothing when it cannot be sent as it is: a cut URL, value or action id would
 * point somewhere else, so those are dropped rather than shortened.
 */
function renderButton(action: Action, index: number): Button | undefined {
  const label = fit(action.label.trim(), SLACK_LIMITS.buttonText, escapeChar);
  if (label === '') return undefined;
  const text = { type: 'plain_text' as const, text: label };
  if (action.type === 'url') {
    const url = safeUrl(action.url);
    if (!url || url.length > SLACK_LIMITS.url) return undefined;
    // Slack sends block_actions for URL buttons too; the id lets the adapter acknowledge them.
    return { type: 'button', text, url, action_id: `open_link_${index}` };
  }
  if (action.id === '' || action.id.length > SLACK_LIMITS.actionId || action.value.length > SLACK_LIMITS.buttonValue) return undefined;
  return { type: 'button', text, action_id: action.id, value: action.value, ...(action.style ? { style: action.style } : {}) };
}

// ---- text objects and spans ---------------------------------------------------------------

/** `plain_text` when every span is a plain string (exact), else `mrkdwn`; undefined when empty. */
function textObject(spans: readonly Inline[], max: number): TextObject | undefined {
  if (spans.every((s) => typeof s === 'string')) {
    const text = fit(spansText(spans), max, escapeChar);
    return text.trim() === '' ? undefined : { type: 'plain_text', text };
  }
  const text = mrkdwn(spans, max);
  return text.trim() === '' ? undefined : { type: 'mrkdwn', text, verbatim: true };
}

const plainText = (text: string): types.PlainTextElement => ({ type: 'plain_text', text: fit(text, SLACK_LIMITS.contextText, escapeChar) });

const spansText = (spans: readonly Inline[]): string => spans.map((s) => (typeof s === 'string' ? s : '')).join('');

interface Piece {
  readonly full: string;
  /** The longest form of this span that fits in `room` characters (may be empty). */
  cut(room: number): string;
}

/** Spans as mrkdwn of at most `max` characters; what does not fit is cut and marked with `…`. */
export function mrkdwn(spans: readonly Inline[], max: number): string {
  const pieces = spans.map(piece);
  const full = pieces.map((p) => p.full).join('');
  if (full.length <= max) return full;
  const budget = max - 1;
  let out = '';
  for (const p of pieces) {
    if (out.length + p.full.length <= budget) {
      out += p.full;
      continue;
    }
    out += p.cut(budget - out.length);
    break;
  }
  return `${out}…`;
}

function piece(span: Inline): Piece {
  if (typeof span === 'string') return literal(span);
  switch (span.type) {
    case 'strong':
      return wrapped('*', span.text);
    case 'code': {
      const inner = span.text.replace(/`/g, '\u02CB');
      if (inner === '') return literal('');
      return { full: `\`${escapeText(inner)}\``, cut: (room) => (room < 3 ? '' : `\`${fit(inner, room - 2, escapeChar)}\``) };
    }
    case 'link': {
      const url = safeUrl(span.url);
      const label = span.label.trim();
      if (!url) return literal(label === '' || label === span.url ? span.url : `${label} (${span.url})`);
      const full = label === '' || label === span.url ? `<${escapeUrl(url)}>` : `<${escapeUrl(url)}|${escapeText(neutralise(label))}>`;
      return { full, cut: (room) => literal(label || span.url).cut(room) };
    }
    case 'mention':
      return mention(span.person);
    case 'channel':
      return channel(span.channel);
  }
}

function literal(text: string): Piece {
  const safe = neutralise(text);
  return { full: escapeText(safe), cut: (room) => fit(safe, room, escapeChar, false) };
}

/** `*bold*`: the markers hug the text (Slack ignores `* bold *`), spaces go outside. */
function wrapped(marker: string, text: string): Piece {
  const inner = neutralise(text.trim());
  if (inner === '') return literal(text);
  const lead = /^\s*/.exec(text)![0];
  const trail = /\s*$/.exec(text)![0];
  return {
    full: `${lead}${marker}${escapeText(inner)}${marker}${trail}`,
    cut: (room) => {
      const cut = fit(inner, room - lead.length - 2, escapeChar, false).trimEnd();
      return cut === '' ? '' : `${lead}${marker}${cut}${marker}`;
    },
  };
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
const ARCHIVES_URL = /^https:\/\/[a-z0-9-]+(?:\.enterprise)?\.slack\.com\/archives\/([CG][A-Z0-9]{2,})\/?$/;

function mention(person: PersonRef): Piece {
  if (person.slackId && SLACK_USER_ID.test(person.slackId)) return atom(`<@${person.slackId}>`);
  return literal(person.name);
}

/** The channel id in a catalog value: an id itself or a `slack.com/archives/C…` link; else undefined. */
export function slackChannelId(value: string): string | undefined {
  const v = value.trim();
  return SLACK_CHANNEL_ID.test(v) ? v : ARCHIVES_URL.exec(v)?.[1];
}

function channel(value: string): Piece {
  const id = slackChannelId(value);
  return id ? atom(`<#${id}>`) : literal(value.trim());
}

const atom = (text: string): Piece => ({ full: text, cut: (room) => (text.length <= room ? text : '') });

// ---- escaping and cutting -----------------------------------------------------------------

/** Slack's three control characters, and only those (docs.slack.dev "Formatting message text"). */
export const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeChar = escapeText;

const LOOKALIKE: Record<string, string> = { '*': '\u2217', _: '\u02CD', '~': '\u223C', '`': '\u02CB' };
const WORD = /[\p{L}\p{N}]/u;

/**
 * Slack mrkdwn has no escape for its formatting characters. A marker between two letters or
 * digits never formats (`payments_db`), so it stays; anywhere else it is swapped for a look-alike
 * (the approach of jsx-slack's `<Escape>`), so `*bold*` in a description stays literal.
 */
export function neutralise(s: string): string {
  return s.replace(/[*_~`]/g, (c, i: number) => (WORD.test(s[i - 1] ?? '') && WORD.test(s[i + 1] ?? '') ? c : LOOKALIKE[c]!));
}

/**
 * The longest prefix of `raw` whose encoding fits in `max` characters, cut between code points
 * (never inside `&amp;` or a surrogate pair), with `…` when anything was cut.
 */
export function fit(raw: string, max: number, encode: (s: string) => string, ellipsis = true): string {
  const whole = encode(raw);
  if (whole.length <= max) return whole;
  const budget = ellipsis ? max - 1 : max;
  if (budget <= 0) return ellipsis && max >= 1 ? '…' : '';
  let out = '';
  for (const ch of raw) {
    const e = encode(ch);
    if (out.length + e.length > budget) break;
    out += e;
  }
  return ellipsis ? `${out}…` : out;
}


/** A URL inside `<url|label>`: `|` would end it and `&<>` are control characters. */
const escapeUrl = (url: string): string => escapeText(url.replace(/\|/g, '%7C'));
