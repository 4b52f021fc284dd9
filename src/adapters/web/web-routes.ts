import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/ports.js';
import type { SignInStore } from '../../core/web/index.js';
import type { SignInReason } from './pages.js';
import { renderConfirmSignIn, renderHome, renderNotFound, renderScorecard, renderService, renderSignIn, renderTeam } from './pages.js';
import type { ScoreboardPorts } from './scoreboard-data.js';
import { createScoreboardData } from './scoreboard-data.js';
import type { Session, SessionCheck } from './session.js';
import { SESSION_COOKIE, createSessions, hashToken } from './session.js';
import { STYLESHEET } from './stylesheet.js';
import type { OidcPending } from './oidc-sign-in.js';
import { createOidcSignIn } from './oidc-sign-in.js';

/** The OIDC round trip's state cookie, and how long a sign-in at the provider may take. */
const OIDC_COOKIE = 'steward_oidc';
const OIDC_SECONDS = 600;

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface WebRoutesOptions extends ScoreboardPorts {
  readonly store: SignInStore;
  readonly logger: Logger;
  /** `STEWARD_PUBLIC_URL`: the cookie is `Secure` when it is https. */
  readonly publicUrl: string | undefined;
  readonly sessionSecret: string | undefined;
  readonly sessionHours: number;
  /** Single sign-on with OpenID Connect; needs `publicUrl` for the callback. */
  readonly oidc?: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string } | undefined;
  /** Calls to the OpenID provider (tests point it at a local fake). */
  readonly fetch?: typeof fetch | undefined;
  /** Runs a write of the request path (a sign-in link used up); serve retries it while the database is locked. */
  readonly runWrite?: (<T>(write: () => T) => Promise<T>) | undefined;
  /** An authenticating proxy: its header (lower case) names the person, from these addresses only. */
  readonly trustedProxy?: { readonly header: string; readonly addresses: readonly string[] } | undefined;
}

/**
 * No script at all, styles from our own stylesheet only, forms post only to us, never framed. Inline
 * SVG needs nothing more. `no-referrer` keeps a sign-in link's token out of any Referer header.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/**
 * The web scoreboard's routes, for `routeRequests`: the pages (`/`, `/scorecards/<id>`,
 * `/teams/<name>`, `/services/<name>`), sign-in and sign-out, and the stylesheet. Every page
 * needs a session; without one the answer is the sign-in page with status 401.
 */
export function createWebRoutes(options: WebRoutesOptions): Record<string, Handler> {
  const data = createScoreboardData(options);
  const sessions = createSessions({ store: options.store, secret: options.sessionSecret, clock: options.clock, lifetimeHours: options.sessionHours });
  const secure = options.publicUrl?.startsWith('https:') ?? false;
  const cookie = (value: string, maxAge: number): string =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

  const send = (res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}, head = false): void => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS, ...extra });
    res.end(head ? undefined : body);
  };

  const oidc =
    options.oidc && options.publicUrl ? createOidcSignIn({ ...options.oidc, publicUrl: options.publicUrl, fetch: options.fetch }) : undefined;
  const oidcCookie = (value: string, maxAge: number): string =>
    `${OIDC_COOKIE}=${value}; Path=/signin/oidc; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

  const signInPage = (res: ServerResponse, status: number, reason: SignInReason, clear: boolean): void =>
    send(res, status, renderSignIn(reason, { sso: oidc !== undefined }), clear ? { 'set-cookie': cookie('', 0) } : {});

  /** A page behind the session: GET and HEAD only; the handler gets the session and the path's remainder. */
  const page =
    (prefix: string, render: (session: Session, rest: string) => Promise<{ status: number; body: string }> | { status: number; body: string }): Handler =>
    async (req, res) => {
      req.resume();
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('GET only');
        return;
      }
      const check = proxied(req) ?? sessions.verify(readCookie(req, SESSION_COOKIE));
      if (check.status !== 'ok') {
        signInPage(res, 401, check.status === 'none' ? 'signed-out' : check.status === 'expired' ? 'expired-session' : 'invalid-session', check.status !== 'none');
        return;
      }
      let rest: string;
      try {
        rest = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname.slice(prefix.length));
      } catch {
        rest = '';
      }
      const { status, body } = await render(check.session, rest);
      send(res, status, body, {}, req.method === 'HEAD');
    };

  // Behind an authenticating proxy (SSO at the edge), the proxy's header is the sign-in, but only
  // on connections from the proxy itself: anyone else could send the same header.
  const proxyFrom = new Set((options.trustedProxy?.addresses ?? []).map(normalizeAddress));
  const proxied = (req: IncomingMessage): SessionCheck | undefined => {
    const trusted = options.trustedProxy;
    if (!trusted || !proxyFrom.has(normalizeAddress(req.socket.remoteAddress ?? ''))) return undefined;
    const value = req.headers[trusted.header];
    const who = typeof value === 'string' ? value.trim() : '';
    if (who === '' || who.length > 200) return undefined;
    const expiresAt = new Date(options.clock.now().getTime() + 60_000);
    return { status: 'ok', session: { identity: { platform: 'proxy', id: who, ...(who.includes('@') ? { email: who } : { name: who }) }, expiresAt } };
  };

  const found = <T>(result: { found: T } | { notFound: Parameters<typeof renderNotFound>[0] }, session: Session, render: (view: T) => string) =>
    'found' in result ? { status: 200, body: render(result.found) } : { status: 404, body: renderNotFound(result.notFound, session.identity) };

  /** Forms post only from our own pages (SameSite=Lax does not cover sign-in, which has no cookie yet). */
  const sameOrigin = (req: IncomingMessage): boolean => {
    // Browsers say where a request comes from in Sec-Fetch-Site; under `Referrer-Policy: no-referrer`
    // their Origin is "null", so Origin is the fallback for browsers that do not send it.
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string') return site === 'same-origin' || site === 'none';
    const origin = req.headers.origin;
    if (origin === undefined || origin === 'null') return origin === undefined;
    try {
      const host = new URL(origin).host;
      return host === req.headers.host || (options.publicUrl !== undefined && host === new URL(options.publicUrl).host);
    } catch {
      return false;
    }
  };

  return {
    '/': page('/', (s) => ({ status: 200, body: renderHome(data.home(), s.identity) })),
    '/scorecards/': page('/scorecards/', (s, id) => found(data.scorecard(id), s, (v) => renderScorecard(v, s.identity))),
    '/teams/': page('/teams/', (s, name) => found(data.team(name), s, (v) => renderTeam(v, s.identity, options.clock.now()))),
    '/services/': page('/services/', async (s, name) => found(await data.service(name), s, (v) => renderService(v, s.identity))),
    '/web/style.css': (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' }).end(STYLESHEET);
    },
    '/signin': (req, res) => {
      req.resume();
      const check = sessions.verify(readCookie(req, SESSION_COOKIE));
      if (check.status === 'ok') {
        res.writeHead(303, { location: '/', 'cache-control': 'no-store' }).end();
        return;
      }
      signInPage(res, 200, check.status === 'expired' ? 'expired-session' : check.status === 'invalid' ? 'invalid-session' : 'signed-out', check.status !== 'none');
    },
    '/signin/': async (req, res) => {
      req.resume();
      const token = new URL(req.url ?? '/', 'http://localhost').pathname.slice('/signin/'.length);
      const hash = hashToken(token);
      const now = options.clock.now();
      if (req.method === 'POST') {
        if (!sameOrigin(req)) {
          send(res, 403, renderSignIn('unknown-link'));
          return;
        }
        // A write on the request path: retried, not waited for, while an import holds the lock.
        const consume = () => {
          const used = options.store.consumeLink(hash, now);
          return used.status === 'ok' ? { ...used, session: sessions.issue(used.link.identity) } : used;
        };
        const used = options.runWrite ? await options.runWrite(consume) : consume();
        if (used.status !== 'ok') {
          options.logger.info('web sign-in refused', { reason: used.status });
          signInPage(res, 401, `${used.status}-link`, false);
          return;
        }
        const { session } = used;
        options.logger.info('web sign-in', { platform: used.link.identity.platform, actor: used.link.identity.id });
        res.writeHead(303, { location: '/', 'set-cookie': cookie(session.value, sessions.lifetimeSeconds), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD, POST', 'content-type': 'text/plain; charset=utf-8' }).end('GET or POST only');
        return;
      }
      // Opening the link only shows a button: chat link previews and mail scanners fetch URLs, and must not use the link up.
      const peek = options.store.peekLink(hash, now);
      if (peek.status !== 'ok') signInPage(res, 401, `${peek.status}-link`, false);
      else send(res, 200, renderConfirmSignIn(token, peek.link.identity), {}, req.method === 'HEAD');
    },
    '/signin/oidc': async (req, res) => {
      req.resume();
      if (!oidc) {
        signInPage(res, 404, 'signed-out', false);
        return;
      }
      try {
        const { url, pending } = await oidc.start();
        res.writeHead(302, { location: url, 'set-cookie': oidcCookie(sessions.seal({ ...pending, at: options.clock.now().getTime() }), OIDC_SECONDS), 'cache-control': 'no-store' }).end();
      } catch (err) {
        options.logger.warn('OpenID provider discovery failed', { err: err instanceof Error ? err.message : String(err) });
        signInPage(res, 502, 'sso-failed', false);
      }
    },
    '/signin/oidc/callback': async (req, res) => {
      req.resume();
      const pending = sessions.unseal(readCookie(req, OIDC_COOKIE)) as Partial<OidcPending & { at: number }> | undefined;
      const fresh = pending?.at !== undefined && options.clock.now().getTime() - pending.at < OIDC_SECONDS * 1000;
      if (!oidc || !pending?.state || !pending.nonce || !pending.verifier || !fresh) {
        signInPage(res, 401, 'sso-failed', false);
        return;
      }
      let identity;
      try {
        identity = await oidc.finish(req, { state: pending.state, nonce: pending.nonce, verifier: pending.verifier });
      } catch (err) {
        options.logger.info('web sign-in refused', { reason: 'oidc', err: err instanceof Error ? err.message : String(err) });
        signInPage(res, 401, 'sso-failed', false);
        return;
      }
      const session = sessions.issue(identity);
      options.logger.info('web sign-in', { platform: 'oidc', actor: identity.id });
      res
        .writeHead(303, { location: '/', 'set-cookie': [cookie(session.value, sessions.lifetimeSeconds), oidcCookie('', 0)], 'cache-control': 'no-store' })
        .end();
    },
    '/signout': (req, res) => {
      req.resume();
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' }).end('POST only');
        return;
      }
      signInPage(res, 200, 'signed-out-now', true);
    },
  };
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `::ffff:10.0.0.5` (an IPv4 client on a dual-stack socket) is `10.0.0.5`. */
function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
