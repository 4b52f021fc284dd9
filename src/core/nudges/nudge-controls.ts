import type { CatalogReader, Entity } from '../catalog/index.js';
import { SERVICE_KINDS, refName, requireEntity } from '../catalog/index.js';
import type { Actor } from '../commands/types.js';
import { CommandError } from '../errors.js';
import type { Reply } from '../message/index.js';
import { code, context, reply, text } from '../message/index.js';
import { formatZoned } from '../oncall/index.js';
import type { Clock } from '../ports.js';
import type { CompiledCheck, CompiledScorecard, ScoringService } from '../scoring/index.js';
import type { NudgePreferences } from './nudge-preferences.js';

/**
 * The nudge controls a person has, behind the chat commands (`snooze`, `not-mine`, `optout`,
 * `optin`). The buttons on a nudge carry those commands' text, so a click and a typed command
 * are one path and say the same.
 */
export interface NudgeControlDeps {
  readonly preferences: NudgePreferences | undefined;
  readonly catalog: CatalogReader;
  readonly scoring: ScoringService | undefined;
  readonly clock: Clock;
  /** For "until" in answers; the configured zone. */
  readonly timeZone?: string | undefined;
}

const DAY = 86_400_000;
export const MAX_SNOOZE_DAYS = 90;
/** How long a nudge's Snooze button snoozes a check. */
export const NUDGE_SNOOZE_DAYS = 7;

function prefs(deps: NudgeControlDeps): NudgePreferences {
  if (!deps.preferences) throw new CommandError('nudges_unavailable', 'Nudges are not set up on this Steward.');
  return deps.preferences;
}

/** The caller's catalog ref: nudges go to catalog people, so the controls need one. */
export function callerRef(catalog: CatalogReader, actor: Actor): string {
  const ref = actor.person?.ref ?? (actor.email ? catalog.personByEmail(actor.email)?.ref : undefined);
  if (ref) return ref;
  throw new CommandError('not_in_catalog', 'I cannot find you in the catalog, so I have no nudges to change for you.', {
    hint: 'Nudges go to the members of owning teams, matched by email.',
  });
}

function findCheck(scoring: ScoringService, query: string): { scorecard: CompiledScorecard; check: CompiledCheck } {
  const [first, second] = query.includes('/') ? query.split('/', 2) : [undefined, query];
  const want = (second ?? '').trim().toLowerCase();
  const cards = first !== undefined ? [scoring.requireScorecard(first)] : scoring.scorecards;
  const found = cards.flatMap((scorecard) =>
    scorecard.checks.filter((c) => c.id === want || c.title.toLowerCase() === want).map((check) => ({ scorecard, check })),
  );
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new CommandError('ambiguous_check', `Several scorecards have a check called "${want}".`, {
      hint: `Name one: ${found.map((f) => `${f.scorecard.id}/${f.check.id}`).join(', ')}.`,
    });
  }
  throw new CommandError('unknown_check', `There is no check called "${query}".`, { hint: 'The nudge names each check; `health <service>` lists them.' });
}

export function snoozeCheck(deps: NudgeControlDeps, actor: Actor, input: { service: string | Entity; check: string; days: number }): Reply {
  const store = prefs(deps);
  if (!deps.scoring) throw new CommandError('scoring_unavailable', 'Scorecards are not set up on this Steward.');
  const personRef = callerRef(deps.catalog, actor);
  const entity = typeof input.service === 'string' ? requireEntity(deps.catalog, input.service, SERVICE_KINDS, 'service') : input.service;
  const { scorecard, check } = findCheck(deps.scoring, input.check);
  const days = Math.trunc(input.days);
  if (!(days >= 1 && days <= MAX_SNOOZE_DAYS)) {
    throw new CommandError('bad_days', `Snooze for 1 to ${MAX_SNOOZE_DAYS} days.`, { hint: `For longer, an admin can record an exemption: \`exempt ${entity.name} ${check.id} <until> <reason>\`.` });
  }
  const now = deps.clock.now();
  const until = new Date(now.getTime() + days * DAY);
  store.snooze({ personRef, entityRef: entity.ref, scorecardId: scorecard.id, checkId: check.id, until }, now);
  const line = `Snoozed ${check.title} on ${entity.name} for ${days} day${days === 1 ? '' : 's'}.`;
  return reply([text(line), context(`You will not be nudged about it before ${formatZoned(until, deps.timeZone ?? 'UTC', now)}. It still counts on the scorecard.`)]);
}

export function optOut(deps: NudgeControlDeps, actor: Actor): Reply {
  const store = prefs(deps);
  const ref = callerRef(deps.catalog, actor);
  store.setOptedOut(ref, true, deps.clock.now());
  return reply([text('You will get no more nudges from Steward.'), context(['Your services stay on the scorecards and the leaderboard. ', code('optin'), ' turns nudges back on.'])]);
}

export function optIn(deps: NudgeControlDeps, actor: Actor): Reply {
  const store = prefs(deps);
  const ref = callerRef(deps.catalog, actor);
  const was = store.isOptedOut(ref);
  store.setOptedOut(ref, false, deps.clock.now());
  const line = was ? 'Nudges are back on: at most one a week, about failing checks on services you own.' : 'Nudges are already on for you.';
  return reply([text(line), context(['', code('optout'), ' turns them off.'])]);
}

export function disownService(deps: NudgeControlDeps, actor: Actor, entityRef: string): Reply {
  const store = prefs(deps);
  const ref = callerRef(deps.catalog, actor);
  store.disown(ref, entityRef, deps.clock.now());
  const name = deps.catalog.get(entityRef)?.name ?? refName(entityRef);
  const line = `Noted: ${name} is not yours. You will not be nudged about it, and Steward's admins see the note.`;
  return reply([text(line), context(['Fix the owner in its catalog-info.yaml, or ', code(`who-owns ${name}`), ' to see who the catalog names.'])]);
}
