// The one transport policy both REST clients share: a timeout per attempt,
// classification of every way a call can fail, inline retry of transient
// failures only, and deferral of long waits to the durable retry
// (backend_accounts.next_attempt_at) so no GraphQL request blocks for a minute.
import { Agent as HttpAgent, STATUS_CODES } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { context, propagation } from '@opentelemetry/api';
import type { z } from 'zod';
import type { BackendCall, HttpMethod } from '../backend-call.ts';
import type { CallBudget } from './budget.ts';
import type { Retry } from '../errors.ts';
import { BackendRequestError, type BackendFailureKind } from './errors.ts';
import { sendRequest } from './node-request.ts';
import type { RateLimiter } from './rate-limiter.ts';

export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);

/**
 * The retry of a status the caller did not accept, decided here once
 * (src/errors.ts, `Retry`): transient statuses now, other server errors
 * later, client errors never.
 */
export function statusRetry(status: number): Retry {
  if (TRANSIENT_STATUSES.has(status)) return 'now';
  return status >= 500 ? 'later' : 'never';
}

/** A 429 without any reset header: wait this long, as the backends' docs advise. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

export interface TransportOptions {
  /** Lower-case backend name; prefixes every error message ("retool: ..."). */
  backend: string;
  /** Absolute base including the API prefix, e.g. `http://host/retool/api/v2`. */
  baseUrl: string;
  headers?: Record<string, string>;
  /** Values that must never reach an error message (tokens, passwords). */
  secrets?: readonly string[];
  timeoutMs?: number;
  /** Inline retries after the first attempt. */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A wait longer than this is not slept: the call fails (retry `now`) with `retryAfterMs` for the worker. */
  maxInlineWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); drives the backoff jitter. */
  random?: () => number;
  now?: () => number;
  /** Told about every attempt (metrics, tracing); must not throw. */
  onCall?: (call: BackendCall) => void;
  /** The backend's request-rate limit (rate-limiter.ts): every attempt, retries included, waits for its turn. */
  limiter?: RateLimiter | undefined;
}

export type TransportTuning = Omit<TransportOptions, 'backend' | 'baseUrl' | 'headers' | 'secrets'>;

export interface HttpRequest {
  method: HttpMethod;
  /** Appended to the base URL; callers encode path segments with `segment`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Non-transient statuses the caller interprets itself (404, 409, 422...); others >= 400 fail. */
  accept?: readonly number[];
  /**
   * Whether replaying the request cannot do anything twice. Defaults to true
   * for GET/PUT/DELETE and false for POST/PATCH, which are only retried
   * inline when the caller vouches for them.
   */
  retrySafe?: boolean;
  /** The caller's deadline for inline retries; absent: the transport's own policy (the worker). */
  budget?: CallBudget | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON; undefined for an empty body. */
  body: unknown;
}

export interface Transport {
  readonly backend: string;
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Validates a body at the boundary; a mismatch is a `schema` failure naming the field, never its value. */
  parse<S extends z.ZodType>(schema: S, response: HttpResponse): z.output<S>;
  /** A failure the client itself detects, with the backend prefix and secrets redacted. */
  error(kind: BackendFailureKind, message: string, retry: Retry, status?: number): BackendRequestError;
}

const DEFAULTS = {
  timeoutMs: 10_000,
  maxRetries: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxInlineWaitMs: 5_000,
} as const;

const SAFE_BY_DEFAULT: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);

/** Long because it is a factory: `once`, `interpret` and the retry loop share the tuning in its closure; each is short. */
export function createTransport(options: TransportOptions): Transport {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? DEFAULTS.maxInlineWaitMs;
  const backoff = { baseDelayMs: options.baseDelayMs ?? DEFAULTS.baseDelayMs, maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs };
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const { backend } = options;
  const scrub = (text: string) => sanitize(text, options.secrets ?? []);
  const fail = (kind: BackendFailureKind, message: string, retry: Retry, status?: number) =>
    new BackendRequestError(backend, `${backend}: ${scrub(message)}`, { kind, retry, status });

  // Connections are kept open between calls, as fetch kept them.
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  async function once(request: HttpRequest): Promise<{ status: number; statusText: string; headers: Headers; text: string }> {
    await options.limiter?.acquire();
    const url = buildUrl(options.baseUrl, request.path, request.query);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...request.headers };
    // W3C trace context (traceparent) of the operation making the call, so the
    // backend's spans join its trace; adds nothing when tracing is off.
    propagation.inject(context.active(), headers);
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    // One timer over the whole exchange: a backend that stalls mid-body times out too.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const started = performance.now();
    const report = (outcome: BackendCall['outcome']) =>
      options.onCall?.({ backend, method: request.method, outcome, durationMs: performance.now() - started });
    try {
      const response = await sendRequest(new URL(url), { method: request.method, headers, body, signal: controller.signal, agents });
      report(response.status);
      return { status: response.status, statusText: response.statusText, headers: response.headers, text: response.body.toString('utf8') };
    } catch (error) {
      report(timedOut ? 'timeout' : 'connection');
      if (timedOut) throw fail('timeout', `request timed out after ${timeoutMs} ms`, 'now');
      throw fail('connection', describeConnectionError(error), 'now');
    } finally {
      clearTimeout(timer);
    }
  }

  function interpret(request: HttpRequest, raw: Awaited<ReturnType<typeof once>>): HttpResponse {
    const parsed = parseJson(raw.text);
    const statusLine = `${raw.status} ${raw.statusText || STATUS_CODES[raw.status] || 'Unknown Status'}`;
    const accepted = raw.status < 400 || (request.accept?.includes(raw.status) ?? false);
    if (!accepted) {
      const detail = parsed.ok ? backendMessage(parsed.value) : undefined;
      throw fail('status', detail ? `${statusLine}: ${detail}` : statusLine, statusRetry(raw.status), raw.status);
    }
    if (!parsed.ok) {
      const type = raw.headers.get('content-type')?.split(';')[0]?.trim() || 'no content-type';
      // A proxy's error page or a truncated body: not worth an inline retry, worth a later one.
      throw fail('not_json', `response is not JSON (${raw.status}, ${type})`, 'later', raw.status);
    }
    return { status: raw.status, headers: raw.headers, body: parsed.value };
  }

  return {
    backend,
    error: fail,
    parse(schema, response) {
      const result = schema.safeParse(response.body);
      if (result.success) return result.data;
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
      throw fail('schema', `unexpected response body (${response.status}; ${where}: ${issue?.code ?? 'invalid'})`, 'later', response.status);
    },
    async request(request) {
      const safe = request.retrySafe ?? SAFE_BY_DEFAULT.has(request.method);
      for (let attempt = 1; ; attempt += 1) {
        let failure: BackendRequestError;
        let hintMs: number | undefined;
        try {
          const raw = await once(request);
          if (TRANSIENT_STATUSES.has(raw.status)) {
            hintMs = retryAfterMs(raw.headers, now());
            if (hintMs === undefined && raw.status === 429) hintMs = DEFAULT_RATE_LIMIT_WAIT_MS;
          }
          return interpret(request, raw);
        } catch (error) {
          if (!(error instanceof BackendRequestError) || error.retry !== 'now') throw error;
          failure = error;
        }
        if (!safe || attempt > maxRetries) throw failure.with({ attempts: attempt, retryAfterMs: hintMs });
        const delay = hintMs ?? backoffDelay(attempt - 1, backoff, random);
        if (delay > maxInlineWaitMs) throw failure.with({ attempts: attempt, retryAfterMs: delay });
        // A retry the caller's deadline cannot wait for is the worker's.
        const { budget } = request;
        if (budget && now() + delay > budget.deadline) throw failure.with({ attempts: attempt, retryAfterMs: delay });
        await sleep(delay);
      }
    },
  };
}

/**
 * How long the backend asked us to wait, in ms: `Retry-After` (delta seconds
 * or an HTTP date), else `RateLimit-Reset` (delta seconds), else
 * `X-RateLimit-Reset` (delta seconds, or epoch seconds as GitHub-style APIs send).
 */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return Number(reset) * 1000;
  const legacyReset = headers.get('x-ratelimit-reset')?.trim();
  if (legacyReset && /^\d+(\.\d+)?$/.test(legacyReset)) {
    const value = Number(legacyReset);
    // No delta is a billion seconds (31 years); such a value is a Unix time.
    return value >= 1e9 ? Math.max(0, Math.ceil(value * 1000 - nowMs)) : value * 1000;
  }
  return undefined;
}

/** Capped exponential backoff with full jitter: uniform in [0, min(cap, base * 2^retry)). */
export function backoffDelay(retry: number, policy: { baseDelayMs: number; maxDelayMs: number }, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Joins a base URL and a path so that a base path prefix such as `/retool` survives. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export const segment = (value: string | number): string => encodeURIComponent(String(value));

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function buildUrl(base: string, path: string, query: HttpRequest['query']): string {
  const url = joinUrl(base, path);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

// Only the error's `message` field: a whole body may echo the request.
function backendMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('message' in body)) return undefined;
  const { message } = body;
  return typeof message === 'string' && message.trim() !== '' ? message : undefined;
}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the server',
  EPIPE: 'connection closed by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
};

function describeConnectionError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth += 1) {
    const code = 'code' in current ? current.code : undefined;
    if (typeof code === 'string' && code in CONNECTION_CODES) return CONNECTION_CODES[code] ?? code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return 'connection failed';
}

const HEX_TOKEN = /\b[0-9a-f]{40}\b/gi;

/** Removes known secrets and token-shaped strings, collapses whitespace, and keeps messages short. */
export function sanitize(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  out = out.replace(HEX_TOKEN, '[redacted]').replace(/\s+/g, ' ').trim();
  return out.length > 200 ? `${out.slice(0, 197)}...` : out;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
