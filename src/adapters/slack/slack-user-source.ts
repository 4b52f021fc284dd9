import type { webApi } from '@slack/bolt';
import type { ChatProfile, ChatUserSource } from '../../core/people/index.js';

/**
 * `users.info` and `users.lookupByEmail` as the directory's source. "No such user" is an answer
 * (undefined, cached as a miss); anything else (rate limit, network, missing scope) is thrown, so
 * it is logged and asked again later instead of being remembered.
 */
export function createSlackUserSource(client: webApi.WebClient): ChatUserSource {
  return {
    async userById(userId) {
      try {
        const res = await client.users.info({ user: userId });
        return toProfile(res.user, userId);
      } catch (err) {
        if (platformError(err) === 'user_not_found') return undefined;
        throw err;
      }
    },
    async userByEmail(email) {
      try {
        const res = await client.users.lookupByEmail({ email });
        return toProfile(res.user, undefined);
      } catch (err) {
        if (platformError(err) === 'users_not_found') return undefined;
        throw err;
      }
    },
  };
}

interface SlackUser {
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  readonly real_name?: string | undefined;
  readonly deleted?: boolean | undefined;
  readonly profile?: { readonly email?: string | undefined; readonly real_name?: string | undefined; readonly display_name?: string | undefined } | undefined;
}

function toProfile(user: SlackUser | undefined, fallbackId: string | undefined): ChatProfile | undefined {
  const userId = user?.id ?? fallbackId;
  // A deactivated account is nobody to mention or to match.
  if (!user || !userId || user.deleted) return undefined;
  const name = user.real_name || user.profile?.real_name || user.profile?.display_name || user.name || undefined;
  return { userId, email: user.profile?.email || undefined, name };
}

/** The `error` of an `ok: false` answer (`users_not_found`, `missing_scope`, …), if that is what failed. */
export function platformError(err: unknown): string | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; data?: { error?: unknown } };
  return e.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string' ? e.data.error : undefined;
}
