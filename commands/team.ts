import { z } from 'zod';
import { defineCommand, requiredText } from '../src/core/commands/index.js';
import type { Entity } from '../src/core/catalog/index.js';
import { SERVICE_KINDS, TEAM_KINDS, displayName, requireEntity, teamProfile } from '../src/core/catalog/index.js';
import type { Block, Inline } from '../src/core/message/index.js';
import { channel, context, fields, heading, joinSpans, list, mention, reply, strong, text } from '../src/core/message/index.js';
import type { ScoringService } from '../src/core/scoring/index.js';
import { levelLabel } from '../src/core/scoring/index.js';
import { capped, kindLabel, whereDefined } from './describe.js';

export default defineCommand({
  name: 'team',
  summary: "A team's people, channel and the services it owns",
  params: ['team...'],
  args: z.object({ team: requiredText('team', 'team payments') }),
  examples: ['team payments', 'team group:default/team-payments'],
  run({ args, catalog, scoring }) {
    const group = requireEntity(catalog, args.team, TEAM_KINDS, 'team');
    const team = teamProfile(catalog, group);
    const owned = catalog.relatedEntities([group.ref], 'ownerOf', SERVICE_KINDS);
    const children = catalog.related(group.ref, 'parentOf');

    const rows: Array<readonly [string, Inline | Inline[]]> = [];
    if (team.parent) rows.push(['Part of', displayName(team.parent)]);
    if (team.slackChannel) rows.push(['Slack', channel(team.slackChannel)]);
    if (team.teamsChannel) rows.push(['Teams', channel(team.teamsChannel)]);
    if (team.email) rows.push(['Email', team.email]);
    const members = capped(team.members, 15);
    const memberSpans: Inline[] = members.shown.length > 0 ? joinSpans(members.shown.map(mention)) : ['none in the catalog'];
    if (members.more > 0) memberSpans.push(`, …and ${members.more} more`);
    rows.push([`Members (${team.members.length})`, memberSpans]);
    if (children.length > 0) rows.push(['Teams within', children.map((c) => catalog.get(c)?.name ?? c).join(', ')]);

    const services = capped(owned, 25);
    const blocks: Block[] = [
      heading(team.name),
      fields(rows),
      text(owned.length === 0 ? 'Owns nothing in the catalog directly.' : [strong(`Owns ${owned.length}`), owned.length === 1 ? ' entity:' : ' entities:']),
    ];
    const levels = owned.length > 0 && scoring ? teamLevels(scoring, group.ref, services.shown) : undefined;
    if (owned.length > 0) {
      blocks.push(list(services.shown.map((e) => [strong(e.name), ` (${kindLabel(e)})`, ...(levels?.byService.get(e.ref) ?? [])]), services.more));
    }
    if (levels && levels.ranks.length > 0) blocks.push(text([strong('Rank: '), levels.ranks.join('; ')]));
    blocks.push(context(`${group.ref} · defined at ${whereDefined(group)}`));
    // Explicit: a one-line summary; the blocks open with a heading and a page of fields.
    return reply(
      `${team.name}: ${team.members.length} members, owns ${owned.length} (${services.shown.map((e) => e.name).join(', ')}${services.more > 0 ? ', …' : ''}).`,
      blocks,
    );
  },
});

const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
};

/**
 * Each shown service's level per scorecard, evaluated now (a page of services, not the catalog),
 * and the team's rank on each scorecard from the stored standings (kept by every scoring run,
 * import and recorded evaluation), so the answer reads a few rows whatever the catalog's size.
 */
function teamLevels(scoring: ScoringService, teamRef: string, shown: readonly Entity[]): { byService: Map<string, string[]>; ranks: string[] } {
  const byService = new Map<string, string[]>();
  for (const e of shown) {
    for (const r of scoring.evaluate(e)) {
      const parts = byService.get(r.entityRef) ?? [];
      parts.push(`${parts.length === 0 ? ' — ' : ', '}${r.scorecard.title} ${levelLabel(r.level)}`);
      byService.set(r.entityRef, parts);
    }
  }
  const ranks = scoring.scorecards.flatMap((c) => {
    const standings = scoring.standings(c.id);
    const mine = standings.find((s) => s.ownerRef === teamRef);
    return mine ? [`${c.title} ${ordinal(mine.rank)} of ${standings.length} (${mine.averageScore}/100)`] : [];
  });
  return { byService, ranks };
}
