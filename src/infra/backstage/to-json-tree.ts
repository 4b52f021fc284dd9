/** Why a document could not be turned into a tree; the caller reports it and skips the document. */
export class TreeLimitError extends Error {
  override readonly name = 'TreeLimitError';
}

export interface JsonTree {
  readonly value: unknown;
  /** Dotted paths of `__proto__` keys that were dropped. */
  readonly droppedKeys: readonly string[];
}

/**
 * Deepest nesting we accept. js-yaml caps syntactic nesting at 100, but aliases can stack subtrees
 * deeper, and a recursive alias (`&a [*a]`) makes a cycle; this stops both long before the stack does.
 */
const MAX_TREE_DEPTH = 1000;

/**
 * Copies a js-yaml value into a fresh plain JSON tree, counting every node visited.
 *
 * - js-yaml keeps aliases as shared references, so a "billion laughs" document is small in memory and
 *   would only explode when serialised. Copying visits each alias target once per reference, so the
 *   count grows like the serialised size, and we stop at `maxNodes` (TreeLimitError).
 * - The copy shares nothing, so later code may mutate one entity without touching another.
 * - `__proto__` keys are dropped: js-yaml stores them as own data properties, but any later
 *   `Object.assign`, `obj[key] = ...` copy or schema library that re-assigns keys would turn them into
 *   a prototype change. They are never meaningful in a descriptor.
 * - Non-finite numbers (`.inf`, `.nan`) become their canonical YAML spelling, as JSON cannot hold them.
 */
export function toJsonTree(root: unknown, maxNodes: number): JsonTree {
  let visited = 0;
  let protoKeys = 0;

  const copy = (value: unknown, depth: number): unknown => {
    if (++visited > maxNodes) {
      throw new TreeLimitError(`document has more than ${maxNodes} YAML nodes once aliases are expanded (a possible alias bomb); skipped`);
    }
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) return value;
      return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
    }
    if (typeof value !== 'object') return String(value); // not produced by the core schema; stay JSON-safe anyway
    if (depth >= MAX_TREE_DEPTH) {
      throw new TreeLimitError(`document nests deeper than ${MAX_TREE_DEPTH} levels (a recursive alias?); skipped`);
    }
    if (Array.isArray(value)) {
      const out: unknown[] = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = copy(value[i], depth + 1);
      return out;
    }
    const out: Record<string, unknown> = {};
    const source = value as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      if (key === '__proto__') protoKeys++;
      else out[key] = copy(source[key], depth + 1);
    }
    return out;
  };

  const value = copy(root, 0);
  // Paths are worked out only when needed: tracking them during the copy made it measurably slower.
  return { value, droppedKeys: protoKeys === 0 ? [] : findProtoKeys(root) };
}

/** Dotted paths of the `__proto__` keys in a value that toJsonTree has already bounded. */
function findProtoKeys(root: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, path === '' ? String(i) : `${path}.${i}`));
      return;
    }
    for (const key of Object.keys(value)) {
      const child = path === '' ? key : `${path}.${key}`;
      if (key === '__proto__') found.push(child);
      else walk((value as Record<string, unknown>)[key], child);
    }
  };
  walk(root, '');
  return found;
}
