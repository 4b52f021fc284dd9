import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The floor every Slack benchmark compares with: the least a Slack endpoint can do, in bare
 * `node:http`: read the body, check the timestamp and the signature, answer 200.
 */
export async function startBareSlackServer(signingSecret: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const ts = String(req.headers['x-slack-request-timestamp'] ?? '');
      const given = Buffer.from(String(req.headers['x-slack-signature'] ?? ''));
      const expected = Buffer.from(`v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:`).update(raw).digest('hex')}`);
      const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
      if (!fresh || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
