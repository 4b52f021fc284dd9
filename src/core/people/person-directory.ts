import type { Clock, Logger } from '../ports.js';

/**
 * Who a chat account is, as far as Steward needs to know: the bridge between a platform's user id
 * and a catalog person (matched by email).
 */
export interface ChatProfile {
  /** The platform's user id, e.g. Slack `U024BE7LH`. */
  readonly userId: string;
  /** Lower-cased; undefined when the platform will not tell (no `users:read.email`, bots, guests). */
  readonly email: string | undefined;
  readonly name: string | undefined;
}

/**
 * Where the platform answers "who is this": for Slack, `users.info` and `users.lookupByEmail`.
 * `undefined` means the platform says there is no such user; any other failure is thrown.
 */
export interface ChatUserSource {
  userById(userId: string): Promise<ChatProfile | undefined>;
  userByEmail(email: string): Promise<ChatProfile | undefined>;
}

/** What was learned earlier and when, so a chat platform is asked once a day, not once a message. */
export interface IdentityRecord<T> {
  readonly value: T;
  readonly checkedAt: Date;
}

/**
 * The cache behind a directory (SQLite in production). Per platform: profiles by user id, and
 * the answer to "which user has this email", including "none" so a miss is not asked again.
 */
export interface IdentityStore {
  profileById(platform: string, userId: string): IdentityRecord<ChatProfile> | undefined;
  userIdByEmail(platform: string, email: string): IdentityRecord<string | undefined> | undefined;
  saveProfile(platform: string, profile: ChatProfile, at: Date): void;
  /** Records that no user of the platform has this email. */
  saveMiss(platform: string, email: string, at: Date): void;
}

/**
 * Who is who on one chat platform, answered from the cache when it is fresh and from the platform
 * otherwise. Never throws: a platform that fails leaves the answer unknown (the caller falls
 * back to names), and the failure is logged.
 */
export interface PersonDirectory {
  /** The profile of a chat user; `{ userId, email: undefined }` when it cannot be learned. */
  profile(userId: string): Promise<ChatProfile>;
  /** The platform user id of whoever has this email, when it can be found. */
  userIdForEmail(email: string): Promise<string | undefined>;
}

export interface PersonDirectoryOptions {
  readonly platform: string;
  readonly source: ChatUserSource;
  readonly store: IdentityStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a cached answer is trusted; default one day. */
  readonly ttlMs?: number;
  /** Called when an email is first matched to a user id, e.g. to remember it on the catalog person. */
  readonly onLearned?: (email: string, userId: string) => void;
}

const DAY = 24 * 60 * 60 * 1000;

export function createPersonDirectory(options: PersonDirectoryOptions): PersonDirectory {
  const { platform, source, store, clock, logger } = options;
  const ttl = options.ttlMs ?? DAY;
  // Concurrent questions about the same person share one request: a burst of commands from one
  // channel must not become a burst of identical API calls (Slack rate-limits per method).
  const inFlight = new Map<string, Promise<unknown>>();
  const fresh = (r: IdentityRecord<unknown> | undefined): boolean =>
    r !== undefined && clock.now().getTime() - r.checkedAt.getTime() < ttl;

  function once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = inFlight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const p = work().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  }

  const learned = (profile: ChatProfile): void => {
    if (profile.email && options.onLearned) {
      try {
        options.onLearned(profile.email, profile.userId);
      } catch (err) {
        logger.warn('could not record a learned chat identity', { platform, userId: profile.userId, err: describe(err) });
      }
    }
  };

  return {
    async profile(userId) {
      const cached = store.profileById(platform, userId);
      if (fresh(cached)) return cached!.value;
      return once(`id:${userId}`, async () => {
        try {
          const found = await source.userById(userId);
          const profile = found ? normalise(found) : { userId, email: undefined, name: undefined };
          store.saveProfile(platform, profile, clock.now());
          learned(profile);
          return profile;
        } catch (err) {
          logger.warn('could not look up a chat user', { platform, userId, err: describe(err) });
          // A stale answer beats none when the platform is down or rate-limiting.
          return cached?.value ?? { userId, email: undefined, name: undefined };
        }
      });
    },

    async userIdForEmail(rawEmail) {
      const email = rawEmail.trim().toLowerCase();
      if (email === '') return undefined;
      const cached = store.userIdByEmail(platform, email);
      if (fresh(cached)) return cached!.value;
      return once(`email:${email}`, async () => {
        try {
          const found = await source.userByEmail(email);
          if (!found) {
            store.saveMiss(platform, email, clock.now());
            return undefined;
          }
          const profile = normalise({ ...found, email: found.email ?? email });
          store.saveProfile(platform, profile, clock.now());
          learned(profile);
          return profile.userId;
        } catch (err) {
          logger.warn('could not look up a chat user by email', { platform, err: describe(err) });
          return cached?.value;
        }
      });
    },
  };
}

const normalise = (p: ChatProfile): ChatProfile => ({
  userId: p.userId,
  email: p.email?.trim().toLowerCase() || undefined,
  name: p.name?.trim() || undefined,
});

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
