import type { CatalogReader, Entity } from '../catalog/index.js';
import { displayName } from '../catalog/index.js';
import { CommandError } from '../errors.js';
import type { Block, Inline, Reply } from '../message/index.js';
import { code, context, divider, heading, list, mention, reply, strong, text } from '../message/index.js';
import type { NudgePreferences } from '../nudges/nudge-preferences.js';
import type { OncallLookup } from '../oncall/index.js';
import { formatZoned } from '../oncall/index.js';
import { levelLabel } from '../scoring/index.js';
import { failingCheckBlocks } from './failing-checks.js';
import { ownedBy, requirePerson } from './owned-by.js';
import type { Actor, CommandServices } from './types.js';

/**
 * A person's page in Steward (the Slack Home tab): what they own with its levels and failing
 * checks, who is on call for their teams now, and their nudge settings. Platform-neutral; the
 * renderer keeps it within the surface's block limit with an "…and N more" line.
 */
export type HomeViewServices = Pick<CommandServices, 'catalog' | 'clock' | 'scoring' | 'oncall' | 'nudges' | 'fixes' | 'timeZone'>;

/** Services shown in full (levels and failing checks); the rest are counted. */
const MAX_SERVICES = 15;
const MAX_TEAMS = 5;
const MAX_SNOOZES = 10;

const ASK = ['Ask me in a thread (', code('@Steward who owns payments-api?'), ') or here in Messages; ', code('help'), ' lists every command.'];

export async function homeView(services: HomeViewServices, actor: Actor): Promise<Reply> {
  const { catalog, scoring, clock } = services;
  let person;
  try {
    person = requirePerson(catalog, actor);
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    return reply(err.message, [heading('Steward'), text(err.message), ...(err.hint ? [context(err.hint)] : []), context(ASK)]);
  }
  const mine = ownedBy(catalog, person);
  const blocks: Block[] = [heading(`Steward for ${person.name}`)];
  blocks.push(context(mine.teamNames.length > 0 ? `You are in ${mine.teamNames.join(', ')}.` : 'You are in no team in the catalog.'));

  blocks.push(heading(`What you own (${mine.owned.length})`));
  if (mine.owned.length === 0) blocks.push(text('Nothing in the catalog is owned by you or your teams.'));
  let failing = 0;
  for (const entity of mine.owned.slice(0, MAX_SERVICES)) {
    const results = scoring ? scoring.evaluate(entity, { record: 'chat' }) : [];
    const levels: Inline[] = results.flatMap((r, i) => [i === 0 ? ' — ' : ', ', `${r.scorecard.title} ${levelLabel(r.level)} · ${r.score}/100`]);
    blocks.push(text([strong(entity.name), ...levels]));
    const checks = failingCheckBlocks(entity, results, { fixes: services.fixes });
    failing += results.reduce((n, r) => n + r.checks.filter((c) => c.state === 'fail').length, 0);
    blocks.push(...checks);
  }
  if (mine.owned.length > MAX_SERVICES) blocks.push(context(`…and ${mine.owned.length - MAX_SERVICES} more: ask mine for the whole list.`));
  if (failing === 0 && mine.owned.length > 0 && scoring) blocks.push(context('No failing checks. Nice.'));

  const teams = mine.teams.map((ref) => catalog.get(ref)).filter((e): e is Entity => e !== undefined).slice(0, MAX_TEAMS);
  if (teams.length > 0 && services.oncall) {
    blocks.push(divider(), heading('On call now'));
    const oncall = services.oncall;
    const found = await Promise.all(teams.map((t) => oncall.lookup(t).catch(() => undefined)));
    blocks.push(list(teams.map((t, i) => [strong(displayName(t)), ': ', ...oncallLine(found[i], services, clock.now())])));
  }

  if (services.nudges) {
    blocks.push(divider(), heading('Your nudges'), ...nudgeBlocks(services.nudges, catalog, person.ref, clock.now(), services.timeZone ?? 'UTC'));
  }
  blocks.push(divider(), context(ASK));
  const fallback = `You own ${mine.owned.length} service${mine.owned.length === 1 ? '' : 's'} with ${failing} failing check${failing === 1 ? '' : 's'}.`;
  return reply(fallback, blocks);
}

function oncallLine(found: OncallLookup | undefined, services: HomeViewServices, now: Date): Inline[] {
  if (!found) return ['the on-call lookup failed.'];
  const answer = found.answer ?? found.fallback?.answer;
  if (!answer) return [found.status === 'none' ? 'no on-call declared.' : `no answer (${found.status}).`];
  const primary = answer.shifts.filter((s) => s.level === 1);
  if (primary.length === 0) return ['nobody is on call.'];
  return primary.flatMap((s, i): Inline[] => {
    const known = s.person.email ? services.catalog.personByEmail(s.person.email) : undefined;
    const who: Inline = known ? mention({ name: known.name, email: known.email, slackId: known.slackId, teamsId: known.teamsId }) : s.person.name;
    return [...(i > 0 ? [', '] : []), who, ...(s.until ? [` until ${formatZoned(s.until, found.timeZone, now)}`] : [])];
  });
}

function nudgeBlocks(nudges: NudgePreferences, catalog: CatalogReader, personRef: string, now: Date, timeZone: string): Block[] {
  const out = nudges.isOptedOut(personRef);
  const snoozes = nudges.snoozes(now).filter((s) => s.personRef === personRef);
  const disowned = nudges.disowned().filter((d) => d.personRef === personRef);
  const blocks: Block[] = [
    text(out ? ['You are opted out of nudges. ', code('optin'), ' turns them back on.'] : ['You get nudges about failing checks. ', code('optout'), ' stops them.']),
  ];
  if (snoozes.length > 0) {
    blocks.push(
      list(
        snoozes.slice(0, MAX_SNOOZES).map((s): Inline[] => ['Snoozed: ', strong(catalog.get(s.entityRef)?.name ?? s.entityRef), ` ${s.scorecardId}/${s.checkId} until ${formatZoned(s.until, timeZone, now)}`]),
        Math.max(0, snoozes.length - MAX_SNOOZES),
      ),
    );
  }
  if (disowned.length > 0) blocks.push(context(`Not yours, as you said: ${disowned.map((d) => catalog.get(d.entityRef)?.name ?? d.entityRef).join(', ')}.`));
  return blocks;
}
