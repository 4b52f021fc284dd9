import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeFault, RecordedRequest } from './fake-faults.js';
import { FaultInjector } from './fake-faults.js';

/**
 * A local Prometheus HTTP API (v1), shaped by Prometheus's own documentation ("HTTP API"):
 * `GET /api/v1/rules` (`type=alert` filters to alerting rules; groups with rules of `type`
 * `alerting` or `recording`, each with `labels`) and `GET /api/v1/query` (`{ status: "success",
 * data: { resultType: "vector", result: [{ metric, value: [<unix seconds>, "<value>"] }] } }`;
 * errors as `{ status: "error", errorType: "bad_data", error }` with 400). It evaluates no
 * PromQL: each query the test expects is given its answer; any other query is `bad_data`, as
 * Prometheus answers a parse error. Optional bearer or basic auth; every request is recorded.
 */

export interface FakePromRule {
  readonly name: string;
  readonly type?: 'alerting' | 'recording';
  readonly labels?: Readonly<Record<string, string>>;
}

export interface FakePromSample {
  readonly metric: Readonly<Record<string, string>>;
  /** As Prometheus sends it, a string: `"0.5"`, `"NaN"`, `"+Inf"`. */
  readonly value: string;
}

export type FakePromAnswer = readonly FakePromSample[] | { readonly scalar: string } | { readonly error: string; readonly errorType?: string };

export interface FakePrometheus {
  readonly url: string;
  readonly requests: RecordedRequest[];
  rules: FakePromRule[];
  /** Answers by exact query text; a function answers the rest (`{{service}}` queries). */
  readonly queries: Map<string, FakePromAnswer>;
  fail(pathPrefix: string, fault: FakeFault): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakePrometheusOptions {
  readonly rules?: readonly FakePromRule[];
  readonly queries?: Readonly<Record<string, FakePromAnswer>>;
  readonly answer?: (query: string) => FakePromAnswer | undefined;
  /** `Authorization` the fake demands (`Bearer t`, `Basic …`); none by default. */
  readonly authorization?: string;
  /** The evaluation time it stamps on samples (unix seconds); default the query's `time`. */
  readonly sampleTime?: number;
}

export async function startFakePrometheus(options: FakePrometheusOptions = {}): Promise<FakePrometheus> {
  const faults = new FaultInjector({ brokenJson: '{"status":"success","data":', errorBody: (status) => ({ status: 'error', errorType: status === 503 ? 'timeout' : 'internal', error: `HTTP ${status}` }) });
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    faults.serve(req, res, url, () => {
      if (options.authorization && req.headers.authorization !== options.authorization) {
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
        res.end('Unauthorized\n');
        return;
      }
      if (url.pathname === '/api/v1/rules') {
        const type = url.searchParams.get('type');
        const rules = state.rules.filter((r) => !type || (type === 'alert' ? (r.type ?? 'alerting') === 'alerting' : r.type === 'recording'));
        return send(res, 200, {
          status: 'success',
          data: {
            groups: [
              {
                name: 'steward-test',
                file: '/etc/prometheus/rules.yml',
                interval: 60,
                rules: rules.map((r) =>
                  (r.type ?? 'alerting') === 'alerting'
                    ? { type: 'alerting', name: r.name, query: 'up == 0', duration: 300, labels: r.labels ?? {}, annotations: {}, alerts: [], health: 'ok', state: 'inactive' }
                    : { type: 'recording', name: r.name, query: 'sum(up)', labels: r.labels ?? {}, health: 'ok' },
                ),
              },
            ],
          },
        });
      }
      if (url.pathname === '/api/v1/query') {
        const query = url.searchParams.get('query') ?? '';
        const time = options.sampleTime ?? Number(url.searchParams.get('time') ?? Date.now() / 1000);
        const answer = state.queries.get(query) ?? options.answer?.(query);
        if (answer === undefined) return send(res, 400, { status: 'error', errorType: 'bad_data', error: `invalid parameter "query": 1:1: parse error: unexpected query ${JSON.stringify(query)}` });
        if ('error' in answer) return send(res, 422, { status: 'error', errorType: answer.errorType ?? 'execution', error: answer.error });
        if ('scalar' in answer) return send(res, 200, { status: 'success', data: { resultType: 'scalar', result: [time, answer.scalar] } });
        return send(res, 200, { status: 'success', data: { resultType: 'vector', result: answer.map((s) => ({ metric: s.metric, value: [time, s.value] })) } });
      }
      send(res, 404, { status: 'error', errorType: 'not_found', error: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: FakePrometheus = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: faults.requests,
    rules: [...(options.rules ?? [])],
    queries: new Map(Object.entries(options.queries ?? {})),
    fail: (prefix, fault) => faults.fail(prefix, fault),
    reset: () => faults.reset(),
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}
