import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BackendRequestError } from '../../src/backends/errors.ts';
import {
  backoffDelay,
  createTransport,
  DEFAULT_RATE_LIMIT_WAIT_MS,
  joinUrl,
  retryAfterMs,
  statusRetry,
  type Transport,
  type TransportOptions,
} from '../../src/backends/http.ts';
import { BackendError } from '../../src/errors.ts';
import { type CallRecord, type FaultOptions, startFakeHttp } from '../fakes/http-fake.ts';

const SECRET = 'sekret-api-token-0123456789';
const NOW = Date.parse('2026-03-01T12:00:00Z');

// A tiny JSON API on loopback: GET /thing and POST /things answer 200 unless a fault says otherwise.
async function startApi(faults: FaultOptions = {}) {
  const calls: CallRecord[] = [];
  const server = await startFakeHttp({
    basePath: '/api',
    port: 0,
    handle: (request) => {
      if (request.path === '/not-found') return { status: 404, body: '<html>nope</html>', headers: { 'content-type': 'text/html' } };
      if (request.path === '/echo-secret') return { status: 400, body: { message: `bad token ${SECRET} and ${'ab'.repeat(20)}` } };
      return { status: 200, body: { ok: true, n: calls.length } };
    },
    errorBody: (_status, message) => ({ message }),
    faults: () => faults,
    consumeFailNext() {
      if (faults.failNext) faults.failNext = { ...faults.failNext, count: faults.failNext.count - 1 };
    },
    calls,
  });
  return { ...server, calls, faults };
}

type Api = Awaited<ReturnType<typeof startApi>>;
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function api(faults: FaultOptions = {}): Promise<Api> {
  const started = await startApi(faults);
  open.push(started);
  return started;
}

function transport(url: string, overrides: Partial<TransportOptions> = {}): { http: Transport; sleeps: number[] } {
  const sleeps: number[] = [];
  const http = createTransport({
    backend: 'test',
    baseUrl: `${url}/api`,
    headers: { authorization: `Bearer ${SECRET}` },
    secrets: [SECRET],
    timeoutMs: 150,
    maxRetries: 2,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    maxInlineWaitMs: 5_000,
    random: () => 0.5,
    now: () => NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { http, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<BackendRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendRequestError);
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendRequestError;
}

describe('URLs', () => {
  it('keeps a base path prefix when joining', () => {
    expect(joinUrl('http://h/retool/', '/api/v2')).toBe('http://h/retool/api/v2');
    expect(joinUrl('http://h/retool', 'api/v2')).toBe('http://h/retool/api/v2');
    expect(joinUrl('http://h', '/api/v1')).toBe('http://h/api/v1');
  });
});

describe('Retry-After and rate-limit headers', () => {
  const headers = (init: Record<string, string>) => new Headers(init);

  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs(headers({ 'retry-after': '7' }), NOW)).toBe(7_000);
  });

  it('reads Retry-After as an HTTP date relative to now', () => {
    const at = new Date(NOW + 90_000).toUTCString();
    expect(retryAfterMs(headers({ 'retry-after': at }), NOW)).toBe(90_000);
  });

  it('treats an HTTP date in the past as no wait', () => {
    expect(retryAfterMs(headers({ 'retry-after': new Date(NOW - 5_000).toUTCString() }), NOW)).toBe(0);
  });

  it('falls back to RateLimit-Reset, then X-RateLimit-Reset (delta or epoch seconds)', () => {
    expect(retryAfterMs(headers({ 'ratelimit-reset': '12' }), NOW)).toBe(12_000);
    expect(retryAfterMs(headers({ 'x-ratelimit-reset': '3' }), NOW)).toBe(3_000);
    expect(retryAfterMs(headers({ 'x-ratelimit-reset': String(NOW / 1000 + 30) }), NOW)).toBe(30_000);
  });

  it('prefers Retry-After over the reset headers', () => {
    expect(retryAfterMs(headers({ 'retry-after': '2', 'ratelimit-reset': '50', 'x-ratelimit-reset': '60' }), NOW)).toBe(2_000);
  });

  it('ignores values it cannot read', () => {
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(retryAfterMs(headers({}), NOW)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('is full jitter over a doubling ceiling, capped', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, policy, () => 0.5))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.999_999)).toBe(799);
  });
});

describe('the retry loop', () => {
  it('retries a 503 with backoff and returns the later success', async () => {
    const server = await api({ failNext: { count: 2, fault: { kind: 'status', status: 503 } } });
    const { http, sleeps } = transport(server.url);
    const response = await http.request({ method: 'GET', path: '/thing' });
    expect(response.status).toBe(200);
    expect(server.calls).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('retries 408, 502 and 504 and connection resets the same way', async () => {
    for (const fault of [
      { kind: 'status', status: 408 },
      { kind: 'status', status: 502 },
      { kind: 'status', status: 504 },
      { kind: 'reset' },
    ] as const) {
      const server = await api({ failNext: { count: 1, fault } });
      const { http } = transport(server.url);
      await expect(http.request({ method: 'GET', path: '/thing' })).resolves.toMatchObject({ status: 200 });
      expect(server.calls).toHaveLength(2);
    }
  });

  it('lets Retry-After win over the computed delay', async () => {
    const server = await api({ failNext: { count: 1, fault: { kind: 'status', status: 503, headers: { 'retry-after': '2' } } } });
    const { http, sleeps } = transport(server.url);
    await http.request({ method: 'GET', path: '/thing' });
    expect(sleeps).toEqual([2_000]);
  });

  it('waits a short HTTP-date Retry-After inline', async () => {
    const server = await api({ failNext: { count: 1, fault: { kind: 'rate-limit', retryAfter: new Date(NOW + 3_000).toUTCString() } } });
    const { http, sleeps } = transport(server.url);
    await http.request({ method: 'GET', path: '/thing' });
    expect(sleeps).toEqual([3_000]);
  });

  it('does not sleep past maxInlineWaitMs: it fails at once, retryable, with retryAfterMs', async () => {
    const server = await api({ failNext: { count: 1, fault: { kind: 'rate-limit', retryAfter: '30' } } });
    const { http, sleeps } = transport(server.url, { maxInlineWaitMs: 5_000 });
    const error = await failure(http.request({ method: 'GET', path: '/thing' }));
    expect(error).toMatchObject({ kind: 'status', status: 429, retry: 'now', retryAfterMs: 30_000, attempts: 1 });
    expect(error.message).toBe('test: 429 Too Many Requests: Too many requests');
    expect(sleeps).toEqual([]);
    expect(server.calls).toHaveLength(1);
  });

  it('assumes 60 s for a 429 without any reset header, which is deferred', async () => {
    const server = await api({ failNext: { count: 1, fault: { kind: 'rate-limit' } } });
    const { http, sleeps } = transport(server.url);
    const error = await failure(http.request({ method: 'GET', path: '/thing' }));
    expect(error.retryAfterMs).toBe(DEFAULT_RATE_LIMIT_WAIT_MS);
    expect(sleeps).toEqual([]);
  });

  it('honours RateLimit-Reset on a 429', async () => {
    const server = await api({ failNext: { count: 1, fault: { kind: 'rate-limit', rateLimitReset: '1' } } });
    const { http, sleeps } = transport(server.url);
    await http.request({ method: 'GET', path: '/thing' });
    expect(sleeps).toEqual([1_000]);
  });

  it('gives up after maxRetries with a retryable error that counts the attempts', async () => {
    const server = await api({ failNext: { count: 10, fault: { kind: 'status', status: 503 } } });
    const { http } = transport(server.url, { maxRetries: 2 });
    const error = await failure(http.request({ method: 'GET', path: '/thing' }));
    expect(error).toMatchObject({ kind: 'status', status: 503, retry: 'now', attempts: 3 });
    expect(error.message).toBe('test: 503 Service Unavailable: Service Unavailable');
    expect(server.calls).toHaveLength(3);
  });

  it('does not retry a 500 inline, and marks it for a retry later', async () => {
    const server = await api({ failNext: { count: 10, fault: { kind: 'status', status: 500 } } });
    const { http } = transport(server.url);
    const error = await failure(http.request({ method: 'GET', path: '/thing' }));
    expect(error).toMatchObject({ kind: 'status', status: 500, retry: 'later' });
    expect(server.calls).toHaveLength(1);
  });

  it('does not retry a POST unless the caller marks it safe', async () => {
    const server = await api({ failNext: { count: 1, fault: { kind: 'status', status: 503 } } });
    const { http } = transport(server.url);
    const error = await failure(http.request({ method: 'POST', path: '/things', body: { a: 1 } }));
    expect(error).toMatchObject({ retry: 'now', attempts: 1 });
    expect(server.calls).toHaveLength(1);

    server.faults.failNext = { count: 1, fault: { kind: 'status', status: 503 } };
    await expect(http.request({ method: 'POST', path: '/things', body: { a: 1 }, retrySafe: true })).resolves.toMatchObject({ status: 200 });
    expect(server.calls).toHaveLength(3);
  });
});

describe('failure classification', () => {
  it('decides the retry of every unaccepted status once: transient now, other 5xx later, 4xx never', () => {
    expect([408, 429, 502, 503, 504].map(statusRetry)).toEqual(['now', 'now', 'now', 'now', 'now']);
    expect([500, 501, 505, 599].map(statusRetry)).toEqual(['later', 'later', 'later', 'later']);
    expect([400, 401, 403, 404, 409, 422].map(statusRetry)).toEqual(['never', 'never', 'never', 'never', 'never', 'never']);
  });

  it('shows the API what the worker does: retryable exactly when the retry is not never', () => {
    expect(['now', 'later', 'never'].map((retry) => new BackendError('test', 'failed', retry as 'now' | 'later' | 'never').retryable)).toEqual([true, true, false]);
  });

  it('reports a backend that does not answer as a retryable timeout', async () => {
    const server = await api({ failNext: { count: 10, fault: { kind: 'hang' } } });
    const { http } = transport(server.url, { timeoutMs: 100, maxRetries: 1 });
    const error = await failure(http.request({ method: 'GET', path: '/thing' }));
    expect(error).toMatchObject({ kind: 'timeout', retry: 'now', attempts: 2 });
    expect(error.message).toBe('test: request timed out after 100 ms');
  });

  it('times out a backend that stalls in the middle of the body', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"ok":');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    });
    const { port } = server.address() as AddressInfo;
    const { http } = transport(`http://127.0.0.1:${port}`, { timeoutMs: 100, maxRetries: 0 });
    expect(await failure(http.request({ method: 'GET', path: '/thing' }))).toMatchObject({ kind: 'timeout', retry: 'now' });
  });

  it('reports a closed port as a retryable connection failure', async () => {
    const server = await startApi();
    await server.close();
    const { http } = transport(server.url, { maxRetries: 0 });
    const error = await failure(http.request({ method: 'GET', path: '/thing' }));
    expect(error).toMatchObject({ kind: 'connection', retry: 'now' });
    expect(error.message).toBe('test: connection refused');
  });

  it('reports a reset connection as a retryable connection failure', async () => {
    const server = await api({ failNext: { count: 10, fault: { kind: 'reset' } } });
    const { http } = transport(server.url, { maxRetries: 0 });
    expect(await failure(http.request({ method: 'GET', path: '/thing' }))).toMatchObject({ kind: 'connection', retry: 'now' });
  });

  it('rejects an HTML 200 as not JSON, for a retry later (not inline)', async () => {
    const server = await api({ failNext: { count: 1, fault: { kind: 'html' } } });
    const { http } = transport(server.url);
    const error = await failure(http.request({ method: 'GET', path: '/thing' }));
    expect(error).toMatchObject({ kind: 'not_json', status: 200, retry: 'later' });
    expect(error.message).toBe('test: response is not JSON (200, text/html)');
    expect(server.calls).toHaveLength(1);
  });

  it('rejects malformed JSON', async () => {
    const server = await api({ failNext: { count: 1, fault: { kind: 'malformed-json' } } });
    const { http } = transport(server.url);
    expect(await failure(http.request({ method: 'GET', path: '/thing' }))).toMatchObject({ kind: 'not_json', retry: 'later' });
  });

  it('rejects a non-JSON body even on a status the caller accepts', async () => {
    const server = await api();
    const { http } = transport(server.url);
    expect(await failure(http.request({ method: 'GET', path: '/not-found', accept: [404] }))).toMatchObject({ kind: 'not_json', status: 404 });
  });

  it('names the mismatching field of a schema error, never its value', async () => {
    const server = await api();
    const { http } = transport(server.url);
    const response = await http.request({ method: 'GET', path: '/thing' });
    const error = await failure(Promise.resolve().then(() => http.parse(z.object({ ok: z.literal(false) }), response)));
    expect(error).toMatchObject({ kind: 'schema', retry: 'later' });
    expect(error.message).toBe('test: unexpected response body (200; ok: invalid_value)');
  });

  it('keeps secrets and token-shaped strings out of messages and of the error object', async () => {
    const server = await api();
    const { http } = transport(server.url);
    const error = await failure(http.request({ method: 'GET', path: '/echo-secret' }));
    expect(error.message).toBe('test: 400 Bad Request: bad token [redacted] and [redacted]');
    expect(inspect(error, { depth: 5 })).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });
});
