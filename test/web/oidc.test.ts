import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { FakeOidcProvider } from '../support/fake-oidc-provider.js';
import { startFakeOidcProvider } from '../support/fake-oidc-provider.js';
import type { WebHarness } from './web-harness.js';
import { startWebHarness } from './web-harness.js';

const CLIENT = { id: 'steward-web', secret: 'oidc-client-secret-0123456789' };
const PUBLIC = 'http://scoreboard.test';

/** Single sign-on against a local OpenID provider: discovery, authorization with PKCE, the token endpoint, a signed ID token. */
describe('sign-in with OpenID Connect', () => {
  let idp: FakeOidcProvider;
  let web: WebHarness;
  beforeAll(async () => {
    idp = await startFakeOidcProvider(CLIENT);
    web = await startWebHarness({
      scored: false,
      env: { STEWARD_OIDC_ISSUER: idp.issuer, STEWARD_OIDC_CLIENT_ID: CLIENT.id, STEWARD_OIDC_CLIENT_SECRET: CLIENT.secret },
    });
  });
  afterAll(async () => {
    await web.close();
    await idp.close();
  });

  /** The browser's part: Steward → provider → back to Steward's callback, which the public address names. */
  async function roundTrip(): Promise<{ callback: string; stateCookie: string }> {
    const start = await web.get('/signin/oidc');
    expect(start.status).toBe(302);
    const stateCookie = start.headers.get('set-cookie')!;
    expect(stateCookie).toMatch(/^steward_oidc=[^;]+; Path=\/signin\/oidc; HttpOnly; SameSite=Lax; Max-Age=600$/);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC}/signin/oidc/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const approved = await fetch(authorize, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    return { callback: approved.headers.get('location')!.replace(PUBLIC, web.url), stateCookie: stateCookie.split(';')[0]! };
  }

  it('offers single sign-on on the sign-in page', async () => {
    expect(await (await web.get('/signin')).text()).toContain('<a href="/signin/oidc">Sign in with your company account</a>');
  });

  it('signs in as the person the provider vouches for', async () => {
    const { callback, stateCookie } = await roundTrip();
    const back = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(back.status).toBe(303);
    const cookies = back.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('steward_session='))!;
    expect(cookies.some((c) => c.startsWith('steward_oidc=;') && c.includes('Max-Age=0'))).toBe(true);
    const home = await web.get('/', session.split(';')[0]);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Signed in as Ana Ruiz');
    // The code was exchanged with the PKCE verifier and the client's credentials.
    expect(idp.tokenRequests.at(-1)?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  });

  it('refuses a callback without the state cookie, with another state, or a code used twice', async () => {
    const first = await roundTrip();
    const noCookie = await fetch(first.callback, { redirect: 'manual' });
    expect(noCookie.status).toBe(401);
    expect(await noCookie.text()).toContain('Single sign-on did not complete');

    const forgedState = new URL(first.callback);
    forgedState.searchParams.set('state', 'not-the-state');
    expect((await fetch(forgedState, { redirect: 'manual', headers: { cookie: first.stateCookie } })).status).toBe(401);

    const second = await roundTrip();
    expect((await fetch(second.callback, { redirect: 'manual', headers: { cookie: second.stateCookie } })).status).toBe(303);
    expect((await fetch(second.callback, { redirect: 'manual', headers: { cookie: second.stateCookie } })).status).toBe(401);
  });

  it('needs all three settings and a public address, and says which is missing', () => {
    expect(() => loadConfig({ STEWARD_OIDC_ISSUER: 'https://login.acme.example', STEWARD_OIDC_CLIENT_ID: 'x', STEWARD_OIDC_CLIENT_SECRET: 'y' })).toThrow(
      /environment STEWARD_PUBLIC_URL: required by STEWARD_OIDC_ISSUER/,
    );
    expect(() => loadConfig({ STEWARD_OIDC_ISSUER: 'https://login.acme.example', STEWARD_PUBLIC_URL: PUBLIC })).toThrow(/set all three for single sign-on, or none/);
  });
});
