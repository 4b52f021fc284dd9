import type { Platform } from '../message/index.js';

/**
 * The web scoreboard's sign-in, as core sees it. A chat command mints a personal link
 * (`SignInLinks`); the web adapter opens it through the same store. The links live in the
 * database so that any Steward process can mint one and any other can open it.
 */

/** Who a link or a session belongs to: the chat identity that asked for it, or the person a trusted proxy names. */
export interface WebIdentity {
  readonly platform: Platform | 'proxy' | 'oidc';
  readonly id: string;
  readonly name?: string | undefined;
  readonly email?: string | undefined;
}

export interface StoredSignInLink {
  readonly identity: WebIdentity;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export type ConsumeResult =
  | { readonly status: 'ok'; readonly link: StoredSignInLink }
  /** `unknown`: never minted (or forged); `used`: opened before; `expired`: older than its 15 minutes. */
  | { readonly status: 'unknown' | 'used' | 'expired' };

export interface SignInStore {
  /** Stores a new link under the hash of its token (the token itself is never stored). */
  addLink(tokenHash: string, link: StoredSignInLink): void;
  /** What opening the link would do, without using it up (the confirmation page). */
  peekLink(tokenHash: string, now: Date): ConsumeResult;
  /** Uses the link up, atomically: of two processes opening it at once, one gets `ok`. */
  consumeLink(tokenHash: string, now: Date): ConsumeResult;
  /** A shared setting generated once (the session secret): the stored value, or `generate()`'s, stored. */
  setting(key: string, generate: () => string): string;
}

/** What the `scoreboard` command asks for: a personal sign-in link, when the web is set up. */
export interface SignInLinks {
  /** `STEWARD_PUBLIC_URL`, without a trailing slash; undefined when not configured. */
  readonly publicUrl: string | undefined;
  /** A single-use link for `identity`; throws when `publicUrl` is undefined. */
  mint(identity: WebIdentity): { readonly url: string; readonly expiresAt: Date };
}

/** How long a sign-in link stays valid. */
export const SIGN_IN_LINK_MINUTES = 15;
