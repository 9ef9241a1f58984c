// Which Host a request may name, and which browser origins may read the
// answers. Dev mode (every caller is an admin) listens on loopback only, but a
// page on any site can still reach it through a name that resolves to
// 127.0.0.1 (DNS rebinding): the browser then sends that name as Host, which
// is what `hostPolicy` refuses. The check runs in the HTTP server
// (listen.ts), before yoga, so that no path (health, GraphiQL) escapes it.
import type { Plugin, YogaServerOptions } from 'graphql-yoga';
import type { Config } from '../config.ts';
import { isLoopbackName } from '../loopback.ts';

/** The host name of a Host header value, lower case, without port or IPv6 brackets. */
export function hostName(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/**
 * The Host check in force: ALLOWED_HOSTS when set (names, any port);
 * otherwise loopback names in dev mode; otherwise none (in production the
 * probes of an orchestrator arrive by pod IP, docs/operations.md).
 */
export function hostPolicy(config: Pick<Config, 'allowedHosts' | 'auth'>): ((name: string) => boolean) | undefined {
  if (config.allowedHosts.length > 0) {
    const allowed = new Set(config.allowedHosts.map((host) => hostName(host)));
    return (name) => allowed.has(name);
  }
  // Loopback names are ones a rebinding attacker cannot make a browser send.
  return config.auth.devMode ? isLoopbackName : undefined;
}

/**
 * CORS for the origins in CORS_ORIGINS only: a listed origin is answered
 * with itself (and credentials), any other gets no CORS headers at all
 * (never `null`, which a sandboxed page sends as its origin).
 */
export function corsOptions(config: Config): YogaServerOptions<Record<string, unknown>, Record<string, unknown>>['cors'] {
  // No configured origin means no cross-origin browser access at all.
  if (config.corsOrigins.length === 0) return false;
  const allowed = new Set(config.corsOrigins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || origin === 'null' || !allowed.has(origin)) return false;
    return { origin, credentials: true, methods: ['GET', 'POST'] };
  };
}

/** Answers differ by Origin whenever CORS is on, so caches must key on it. */
export function useVaryOrigin(config: Config): Plugin {
  return {
    onResponse({ response }) {
      if (config.corsOrigins.length === 0) return;
      const vary = response.headers.get('vary');
      if (!vary?.split(',').some((part) => part.trim().toLowerCase() === 'origin')) response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
    },
  };
}
