// Limits on what one request may ask of the gateway, and the browser
// protections. Batching is a yoga option (see server.ts); operation shape
// limits are graphql-armor's; the body size limit is here.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import type { FetchAPI, Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';

export function useOperationLimits(config: Config): Plugin[] {
  const { limits } = config;
  const armor: Plugin = EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true },
    // The cost limit is query-cost.ts's, which sees the variables.
    costLimit: { enabled: false },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    // "Did you mean …?" hints map the schema for whoever cannot introspect it.
    blockFieldSuggestion: { enabled: !config.introspection },
  });
  const plugins = [armor];
  if (!config.introspection) {
    plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) });
  }
  return plugins;
}

// Content types a browser may POST cross-site without a CORS preflight.
const SIMPLE_CONTENT_TYPES = new Set(['', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
// Any one of these forces a preflight, which CORS_ORIGINS then governs.
const PREFLIGHT_HEADERS = ['graphql-require-preflight', 'x-graphql-yoga-csrf', 'apollo-require-preflight'];

/**
 * CSRF prevention: a POST a browser could send from another site without a
 * preflight (a "simple" content type, no custom header) is refused before
 * any parsing. JSON POSTs always preflight cross-site, so CORS decides those;
 * GET only ever runs queries, which change nothing.
 */
export function useCsrfPrevention(endpoint: string): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'POST' || url.pathname !== endpoint) return;
      const contentType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!SIMPLE_CONTENT_TYPES.has(contentType)) return;
      if (PREFLIGHT_HEADERS.some((header) => request.headers.has(header))) return;
      const body = { errors: [{ message: 'POST a JSON body (Content-Type: application/json)', extensions: { code: 'CSRF_PREVENTED' } }] };
      endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 415, headers: { 'content-type': 'application/json; charset=utf-8' } }));
    },
  };
}

function badRequest(message: string, code = 'BAD_REQUEST'): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

const tooLarge = () => new GraphQLError('Request body too large', { extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } } });
const CONTENT_LENGTH = /^\d+$/;

/** The body of `request` as a stream that fails once more than `limit` bytes came through. */
function countedBody(request: Request, limit: number, fetchAPI: FetchAPI): Request {
  const { body } = request;
  if (!body) return request;
  // A native stream must be piped through a native TransformStream (yoga#4583).
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let bytes = 0;
  const limited = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  const init: RequestInit & { duplex: 'half' } = { method: request.method, headers: request.headers, signal: request.signal, body: limited, duplex: 'half' };
  return new fetchAPI.Request(request.url, init);
}

/**
 * The body size limit, in place of yoga's `maxRequestBodySize`, which pipes
 * every body through a counting stream even when its Content-Length is
 * known to be within the limit: a stream pipeline per request, whose
 * teardown alone (an AbortController and its DOMException) cost about
 * 0.15 ms of CPU per request (docs/performance.md). Node's HTTP parser never
 * hands over more bytes than Content-Length announces, so only a body
 * without one (chunked) is counted as it streams.
 */
export function useBodySizeLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const announced = request.headers.get('content-length');
      if (announced !== null) {
        // One non-negative integer; a list of lengths is a smuggling attempt.
        if (!CONTENT_LENGTH.test(announced)) throw badRequest('Content-Length header is invalid.');
        if (Number(announced) > limit) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      setRequestParser((req) => requestParser(countedBody(req, limit, fetchAPI)));
    },
  };
}

/**
 * Tokens in a JSON value: one per scalar, array item and object key. The
 * variables of a request count against LIMIT_MAX_TOKENS as the document
 * does (each on its own), so fifteen thousand ids cannot arrive as a
 * variable where the document's token limit would refuse them as a literal.
 * Stops counting once past `limit`.
 */
export function jsonTokens(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const item = stack.pop();
    count += 1;
    if (Array.isArray(item)) stack.push(...item.slice(0, limit));
    else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item).slice(0, limit);
      count += entries.length;
      for (const [, child] of entries) stack.push(child);
    }
  }
  return count;
}

/** Refuses, before anything is parsed, a request whose variables hold more tokens than LIMIT_MAX_TOKENS. */
export function useVariableLimits(maxTokens: number): Plugin {
  return {
    onParams({ params }) {
      // A batch item may be anything (`[null]`); yoga answers those itself.
      const variables: unknown = typeof params === 'object' && params !== null ? params.variables : undefined;
      if (variables == null) return;
      if (jsonTokens(variables, maxTokens) > maxTokens) {
        throw badRequest(`the variables hold more than ${maxTokens} values (LIMIT_MAX_TOKENS)`, 'VARIABLES_TOO_LARGE');
      }
    },
  };
}

const NUL = '\u0000';

/** Whether any string (or key) inside a JSON value holds a NUL character. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (depth > 100 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => holdsNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes(NUL) || holdsNul(item, depth + 1));
}

// Postgres text cannot hold NUL, so such a string would fail deep in a
// query; it is refused up front as what it is, bad input.
const NoNulInStrings: ValidationRule = (context) => ({
  [Kind.STRING]: (node) => {
    if (node.value.includes(NUL)) context.reportError(new GraphQLError('strings may not contain the NUL character', { nodes: [node] }));
  },
});

/**
 * Turns malformed input that the libraries below answer with a bare
 * exception (a 500) into the client error it is: unparsable GET variables,
 * a document nested past the parser's stack, NUL characters.
 */
export function useInputGuards(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (error instanceof SyntaxError) throw badRequest('the request parameters are not valid JSON');
          throw error;
        }
      });
    },
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (error) {
          if (error instanceof RangeError) throw badRequest('Syntax Error: the document is nested too deeply', 'GRAPHQL_PARSE_FAILED');
          throw error;
        }
      });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(NoNulInStrings);
    },
    onExecute({ args, setResultAndStopExecution }) {
      if (holdsNul(args.variableValues)) {
        setResultAndStopExecution({ errors: [new GraphQLError('strings may not contain the NUL character', { extensions: { code: 'BAD_USER_INPUT' } })] });
      }
    },
  };
}
