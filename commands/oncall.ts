import { z } from 'zod';
import { CommandError, defineCommand, requiredText } from '../src/core/commands/index.js';
import type { CatalogReader, Entity, TeamProfile } from '../src/core/catalog/index.js';
import { SERVICE_KINDS, TEAM_KINDS, links, requireEntity, teamProfile } from '../src/core/catalog/index.js';
import type { Action, Block, Inline, PersonRef, Reply } from '../src/core/message/index.js';
import { actions, channel, code, context, fields, heading, mention, reply, strong, text, urlButton } from '../src/core/message/index.js';
import type { OncallAnswer, OncallLookup, OncallPerson, OncallService, OncallSource } from '../src/core/oncall/index.js';
import { formatZoned, formatZonedTime } from '../src/core/oncall/index.js';
import { nameWithTitle } from './describe.js';

/**
 * `/service oncall <service|team>`: who to page right now. Primary, secondary and further
 * escalation levels, until when (in the team's time zone), from which source, with a link to page
 * and the runbook, and the owning team's channel. When the provider does not answer, the last
 * answer it gave is shown with its time; with none, what is left: the team's own rotation, the
 * channel and the links to page by hand. A provider failure is never an error reply.
 */
export default defineCommand({
  name: 'oncall',
  summary: 'Who is on call for a service or team right now, until when, and how to page them',
  aliases: ['on-call'],
  params: [{ name: 'target...', shown: 'service|team' }],
  args: z.object({ target: requiredText('service or team', 'oncall payments-api') }),
  examples: ['oncall payments-api', 'oncall team-payments'],
  async run({ args, catalog, clock, oncall, invocation }) {
    const entity = requireEntity(catalog, args.target, [...SERVICE_KINDS, ...TEAM_KINDS], 'service or team');
    if (!oncall) throw new CommandError('oncall_not_set_up', 'On-call lookups are not set up in this Steward.');
    const found = await oncall.lookup(entity);
    const team = found.resolution.team ? teamProfile(catalog, found.resolution.team) : undefined;
    return answer({ entity, found, catalog, oncall, now: clock.now(), platform: invocation.platform, team, people: new Map() });
  },
});

interface Context {
  readonly entity: Entity;
  readonly found: OncallLookup;
  readonly catalog: CatalogReader;
  readonly oncall: OncallService;
  readonly now: Date;
  readonly platform: string;
  readonly team: TeamProfile | undefined;
  /** Provider people already matched to the catalog, so each is looked up once per answer. */
  readonly people: Map<OncallPerson, PersonRef>;
}

/** Chat limits: Slack shows at most 10 fields, and nobody reads twenty names in an incident. */
const MAX_LEVELS = 6;
const MAX_PEOPLE_PER_LEVEL = 5;

const levelName = (level: number): string => (level === 1 ? 'Primary' : level === 2 ? 'Secondary' : `Escalation ${level}`);

/**
 * Every answer has an explicit one-line fallback: the blocks open with a heading and give the
 * shifts as fields, while a notification shows only its first line, which must say who to page.
 */
function answer(c: Context): Reply {
  const { entity, found, oncall } = c;
  const name = entity.name;
  const title = heading(`On call: ${nameWithTitle(entity)}`);
  const where = teamRows(c);
  const buttons = linkButtons(c);
  const notes = found.resolution.problems.length > 0 ? [context(`Ignored: ${found.resolution.problems.join('; ')}`)] : [];
  const providerName = found.source ? oncall.providerName(providerOf(found.source)) : undefined;

  switch (found.status) {
    case 'none': {
      const isTeam = entity.kind.toLowerCase() === 'group';
      const fix: Inline[] = isTeam
        ? ['Add a ', code('pagerduty.com/escalation-policy-id'), ' or ', code('opsgenie.com/team'), ' annotation to the team, or declare its rotation in ', code('spec.oncall'), '.']
        : ['Add a ', code('pagerduty.com/service-id'), ' or ', code('opsgenie.com/team'), " annotation to it, its system or its team, or declare a rotation in the team's ", code('spec.oncall'), '.'];
      return reply(`No on-call is declared for ${name}.${channelSentence(c)}`, [
        title,
        text([strong(nameWithTitle(entity)), isTeam ? ' declares no on-call.' : ' has no on-call declared, directly, through its system or through its team.']),
        ...(where.length > 0 ? [fields(where)] : []),
        context(fix),
        ...buttonBlock(buttons),
        ...notes,
      ]);
    }
    case 'unconfigured': {
      const first = found.skipped[0]!;
      const provider = oncall.providerName(providerOf(first.source));
      return reply(`${name} is on ${provider}, but Steward has no ${first.setting} set, so I can't ask it.${channelSentence(c)}`, [
        title,
        text([strong(nameWithTitle(entity)), ` is on ${provider} (`, ...describeSource(first.source), '), but Steward has no ', code(first.setting), " set, so I can't ask it."]),
        ...(where.length > 0 ? [fields(where)] : []),
        ...buttonBlock(buttons),
        ...notes,
      ]);
    }
    case 'unavailable': {
      const failure = found.failure!;
      const said = `${providerName} ${failure.verb} (${failure.detail})`;
      const advice = adviceFor(c);
      if (found.fallback) {
        const fb = found.fallback;
        return reply(`${said} and I have no earlier answer for ${name}. ${summary(c, fb.answer, fb.source)}`, [
          title,
          text([strong(said), ` and I have no earlier answer. The team's own rotation says:`]),
          fields([...shiftRows(c, fb.answer), ...where]),
          ...buttonBlock(buttons),
          context(sourceLine(c, fb.source, fb.answer)),
          ...(advice ? [context(advice)] : []),
          ...notes,
        ]);
      }
      return reply(`${said} and I have no earlier answer for ${name}. Page through ${providerName} directly${channelSentence(c, ' or ask in')}`, [
        title,
        text([strong(said), ` and I have no earlier answer for ${name}. Page through ${providerName} directly, or ask the team.`]),
        ...(where.length > 0 ? [fields(where)] : []),
        ...buttonBlock(buttons),
        context(sourceLine(c, found.source!, undefined)),
        ...(advice ? [context(advice)] : []),
        ...notes,
      ]);
    }
    case 'live':
    case 'cached':
    case 'stale': {
      const got = found.answer!;
      const source = found.source!;
      const blocks: Block[] = [title];
      let staleText = '';
      if (found.status === 'stale') {
        const failure = found.failure!;
        const asOf = formatZoned(found.asOf!, found.timeZone, c.now);
        staleText = ` As of ${asOf}: ${providerName} ${failure.verb} just now (${failure.detail}).`;
        blocks.push(text([strong(`As of ${asOf}`), `: ${providerName} ${failure.verb} just now (${failure.detail}), so this is its last answer.`]));
      }
      const rows = shiftRows(c, got);
      if (rows.length === 0) blocks.push(text(`${providerName} says nobody is on call for ${got.label} right now${got.note ? `: ${got.note}` : ''}.`));
      if (rows.length + where.length > 0) blocks.push(fields([...rows, ...where]));
      blocks.push(...buttonBlock(buttons), context(sourceLine(c, source, got)));
      const advice = found.status === 'stale' ? adviceFor(c) : undefined;
      if (advice) blocks.push(context(advice));
      const passedOver = found.skipped[0];
      if (passedOver) {
        blocks.push(
          context([
            `${oncall.providerName(providerOf(passedOver.source))} is declared too (`,
            ...describeSource(passedOver.source),
            '), but Steward has no ',
            code(passedOver.setting),
            ' set.',
          ]),
        );
      }
      blocks.push(...notes);
      return reply(`${summary(c, got, source)}${staleText}`, blocks);
    }
  }
}

/** What an operator should fix when the failure is not an outage. */
function adviceFor(c: Context): Inline[] | undefined {
  const failure = c.found.failure;
  const source = c.found.source;
  if (!failure || source?.type !== 'provider') return undefined;
  if (failure.error.reason === 'not_found') return ['Check ', code(`${source.annotation}: ${source.target.id}`), ` on ${source.from.name}.`];
  if (failure.error.reason === 'unauthorized') return ["Check Steward's ", code(source.target.provider === 'opsgenie' ? 'OPSGENIE_API_KEY' : 'PAGERDUTY_TOKEN'), '.'];
  return undefined;
}

const providerOf = (s: OncallSource): string => (s.type === 'rotation' ? 'rotation' : s.target.provider);

/** "On call for payments-api (PagerDuty · Payments escalation policy): primary Ana Ruiz until …, secondary Ben Okafor." */
function summary(c: Context, got: OncallAnswer, source: OncallSource): string {
  const head = `On call for ${c.entity.name} (${c.oncall.providerName(providerOf(source))} · ${got.label})`;
  if (got.shifts.length === 0) return `${head}: nobody right now${got.note ? ` (${got.note})` : ''}.`;
  const parts = byLevel(got).map(([level, shifts]) => {
    const people = shifts
      .slice(0, MAX_PEOPLE_PER_LEVEL)
      .map((s) => `${personRef(c, s.person).name}${level === 1 && s.until ? ` until ${formatZoned(s.until, c.found.timeZone, c.now)}` : ''}`)
      .join(' and ');
    return `${levelName(level).toLowerCase()} ${people}`;
  });
  const [first, second, ...rest] = parts;
  return `${head}: ${[first, second].filter(Boolean).join(', ')}${rest.length > 0 ? `; ${rest.join('; ')}` : ''}.`;
}

function byLevel(got: OncallAnswer): Array<[number, OncallAnswer['shifts'][number][]]> {
  const levels = new Map<number, OncallAnswer['shifts'][number][]>();
  for (const s of got.shifts) levels.set(s.level, [...(levels.get(s.level) ?? []), s]);
  return [...levels.entries()].sort(([a], [b]) => a - b).slice(0, MAX_LEVELS);
}

function shiftRows(c: Context, got: OncallAnswer): Array<readonly [string, Inline[]]> {
  return byLevel(got).map(([level, shifts]): readonly [string, Inline[]] => {
    const spans: Inline[] = [];
    shifts.slice(0, MAX_PEOPLE_PER_LEVEL).forEach((s, i) => {
      if (i > 0) spans.push(', ');
      spans.push(mention(personRef(c, s.person)));
      if (s.until) spans.push(` until ${formatZoned(s.until, c.found.timeZone, c.now)}`);
    });
    if (shifts.length > MAX_PEOPLE_PER_LEVEL) spans.push(`, and ${shifts.length - MAX_PEOPLE_PER_LEVEL} more`);
    return [levelName(level), spans];
  });
}

/** The catalog's person for a provider's user (by email), so mentions use the chat identity. */
function personRef(c: Context, p: OncallPerson): PersonRef {
  const known = c.people.get(p);
  if (known) return known;
  const ref = matchPerson(c.catalog, p);
  c.people.set(p, ref);
  return ref;
}

function matchPerson(catalog: CatalogReader, p: OncallPerson): PersonRef {
  const person =
    (p.ref ? catalog.person(p.ref) : undefined) ??
    (p.email ? catalog.personByEmail(p.email) : undefined) ??
    (p.name.includes('@') ? catalog.personByEmail(p.name) : undefined);
  if (person) return { name: person.name, email: person.email, slackId: person.slackId, teamsId: person.teamsId };
  // Opsgenie knows people by username, usually an email: show its local part, keep the email so
  // a chat adapter can still find the person's account by it.
  const email = p.email ?? (p.name.includes('@') ? p.name : undefined);
  return { name: p.name.includes('@') ? p.name.slice(0, p.name.indexOf('@')) : p.name, email };
}

function teamRows(c: Context): Array<readonly [string, Inline[]]> {
  const profile = c.team;
  if (!profile) return [];
  const rows: Array<readonly [string, Inline[]]> = [['Team', [profile.name]]];
  const slack = profile.slackChannel && c.platform !== 'teams' ? profile.slackChannel : undefined;
  const teams = profile.teamsChannel && c.platform !== 'slack' ? profile.teamsChannel : undefined;
  if (slack) rows.push(['Slack', [channel(slack)]]);
  if (teams) rows.push(['Teams', [channel(teams)]]);
  return rows;
}

function channelSentence(c: Context, lead = ' Ask in'): string {
  const profile = c.team;
  if (!profile) return lead === ' Ask in' ? '' : '.';
  const where = profile.slackChannel ?? profile.teamsChannel ?? profile.email;
  return where ? `${lead} ${where}.` : lead === ' Ask in' ? '' : '.';
}

function linkButtons(c: Context): Action[] {
  const out: Action[] = [];
  const providerId = c.found.source ? providerOf(c.found.source) : undefined;
  if (c.found.pageUrl && providerId) out.push(urlButton(`Page on ${c.oncall.providerName(providerId)}`, c.found.pageUrl));
  const runbook = runbookOf(c.entity) ?? (c.found.resolution.team ? runbookOf(c.found.resolution.team) : undefined);
  if (runbook) out.push(urlButton('Runbook', runbook));
  return out;
}

const buttonBlock = (buttons: Action[]): Block[] => (buttons.length > 0 ? [actions(buttons)] : []);

function runbookOf(e: Entity): string | undefined {
  const all = links(e);
  return (all.find((l) => l.type?.toLowerCase() === 'runbook') ?? all.find((l) => /runbook/i.test(l.title ?? '')))?.url;
}

function describeSource(s: OncallSource): Inline[] {
  if (s.type === 'rotation') {
    return s.rotation.declaredIn === 'config'
      ? ['the rotation of ', s.from.name, ' in the config (', code(`oncall.rotations`), ')']
      : ['the rotation in ', code('spec.oncall'), ` of ${s.from.name}`];
  }
  const where = s.via === 'self' ? '' : s.via === 'system' ? ` on its system ${s.from.name}` : ` on its team ${s.from.name}`;
  return [code(`${s.annotation}: ${s.target.id}`), where];
}

function sourceLine(c: Context, s: OncallSource, got: OncallAnswer | undefined): Inline[] {
  const { found } = c;
  const provider = c.oncall.providerName(providerOf(s));
  const out: Inline[] = [`${provider}${got ? ` · ${got.label}` : ''}, from `, ...describeSource(s), '.'];
  if (s.type === 'rotation') out.push(` ${s.rotation.length} shifts, handoffs in ${s.rotation.timeZone}.`);
  if (found.status === 'cached' && found.asOf) out.push(` Answer from ${formatZonedTime(found.asOf, found.timeZone)} (cached).`);
  else if (found.status === 'live' && s.type === 'provider') out.push(` Asked at ${formatZonedTime(c.now, found.timeZone)}.`);
  if (got && got.shifts.some((shift) => shift.until)) out.push(` Times in ${found.timeZone}.`);
  return out;
}
