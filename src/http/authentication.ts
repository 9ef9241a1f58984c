// Authentication as a request-level step: each request to the GraphQL
// endpoint is authenticated once, before its body is parsed, and a refused
// bearer token ends the request with 401 (RFC 6750 §3) instead of running
// anything as an anonymous caller. The context then takes the caller from
// here (`callerOf`), so a batch of operations shares one token look-up.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type Authentication, type Caller, Unauthenticated } from '../auth.ts';

export const UNAUTHENTICATED = 'UNAUTHENTICATED';

/** `Bearer error="invalid_token"`, with the description when there is one (RFC 6750 §3). */
export function wwwAuthenticate(refusal: Unauthenticated): string {
  const description = refusal.description === undefined ? '' : `, error_description="${refusal.description.replace(/["\\]/g, '')}"`;
  return `Bearer error="invalid_token"${description}`;
}

/** The refusal as a GraphQL response: `extensions.code = UNAUTHENTICATED`, the status and the challenge. */
function refusalResponse(request: Request, refusal: Unauthenticated, fetchAPI: { Response: typeof Response }): Response {
  // A GraphQL-over-HTTP client asking for the new media type gets it; anyone else plain JSON.
  const graphqlResponse = (request.headers.get('accept') ?? '').includes('application/graphql-response+json');
  const body = { errors: [{ message: refusal.message, extensions: { code: refusal.status === 401 ? UNAUTHENTICATED : 'SERVICE_UNAVAILABLE' } }] };
  const headers: Record<string, string> = {
    'content-type': `${graphqlResponse ? 'application/graphql-response+json' : 'application/json'}; charset=utf-8`,
    'cache-control': 'no-store',
  };
  if (refusal.status === 401) headers['www-authenticate'] = wwwAuthenticate(refusal);
  else headers['retry-after'] = '5';
  return new fetchAPI.Response(JSON.stringify(body), { status: refusal.status, headers });
}

export interface RequestAuthentication {
  plugin: Plugin;
  /** The caller of an accepted request (for the context); throws the refusal for a refused one. */
  callerOf(request: Request): Promise<Caller>;
}

export function useAuthentication(endpoint: string, authenticate: (request: Request) => Promise<Authentication>): RequestAuthentication {
  const outcomes = new WeakMap<Request, Promise<Authentication>>();
  const outcomeOf = (request: Request) => {
    let outcome = outcomes.get(request);
    if (!outcome) {
      outcome = authenticate(request);
      outcomes.set(request, outcome);
    }
    return outcome;
  };
  return {
    plugin: {
      async onRequest({ request, url, endResponse, fetchAPI }) {
        if (url.pathname !== endpoint) return;
        const outcome = await outcomeOf(request);
        if (outcome instanceof Unauthenticated) endResponse(refusalResponse(request, outcome, fetchAPI));
      },
    },
    async callerOf(request) {
      const outcome = await outcomeOf(request);
      if (!(outcome instanceof Unauthenticated)) return outcome;
      // Only reachable if a request got past `onRequest` unauthenticated; refuse it the same way.
      const headers: Record<string, string> = outcome.status === 401 ? { 'www-authenticate': wwwAuthenticate(outcome) } : {};
      throw new GraphQLError(outcome.message, { extensions: { code: UNAUTHENTICATED, http: { status: outcome.status, headers } } });
    },
  };
}
