// `GET /oauth2/callback`: where providers send the user's browser back after
// the authorization request. A plain HTTP route beside GraphQL, as a yoga
// plugin. No bearer token here: the single-use `state` is the credential.
// Success redirects to the connection's `returnTo` when it is on the
// allowlist, otherwise (and on every error) a small page answers: HTML for a
// browser, JSON for anything else. Nothing from the query string (the code,
// the state) is echoed or logged.
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.ts';
import type { GatewayDeps } from '../domain/deps.ts';
import { CALLBACK_PATH, type CallbackError, completeOAuth2Callback } from '../domain/oauth2-connections.ts';

interface Outcome {
  status: number;
  title: string;
  body: Record<string, unknown>;
  message: string;
}

/**
 * The HTTP status of a failed callback: the browser's request was bad (400),
 * the user may not connect (403), the connection moved on meanwhile (409), or
 * the provider could not be used (502).
 */
export function callbackStatus(error: CallbackError): number {
  if (error.code === 'user_disabled') return 403;
  if (error.code === 'superseded') return 409;
  return error.providerFault ? 502 : 400;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(request: Request, outcome: Outcome): Response {
  const headers = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
  if ((request.headers.get('accept') ?? '').includes('text/html')) {
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(outcome.title)}</title></head><body><h1>${escapeHtml(outcome.title)}</h1><p>${escapeHtml(outcome.message)}</p></body></html>`;
    return new Response(html, {
      status: outcome.status,
      headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" },
    });
  }
  return Response.json(outcome.body, { status: outcome.status, headers });
}

/** Drizzle puts the statement's parameters in its message; they stay out of the log. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'non-error thrown';
  const own = error.message.split('\nparams:')[0] ?? error.name;
  return error.cause instanceof Error ? `${own} (cause: ${error.cause.message})` : own;
}

async function handle(deps: GatewayDeps, request: Request, url: URL): Promise<Response> {
  if (request.method !== 'GET') return new Response(null, { status: 405, headers: { allow: 'GET' } });
  let result: Awaited<ReturnType<typeof completeOAuth2Callback>>;
  try {
    result = await completeOAuth2Callback(deps, url);
  } catch (error) {
    deps.logger.error({ error: describe(error) }, 'oauth2 callback failed unexpectedly');
    const message = 'Unexpected error.';
    return page(request, { status: 500, title: 'Connection failed', message, body: { status: 'error', error: { code: 'internal_error', message } } });
  }
  if (!result.ok) {
    const { code, message } = result.error;
    return page(request, { status: callbackStatus(result.error), title: 'Connection failed', message, body: { status: 'error', error: { code, message } } });
  }
  // The connection is CONNECTED from here on: whatever happens, the answer says so.
  const { connection, provider, redirectTo } = result.value;
  const connected = (): Response =>
    page(request, {
      status: 200,
      title: 'Connected',
      message: `Your ${provider.displayName} account is connected. You can close this window.`,
      body: { status: 'connected', provider: provider.id, connectionStatus: connection.status },
    });
  if (redirectTo === undefined) return connected();
  try {
    // `redirectTo` is a normalised href (domain/return-to.ts); a header value
    // the Fetch API would still refuse falls back to the page, never a 500.
    return new Response(null, { status: 303, headers: { location: redirectTo, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
  } catch (error) {
    deps.logger.warn({ error: describe(error) }, 'oauth2 callback could not redirect to returnTo');
    return connected();
  }
}

export function useOAuth2Callback(deps: GatewayDeps): Plugin<GatewayContext> {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== CALLBACK_PATH) return;
      endResponse(await handle(deps, request, url));
    },
  };
}
