import { isMap, isSeq, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { CatalogInfoEditor } from '../../core/fixes/index.js';

/**
 * Adds annotations and links to a `catalog-info.yaml` with the `yaml` package's Document API:
 * the file is edited as a syntax tree, so its comments, key order, quoting and the other
 * documents of a multi-document file come back as the owner wrote them. js-yaml (the reader's
 * parser) only round-trips plain data and would drop every comment.
 */
export const editCatalogInfo: CatalogInfoEditor = (text, edit) => {
  const parsed = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(parsed)) return { error: 'the file is empty' };
  const documents = parsed as Document[];
  for (const d of documents) {
    const e = d.errors[0];
    if (e) return { error: `not valid YAML at line ${text.slice(0, e.pos[0]).split('\n').length}: ${e.message.split('\n')[0]}` };
  }
  const wanted = edit.entityName.toLowerCase();
  const components = documents.filter((d) => String(d.get('kind') ?? '').toLowerCase() === 'component');
  // By name only: a lone Component of another name may be another service sharing the repository.
  const target = components.find((d) => String(d.getIn(['metadata', 'name']) ?? '').toLowerCase() === wanted);
  if (!target) return { error: `no Component named ${edit.entityName} in it` };
  let changed = false;
  for (const [key, value] of Object.entries(edit.annotations)) {
    if (target.hasIn(['metadata', 'annotations', key])) continue;
    ensureMap(target, ['metadata', 'annotations']);
    target.setIn(['metadata', 'annotations', key], value);
    changed = true;
  }
  for (const link of edit.links) {
    const list = target.getIn(['metadata', 'links']);
    const present = isSeq(list) && list.items.some((i) => isMap(i) && i.get('url') === link.url);
    if (present) continue;
    const node = target.createNode({ url: link.url, ...(link.title ? { title: link.title } : {}), ...(link.type ? { type: link.type } : {}) });
    if (isSeq(list)) list.items.push(node);
    else target.setIn(['metadata', 'links'], target.createNode([node]));
    changed = true;
  }
  if (!changed) return { text, changed: false };
  // Only the edited document is printed again (its comments kept); the text around it, other
  // documents included, stays byte for byte. A document's source runs from the previous one's end.
  const i = documents.indexOf(target);
  const from = i === 0 ? 0 : (documents[i - 1]!.range?.[2] ?? 0);
  const to = target.range?.[2] ?? text.length;
  return { text: text.slice(0, from) + target.toString({ lineWidth: 0 }) + text.slice(to), changed: true };
};

/** `metadata.annotations: null` (or absent) becomes a map before a key goes in. */
function ensureMap(doc: Document, path: string[]): void {
  const node = doc.getIn(path, true);
  if (!isMap(node)) doc.setIn(path, doc.createNode({}));
}
