import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework Connector (Teams' side of a bot conversation), shaped by
 * botframework-connector-api.swagger.json: ReplyToActivity, SendToConversation,
 * CreateConversation and GetConversationMember under any `serviceUrl` path prefix (`/amer/`),
 * conversation ids URL-decoded, any activity id accepted, `ResourceResponse { id }` answers and
 * `ErrorResponse { error: { code, message } }` failures. It records every activity, can be told
 * to fail (429 with `Retry-After`, 403, 5xx), and also serves an OpenID metadata document and an
 * empty key set, so a JWT-on test can prove botbuilder never leaves the machine.
 */
export interface FakeTeamsMember {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId?: string | undefined;
  readonly email?: string | undefined;
  readonly userPrincipalName?: string | undefined;
}

export interface RecordedActivity {
  readonly op: 'ReplyToActivity' | 'SendToConversation';
  readonly conversationId: string;
  readonly replyToId: string | undefined;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

export interface FakeFailure {
  readonly status: number;
  readonly code: string;
  readonly retryAfter?: number | undefined;
  /** Never answer (a connector that stopped responding). */
  readonly hang?: boolean | undefined;
}

export interface FakeBotConnector {
  readonly url: string;
  /** The `serviceUrl` to put in activities: the fake under a path prefix, as Teams' regional URLs are. */
  readonly serviceUrl: string;
  readonly openIdMetadataUrl: string;
  readonly activities: RecordedActivity[];
  readonly createdConversations: Array<Record<string, unknown>>;
  /** Requests for OpenID metadata or keys (a JWT-on test expects them to stay on loopback). */
  readonly openIdRequests: string[];
  readonly memberLookups: string[];
  /** The next `times` activity posts fail this way. */
  failNext(failure: FakeFailure, times?: number): void;
  /** Injected failures not yet used. */
  pendingFailures(): number;
  activitiesIn(conversationId: string): RecordedActivity[];
  close(): Promise<void>;
}

const PREFIX = '/amer/';

export async function startFakeBotConnector(options: { members?: readonly FakeTeamsMember[] } = {}): Promise<FakeBotConnector> {
  const members = options.members ?? [];
  const activities: RecordedActivity[] = [];
  const createdConversations: Array<Record<string, unknown>> = [];
  const openIdRequests: string[] = [];
  const memberLookups: string[] = [];
  const failures: FakeFailure[] = [];
  let ids = 0;
  let url = '';

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void =>
    json(res, status, { error: { code, message } }, headers);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (path === '/openid/.well-known/openidconfiguration' || path === '/openid/keys') {
      openIdRequests.push(path);
      if (path.endsWith('keys')) return json(res, 200, { keys: [] });
      return json(res, 200, { issuer: 'https://api.botframework.com', jwks_uri: `${url}/openid/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (!path.startsWith(`${PREFIX}v3/conversations`)) return error(res, 404, 'NotFound', `no route ${req.method} ${path}`);
    const parts = path.slice(`${PREFIX}v3/conversations`.length).split('/').filter(Boolean).map(decodeURIComponent);
    const body = req.method === 'POST' || req.method === 'PUT' ? await readJson(req) : undefined;

    // CreateConversation: POST /v3/conversations
    if (req.method === 'POST' && parts.length === 0) {
      if (!body || !Array.isArray(body['members']) || !body['bot']) return error(res, 400, 'BadSyntax', 'members and bot are required');
      createdConversations.push(body);
      const id = `a:created-${++ids}`;
      return json(res, 201, { id, activityId: `act-${ids}`, serviceUrl: `${url}${PREFIX}` });
    }
    const [conversationId, resource, resourceId] = parts;
    if (!conversationId) return error(res, 404, 'NotFound', 'no conversation');

    // GetConversationMember: GET /v3/conversations/{id}/members/{memberId}
    if (req.method === 'GET' && resource === 'members' && resourceId) {
      memberLookups.push(resourceId);
      const m = members.find((x) => x.id === resourceId || x.aadObjectId === resourceId);
      if (!m) return error(res, 404, 'MemberNotFoundInConversation', 'The member was not found in the conversation');
      return json(res, 200, { id: m.id, name: m.name, aadObjectId: m.aadObjectId, email: m.email, userPrincipalName: m.userPrincipalName, userRole: 'user', tenantId: 'tenant-acme' });
    }

    // SendToConversation and ReplyToActivity
    if (req.method === 'POST' && resource === 'activities') {
      const failure = failures.shift();
      if (failure?.hang) return;
      if (failure) {
        return error(res, failure.status, failure.code, `injected ${failure.code}`, failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {});
      }
      if (!body || typeof body['type'] !== 'string') return error(res, 400, 'BadSyntax', 'an activity needs a type');
      activities.push({
        op: resourceId ? 'ReplyToActivity' : 'SendToConversation',
        conversationId,
        replyToId: resourceId,
        authorization: req.headers.authorization,
        body,
      });
      return json(res, 200, { id: `msg-${++ids}` });
    }
    return error(res, 405, 'MethodNotAllowed', `${req.method} ${path}`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    serviceUrl: `${url}${PREFIX}`,
    openIdMetadataUrl: `${url}/openid/.well-known/openidconfiguration`,
    activities,
    createdConversations,
    openIdRequests,
    memberLookups,
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    pendingFailures: () => failures.length,
    activitiesIn: (conversationId) => activities.filter((a) => a.conversationId === conversationId),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
