import { z } from 'zod';
import { defineCommand, requiredText } from '../src/core/commands/index.js';
import type { Entity } from '../src/core/catalog/index.js';
import { SERVICE_KINDS, annotation, label, links, refKind, requireEntity, resolveOwner, tags } from '../src/core/catalog/index.js';
import type { Block, Inline } from '../src/core/message/index.js';
import { actions, context, fields, heading, joinSpans, link, list, reply, text, urlButton } from '../src/core/message/index.js';
import { capped, kindLabel, nameWithTitle, refLabel, servicePage, whereDefined } from './describe.js';

const str = (e: Entity, key: string): string | undefined =>
  typeof e.spec[key] === 'string' && (e.spec[key] as string).trim() !== '' ? (e.spec[key] as string) : undefined;

export default defineCommand({
  name: 'info',
  summary: 'What a service is: description, lifecycle, tier, system, owner, links and dependencies',
  params: ['service...'],
  args: z.object({ service: requiredText('service', 'info payments-api') }),
  examples: ['info payments-api'],
  run({ args, catalog, signIn }) {
    const e = requireEntity(catalog, args.service, SERVICE_KINDS, 'service');
    const name = nameWithTitle(e);
    const owner = resolveOwner(catalog, e);
    const system = catalog.related(e.ref, 'partOf').find((r) => ['system', 'domain'].includes(refKind(r)));
    const tier = label(e, 'tier') ?? annotation(e, 'steward.dev/tier');
    const rows: Array<readonly [string, Inline | Inline[]]> = [['Kind', kindLabel(e)]];
    const lifecycle = str(e, 'lifecycle');
    if (lifecycle) rows.push(['Lifecycle', lifecycle]);
    if (tier) rows.push(['Tier', tier]);
    rows.push([
      'Owner',
      owner.ownerRef
        ? `${refLabel(catalog, owner.ownerRef)}${owner.owner ? '' : ' (not in the catalog)'}${owner.through ? ` (via ${owner.through.name})` : ''}`
        : 'none on record',
    ]);
    if (system) rows.push([refKind(system) === 'domain' ? 'Domain' : 'System', refLabel(catalog, system)]);
    const entityTags = tags(e);
    if (entityTags.length > 0) rows.push(['Tags', entityTags.join(', ')]);

    const blocks: Block[] = [heading(name), text(e.description ?? 'No description in the catalog.'), fields(rows)];
    const entityLinks = links(e);
    if (entityLinks.length > 0) {
      const { shown, more } = capped(entityLinks, 10);
      blocks.push(text('Links'), list(shown.map((l) => link(l.url, l.title ?? l.type ?? l.url)), more));
    }
    const depends = catalog.related(e.ref, 'dependsOn');
    const provides = catalog.related(e.ref, 'providesApi');
    const consumes = catalog.related(e.ref, 'consumesApi');
    const dependents = catalog.related(e.ref, 'dependencyOf');
    const relationRows: Array<readonly [string, Inline[]]> = [];
    const names = (refs: string[]): Inline[] => {
      const { shown, more } = capped(refs, 8);
      const spans = joinSpans(shown.map((r) => refLabel(catalog, r)));
      if (more > 0) spans.push(`, …and ${more} more`);
      return spans;
    };
    if (depends.length > 0) relationRows.push(['Depends on', names(depends)]);
    if (dependents.length > 0) relationRows.push(['Needed by', names(dependents)]);
    if (provides.length > 0) relationRows.push(['Provides APIs', names(provides)]);
    if (consumes.length > 0) relationRows.push(['Consumes APIs', names(consumes)]);
    if (relationRows.length > 0) blocks.push(fields(relationRows));
    const page = servicePage(signIn, e);
    if (page) blocks.push(actions([urlButton('Open in browser', page)]));
    blocks.push(context(`${e.ref} · defined at ${whereDefined(e)}`));

    // Explicit: the blocks open with a heading and a page of fields; a notification shows one line.
    const fallback = `${name} (${kindLabel(e)}${lifecycle ? `, ${lifecycle}` : ''}): ${e.description ?? 'no description'}`;
    return reply(fallback, blocks);
  },
});
