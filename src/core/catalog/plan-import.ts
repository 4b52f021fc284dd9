import { z } from 'zod';
import type { Entity, Person, Relation, RelationType } from './entity.js';
import { RELATION_PAIRS } from './entity.js';
import { toEntityRef } from './entity-ref.js';
import { isRecord } from '../is-record.js';
import { clipMessage, clipText } from '../clip-text.js';

/**
 * Turns parsed YAML documents into entities, relations, people and aliases, checking names with
 * Backstage's rules. Pure: the reader did the I/O, the store does the writing. Problems are data:
 * `error` means the document was not imported, `warning` means it was, with a caveat.
 */

export interface SourceDocument {
  readonly file: string;
  readonly line: number;
  readonly root: string;
  readonly value: unknown;
}

export interface ImportProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface EntityDraft {
  readonly entity: Entity;
  readonly root: string;
  readonly relations: readonly Relation[];
  readonly person: Person | undefined;
  readonly aliases: readonly string[];
  readonly tags: readonly string[];
}

export interface ImportPlan {
  readonly drafts: readonly EntityDraft[];
  readonly problems: readonly ImportProblem[];
}

export const CORE_KINDS = ['component', 'api', 'system', 'domain', 'resource', 'group', 'user', 'location', 'template'] as const;

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const NAMESPACE = /^[a-z0-9]+(-[a-z0-9]+)*$/i;
const KIND = /^[a-zA-Z][a-z0-9A-Z]*$/;
const API_VERSION = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[a-zA-Z0-9]{1,63}$/;
const TAG = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;

const envelope = z.object({
  apiVersion: z.string({ error: 'apiVersion is missing' }).regex(API_VERSION, 'apiVersion must look like backstage.io/v1alpha1'),
  kind: z.string({ error: 'kind is missing' }).max(63).regex(KIND, 'kind must be letters and digits, starting with a letter'),
  metadata: z.object(
    {
      name: z
        .string({ error: 'metadata.name is missing' })
        .min(1)
        .max(63, 'metadata.name is longer than 63 characters')
        .regex(NAME, 'metadata.name must be letters and digits joined by single - _ or .'),
      namespace: z
        .string()
        .max(63)
        .regex(NAMESPACE, 'metadata.namespace must be letters and digits joined by -')
        .optional(),
      title: z.string('metadata.title must be a string').optional(),
      description: z.string('metadata.description must be a string').optional(),
    },
    { error: 'metadata is missing or not a mapping' },
  ),
  spec: z.record(z.string(), z.unknown(), { error: 'spec must be a mapping' }).optional(),
});

/** How each core kind's spec fields become relations: field → [relation, default kind]. */
const SPEC_RELATIONS: Record<string, ReadonlyArray<readonly [field: string, relation: RelationType, defaultKind?: string]>> = {
  component: [
    ['system', 'partOf', 'system'],
    ['subcomponentOf', 'partOf', 'component'],
    ['providesApis', 'providesApi', 'api'],
    ['consumesApis', 'consumesApi', 'api'],
    ['dependsOn', 'dependsOn'],
    ['dependencyOf', 'dependencyOf'],
  ],
  api: [['system', 'partOf', 'system']],
  system: [['domain', 'partOf', 'domain']],
  domain: [['subdomainOf', 'partOf', 'domain']],
  resource: [
    ['system', 'partOf', 'system'],
    ['dependsOn', 'dependsOn'],
    ['dependencyOf', 'dependencyOf'],
  ],
  group: [
    ['parent', 'childOf', 'group'],
    ['children', 'parentOf', 'group'],
    ['members', 'hasMember', 'user'],
  ],
  user: [['memberOf', 'memberOf', 'group']],
};

const REVERSE = new Map<RelationType, RelationType>();
for (const [forward, backward] of Object.entries(RELATION_PAIRS) as Array<[RelationType, RelationType]>) {
  REVERSE.set(forward, backward);
  REVERSE.set(backward, forward);
}


export function planImport(documents: Iterable<SourceDocument>): ImportPlan {
  const planner = new ImportPlanner();
  const drafts: EntityDraft[] = [];
  for (const doc of documents) {
    const draft = planner.plan(doc);
    if (draft) drafts.push(draft);
  }
  return { drafts, problems: planner.problems };
}

/**
 * planImport one document at a time, so a large import can stream: the planner keeps only what
 * spans documents (the refs seen, for duplicates) and the problems.
 */
export class ImportPlanner {
  readonly problems: ImportProblem[] = [];
  readonly #seen = new Map<string, { readonly file: string; readonly line: number }>();

  /**
   * An entity that stands as stored because its file was skipped as unchanged: a later document
   * with the same ref is still a duplicate.
   */
  remember(ref: string, file: string, line: number): void {
    if (!this.#seen.has(ref)) this.#seen.set(ref, { file, line });
  }

  /** The document's entity draft, or undefined when it is not imported (its error is in `problems`). */
  plan(doc: SourceDocument): EntityDraft | undefined {
    const sink = new ProblemSink(doc, this.problems);
    const parsed = envelope.safeParse(doc.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const name = isRecord(doc.value) && isRecord(doc.value['metadata']) ? doc.value['metadata']['name'] : undefined;
      sink.error(`${typeof name === 'string' ? `${clipText(name, 100)}: ` : ''}${issue.message}${issue.path.length > 1 && !issue.message.includes('.') ? ` (${issue.path.join('.')})` : ''}`);
      return undefined;
    }
    const { kind, metadata } = parsed.data;
    const value = doc.value as Record<string, unknown>;
    const rawMetadata = value['metadata'] as Record<string, unknown>;
    const spec = (parsed.data.spec ?? {}) as Record<string, unknown>;
    const namespace = (metadata.namespace ?? 'default').toLowerCase();
    const ref = `${kind}:${namespace}/${metadata.name}`.toLowerCase();
    const kindLc = kind.toLowerCase();

    const earlier = this.#seen.get(ref);
    if (earlier) {
      sink.error(`duplicate entity ${ref}: already defined at ${earlier.file}:${earlier.line}; this one is skipped`);
      return undefined;
    }
    this.#seen.set(ref, { file: doc.file, line: doc.line });

    const flags: string[] = [];
    sink.ref = ref;
    sink.flags = flags;
    if (!(CORE_KINDS as readonly string[]).includes(kindLc)) sink.warn(`unknown kind ${kind}: stored, no relations derived`);
    checkMetadata(rawMetadata, sink);

    const relations: Relation[] = [];
    if (spec['owner'] !== undefined) {
      const owner = toEntityRef(spec['owner'], { kind: 'group', namespace });
      if (owner) addBoth(relations, ref, 'ownedBy', owner);
      else sink.warn(`spec.owner ${JSON.stringify(spec['owner'])} is not an entity reference`);
    }
    for (const [field, relation, defaultKind] of SPEC_RELATIONS[kindLc] ?? []) {
      const raw = spec[field];
      if (raw === undefined || raw === null) continue;
      for (const item of Array.isArray(raw) ? raw : [raw]) {
        const target = toEntityRef(item, { kind: defaultKind, namespace });
        if (target) addBoth(relations, ref, relation, target);
        else if (typeof item === 'string' && !defaultKind) {
          sink.warn(`spec.${field} ${JSON.stringify(item)} needs a kind, e.g. component:${item} or resource:${item}`);
        } else sink.warn(`spec.${field} ${JSON.stringify(item)} is not an entity reference`);
      }
    }

    const entity: Entity = {
      ref,
      kind,
      namespace,
      name: metadata.name,
      title: metadata.title?.trim() || undefined,
      description: metadata.description?.trim() || undefined,
      metadata: rawMetadata,
      spec,
      source: { file: doc.file, line: doc.line },
      flags,
    };
    const annotations = isRecord(rawMetadata['annotations']) ? rawMetadata['annotations'] : {};
    const aliasText = annotations['steward.dev/aliases'];
    const aliases =
      typeof aliasText === 'string'
        ? [...new Set(aliasText.split(',').map((a) => a.trim()).filter((a) => a !== '' && a.toLowerCase() !== metadata.name.toLowerCase()))]
        : [];
    const tagList = Array.isArray(rawMetadata['tags']) ? rawMetadata['tags'].filter((t): t is string => typeof t === 'string') : [];
    return {
      entity,
      root: doc.root,
      relations: dedupe(relations),
      person: kindLc === 'user' ? toPerson(entity, spec, annotations) : undefined,
      aliases,
      tags: tagList,
    };
  }
}

/** Collects one document's problems; a class, not closures, because it runs once per entity. */
class ProblemSink {
  ref = '';
  flags: string[] = [];
  constructor(
    private readonly doc: SourceDocument,
    private readonly problems: ImportProblem[],
  ) {}

  error(message: string): void {
    this.problems.push({ file: this.doc.file, line: this.doc.line, message: clipMessage(message), severity: 'error' });
  }

  /** A caveat kept with the entity and reported: the entity is still imported. */
  warn(message: string): void {
    this.flags.push(clipMessage(message));
    this.problems.push({ file: this.doc.file, line: this.doc.line, message: clipMessage(`${this.ref}: ${message}`), severity: 'warning' });
  }
}

function addBoth(relations: Relation[], ref: string, type: RelationType, target: string): void {
  relations.push({ source: ref, type, target });
  relations.push({ source: target, type: REVERSE.get(type)!, target: ref });
}

function checkMetadata(metadata: Record<string, unknown>, sink: ProblemSink): void {
  const { tags, annotations, labels, links } = metadata;
  if (tags !== undefined) {
    if (!Array.isArray(tags)) sink.warn('metadata.tags must be a list');
    else for (const t of tags) if (typeof t !== 'string' || t.length > 63 || !TAG.test(t)) sink.warn(`tag ${JSON.stringify(t)} is not a valid Backstage tag`);
  }
  if (annotations !== undefined) {
    if (!isRecord(annotations)) sink.warn('metadata.annotations must be a mapping');
    else for (const [k, v] of Object.entries(annotations)) if (typeof v !== 'string') sink.warn(`annotation ${k} must be a string (quote it)`);
  }
  if (labels !== undefined && !isRecord(labels)) sink.warn('metadata.labels must be a mapping');
  if (links !== undefined) {
    if (!Array.isArray(links)) sink.warn('metadata.links must be a list');
    else for (const l of links) if (!isRecord(l) || typeof l['url'] !== 'string') sink.warn('every metadata.links entry needs a url');
  }
}

function toPerson(entity: Entity, spec: Record<string, unknown>, annotations: Record<string, unknown>): Person {
  const profile = isRecord(spec['profile']) ? spec['profile'] : {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const botNotify = str(annotations['slack.com/bot-notify']);
  return {
    ref: entity.ref,
    name: str(profile['displayName']) ?? entity.title ?? entity.name,
    email: str(profile['email'])?.toLowerCase(),
    slackId: str(annotations['slack.com/user-id']) ?? (botNotify && /^[UW][A-Z0-9]{2,}$/.test(botNotify) ? botNotify : undefined),
    teamsId: str(annotations['steward.dev/teams-user-id']),
  };
}

function dedupe(relations: Relation[]): Relation[] {
  const keys = new Set<string>();
  return relations.filter((r) => {
    const key = `${r.source}|${r.type}|${r.target}`;
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  });
}
