import type { App, webApi } from '@slack/bolt';
import type { Actor } from '../../core/commands/index.js';
import { describeError } from '../../core/commands/index.js';
import { isRecord } from '../../core/is-record.js';
import type { Reply } from '../../core/message/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import { renderBlockKit, SLACK_LIMITS } from './render-block-kit.js';

/**
 * The Home tab: on `app_home_opened` (the Home tab, not Messages) the person's page is built by
 * core and published with `views.publish`, within the 100 blocks a Home view may hold. A publish
 * that fails is logged with a reference and not tried again for that person for a while, so a
 * broken view or a revoked token cannot turn every tab click into a storm of calls; a person
 * clicking the tab twice while it is being built gets one publish.
 */
export interface HomeTabOptions {
  readonly app: App;
  readonly client: webApi.WebClient;
  /** The person's page, as a neutral reply. */
  readonly home: (actor: Actor) => Promise<Reply>;
  readonly actorFor: (userId: string) => Promise<Actor>;
  /** Counts the publish as work in flight (shutdown and tests wait for it). */
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  readonly referenceId: () => string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a person's Home tab is left alone after a failed publish. Default 60 s. */
  readonly backoffMs?: number | undefined;
}

export function homeTabView(page: Reply): { type: 'home'; blocks: ReturnType<typeof renderBlockKit>['blocks'] } {
  return { type: 'home', blocks: renderBlockKit(page, { maxBlocks: SLACK_LIMITS.homeBlocks }).blocks };
}

export function listenToHomeOpened(options: HomeTabOptions): void {
  const { app, client, logger, clock } = options;
  const backoff = options.backoffMs ?? 60_000;
  const building = new Set<string>();
  const failedAt = new Map<string, number>();

  async function publish(userId: string): Promise<void> {
    const ref = options.referenceId();
    try {
      const page = await options.home(await options.actorFor(userId));
      await client.views.publish({ user_id: userId, view: homeTabView(page) });
      failedAt.delete(userId);
      logger.info('slack home tab published', { user: userId });
    } catch (err) {
      failedAt.set(userId, clock.now().getTime());
      logger.error('slack home tab not published', { user: userId, ref, err: describeError(err) });
    }
  }

  app.event('app_home_opened', async ({ event }) => {
    const e = event as unknown;
    if (!isRecord(e) || e['tab'] !== 'home' || typeof e['user'] !== 'string') return;
    const userId = e['user'];
    const failed = failedAt.get(userId);
    if (failed !== undefined && clock.now().getTime() - failed < backoff) {
      logger.debug('slack home tab left alone after a failed publish', { user: userId });
      return;
    }
    if (building.has(userId)) return;
    building.add(userId);
    await options.track(publish(userId)).finally(() => building.delete(userId));
  });
}
