import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { WebHarness } from './web-harness.js';
import { startWebHarness } from './web-harness.js';

/** SSO at the edge: an authenticating proxy names the person in a header, trusted from its own address only. */
describe('sign-in through a trusted proxy', () => {
  let fromProxy: WebHarness;
  let notFromProxy: WebHarness;
  beforeAll(async () => {
    // The tests' requests come from 127.0.0.1: the proxy, in the first server's eyes.
    fromProxy = await startWebHarness({ scored: false, configYaml: 'web:\n  trustedProxy: { header: X-Forwarded-Email, addresses: ["127.0.0.1", "::1"] }\n' });
    notFromProxy = await startWebHarness({ scored: false, configYaml: 'web:\n  trustedProxy: { header: X-Forwarded-Email, addresses: ["10.9.9.9"] }\n' });
  });
  afterAll(async () => {
    await fromProxy.close();
    await notFromProxy.close();
  });

  const asProxy = (web: WebHarness, path: string, who: string) => fetch(`${web.url}${path}`, { headers: { 'x-forwarded-email': who } });

  it('signs in whoever the proxy names, from the proxy’s address', async () => {
    const res = await asProxy(fromProxy, '/services/payments-api', 'ana.ruiz@acme.example');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Signed in as ana.ruiz@acme.example');
    // Without the header it is the usual sign-in page.
    expect((await fromProxy.get('/services/payments-api')).status).toBe(401);
  });

  it('ignores the same header from any other address', async () => {
    const res = await asProxy(notFromProxy, '/services/payments-api', 'ana.ruiz@acme.example');
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('Payments API');
  });

  it('refuses a proxy address that is not an IP address, naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-proxy-'));
    const file = join(dir, 'steward.config.yaml');
    writeFileSync(file, 'web:\n  trustedProxy: { header: X-Forwarded-Email, addresses: [proxy.internal] }\n');
    expect(() => loadConfig({ STEWARD_CONFIG: file })).toThrow(/steward\.config\.yaml: web\.trustedProxy\.addresses\.0: must be an IP address/);
    rmSync(dir, { recursive: true, force: true });
  });
});
