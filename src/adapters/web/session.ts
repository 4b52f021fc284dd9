import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Platform } from '../../core/message/index.js';
import type { SignInLinks, SignInStore, WebIdentity } from '../../core/web/index.js';
import { SIGN_IN_LINK_MINUTES } from '../../core/web/index.js';
import type { Clock } from '../../core/ports.js';

export const SESSION_COOKIE = 'steward_session';

/** The stored setting that holds the generated session secret when none is configured. */
const SECRET_SETTING = 'session_secret';

export interface Session {
  readonly identity: WebIdentity;
  readonly expiresAt: Date;
}

export type SessionCheck =
  | { readonly status: 'ok'; readonly session: Session }
  /** `none`: no cookie; `expired`: a valid cookie past its lifetime; `invalid`: forged, altered or signed with another secret. */
  | { readonly status: 'none' | 'expired' | 'invalid' };

const PLATFORMS: readonly string[] = ['slack', 'teams', 'shell', 'oidc'];

/** The hash under which a link's token is stored: a database copy holds no usable link. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Session cookies: `payload.signature`, both base64url, the signature an HMAC-SHA256 of the payload.
 * The secret comes from the config or, when none is set, is generated once and kept in the
 * database, so every Steward process on that database verifies the same cookies.
 */
export function createSessions(options: { store: SignInStore; secret?: string | undefined; clock: Clock; lifetimeHours: number }) {
  let key: Buffer | undefined;
  const secret = (): Buffer => (key ??= Buffer.from(options.secret ?? options.store.setting(SECRET_SETTING, () => randomBytes(32).toString('base64url')), 'utf8'));
  const sign = (payload: string): string => createHmac('sha256', secret()).update(payload).digest('base64url');

  return {
    lifetimeSeconds: options.lifetimeHours * 3600,
    /** A small value signed with the same secret (the OIDC round trip's state), `undefined` back when altered. */
    seal(value: unknown): string {
      const payload = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    unseal(value: string | undefined): unknown {
      const [payload, signature] = (value ?? '').split('.');
      if (!payload || !signature) return undefined;
      const expected = Buffer.from(sign(payload), 'utf8');
      const given = Buffer.from(signature, 'utf8');
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      try {
        return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
    issue(identity: WebIdentity): { value: string; expiresAt: Date } {
      const expiresAt = new Date(options.clock.now().getTime() + options.lifetimeHours * 3_600_000);
      const body = { p: identity.platform, i: identity.id, n: identity.name, e: identity.email, x: Math.floor(expiresAt.getTime() / 1000) };
      const payload = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
      return { value: `${payload}.${sign(payload)}`, expiresAt };
    },
    verify(value: string | undefined): SessionCheck {
      if (value === undefined || value === '') return { status: 'none' };
      const [payload, signature, extra] = value.split('.');
      if (!payload || !signature || extra !== undefined) return { status: 'invalid' };
      const expected = Buffer.from(sign(payload), 'utf8');
      const given = Buffer.from(signature, 'utf8');
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { status: 'invalid' };
      let body: { p?: unknown; i?: unknown; n?: unknown; e?: unknown; x?: unknown };
      try {
        body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof body;
      } catch {
        return { status: 'invalid' };
      }
      if (typeof body.p !== 'string' || !PLATFORMS.includes(body.p) || typeof body.i !== 'string' || typeof body.x !== 'number') return { status: 'invalid' };
      const expiresAt = new Date(body.x * 1000);
      if (expiresAt.getTime() <= options.clock.now().getTime()) return { status: 'expired' };
      const identity: WebIdentity = {
        platform: body.p as Platform | 'oidc',
        id: body.i,
        name: typeof body.n === 'string' ? body.n : undefined,
        email: typeof body.e === 'string' ? body.e : undefined,
      };
      return { status: 'ok', session: { identity, expiresAt } };
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;

/** The `scoreboard` command's link minter: a random token, stored hashed, valid 15 minutes. */
export function createSignInLinks(options: { store: SignInStore; publicUrl: string | undefined; clock: Clock }): SignInLinks {
  return {
    publicUrl: options.publicUrl,
    mint(identity) {
      if (!options.publicUrl) throw new Error('STEWARD_PUBLIC_URL is not set');
      const token = randomBytes(24).toString('base64url');
      const createdAt = options.clock.now();
      const expiresAt = new Date(createdAt.getTime() + SIGN_IN_LINK_MINUTES * 60_000);
      options.store.addLink(hashToken(token), { identity, createdAt, expiresAt });
      return { url: `${options.publicUrl}/signin/${token}`, expiresAt };
    },
  };
}
