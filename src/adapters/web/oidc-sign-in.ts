import type { IncomingMessage } from 'node:http';
import type { WebIdentity } from '../../core/web/index.js';

/**
 * Optional single sign-on with OpenID Connect (authorization code flow with PKCE, state and
 * nonce), through openid-client, loaded on first use. The provider is discovered once from its
 * issuer URL; what the redirect must carry back (state, nonce, the PKCE verifier) travels in a
 * short-lived signed cookie, so any Steward process can finish a sign-in another one started.
 */
export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `STEWARD_PUBLIC_URL`: the callback is `<publicUrl>/signin/oidc/callback`. */
  readonly publicUrl: string;
  /** Outgoing calls to the provider (tests point it at a local fake). */
  readonly fetch?: typeof fetch | undefined;
}

export interface OidcPending {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

type Client = typeof import('openid-client');

export function createOidcSignIn(settings: OidcSettings) {
  let loaded: Promise<{ client: Client; config: import('openid-client').Configuration }> | undefined;
  const callback = `${settings.publicUrl}/signin/oidc/callback`;
  const load = () =>
    (loaded ??= (async () => {
      const client = await import('openid-client');
      const issuer = new URL(settings.issuer);
      // Plain http only for a provider on this machine (a test, a local dev IdP); anywhere else TLS.
      const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
      const config = await client.discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        ...(local ? { execute: [client.allowInsecureRequests] } : {}),
        ...(settings.fetch ? { [client.customFetch]: settings.fetch as never } : {}),
      });
      if (settings.fetch) config[client.customFetch] = settings.fetch as never;
      return { client, config };
    })().catch((err: unknown) => {
      // A provider that was down must not stay failed until a restart.
      loaded = undefined;
      throw err;
    }));

  return {
    /** Where to send the browser, and what to keep until it comes back. */
    async start(): Promise<{ url: string; pending: OidcPending }> {
      const { client, config } = await load();
      const pending = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: callback,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },
    /** The provider sent the browser back: exchange the code, check the ID token, and say who it is. */
    async finish(req: IncomingMessage, pending: OidcPending): Promise<WebIdentity> {
      const { client, config } = await load();
      const current = new URL(req.url ?? '/', settings.publicUrl);
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
      return { platform: 'oidc', id: claims.sub, name: text(claims['name']), email: text(claims['email']) };
    },
  };
}

export type OidcSignIn = ReturnType<typeof createOidcSignIn>;
