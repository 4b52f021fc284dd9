import type { CompiledScorecard, RolloutPhase } from '../../core/scoring/index.js';
import { compileScorecard } from '../../core/scoring/index.js';
import { InputError } from '../../core/errors.js';
import { DEFAULT_SCORECARDS_DIR, readScorecards } from './read-scorecards.js';

export interface ScorecardSettings {
  /** Folders of extra scorecards, read after the defaults. */
  readonly folders?: readonly string[] | undefined;
  /** Load the scorecards that ship with Steward (default true). */
  readonly includeDefaults?: boolean | undefined;
  readonly fixLinkBaseUrl?: string | undefined;
  /** Rollout phase per scorecard id; default `visible`. */
  readonly rollout?: Readonly<Record<string, RolloutPhase>> | undefined;
}

/**
 * Reads, validates and compiles the scorecards at start. Any problem stops start-up with every
 * problem listed as `file:line: message` (the CLI exits 2): a scorecard that half-loads would
 * grade services against rules nobody wrote.
 */
export function loadScorecards(settings: ScorecardSettings = {}): CompiledScorecard[] {
  const folders = [...(settings.includeDefaults === false ? [] : [DEFAULT_SCORECARDS_DIR]), ...(settings.folders ?? [])];
  const { scorecards, problems } = readScorecards(folders);
  const messages = problems.map((p) => `${p.line > 0 ? `${p.file}:${p.line}` : p.file}: ${p.message}`);
  const ids = new Set(scorecards.map((s) => s.definition.id));
  for (const id of Object.keys(settings.rollout ?? {})) {
    if (!ids.has(id)) messages.push(`config scorecards.rollout.${id}: no scorecard has the id ${id} (loaded: ${[...ids].join(', ') || 'none'})`);
  }
  if (messages.length > 0) throw new InputError(`invalid scorecards:\n  ${messages.join('\n  ')}`);
  const ordered = [...scorecards].sort((a, b) => a.definition.order - b.definition.order || a.definition.id.localeCompare(b.definition.id));
  return ordered.map((s) =>
    compileScorecard(s.definition, { fixLinkBaseUrl: settings.fixLinkBaseUrl, rollout: settings.rollout?.[s.definition.id], source: s.file, templates: s.templates }),
  );
}
