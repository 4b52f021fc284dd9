import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHarness } from './web-harness.js';
import { startWebHarness } from './web-harness.js';

/**
 * The scoreboard in a real browser: Debian's chromium driven by playwright-core, signing in through
 * a link from the chat command and walking every kind of page. Screenshots go to test-output/web/
 * (gitignored). axe-core checks each page for serious and critical accessibility problems.
 * Without /usr/bin/chromium the suite is skipped, unless STEWARD_REQUIRE_BROWSER=1 (CI) says a
 * skipped browser test is a failure.
 */
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const REQUIRED = process.env['STEWARD_REQUIRE_BROWSER'] === '1';
const SHOTS = fileURLToPath(new URL('../../test-output/web/', import.meta.url));

if (!HAVE_CHROMIUM && REQUIRED) {
  describe('the scoreboard in a browser', () => {
    it('needs chromium, since STEWARD_REQUIRE_BROWSER=1', () => {
      expect.fail(`${CHROMIUM} is missing; install it (apt-get install -y chromium) or unset STEWARD_REQUIRE_BROWSER`);
    });
  });
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/** axe-core's source evaluated in the page (the CSP allows no script tag, and needs not: the driver evaluates it). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const { violations, passes } = await page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe.run;
    const results = await run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return { violations: results.violations, passes: results.passes.length };
  });
  // axe ran its rules (contrast, names, landmarks...) rather than nothing at all.
  expect(passes).toBeGreaterThan(5);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

describe.skipIf(!HAVE_CHROMIUM)('the scoreboard in a browser', () => {
  let web: WebHarness;
  let browser: Browser;
  let page: Page;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    web = await startWebHarness();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    // A phone-sized window: the pages must work there.
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const visit = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    expect(await seriousViolations(page), `${name}: axe found serious or critical problems`).toEqual([]);
  };

  it('sends a signed-out visitor to the sign-in page', async () => {
    const res = await page.goto(`${web.url}/services/payments-api`);
    expect(res?.status()).toBe(401);
    await expect(page.locator('h1').textContent()).resolves.toBe('Sign in to the scoreboard');
    await visit('01-signed-out');
  });

  it('signs in with the link the chat command answers, and lands on the scoreboard', async () => {
    const link = await web.askForLink('ana.ruiz@acme.example');
    await page.goto(link);
    await expect(page.locator('main').textContent()).resolves.toContain('This link signs you in as Ana Ruiz');
    await visit('02-sign-in-link');
    await Promise.all([page.waitForURL(`${web.url}/`), page.getByRole('button', { name: 'Sign in' }).click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Scoreboard');
    await expect(page.locator('header').textContent()).resolves.toContain('Signed in as Ana Ruiz');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'steward_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    await visit('03-home');
  });

  it('walks from the home page to a scorecard, a team and a service', async () => {
    await Promise.all([page.waitForURL(/\/scorecards\/production-readiness$/), page.getByRole('link', { name: 'Production readiness' }).click()]);
    await expect(page.locator('h2').allTextContents()).resolves.toContain('Checks that fail most');
    await visit('04-scorecard');

    await page.goto(`${web.url}/`);
    await Promise.all([page.waitForURL(/\/teams\/team-payments$/), page.locator('a[href="/teams/team-payments"]').first().click()]);
    await expect(page.getByRole('table').first().textContent()).resolves.toContain('Payments API');
    await visit('05-team');

    await Promise.all([page.waitForURL(/\/services\/payments-api$/), page.getByRole('link', { name: 'Payments API' }).click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Payments API');
    // The chart is an image with a name a screen reader reads out.
    await expect(page.getByRole('img', { name: /Payments API: Production readiness score/ }).count()).resolves.toBeGreaterThan(0);
    await visit('06-service');
  });

  it('shows hostile catalog text as text', async () => {
    await page.goto(`${web.url}/services/hostile-widget`);
    await expect(page.locator('h1').textContent()).resolves.toBe('<img src=x onerror=alert(1)> Widget');
    await expect(page.locator('main img').count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Click me' }).count()).resolves.toBe(0);
    await visit('07-hostile');
  });

  it('answers an unknown service with the nearest names', async () => {
    const res = await page.goto(`${web.url}/services/paymnets-api`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('link', { name: 'payments-api' }).count()).resolves.toBe(1);
    await visit('08-not-found');
  });

  it('met no Content-Security-Policy violation on the way', () => {
    expect(cspViolations).toEqual([]);
  });
});
