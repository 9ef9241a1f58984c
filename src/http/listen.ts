// The Node HTTP server the gateway listens with: bounded timeouts, and the
// Host check. Node's defaults let a client hold a socket for five minutes by
// trickling a body (requestTimeout 300 s).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from '../config.ts';
import { hostName, hostPolicy } from './origin.ts';

export interface ServerTimeouts {
  /** Whole request, headers and body, in ms; past it Node answers 408 and closes the socket. */
  requestTimeoutMs?: number;
  /** Headers alone, in ms (a slow-loris client never finishes them). */
  headersTimeoutMs?: number;
  /** How long an idle keep-alive socket stays open; above a load balancer's idle timeout is usual. */
  keepAliveTimeoutMs?: number;
}

export const DEFAULT_TIMEOUTS: Required<ServerTimeouts> = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000 };

const HOST_REFUSED = JSON.stringify({ errors: [{ message: 'this Host is not served here', extensions: { code: 'HOST_NOT_ALLOWED' } }] });

/**
 * `listener` behind the Host check of `config` (origin.ts): a request naming
 * another Host is answered 421 Misdirected Request before yoga sees it.
 */
export function checkingHost(listener: RequestListener, config: Pick<Config, 'allowedHosts' | 'auth'>): RequestListener {
  const allowed = hostPolicy(config);
  if (!allowed) return listener;
  return (request, response) => {
    // HTTP/1.0 may omit Host; the socket is loopback-bound in dev mode anyway, so only a named Host is judged.
    const host = request.headers.host;
    if (host === undefined || allowed(hostName(host))) {
      listener(request, response);
      return;
    }
    request.resume();
    response.writeHead(421, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(HOST_REFUSED), connection: 'close' });
    response.end(HOST_REFUSED);
  };
}

export function createHttpServer(listener: RequestListener, config: Pick<Config, 'allowedHosts' | 'auth'> & { httpTimeouts?: ServerTimeouts }): Server {
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs } = { ...DEFAULT_TIMEOUTS, ...config.httpTimeouts };
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      // Node requires headersTimeout <= requestTimeout.
      headersTimeout: Math.min(headersTimeoutMs, requestTimeoutMs),
      keepAliveTimeout: keepAliveTimeoutMs,
      // Both timeouts are enforced by a sweep at this interval (Node's default 30 s would stretch a 10 s limit to 40 s).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4))),
    },
    checkingHost(listener, config),
  );
  return server;
}
