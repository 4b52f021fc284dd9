import { EVENT_ID, getScalarValue } from 'js-yaml';
import type { Event } from 'js-yaml';

interface Frame {
  readonly kind: 'document' | 'mapping' | 'sequence';
  readonly path: string;
  index: number;
  key: string | undefined;
  keyOffset: number;
}

/**
 * Where each value of the first YAML document sits, by path (`checks[2].rule.op` → offset), so a
 * validation problem can be reported at its line. Built from js-yaml's event stream, which keeps
 * source offsets that the constructed objects lose. A mapping value is placed at its key.
 */
export function yamlPositions(text: string, events: readonly Event[]): Map<string, number> {
  const out = new Map<string, number>();
  const stack: Frame[] = [];
  let documents = 0;

  const slot = (offset: number): string | undefined => {
    const top = stack.at(-1);
    if (!top) return undefined;
    let path: string;
    if (top.kind === 'document') path = '';
    else if (top.kind === 'sequence') path = `${top.path}[${top.index++}]`;
    else {
      path = top.path === '' ? top.key ?? '' : `${top.path}.${top.key ?? ''}`;
      offset = top.keyOffset;
      top.key = undefined;
    }
    if (!out.has(path)) out.set(path, offset);
    return path;
  };

  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1) return out;
        stack.push({ kind: 'document', path: '', index: 0, key: undefined, keyOffset: 0 });
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const path = slot(e.start) ?? '';
        stack.push({ kind: e.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence', path, index: 0, key: undefined, keyOffset: e.start });
        break;
      }
      case EVENT_ID.SCALAR: {
        const top = stack.at(-1);
        if (top?.kind === 'mapping' && top.key === undefined) {
          top.key = getScalarValue(text, e);
          top.keyOffset = e.valueStart;
        } else slot(e.valueStart);
        break;
      }
      case EVENT_ID.ALIAS: {
        const top = stack.at(-1);
        if (top?.kind === 'mapping' && top.key === undefined) {
          top.key = '*';
          top.keyOffset = e.anchorStart;
        } else slot(e.anchorStart);
        break;
      }
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return out;
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
