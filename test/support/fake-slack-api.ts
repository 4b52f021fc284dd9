import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

/**
 * A local stand-in for the Slack Web API and for `response_url`, in the test process. It records
 * every call and answers in the shapes of slack_web_openapi_v2.json (the `ok: true` bodies below
 * carry each method's required keys), accepts GET query, POST form and POST JSON like Slack, and
 * can be told to fail: `ok: false` with an error code from the spec, or 429 with `Retry-After`.
 *
 *   const slack = await startFakeSlackApi({ users: [{ id: 'U0BEN', email: 'ben@acme.example', name: 'Ben' }] });
 *   slack.apiUrl        // → SLACK_API_URL
 *   slack.responseUrl() // → a response_url whose posts land in slack.responses
 */
export interface FakeSlackUser {
  readonly id: string;
  readonly email?: string | undefined;
  readonly name: string;
  readonly deleted?: boolean;
}

export interface RecordedCall {
  readonly method: string;
  readonly httpMethod: string;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly args: Record<string, unknown>;
}

export interface RecordedResponse {
  readonly hook: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
}

type Failure = { readonly kind: 'error'; readonly error: string } | { readonly kind: 'rate_limited'; readonly retryAfter: number } | { readonly kind: 'http'; readonly status: number };

export interface FakeSlackApi {
  readonly url: string;
  /** Base URL of the Web API, ending in `/` (for SLACK_API_URL). */
  readonly apiUrl: string;
  readonly calls: RecordedCall[];
  readonly responses: RecordedResponse[];
  readonly team: { readonly id: string; readonly domain: string };
  readonly bot: { readonly userId: string; readonly botId: string };
  /** A fresh response_url; posts to it are recorded in `responses`. */
  responseUrl(name?: string): string;
  /** The next `times` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, times?: number): void;
  /** Every post to a response_url fails with this status until cleared. */
  failHooks(status: number | undefined): void;
  /** Posts to response_urls wait, unanswered, until the returned function lets them through (a slow Slack). */
  holdHooks(): () => void;
  /**
   * A 429 storm: from now on, this share of calls to `methods` (default chat.postMessage and
   * conversations.open) answers 429 with `Retry-After: retryAfter` (seconds), drawn from a seeded
   * generator so a run can be repeated; `perSecond` also caps the rate, as Slack's tiers do.
   * `undefined` ends it.
   */
  rateLimit(storm: { fraction?: number; retryAfter?: number; perSecond?: number; seed?: number; methods?: readonly string[] } | undefined): void;
  /** Messages posted with chat.postMessage that Slack accepted, in order. */
  posted(): Array<{ channel: string; text: string; ts: string }>;
  callsTo(method: string): RecordedCall[];
  /** Resolves once `count` response_url posts have arrived. */
  waitForResponses(count: number): Promise<RecordedResponse[]>;
  close(): Promise<void>;
}

/** A 5-use, 30-minute budget per response_url, as Slack documents; enough for tests to notice overuse. */
const HOOK_USES = 5;

export async function startFakeSlackApi(options: { users?: readonly FakeSlackUser[] } = {}): Promise<FakeSlackApi> {
  const users = options.users ?? [];
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const failures = new Map<string, Failure[]>();
  let held: Array<() => void> | undefined;
  const hookUses = new Map<string, number>();
  let hookStatus: number | undefined;
  let storm: { fraction: number; retryAfter: number; perSecond: number | undefined; methods: Set<string>; next: () => number; window: number; used: number } | undefined;
  const accepted: Array<{ channel: string; text: string; ts: string }> = [];
  let hooks = 0;
  let posted = 0;
  const waiters: Array<{ count: number; resolve: (r: RecordedResponse[]) => void }> = [];
  const team = { id: 'T0ACME', domain: 'acme' };
  const bot = { userId: 'U0STEWARD', botId: 'B0STEWARD' };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const contentType = req.headers['content-type'];
    if (url.pathname.startsWith('/hooks/')) {
      if (held) return void held.push(() => hook(url.pathname, raw, req, res));
      return hook(url.pathname, raw, req, res);
    }
    const match = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (!match) return json(res, 404, { ok: false, error: 'unknown_method' });
    const method = match[1]!;
    const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (req.method === 'POST') {
      if (contentType?.startsWith('application/json')) Object.assign(args, raw ? (JSON.parse(raw) as object) : {});
      else Object.assign(args, parseQuery(raw));
    }
    const authorization = req.headers['authorization'];
    calls.push({ method, httpMethod: req.method ?? '', contentType, authorization, args });

    const failure = failures.get(method)?.shift();
    if (failure?.kind === 'rate_limited') {
      res.writeHead(429, { 'retry-after': String(failure.retryAfter), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (failure?.kind === 'http') return json(res, failure.status, { ok: false });
    if (storm && storm.methods.has(method)) {
      const second = Math.floor(Date.now() / 1000);
      if (second !== storm.window) {
        storm.window = second;
        storm.used = 0;
      }
      const overRate = storm.perSecond !== undefined && storm.used >= storm.perSecond;
      if (overRate || storm.next() < storm.fraction) {
        res.writeHead(429, { 'retry-after': String(storm.retryAfter), 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      storm.used += 1;
    }
    if (failure?.kind === 'error') return json(res, 200, { ok: false, error: failure.error });

    const token = (typeof authorization === 'string' ? authorization.replace(/^Bearer /, '') : undefined) ?? args['token'];
    if (typeof token !== 'string' || !token.startsWith('xoxb-')) return json(res, 200, { ok: false, error: 'not_authed' });
    json(res, 200, answer(method, args));
  }

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: `https://${team.domain}.slack.com/`, team: 'Acme', user: 'steward', team_id: team.id, user_id: bot.userId, bot_id: bot.botId, is_enterprise_install: false };
      case 'users.info': {
        const user = users.find((u) => u.id === args['user']);
        return user ? { ok: true, user: userObject(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const email = String(args['email'] ?? '').toLowerCase();
        const user = users.find((u) => u.email?.toLowerCase() === email && !u.deleted);
        return user ? { ok: true, user: userObject(user) } : { ok: false, error: 'users_not_found' };
      }
      case 'conversations.open': {
        const ids = String(args['users'] ?? '').split(',').filter(Boolean);
        if (ids.length === 0) return { ok: false, error: 'users_list_not_supplied' };
        if (!ids.every((id) => users.some((u) => u.id === id))) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: `D${ids[0]!.slice(1)}` } };
      }
      case 'chat.postMessage': {
        const channel = args['channel'];
        if (typeof channel !== 'string' || channel === '') return { ok: false, error: 'channel_not_found' };
        if (!args['text'] && !args['blocks']) return { ok: false, error: 'no_text' };
        posted += 1;
        const ts = `1764493200.${String(posted).padStart(6, '0')}`;
        accepted.push({ channel, text: String(args['text'] ?? ''), ts });
        return { ok: true, channel, ts, message: { type: 'message', text: String(args['text'] ?? ''), ts, bot_id: bot.botId } };
      }
      case 'views.publish': {
        // WebClient sends nested objects as JSON strings inside the form.
        const view = (typeof args['view'] === 'string' ? JSON.parse(args['view']) : args['view']) as { type?: unknown; blocks?: unknown } | undefined;
        if (typeof args['user_id'] !== 'string' || !view || view.type !== 'home') return { ok: false, error: 'invalid_arguments' };
        if (!users.some((u) => u.id === args['user_id'])) return { ok: false, error: 'user_not_found' };
        // Slack's limit for a Home tab: 100 blocks.
        if (!Array.isArray(view.blocks) || view.blocks.length > 100) return { ok: false, error: 'invalid_arguments' };
        return { ok: true, view: { id: 'V0HOME', team_id: team.id, type: 'home', blocks: view.blocks } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  function userObject(u: FakeSlackUser): Record<string, unknown> {
    return {
      id: u.id,
      team_id: team.id,
      name: u.name.toLowerCase().replace(/\s+/g, '.'),
      real_name: u.name,
      deleted: u.deleted ?? false,
      is_bot: false,
      is_app_user: false,
      updated: 1764493200,
      profile: {
        real_name: u.name,
        display_name: u.name,
        avatar_hash: 'g0000000000',
        real_name_normalized: u.name,
        display_name_normalized: u.name,
        title: '',
        phone: '',
        skype: '',
        status_text: '',
        status_emoji: '',
        fields: null,
        ...(u.email ? { email: u.email } : {}),
      },
    };
  }

  function hook(path: string, raw: string, req: IncomingMessage, res: ServerResponse): void {
    const uses = (hookUses.get(path) ?? 0) + 1;
    hookUses.set(path, uses);
    if (hookStatus !== undefined) return json(res, hookStatus, { ok: false, error: 'failing_on_purpose' });
    if (uses > HOOK_USES) return json(res, 404, { ok: false, error: 'used_too_often' });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return json(res, 400, { ok: false, error: 'invalid_payload' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return json(res, 400, { ok: false, error: 'invalid_payload' });
    }
    responses.push({ hook: path, body, authorization: req.headers['authorization'] });
    for (const w of [...waiters]) {
      if (responses.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(responses.slice());
      }
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    apiUrl: `${url}/api/`,
    calls,
    responses,
    team,
    bot,
    responseUrl(name) {
      hooks += 1;
      return `${url}/hooks/commands/${team.id}/${name ?? String(hooks)}/secret${hooks}`;
    },
    failNext(method, failure, times = 1) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push(failure);
      failures.set(method, list);
    },
    failHooks(status) {
      hookStatus = status;
    },
    holdHooks() {
      held = [];
      return () => {
        const waiting = held ?? [];
        held = undefined;
        for (const answer of waiting) answer();
      };
    },
    rateLimit(next) {
      if (!next) {
        storm = undefined;
        return;
      }
      // mulberry32: small, seeded, good enough to pick which calls fail.
      let a = next.seed ?? 1;
      const random = (): number => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      storm = {
        fraction: next.fraction ?? 0,
        retryAfter: next.retryAfter ?? 1,
        perSecond: next.perSecond,
        methods: new Set(next.methods ?? ['chat.postMessage', 'conversations.open']),
        next: random,
        window: 0,
        used: 0,
      };
    },
    posted() {
      return accepted.slice();
    },
    callsTo(method) {
      return calls.filter((c) => c.method === method);
    },
    waitForResponses(count) {
      if (responses.length >= count) return Promise.resolve(responses.slice());
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
