import type { Entity, Relation } from './entity.js';
import type { EntityDraft } from './plan-import.js';

/**
 * The one way anything writes the catalog: a Backstage descriptor import, the GitHub sync, and
 * whatever source comes next. As Backstage's entity providers do, a source hands over a mutation:
 *
 * - `full`: the drafts are everything the source now holds under `roots`; what those roots held
 *   before and the drafts no longer name is removed (when `mayPrune` agrees for its file);
 * - `delta`: the drafts are added or updated; nothing is removed.
 *
 * Either way it is one transaction: if reading the drafts throws half-way, nothing is written.
 * `src/infra/sqlite/catalog-store.ts` implements it.
 */
export type CatalogMutation = FullMutation | DeltaMutation;

interface MutationBase {
  /** Drafts may be a generator that reads files as it goes: it runs inside the transaction. */
  readonly drafts: Iterable<EntityDraft>;
  /** Where the entities came from (an imported folder, `github.com/ORG`): they are stored with it. */
  readonly roots: readonly string[];
  /** For sources that skip unchanged files; asked after the last draft. */
  readonly files?: () => ImportFiles;
  readonly now: Date;
}

export interface FullMutation extends MutationBase {
  readonly type: 'full';
  /**
   * Whether a stored entity's source file is really gone or was read cleanly without it; asked
   * after every draft has been taken, so a streamed source can answer from what it read.
   */
  readonly mayPrune?: (sourceFile: string) => boolean;
  /**
   * Relations this source states between entities it does not own (GitHub's members of a team a
   * Backstage descriptor declares without members). Replaced as a whole on every full mutation
   * under the first root; they survive a re-import of those entities, and never override a
   * relation an entity states itself.
   */
  readonly relations?: readonly Relation[];
}

export interface DeltaMutation extends MutationBase {
  readonly type: 'delta';
}

export interface CatalogWriter {
  apply(mutation: CatalogMutation): ImportSummary;
  /** Whether this file is byte for byte what produced the entities stored from it. */
  isUnchangedFile(file: { readonly file: string; readonly root: string; readonly size: number; readonly hash: string }): boolean;
  /** The refs (and lines) stored from one file, for a source that skips it. */
  refsOfFile(root: string, file: string): Array<{ ref: string; line: number }>;
  /** Every entity of these kinds (lower case), in one read: what a sync matches owners against. */
  entitiesOfKinds(kinds: readonly string[]): Entity[];
}

export interface KindCounts {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

export interface ImportSummary {
  /** Per kind, spelled as Backstage spells it (`Component`, `API`, …). */
  readonly kinds: Record<string, KindCounts>;
  /** Entities whose owner is not in the catalog (after this import). */
  readonly danglingOwners: ReadonlyArray<{ ref: string; ownerRef: string; file: string; line: number }>;
}

/** A descriptor file as an import saw it: stamped files are skipped by the next import while they stay the same. */
export interface ImportedFile {
  readonly file: string;
  readonly root: string;
  readonly size: number;
  readonly hash: string;
  /** Entities the file produced (stored now). */
  readonly entities: number;
}

export interface ImportFiles {
  /** Files skipped because they had not changed: their stored entities stand, count as unchanged and are never pruned. */
  readonly unchanged: ReadonlyArray<{ readonly file: string; readonly root: string }>;
  /** Files read this time: their earlier stamps go. */
  readonly read: readonly string[];
  /** Of those, the ones read cleanly, to stamp for the next import. */
  readonly stamp: readonly ImportedFile[];
}
