import type { Entity } from '../catalog/index.js';
import type { Exemption } from './exemption.js';
import type { Fact } from './fact.js';

/**
 * Everything evaluation may look at for one service, collected beforehand: the catalog entity,
 * its resolved owner, the facts pushed about it, its exemptions and the moment of evaluation.
 * Evaluation is a pure function of this (Backstage's split of collection from processing).
 */
export interface ServiceSnapshot {
  readonly entity: Entity;
  /** The owning group or user as resolved through spec.owner or the system; undefined when none. */
  readonly ownerRef: string | undefined;
  /** Pushed facts by key (catalog facts are derived from `entity` on demand, never stored). */
  readonly facts: ReadonlyMap<string, Fact>;
  readonly exemptions: readonly Exemption[];
  readonly now: Date;
}
