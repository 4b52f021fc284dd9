import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface FakeFault {
  /** Answer with this status and the provider's error body (or `body`). */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Answer 200 with a body that is not JSON. */
  readonly invalidJson?: boolean;
  /** Wait this long before answering (or before applying the other fault fields). */
  readonly delayMs?: number;
  /** Never answer; the connection stays open until the client gives up or the fake closes. */
  readonly hang?: boolean;
  /** How many requests it applies to; default every one. */
  readonly times?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

/**
 * What the fake on-call providers share: every request is recorded, and faults switched on with
 * `fail(pathPrefix, fault)` answer matching requests in the provider's own error dialect.
 */
export class FaultInjector {
  readonly requests: RecordedRequest[] = [];
  readonly #faults: Array<{ prefix: string; fault: FakeFault; left: number }> = [];

  constructor(
    private readonly dialect: {
      /** The error body for a status, as the provider writes it. */
      readonly errorBody: (status: number) => unknown;
      /** A 200 body that is not JSON. */
      readonly brokenJson: string;
    },
  ) {}

  fail(prefix: string, fault: FakeFault): void {
    this.#faults.push({ prefix, fault, left: fault.times ?? Number.POSITIVE_INFINITY });
  }

  /** Removes every fault and forgets the recorded requests. */
  reset(): void {
    this.#faults.length = 0;
    this.requests.length = 0;
  }

  /** Records the request, then answers it with its fault, or with `respond`: after the fault's delay, if it has one. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL, respond: () => void): void {
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers });
    const entry = this.#faults.find((f) => f.left > 0 && url.pathname.startsWith(f.prefix));
    if (entry) entry.left--;
    const fault = entry?.fault;
    const answer = (): void => {
      if (fault?.hang) return;
      if (fault?.invalidJson) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(this.dialect.brokenJson);
        return;
      }
      if (fault?.status !== undefined) {
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(fault.body ?? JSON.stringify(this.dialect.errorBody(fault.status)));
        return;
      }
      respond();
    };
    if (fault?.delayMs) setTimeout(answer, fault.delayMs);
    else answer();
  }
}
