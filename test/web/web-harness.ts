import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import type { Platform } from '../../src/core/message/index.js';
import { toPlainText } from '../../src/core/message/index.js';
import { importCatalog } from '../../src/import-catalog.js';
import type { RunningServer } from '../../src/serve.js';
import { startServer } from '../../src/serve.js';
import { memoryLogger } from '../support/memory-logger.js';
import { SMALL_ORG } from '../support/test-bot.js';

export const HOSTILE = fileURLToPath(new URL('./fixtures/hostile.yaml', import.meta.url));
const DAY_MS = 86_400_000;

export interface WebHarness {
  readonly server: RunningServer;
  readonly url: string;
  /** Moves the server's clock. */
  advance(ms: number): void;
  now(): Date;
  /** Asks the bot `scoreboard` as this person, as chat would, and returns the link it answered. */
  askForLink(email?: string, platform?: Platform): Promise<string>;
  /** Opens a link the way a browser does (GET shows a button, the button POSTs) and returns the session cookie. */
  signIn(email?: string): Promise<string>;
  get(path: string, cookie?: string): Promise<Response>;
  close(): Promise<void>;
}

/**
 * `steward serve` on a temp database with the test org, a hostile service, and four weeks of
 * score history (facts pushed week by week, as CI would), so every page has something to draw.
 */
export async function startWebHarness(
  options: { publicUrl?: string | null; scored?: boolean; env?: Record<string, string>; configYaml?: string } = {},
): Promise<WebHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-web-'));
  let now = new Date('2026-11-30T09:00:00Z');
  const publicUrl = options.publicUrl === undefined ? 'http://scoreboard.test' : options.publicUrl;
  if (options.configYaml) writeFileSync(join(dir, 'steward.config.yaml'), options.configYaml);
  const config = loadConfig({
    PORT: '0',
    STEWARD_DB: join(dir, 's.db'),
    ...(publicUrl ? { STEWARD_PUBLIC_URL: publicUrl } : {}),
    ...(options.configYaml ? { STEWARD_CONFIG: join(dir, 'steward.config.yaml') } : {}),
    ...options.env,
  });
  const server = await startServer({ config, logger: memoryLogger().logger, clock: { now: () => now }, jobs: false });
  const { steward } = server;
  importCatalog(steward.catalog, [SMALL_ORG, HOSTILE], { now });
  if (options.scored !== false) {
    const end = now;
    now = new Date(end.getTime() - 28 * DAY_MS);
    steward.scoring.refresh({ trigger: 'score' });
    const payments = steward.catalog.lookup('payments-api')[0]!;
    const ledger = steward.catalog.lookup('ledger-service')[0]!;
    now = new Date(end.getTime() - 21 * DAY_MS);
    steward.scoring.pushFacts(payments, { 'alerts.configured': true, 'slo.defined': true }, { source: 'ci/github-actions' });
    now = new Date(end.getTime() - 10 * DAY_MS);
    steward.scoring.pushFacts(ledger, { 'alerts.configured': false, 'readme.bytes': 1200 }, { source: 'ci/docs' });
    steward.scoring.pushFacts(payments, { 'loadtest.last_run': '2026-11-15', 'cve.critical': 0 }, { source: 'ci/security' });
    now = end;
    steward.scoring.refresh({ trigger: 'score' });
  }
  const url = server.url;
  const harness: WebHarness = {
    server,
    url,
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
    now: () => now,
    async askForLink(email = 'ana.ruiz@acme.example', platform = 'slack') {
      const person = steward.catalog.personByEmail(email);
      const outcome = await steward.router.dispatch({ platform, actor: { id: `U-${email}`, email, person }, text: 'scoreboard', receivedAt: now });
      const link = /→ Open the scoreboard: (\S+)/.exec(toPlainText(outcome.reply))?.[1];
      if (!link) throw new Error(`no link in: ${toPlainText(outcome.reply)}`);
      // The public address is where people reach us; in the test that is the server itself.
      return link.replace(publicUrl ?? '', url);
    },
    async signIn(email) {
      const link = await harness.askForLink(email);
      const shown = await fetch(link);
      if (shown.status !== 200) throw new Error(`the link page answered ${shown.status}`);
      const opened = await fetch(link, { method: 'POST', redirect: 'manual' });
      const cookie = opened.headers.get('set-cookie');
      if (opened.status !== 303 || !cookie) throw new Error(`sign-in answered ${opened.status}`);
      return cookie.split(';')[0]!;
    },
    get: (path, cookie) => fetch(`${url}${path}`, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) }),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
