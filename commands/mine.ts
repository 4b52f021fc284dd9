import { z } from 'zod';
import { defineCommand, ownedBy, requirePerson } from '../src/core/commands/index.js';
import type { Entity } from '../src/core/catalog/index.js';
import type { Block } from '../src/core/message/index.js';
import { code, context, list, reply, strong, text } from '../src/core/message/index.js';
import type { ScoringService } from '../src/core/scoring/index.js';
import { levelLabel } from '../src/core/scoring/index.js';
import { capped, kindLabel } from './describe.js';

export default defineCommand({
  name: 'mine',
  summary: 'The services you own, directly or through your teams',
  params: [],
  args: z.object({}),
  run({ invocation, catalog, scoring }) {
    const { owned, teamNames } = ownedBy(catalog, requirePerson(catalog, invocation.actor));
    const teamText = teamNames.length > 0 ? `You are in ${teamNames.join(', ')}.` : 'You are in no team in the catalog.';
    if (owned.length === 0) return reply(`${teamText} Nothing in the catalog is owned by you or your teams.`);
    const { shown, more } = capped(owned, 30);
    const health = scoring ? levelsOf(scoring, shown) : undefined;
    const blocks: Block[] = [
      text([strong(`${owned.length} owned by you and your teams`), '']),
      list(shown.map((e) => [strong(e.name), ` (${kindLabel(e)})`, ...(health?.byService.get(e.ref) ?? [])]), more),
      ...(health && health.failing > 0
        ? [text([`${health.failing} failing check${health.failing === 1 ? '' : 's'} across these. Ask `, code('health <service>'), ' for how to fix them.'])]
        : []),
      context(teamText),
    ];
    // Explicit: who you are and what you own on one line; the blocks lead with the count and list levels.
    return reply(`${teamText} You own ${owned.length}: ${shown.map((e) => e.name).join(', ')}${more > 0 ? ', …' : ''}.`, blocks);
  },
});

/** Each service's level per scorecard and how many checks fail, evaluated now and recorded. */
function levelsOf(scoring: ScoringService, services: readonly Entity[]): { byService: Map<string, string[]>; failing: number } {
  const byService = new Map<string, string[]>();
  let failing = 0;
  for (const e of services) {
    const parts = scoring.evaluate(e, { record: 'chat' }).map((r, i) => {
      const n = r.checks.filter((c) => c.state === 'fail').length;
      failing += n;
      return `${i === 0 ? ' — ' : ', '}${r.scorecard.title} ${levelLabel(r.level)}${n > 0 ? ` (${n} failing)` : ''}`;
    });
    byService.set(e.ref, parts);
  }
  return { byService, failing };
}
