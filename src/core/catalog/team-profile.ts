import type { PersonRef } from '../message/index.js';
import type { CatalogReader } from './catalog-reader.js';
import type { Entity } from './entity.js';
import { annotation, links } from './entity.js';
import { refName } from './entity-ref.js';

/**
 * What chat needs to know about a team: its name, people and where to reach it.
 *
 * Channels are read from, in order: the annotations `steward.dev/slack-channel` and
 * `steward.dev/teams-channel`; `slack.com/bot-notify` when it names a channel (`C…`, `G…` or
 * `#name`); `metadata.links` with `type: slack-channel` / `teams-channel` or a URL on
 * `slack.com/archives/` / `teams.microsoft.com`.
 */
export interface TeamProfile {
  readonly entity: Entity;
  readonly name: string;
  readonly email: string | undefined;
  readonly members: readonly PersonRef[];
  readonly slackChannel: string | undefined;
  readonly teamsChannel: string | undefined;
  readonly parent: Entity | undefined;
}

export function teamProfile(catalog: CatalogReader, team: Entity): TeamProfile {
  const profile = (team.spec['profile'] ?? {}) as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const members = catalog
    .related(team.ref, 'hasMember')
    .map((ref): PersonRef => {
      const p = catalog.person(ref);
      return p ? { name: p.name, email: p.email, slackId: p.slackId, teamsId: p.teamsId } : { name: refName(ref) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const entityLinks = links(team);
  const botNotify = annotation(team, 'slack.com/bot-notify');
  const slackChannel =
    annotation(team, 'steward.dev/slack-channel') ??
    (botNotify && /^([CG][A-Z0-9]{2,}|#.+)$/.test(botNotify) ? botNotify : undefined) ??
    entityLinks.find((l) => l.type === 'slack-channel' || l.url.includes('slack.com/archives/'))?.url;
  const teamsChannel =
    annotation(team, 'steward.dev/teams-channel') ??
    entityLinks.find((l) => l.type === 'teams-channel' || l.url.includes('teams.microsoft.com'))?.url;
  const parentRef = catalog.related(team.ref, 'childOf')[0];
  return {
    entity: team,
    name: str(profile['displayName']) ?? team.title ?? team.name,
    email: str(profile['email']),
    members,
    slackChannel,
    teamsChannel,
    parent: parentRef ? catalog.get(parentRef) : undefined,
  };
}
