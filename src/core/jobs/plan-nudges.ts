import type { Platform } from '../message/index.js';
import { refName } from '../catalog/index.js';
import type { Block, Inline, PersonRef, Reply } from '../message/index.js';
import { actions, code, commandButton, context, link, reply, strong, text } from '../message/index.js';
import type { CheckResult, CompiledCheck, ScorecardResult } from '../scoring/index.js';
import { fixButton } from '../fixes/index.js';
import { levelLabel } from '../scoring/index.js';
import { nudgeKey, serviceNudgeKey, teamNudgeKey } from './delivery-keys.js';
import type { NudgeSettings } from './outreach-config.js';
import type { Disowned, Snooze } from '../nudges/nudge-preferences.js';
import { NUDGE_SNOOZE_DAYS } from '../nudges/nudge-controls.js';
import type { PlannedDelivery } from './outreach-ports.js';
import { inQuietHours, weekdayIn } from './schedule.js';

export const NUDGE_JOB = 'nudges';

/** A person who may be nudged, as the catalog knows them. */
export interface NudgePerson {
  readonly ref: string;
  readonly person: PersonRef;
  /** From the User's `steward.dev/timezone`; the configured zone otherwise. */
  readonly timeZone: string | undefined;
}

/** An owning team (or a person owning services directly), with who can be reached and where. */
export interface NudgeOwner {
  readonly ref: string;
  readonly name: string;
  readonly people: readonly NudgePerson[];
  /** The team channel per platform, for a team nobody in which can be reached directly. */
  readonly channels: Partial<Record<Platform, string>>;
}

export interface NudgeInput {
  readonly now: Date;
  /** The period of the run (`2026-12-01T10:00`) and its ISO week in the configured zone. */
  readonly period: string;
  readonly week: string;
  readonly timeZone: string;
  readonly settings: NudgeSettings;
  /** Configured messengers, preferred first. */
  readonly platforms: readonly Platform[];
  /** Results of the scorecards in their `nudge` phase or later. */
  readonly results: readonly ScorecardResult[];
  readonly owners: ReadonlyMap<string, NudgeOwner>;
  readonly optedOut: ReadonlySet<string>;
  readonly snoozes: readonly Snooze[];
  readonly disowned: readonly Disowned[];
  /** When each person (or team) was last sent a nudge. */
  readonly lastNudged: ReadonlyMap<string, Date>;
  /** Catalog refs and lower-case emails of the people on call now; undefined when nobody knows. */
  readonly onCall: ReadonlySet<string> | undefined;
  /** The web scoreboard's address (`STEWARD_PUBLIC_URL`): each service links to its page. */
  readonly publicUrl?: string | undefined;
  /** Whether a pull request can fix this check on this service ("Open a fix PR"); none offered when absent. */
  readonly fixable?: ((entityRef: string, check: CompiledCheck) => boolean) | undefined;
}

export type SkipReason = 'opted_out' | 'cooldown' | 'quiet_hours' | 'not_working_day' | 'on_call' | 'unreachable' | 'nothing_failing';

export interface NudgePlan {
  readonly deliveries: PlannedDelivery[];
  readonly skipped: Array<{ readonly subject: string; readonly reason: SkipReason }>;
}

interface Failing {
  readonly result: ScorecardResult;
  readonly check: CheckResult;
}

/**
 * Who gets told what this run: one digest per owner per week with every failing check, most
 * important level first, each with its fix, and buttons to snooze, disown or opt out. Opt-outs,
 * snoozes, "not my service", the cooldown, quiet hours and working days (in the person's zone)
 * and being on call each keep a person out; a team nobody in which can be reached gets one
 * message in its channel instead. Pure: the ledger's keys make a second plan of the same week a
 * no-op.
 */
export function planNudges(input: NudgeInput): NudgePlan {
  const { now, settings } = input;
  const deliveries: PlannedDelivery[] = [];
  const skipped: NudgePlan['skipped'] = [];
  const snoozed = new Set(input.snoozes.filter((s) => s.until.getTime() > now.getTime()).map((s) => `${s.personRef}|${s.entityRef}|${s.scorecardId}|${s.checkId}`));
  const disowned = new Set(input.disowned.map((d) => `${d.personRef}|${d.entityRef}`));
  const cooldownMs = settings.cooldownDays * 86_400_000;

  // Failing checks per owner, most important first: lowest level, then heaviest, then by service.
  const byOwner = new Map<string, Failing[]>();
  for (const result of input.results) {
    if (result.ownerRef === undefined) continue;
    for (const check of result.checks) {
      if (check.state !== 'fail') continue;
      let list = byOwner.get(result.ownerRef);
      if (!list) byOwner.set(result.ownerRef, (list = []));
      list.push({ result, check });
    }
  }
  for (const list of byOwner.values()) list.sort(importance);

  // People may sit in several owning teams: collect each person's checks over all of them.
  const perPerson = new Map<string, { person: NudgePerson; failing: Failing[] }>();
  const ownersOrdered = [...byOwner.keys()].sort();
  for (const ownerRef of ownersOrdered) {
    const failing = byOwner.get(ownerRef)!;
    const owner = input.owners.get(ownerRef);
    const reachable = (owner?.people ?? []).filter((p) => platformFor(p.person, input.platforms) !== undefined);
    if (reachable.length === 0) {
      const platform = input.platforms.find((p) => owner?.channels[p] !== undefined);
      if (!owner || platform === undefined) {
        skipped.push({ subject: ownerRef, reason: 'unreachable' });
        continue;
      }
      const last = input.lastNudged.get(ownerRef);
      if (last && now.getTime() - last.getTime() < cooldownMs) {
        skipped.push({ subject: ownerRef, reason: 'cooldown' });
        continue;
      }
      deliveries.push({
        key: teamNudgeKey(ownerRef, input.week),
        job: NUDGE_JOB,
        period: input.period,
        platform,
        target: { kind: 'channel', channel: owner.channels[platform]! },
        subject: ownerRef,
        reply: nudgeReply(failing, settings.maxChecks, { team: owner.name, publicUrl: input.publicUrl }),
      });
      continue;
    }
    for (const p of reachable) {
      const mine = failing.filter((f) => !disowned.has(`${p.ref}|${f.result.entityRef}`));
      const entry = perPerson.get(p.ref) ?? { person: p, failing: [] };
      entry.failing.push(...mine);
      perPerson.set(p.ref, entry);
    }
  }

  for (const [ref, { person, failing }] of [...perPerson].sort(([a], [b]) => a.localeCompare(b))) {
    const zone = person.timeZone ?? input.timeZone;
    const open = failing.filter((f) => !snoozed.has(`${ref}|${f.result.entityRef}|${f.result.scorecard.id}|${f.check.check.id}`)).sort(importance);
    const last = input.lastNudged.get(ref);
    const email = person.person.email?.toLowerCase();
    const reason: SkipReason | undefined = input.optedOut.has(ref)
      ? 'opted_out'
      : open.length === 0
        ? 'nothing_failing'
        : last && now.getTime() - last.getTime() < cooldownMs
          ? 'cooldown'
          : !settings.workingDays.includes(weekdayIn(now, zone))
            ? 'not_working_day'
            : inQuietHours(settings.quietHours, now, zone)
              ? 'quiet_hours'
              : input.onCall && (input.onCall.has(ref) || (email !== undefined && input.onCall.has(email)))
                ? 'on_call'
                : undefined;
    if (reason) {
      skipped.push({ subject: ref, reason });
      continue;
    }
    const platform = platformFor(person.person, input.platforms)!;
    const target = { kind: 'person', person: person.person } as const;
    if (settings.digest) {
      deliveries.push({ key: nudgeKey(ref, input.week), job: NUDGE_JOB, period: input.period, platform, target, subject: ref, reply: nudgeReply(open, settings.maxChecks, { publicUrl: input.publicUrl, fixable: input.fixable }) });
    } else {
      const services = [...new Set(open.map((f) => f.result.entityRef))];
      for (const entityRef of services) {
        const only = open.filter((f) => f.result.entityRef === entityRef);
        deliveries.push({ key: serviceNudgeKey(ref, entityRef, input.week), job: NUDGE_JOB, period: input.period, platform, target, subject: ref, reply: nudgeReply(only, settings.maxChecks, { publicUrl: input.publicUrl, fixable: input.fixable }) });
      }
    }
  }
  return { deliveries, skipped };
}

const importance = (a: Failing, b: Failing): number =>
  a.check.check.levelRank - b.check.check.levelRank ||
  b.check.check.weight - a.check.check.weight ||
  a.result.entityRef.localeCompare(b.result.entityRef) ||
  a.check.check.id.localeCompare(b.check.check.id);

/** The platform that can reach a person: one where Steward knows their id, else the first that can look them up by email. */
export function platformFor(person: PersonRef, platforms: readonly Platform[]): Platform | undefined {
  const known = platforms.find((p) => (p === 'slack' && person.slackId) || (p === 'teams' && person.teamsId));
  if (known) return known;
  return person.email ? platforms.find((p) => p === 'slack') : undefined;
}

/**
 * The message: what is wrong and how to fix it, two lines per check, no cheering. A channel
 * message (a team nobody can be DM'd in) has no buttons: a click would speak for one person only.
 */
export function nudgeReply(
  failing: readonly Failing[],
  maxChecks: number,
  options: { team?: string; publicUrl?: string | undefined; fixable?: ((entityRef: string, check: CompiledCheck) => boolean) | undefined },
): Reply {
  const services = new Set(failing.map((f) => f.result.entityRef));
  const n = failing.length;
  const checks = `${n} check${n === 1 ? '' : 's'}`;
  const fail = n === 1 ? 'fails' : 'fail';
  const head = options.team
    ? `${checks} ${fail} on ${services.size} service${services.size === 1 ? '' : 's'} owned by ${options.team}.`
    : `${checks} ${fail} on ${services.size === 1 ? 'a service' : `${services.size} services`} you own.`;
  const shown = failing.slice(0, maxChecks);
  const blocks: Block[] = [text(strong(head))];
  for (const { result, check } of shown) {
    const service = refName(result.entityRef);
    const level = levelLabel(check.check.level);
    const fix: Inline[] = [`Fix: ${check.check.fix.how}`];
    if (check.fixUrl) fix.push(' ', link(check.fixUrl, 'Guide'));
    if (options.publicUrl) fix.push(' ', link(`${options.publicUrl}/services/${encodeURIComponent(service)}`, 'Open in browser'));
    blocks.push(text([strong(service), ` · ${result.scorecard.title} ${level}: ${check.check.title}. ${check.evidence}\n`, ...fix]));
    if (!options.team) {
      blocks.push(
        actions([
          // The buttons run the commands a person could type; the full ref names the service exactly.
          commandButton(`Snooze ${NUDGE_SNOOZE_DAYS} days`, ['snooze', result.entityRef, `${result.scorecard.id}/${check.check.id}`, String(NUDGE_SNOOZE_DAYS)]),
          commandButton('Not my service', ['not-mine', result.entityRef]),
          ...(options.fixable?.(result.entityRef, check.check) ? [fixButton(result.entityRef, result.scorecard.id, check.check.id)] : []),
        ]),
      );
    }
  }
  const more = n - shown.length;
  const foot: Inline[] = [
    ...(more > 0 ? [`${more} more not shown; `, code('mine'), ' lists them. '] : []),
    options.team ? 'Sent here because nobody in the team can be messaged directly. ' : 'At most one of these a week. ',
    code('snooze <service> <check> <days>'),
    ' or ',
    code('optout'),
    ' to stop.',
  ];
  blocks.push(context(foot));
  if (!options.team) blocks.push(actions([commandButton('Opt out of nudges', ['optout'], 'danger')]));
  const first = shown[0];
  // Explicit: the notification shows one line, the count and the first fix; the blocks list each check.
  const fallback = first ? `${head} First: ${refName(first.result.entityRef)}: ${first.check.check.title}. Fix: ${first.check.check.fix.how}` : head;
  return reply(fallback, blocks, 'channel');
}
