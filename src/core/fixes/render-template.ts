import type { FIX_TEMPLATE_VARIABLES } from '../scoring/index.js';

export type TemplateVariable = (typeof FIX_TEMPLATE_VARIABLES)[number];

export interface FixLink {
  readonly url: string;
  readonly title?: string | undefined;
  readonly type?: string | undefined;
}

/** What a fix template is filled with, from the catalog; undefined when the catalog does not say. */
export interface FixValues {
  readonly name: string;
  readonly title: string;
  readonly description: string | undefined;
  /** The owner as people read it: the team's or person's display name. */
  readonly owner: string | undefined;
  readonly system: string | undefined;
  readonly links: readonly FixLink[];
  /** `acme/payments`. */
  readonly repo: string | undefined;
  /** GitHub handles for CODEOWNERS: `@acme/payments-team` or `@login`s. */
  readonly codeowners: readonly string[];
}

/** The file formats a template can fill, each with its own escaping. */
export type TemplateFormat = 'markdown' | 'yaml' | 'json' | 'text';

export function formatOf(path: string): TemplateFormat {
  const name = path.toLowerCase();
  if (/\.(md|markdown)$/.test(name)) return 'markdown';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (/\.json5?$/.test(name)) return 'json';
  return 'text';
}

/** Placeholders a file cannot be written without; the others read as empty when unknown. */
const REQUIRED: ReadonlySet<TemplateVariable> = new Set(['owner', 'codeowners', 'repo']);

const WHY_MISSING: Record<string, string> = {
  owner: 'the catalog records no owner for it',
  codeowners: 'its owner has no GitHub team or login in the catalog (github.com/team-slug or github.com/user-login)',
  repo: 'no repository is known for it',
};

export type Rendered = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/**
 * Fills `{{name}}`-style placeholders. Text from the catalog is data: in Markdown it is escaped
 * so a description cannot add links, headings or HTML; in YAML and JSON it is a quoted string;
 * in plain files (CODEOWNERS) it is one line without comment or control characters.
 */
export function renderTemplate(template: string, path: string, values: FixValues): Rendered {
  const format = formatOf(path);
  let missing: string | undefined;
  const text = template.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (_, name: TemplateVariable) => {
    const value = valueOf(name, values, format);
    if (value === undefined) {
      if (REQUIRED.has(name)) missing ??= name;
      return format === 'yaml' || format === 'json' ? '""' : '';
    }
    return value;
  });
  if (missing !== undefined) return { ok: false, reason: `${path} needs {{${missing}}}, and ${WHY_MISSING[missing]}` };
  return { ok: true, text };
}

function valueOf(name: TemplateVariable, v: FixValues, format: TemplateFormat): string | undefined {
  if (name === 'links') return v.links.length === 0 ? (format === 'yaml' || format === 'json' ? '[]' : '') : links(v.links, format);
  if (name === 'codeowners') return v.codeowners.length === 0 ? undefined : v.codeowners.filter((h) => /^@[A-Za-z0-9._/-]+$/.test(h)).join(' ');
  const raw = name === 'title' ? v.title || v.name : v[name];
  if (raw === undefined || raw === '') return undefined;
  return scalar(raw, format);
}

function scalar(raw: string, format: TemplateFormat): string {
  const line = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  switch (format) {
    case 'markdown':
      return escapeMarkdown(line);
    case 'yaml':
    case 'json':
      // A JSON string is a YAML double-quoted scalar too: no `: `, `#`, `&` or `*` can escape it.
      return JSON.stringify(line);
    case 'text':
      return line.replace(/#.*/, '').trim();
  }
}

function links(list: readonly FixLink[], format: TemplateFormat): string {
  const safe = list.filter((l) => /^https?:\/\//i.test(l.url));
  if (format === 'markdown') {
    return safe.map((l) => `- [${escapeMarkdown(l.title || l.type || l.url)}](${encodeURI(decodeSafe(l.url)).replace(/[()]/g, (c) => encodeURIComponent(c))})`).join('\n');
  }
  if (format === 'yaml' || format === 'json') return JSON.stringify(safe.map((l) => ({ url: l.url, ...(l.title ? { title: l.title } : {}), ...(l.type ? { type: l.type } : {}) })));
  return safe.map((l) => l.url).join(' ');
}

const decodeSafe = (url: string): string => {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
};

/**
 * Backslash before the characters Markdown (CommonMark and GitHub's) gives a meaning to inside a
 * line, and before a leading `-`, `+`, `=` or `1.` that would start a list or a heading underline;
 * `&` as an entity so `&lt;` stays text.
 */
export const escapeMarkdown = (s: string): string =>
  s
    .replace(/[\\`*_{}[\]()<>#|~!]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
