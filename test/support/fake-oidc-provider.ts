import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/**
 * A local OpenID Connect provider shaped on OpenID Connect Discovery 1.0 and Core 1.0: discovery,
 * JWKS, an authorization endpoint that approves at once as the configured person (the login form
 * is the provider's business, not ours), and a token endpoint that checks the client secret, the
 * redirect URI and the PKCE verifier before it signs an ID token (RS256) with the nonce.
 */
export interface FakeOidcProvider {
  readonly issuer: string;
  /** Who the next authorization signs in as. */
  user: { sub: string; email?: string; name?: string };
  /** Token requests seen, for assertions. */
  readonly tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

export async function startFakeOidcProvider(client: { id: string; secret: string }): Promise<FakeOidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string; challenge: string; redirect: string; sub: string; email?: string; name?: string }>();
  const tokenRequests: URLSearchParams[] = [];
  let issuer = '';
  const provider: FakeOidcProvider = {
    get issuer() {
      return issuer;
    },
    user: { sub: 'u-123', email: 'ana.ruiz@acme.example', name: 'Ana Ruiz' },
    tokenRequests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        scopes_supported: ['openid', 'email', 'profile'],
      });
    }
    if (url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== client.id || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256') {
        return json(res, 400, { error: 'invalid_request' });
      }
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { nonce: q.get('nonce') ?? '', challenge: q.get('code_challenge') ?? '', redirect: q.get('redirect_uri') ?? '', ...provider.user });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        void (async () => {
          const form = new URLSearchParams(body);
          tokenRequests.push(form);
          const basic = req.headers.authorization?.startsWith('Basic ')
            ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString('utf8').split(':').map(decodeURIComponent)
            : [form.get('client_id'), form.get('client_secret')];
          if (basic[0] !== client.id || basic[1] !== client.secret) return json(res, 401, { error: 'invalid_client' });
          const grant = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          if (!grant || grant.redirect !== form.get('redirect_uri') || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
            return json(res, 400, { error: 'invalid_grant' });
          }
          const idToken = await new SignJWT({ nonce: grant.nonce, ...(grant.email ? { email: grant.email } : {}), ...(grant.name ? { name: grant.name } : {}) })
            .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
            .setIssuer(issuer)
            .setSubject(grant.sub)
            .setAudience(client.id)
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(privateKey);
          json(res, 200, { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: idToken });
        })();
      });
      return;
    }
    json(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return provider;
}
