import { safeUrl } from '../../core/message/index.js';

/**
 * HTML built from tagged templates that escape every interpolation by default: catalog text is
 * data, so a description holding `<script>` shows as text. Only an `Html` value (another template,
 * or `trusted` for markup this adapter writes itself) goes in unescaped. Arrays are joined.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (part === null || part === undefined || part === false) return '';
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < parts.length; i++) out += render(parts[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup written by this adapter (never catalog text). */
export const trusted = (markup: string): Html => new Html(markup);

/**
 * A link when the URL is http(s) (or mailto) and parses, plain text otherwise: `javascript:` and
 * friends from the catalog are never clickable. External links open without a referrer.
 */
export function externalLink(url: string, label: string): Html {
  const safe = safeUrl(url);
  return safe ? html`<a href="${safe}" rel="noopener noreferrer">${label}</a>` : html`<span>${label}</span>`;
}

/** A path segment of one of our own pages, e.g. `/services/${pathSegment(name)}`. */
export const pathSegment = (name: string): string => encodeURIComponent(name);
