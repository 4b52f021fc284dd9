import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSteward } from '../../src/app/create-steward.js';
import { memoryLogger } from '../support/memory-logger.js';
import type { WebHarness } from './web-harness.js';
import { startWebHarness } from './web-harness.js';

const MINUTE = 60_000;
const PAGES = ['/', '/scorecards/production-readiness', '/teams/team-payments', '/services/payments-api', '/services/no-such-thing'];

describe('the web scoreboard', () => {
  let web: WebHarness;
  let cookie: string;
  beforeAll(async () => {
    web = await startWebHarness();
    cookie = await web.signIn();
  });
  afterAll(async () => web.close());

  it('shows nothing of the catalog signed out: every page is the sign-in page, saying to ask in chat', async () => {
    for (const path of PAGES) {
      const res = await web.get(path);
      const body = await res.text();
      expect(res.status, path).toBe(401);
      expect(body, path).toContain('ask Steward in chat for a personal link');
      expect(body, path).not.toMatch(/Payments API|team-payments|Production readiness/i);
    }
  });

  it('keeps the bot routes working beside the pages', async () => {
    expect((await web.get('/healthz')).status).toBe(200);
    const unknown = await web.get('/api/v2/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/json');
    const css = await web.get('/web/style.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('uses up a link while an import holds the write lock: the sign-in waits for the lock, it never fails', async () => {
    const link = await web.askForLink('chen.li@acme.example');
    // Another process's `steward import` in the middle of its one transaction.
    const other = new Database(web.server.steward.db.name);
    other.exec('BEGIN IMMEDIATE');
    const opening = fetch(link, { method: 'POST', redirect: 'manual' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    other.exec('ROLLBACK');
    other.close();
    const opened = await opening;
    expect(opened.status).toBe(303);
    expect(opened.headers.get('set-cookie')).toMatch(/^steward_session=/);
  });

  it('signs in with the link from the chat command: the link page only shows a button, the button uses the link', async () => {
    const link = await web.askForLink('ben.okafor@acme.example');
    expect(link).toMatch(/\/signin\/[A-Za-z0-9_-]{32}$/);
    // A chat link preview fetching the URL twice does not use it up.
    for (let i = 0; i < 2; i++) {
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('This link signs you in as');
    }
    const opened = await fetch(link, { method: 'POST', redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/');
    const setCookie = opened.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^steward_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/);
    const home = await web.get('/', setCookie.split(';')[0]);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Signed in as');

    const again = await fetch(link, { method: 'POST', redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('This sign-in link was used already');
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('opens a link that another Steward process minted on the same database', async () => {
    const other = createSteward({ db: web.server.steward.db.name, logger: memoryLogger().logger, clock: { now: () => web.now() }, web: { publicUrl: 'http://other.test' } });
    try {
      const { url } = other.signIn.mint({ platform: 'teams', id: '29:chen', name: 'Chen Li' });
      const opened = await fetch(url.replace('http://other.test', web.url), { method: 'POST', redirect: 'manual' });
      expect(opened.status).toBe(303);
      const home = await web.get('/', opened.headers.get('set-cookie')!.split(';')[0]);
      expect(await home.text()).toContain('Signed in as Chen Li');
    } finally {
      other.close();
    }
  });

  it('refuses an expired link, a forged link, a forged cookie and an ended session, each saying what to do', async () => {
    const link = await web.askForLink();
    web.advance(16 * MINUTE);
    const expired = await fetch(link, { method: 'POST', redirect: 'manual' });
    expect(expired.status).toBe(401);
    expect(await expired.text()).toMatch(/expired: a link is valid for 15 minutes[\s\S]*\/service scoreboard/);

    const forged = await fetch(`${web.url}/signin/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(forged.status).toBe(401);
    expect(await forged.text()).toContain('This sign-in link is not valid');

    const [name, value] = cookie.split('=') as [string, string];
    const [payload, signature] = value.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = Buffer.from(JSON.stringify({ ...claims, i: 'someone-else' })).toString('base64url');
    const badCookie = await web.get('/', `${name}=${tampered}.${signature}`);
    expect(badCookie.status).toBe(401);
    expect(await badCookie.text()).toContain('Your session could not be checked');
    expect(badCookie.headers.get('set-cookie')).toMatch(/^steward_session=; .*Max-Age=0/);

    const fresh = await web.signIn();
    web.advance(8 * 24 * 60 * MINUTE);
    const ended = await web.get('/', fresh);
    expect(ended.status).toBe(401);
    expect(await ended.text()).toContain('Your session has ended');
    web.advance(-(8 * 24 * 60 + 16) * MINUTE);
  });

  it('shows each scorecard’s levels across the org, the team leaderboard and the most improved on /', async () => {
    const res = await web.get('/', cookie);
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toContain('<h1>Scoreboard</h1>');
    expect(body).toContain('Production readiness');
    expect(body).toMatch(/<svg class="bar"[^>]*role="img" aria-label="Production readiness levels: No level \d+/);
    expect(body).toContain('Team leaderboard');
    expect(body).toContain('<a href="/teams/team-payments">');
    expect(body).toContain('Most improved since 2026-W48');
    expect(body).not.toContain('No scores yet');
  });

  it('shows the new standings as soon as history moves (the home page is kept only while it does not)', async () => {
    const before = await (await web.get('/', cookie)).text();
    expect(await (await web.get('/', cookie)).text()).toBe(before);
    const { scoring, catalog } = web.server.steward;
    const version = scoring.historyVersion();
    scoring.pushFacts(catalog.lookup('ledger-service')[0]!, { 'alerts.configured': true, 'slo.defined': true }, { source: 'ci/monitoring' });
    expect(scoring.historyVersion()).toBeGreaterThan(version);
    expect(await (await web.get('/', cookie)).text()).not.toBe(before);
  });

  it('lists the checks that fail most on a scorecard page, with the failing services and the median level over time', async () => {
    const body = await (await web.get('/scorecards/production-readiness', cookie)).text();
    expect(body).toContain('Checks that fail most');
    expect(body).toMatch(/\d+ failing<\/span><\/h3>/);
    expect(body).toContain('<a href="/services/');
    expect(body).toMatch(/<svg[^>]*role="img"[^>]*>\s*<title id="[^"]+">Production readiness: median level<\/title><desc/);
    expect(body).toContain('as a table');
  });

  it('shows a team’s members, its services with their levels and its trend', async () => {
    const body = await (await web.get('/teams/team-payments', cookie)).text();
    expect(body).toMatch(/<h1>[^<]*<\/h1>/);
    expect(body).toContain('Ana Ruiz');
    expect(body).toContain('<a href="/services/payments-api">Payments API</a>');
    expect(body).toMatch(/Bronze|Silver|Gold|No level/);
    expect(body).toContain('mean score of its services');
  });

  it('shows a service: owner, on-call, every check with evidence, the fact’s source and age, failing since, and the score history', async () => {
    const body = await (await web.get('/services/payments-api', cookie)).text();
    expect(body).toContain('<h1>Payments API</h1>');
    expect(body).toContain('Takes card payments and refunds for every storefront.');
    expect(body).toContain('<dt>On call</dt>');
    expect(body).toContain('<dt>Owner</dt><dd><a href="/teams/team-payments">');
    expect(body).toContain('from ci/github-actions, 21 days ago');
    expect(body).toMatch(/failing since 2026-11-02/);
    expect(body).toMatch(/✓ pass/);
    expect(body).toMatch(/<title id="[^"]+">Payments API: Production readiness score<\/title>/);
    expect(body).toContain('<a href="https://runbooks.acme.example/payments-api" rel="noopener noreferrer">Runbook</a>');
  });

  it('answers an unknown name with a 404 that suggests the nearest names', async () => {
    const service = await web.get('/services/paymnets-api', cookie);
    expect(service.status).toBe(404);
    expect(await service.text()).toMatch(/No service called “paymnets-api”[\s\S]*<a href="\/services\/payments-api">payments-api<\/a>/);
    const team = await web.get('/teams/team-paymnts', cookie);
    expect(team.status).toBe(404);
    expect(await team.text()).toContain('<a href="/teams/team-payments">');
    const card = await web.get('/scorecards/production-readines', cookie);
    expect(card.status).toBe(404);
    expect(await card.text()).toContain('<a href="/scorecards/production-readiness">');
    const nothing = await web.get('/services/zzzzzzzzzzzz', cookie);
    expect(await nothing.text()).toContain('Nothing in the catalog has a name close to it.');
  });

  it('shows hostile catalog text as text: no markup, no script, no javascript: link', async () => {
    const res = await web.get('/services/hostile-widget', cookie);
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toContain('&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; @channel &lt;!channel&gt; &amp; friends');
    expect(body).toContain('<h1>&lt;img src=x onerror=alert(1)&gt; Widget</h1>');
    expect(body).not.toMatch(/<script|<img|href="javascript:/i);
    expect(body).toContain('<span>Click me</span>');
    expect(body).toContain('<a href="https://docs.acme.example/widget" rel="noopener noreferrer">Widget docs</a>');
  });

  it('sends a Content-Security-Policy without scripts, and no page holds a script', async () => {
    for (const path of PAGES) {
      const res = await web.get(path, cookie);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toMatch(/script-src|unsafe-inline|unsafe-eval/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await res.text()).not.toMatch(/<script|<[^>]*\s(style|on[a-z]+)=/i);
    }
  });

  it('signs out', async () => {
    const out = await fetch(`${web.url}/signout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect(await out.text()).toContain('You are signed out.');
  });
});

describe('the web scoreboard before any scores and without a public address', () => {
  let web: WebHarness;
  beforeAll(async () => {
    web = await startWebHarness({ publicUrl: null, scored: false });
  });
  afterAll(async () => web.close());

  it('`scoreboard` in chat says how to set STEWARD_PUBLIC_URL', async () => {
    const outcome = await web.server.steward.router.dispatch({ platform: 'slack', actor: { id: 'U1' }, text: 'scoreboard', receivedAt: web.now() });
    expect(outcome.outcome).toBe('user_error');
    expect(JSON.stringify(outcome.reply)).toContain('STEWARD_PUBLIC_URL');
  });
});

describe('the web scoreboard over https with no scores yet', () => {
  let web: WebHarness;
  beforeAll(async () => {
    web = await startWebHarness({ publicUrl: 'https://steward.acme.example', scored: false, env: { STEWARD_SESSION_SECRET: 'x'.repeat(40) } });
  });
  afterAll(async () => web.close());

  it('sets a Secure cookie and shows how to get scores', async () => {
    const link = await web.askForLink();
    const opened = await fetch(link, { method: 'POST', redirect: 'manual' });
    expect(opened.headers.get('set-cookie')).toMatch(/; Secure$/);
    const home = await (await web.get('/', opened.headers.get('set-cookie')!.split(';')[0])).text();
    expect(home).toContain('No scores yet');
    expect(home).toContain('<code>steward score</code>');
  });

  it('refuses a sign-in posted from another site', async () => {
    const link = await web.askForLink();
    const res = await fetch(link, { method: 'POST', redirect: 'manual', headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    const crossSite = await fetch(link, { method: 'POST', redirect: 'manual', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    // Still unused: the refused posts did not spend it.
    expect((await fetch(link, { method: 'POST', redirect: 'manual', headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(303);
  });
});
