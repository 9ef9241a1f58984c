// Plumbing shared by the fake backends: a real node:http server on loopback,
// a call log, and fault injection (latency, statuses, rate limits, bodies that
// are not JSON, connection resets, hangs) for the Nth call or the next K calls.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** An error status with the backend's own error body. */
  | { kind: 'status'; status: number; message?: string; headers?: Record<string, string> }
  /** 429 with whichever reset headers are given (none: the client must assume 60 s). */
  | { kind: 'rate-limit'; retryAfter?: string; rateLimitReset?: string; xRateLimitReset?: string }
  /** Any status and body, verbatim. */
  | { kind: 'raw'; status?: number; contentType?: string; body: string }
  /** 200 with an HTML page, as some Retool plans answer. */
  | { kind: 'html' }
  /** 200, `application/json`, but the JSON is cut off. */
  | { kind: 'malformed-json' }
  /** Destroys the socket; `afterApply` first performs the request, so only the answer is lost. */
  | { kind: 'reset'; afterApply?: boolean }
  /** Never answers (until the client gives up or the fake closes). */
  | { kind: 'hang'; afterApply?: boolean };

export interface FaultOptions {
  /** Delay before every answer. */
  latencyMs?: number;
  /** The next `count` calls fail with `fault`; then the fake recovers by itself. */
  failNext?: { count: number; fault: Fault } | undefined;
  /** Exactly the Nth call (1-based, over every call this fake received) fails. */
  failCall?: { nth: number; fault: Fault } | undefined;
}

export type AuthScheme = 'none' | 'bearer' | 'token' | 'basic' | 'other';

export interface CallRecord {
  n: number;
  method: string;
  /** Path below the API base, e.g. `/users/ada`. */
  path: string;
  query: Record<string, string>;
  auth: AuthScheme;
  /** The W3C trace context header the gateway sent, if any. */
  traceparent?: string | undefined;
  body: unknown;
  /** The status sent, or what happened instead. */
  outcome: number | 'reset' | 'hang';
  fault?: Fault['kind'];
  /** When the call arrived (epoch ms), for rate checks. */
  at: number;
  /** Calls in flight at this fake when this one arrived, itself included (concurrency checks). */
  inFlight: number;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; `invalidJson` when the body is present but not JSON. */
  body: unknown;
  invalidJson: boolean;
}

export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeHttpSetup {
  /** The API base below the server root, e.g. `/retool/api/v2`. */
  basePath: string;
  /** 0 picks a free port; a fixed one lets a test bring a closed fake back at the same URL. */
  port: number;
  handle(request: FakeRequest): FakeReply;
  errorBody(status: number, message: string): unknown;
  faults(): FaultOptions;
  /** Called when a `failNext` fault is used up, so the owner can update its options. */
  consumeFailNext(): void;
  calls: CallRecord[];
}

export interface FakeHttp {
  url: string;
  close(): Promise<void>;
}

const HTML_PAGE = '<!doctype html><html><head><title>Sign in</title></head><body>Please sign in</body></html>';

export function authScheme(headers: IncomingHttpHeaders): AuthScheme {
  const value = headers.authorization;
  if (!value) return 'none';
  const scheme = value.split(' ')[0]?.toLowerCase();
  return scheme === 'bearer' || scheme === 'token' || scheme === 'basic' ? scheme : 'other';
}

export async function startFakeHttp(setup: FakeHttpSetup): Promise<FakeHttp> {
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void respond(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'), res);
    });
  });

  async function respond(method: string, rawUrl: string, headers: IncomingHttpHeaders, text: string, res: ServerResponse): Promise<void> {
    const url = new URL(rawUrl, 'http://fake.invalid');
    let body: unknown;
    let invalidJson = false;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        invalidJson = true;
      }
    }
    const inBase = url.pathname === setup.basePath || url.pathname.startsWith(`${setup.basePath}/`);
    const path = inBase ? url.pathname.slice(setup.basePath.length) || '/' : url.pathname;
    const record: CallRecord = {
      n: setup.calls.length + 1,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      auth: authScheme(headers),
      traceparent: typeof headers.traceparent === 'string' ? headers.traceparent : undefined,
      body,
      outcome: 0,
      at: Date.now(),
      inFlight,
    };
    setup.calls.push(record);

    const fault = pickFault(record.n);
    if (fault) record.fault = fault.kind;
    const { latencyMs } = setup.faults();
    if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs));

    const afterApply = (fault?.kind === 'reset' || fault?.kind === 'hang') && fault.afterApply === true;
    if (fault && !afterApply) {
      sendFault(fault, res, record);
      return;
    }
    const reply: FakeReply = inBase
      ? setup.handle({ method, path, query: url.searchParams, headers, body, invalidJson })
      : { status: 404, headers: { 'content-type': 'text/html' }, body: HTML_PAGE };
    if (fault) {
      sendFault(fault, res, record);
      return;
    }
    send(res, record, reply);
  }

  function pickFault(n: number): Fault | undefined {
    const { failCall, failNext } = setup.faults();
    if (failCall && failCall.nth === n) return failCall.fault;
    if (failNext && failNext.count > 0) {
      setup.consumeFailNext();
      return failNext.fault;
    }
    return undefined;
  }

  function sendFault(fault: Fault, res: ServerResponse, record: CallRecord): void {
    switch (fault.kind) {
      case 'status':
        send(res, record, {
          status: fault.status,
          body: setup.errorBody(fault.status, fault.message ?? defaultMessage(fault.status)),
          ...(fault.headers ? { headers: fault.headers } : {}),
        });
        return;
      case 'rate-limit': {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        if (fault.rateLimitReset !== undefined) headers['ratelimit-reset'] = fault.rateLimitReset;
        if (fault.xRateLimitReset !== undefined) headers['x-ratelimit-reset'] = fault.xRateLimitReset;
        send(res, record, { status: 429, headers, body: setup.errorBody(429, 'Too many requests') });
        return;
      }
      case 'raw':
        record.outcome = fault.status ?? 200;
        res.writeHead(record.outcome, { 'content-type': fault.contentType ?? 'application/json' }).end(fault.body);
        return;
      case 'html':
        record.outcome = 200;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML_PAGE);
        return;
      case 'malformed-json':
        record.outcome = 200;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"data":{"id":"user_');
        return;
      case 'reset':
        record.outcome = 'reset';
        res.socket?.destroy();
        return;
      case 'hang':
        record.outcome = 'hang';
        return;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(setup.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging and keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, record: CallRecord, reply: FakeReply): void {
  record.outcome = reply.status;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  headers['content-type'] ??= 'application/json;charset=utf-8';
  res.writeHead(reply.status, headers).end(payload);
}

function defaultMessage(status: number): string {
  const messages: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
    408: 'Request Timeout',
  };
  return messages[status] ?? `status ${status}`;
}

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');
