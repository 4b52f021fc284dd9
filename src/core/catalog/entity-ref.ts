/**
 * Backstage entity references: `[kind:][namespace/]name`, every part case-insensitive. Defaults
 * come from where the reference appears: the kind from the field (`spec.owner` means Group), the
 * namespace from the referring entity — not always `default`.
 */
export interface EntityName {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export function parseEntityRef(
  raw: string,
  defaults: { kind?: string | undefined; namespace?: string | undefined } = {},
): EntityName | null {
  const text = raw.trim();
  if (text === '') return null;
  let rest = text;
  let kind: string | undefined;
  const colon = rest.indexOf(':');
  // A colon before any slash separates the kind; names themselves never contain one.
  if (colon > 0 && (rest.indexOf('/') === -1 || colon < rest.indexOf('/'))) {
    kind = rest.slice(0, colon);
    rest = rest.slice(colon + 1);
  }
  let namespace: string | undefined;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    namespace = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  kind ??= defaults.kind;
  namespace ??= defaults.namespace ?? 'default';
  if (!kind || !namespace || rest === '' || rest.includes('/') || rest.includes(':')) return null;
  return { kind, namespace, name: rest };
}

export const stringifyEntityRef = (e: EntityName): string =>
  `${e.kind}:${e.namespace}/${e.name}`.toLowerCase();

/** Parses with defaults and returns the canonical lower-case ref, or null when malformed. */
export function toEntityRef(
  raw: unknown,
  defaults: { kind?: string | undefined; namespace?: string | undefined } = {},
): string | null {
  if (typeof raw === 'string') {
    const parsed = parseEntityRef(raw, defaults);
    return parsed ? stringifyEntityRef(parsed) : null;
  }
  // The compound form { kind, namespace, name } is the API shape; tolerate it in YAML.
  if (raw !== null && typeof raw === 'object') {
    const { kind, namespace, name } = raw as Record<string, unknown>;
    if (typeof name !== 'string') return null;
    const k = typeof kind === 'string' ? kind : defaults.kind;
    const ns = typeof namespace === 'string' ? namespace : defaults.namespace ?? 'default';
    return k ? stringifyEntityRef({ kind: k, namespace: ns, name }) : null;
  }
  return null;
}

export const refKind = (ref: string): string => ref.slice(0, ref.indexOf(':'));
export const refName = (ref: string): string => ref.slice(ref.indexOf('/') + 1);
