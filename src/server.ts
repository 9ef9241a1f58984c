// The HTTP face of the gateway: GraphQL over yoga, plus health and
// readiness. Yoga's defaults are for development (GraphiQL everywhere, any
// CORS origin, stack traces in dev errors), so each of those is set here.
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin, useReadinessCheck } from 'graphql-yoga';
import type { JWTVerifyGetKey } from 'jose';
import { createAuthenticator, Unauthenticated } from './auth.ts';
import type { GatewayContext } from './context.ts';
import type { GatewayDeps } from './domain/deps.ts';
import { useAuthentication } from './http/authentication.ts';
import { graphiqlOptions, renderOfflineGraphiQL } from './graphiql.ts';
import { useCallbackGuard } from './http/callback-guard.ts';
import { useErrorCodes, useVariableErrors } from './http/error-codes.ts';
import { useIdempotency } from './http/idempotency.ts';
import { corsOptions, useVaryOrigin } from './http/origin.ts';
import { requestIds, rootFieldObserver, useAccessLog, useMetrics, useMetricsAuth } from './http/observability.ts';
import { useBodySizeLimit, useCsrfPrevention, useInputGuards, useOperationLimits, useVariableLimits } from './http/protection.ts';
import { useOperationCost } from './http/query-cost.ts';
import { createQueryBudget, createRateLimiter, useRateLimit } from './http/rate-limit.ts';
import { createLoaders } from './loaders.ts';
import { useOAuth2Callback } from './http/oauth2-callback.ts';
import { useScim } from './scim/route.ts';
import { schema } from './schema/index.ts';
import { isStoreUnavailable } from './store/availability.ts';
import { useTracing } from './http/tracing.ts';
import { createQueryConcurrency, useQueryConcurrency } from './http/query-concurrency.ts';

const READINESS_TIMEOUT_MS = 1_000;

const STORE_UNAVAILABLE = new Unauthenticated('the gateway cannot reach its store right now; retry shortly', undefined, 503);

class ReadinessTimeout extends Error {}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ReadinessTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type Gateway = ReturnType<typeof createGateway>;

export interface GatewayOptions {
  /** Verifies JWTs against these keys instead of fetching AUTH_JWT_JWKS_URL (tests). */
  jwks?: JWTVerifyGetKey;
}

/** Long because the yoga plugin list is the request path in order (docs/architecture.md, "Request path"): one place to read it. */
export function createGateway(deps: GatewayDeps, options: GatewayOptions = {}) {
  const { config, logger, store } = deps;
  const authenticate = createAuthenticator(config.auth, { db: store.db, logger, jwks: options.jwks });
  const authentication = useAuthentication('/graphql', async (request) => {
    try {
      return await authenticate(request);
    } catch (error) {
      // An API token is looked up in the store before anything else: an
      // outage there is a 503 like any other, logged once per outage.
      if (!isStoreUnavailable(error)) throw error;
      deps.health.store.report(error);
      return STORE_UNAVAILABLE;
    }
  });
  const ids = requestIds();
  const rateLimiter = createRateLimiter(config, logger);
  const queryBudget = createQueryBudget(config, logger);
  const observeRootField = rootFieldObserver(deps.metrics);
  const queryConcurrency = config.limits.maxConcurrentQueries > 0 ? createQueryConcurrency(config.limits.maxConcurrentQueries, config.limits.maxQueuedQueries) : undefined;
  if (queryConcurrency) deps.metrics.queriesFrom(() => queryConcurrency);

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    // Limits every request obeys before any parsing or execution; the body
    // size is `useBodySizeLimit` (cheaper than yoga's own).
    maxRequestBodySize: false,
    batching: { limit: config.limits.maxBatch },
    // No file uploads, and so no multipart form a browser could post cross-site.
    multipart: false,
    // Served from the gateway itself, with no CDN (src/graphiql.ts).
    graphiql: config.graphiql ? graphiqlOptions(config) : false,
    renderGraphiQL: renderOfflineGraphiQL,
    cors: corsOptions(config),
    // Never the stack or driver text of an unexpected error: clients get
    // "Unexpected error." and the log gets the details with the request id.
    maskedErrors: {
      isDev: false,
      // A store that cannot be reached is not a bug: 503, retry later, and
      // one log line per outage (src/store/availability.ts), not one per request.
      maskError: (error, message, isDev) => {
        if (!isStoreUnavailable(error)) return maskError(error, message, isDev);
        deps.health.store.report(error);
        return new GraphQLError('The gateway\'s store is unavailable; retry later.', {
          extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': '5' } } },
        });
      },
    },
    logging: {
      debug: (...args) => logger.debug({ args: args.map(loggable) }, 'yoga'),
      info: (...args) => logger.info({ args: args.map(loggable) }, 'yoga'),
      warn: (...args) => logger.warn({ args: args.map(loggable) }, 'yoga'),
      // Store outages are logged once each by deps.health.store, not once per failed request.
      error: (...args) => {
        const outage = args.find(isStoreUnavailable);
        if (outage) deps.health.store.report(outage);
        else logger.error({ args: args.map(loggable) }, 'yoga');
      },
    },
    context: async ({ request }): Promise<GatewayContext> => {
      const requestId = ids.of(request);
      return {
        caller: await authentication.callerOf(request),
        loaders: createLoaders(store.db),
        deps,
        requestId,
        log: logger.child({ requestId }),
        revealed: new Set(),
        observeRootField,
      };
    },
    plugins: [
      useAccessLog(logger, ids),
      useVaryOrigin(config),
      useErrorCodes(),
      useCsrfPrevention('/graphql'),
      // Before any parsing: a refused bearer token is a 401 whatever the body holds.
      authentication.plugin,
      useBodySizeLimit(config.limits.maxBodyBytes),
      useMetricsAuth(config.metricsToken),
      useMetrics(deps.metrics),
      useVariableLimits(config.limits.maxTokens),
      ...useOperationLimits(config),
      // After the limits, so its parse guard wraps their token-counting parser.
      useInputGuards(),
      // Before graphql-jit, so that it sees the result of jit's execution.
      useVariableErrors(),
      // Compiles each distinct document once into a plain function (cached per
      // parsed document, and yoga's parser cache hands out the same document
      // for the same text): a third less CPU on large lists
      // (docs/performance.md). Before tracing, which wraps whatever execute
      // function the plugins before it chose.
      useGraphQlJit(
        {},
        {
          // Subscriptions (the schema has none) take the standard path, which
          // answers them with a clear error instead of failing to compile.
          enableIf: ({ document, operationName }) => getOperationAST(document, operationName)?.operation !== 'subscription',
          onError: (result) => logger.warn({ errors: result.errors?.map((error) => error.message) }, 'graphql-jit could not compile an operation'),
        },
      ),
      useTracing(),
      // Wraps the traced execution: a query's span starts once it has a slot.
      ...(queryConcurrency ? [useQueryConcurrency(queryConcurrency)] : []),
      // Refused requests never claim an idempotency key, so a retry after a 429 runs.
      useOperationCost({ maxCost: config.limits.maxCost, maxListItems: config.limits.maxNodes }, queryBudget, deps.metrics),
      ...(rateLimiter ? [useRateLimit(rateLimiter, deps.metrics)] : []),
      useIdempotency({ waitMs: config.idempotencyWaitMs }),
      useReadinessCheck({
        endpoint: '/readyz',
        // 503 with no body (never the driver's text), within a second even when the store stalls.
        check: async () => {
          if (deps.health.draining || !store.isMigrated()) return false;
          try {
            await within(store.ping(), READINESS_TIMEOUT_MS);
            return true;
          } catch (error) {
            if (isStoreUnavailable(error) || error instanceof ReadinessTimeout) deps.health.store.report(error);
            return false;
          }
        },
      }),
      useUnexpectedErrorLog(deps),
      useCallbackGuard(),
      useOAuth2Callback(deps),
      // SCIM 2.0 for identity providers (docs/scim.md): same credentials, its own scope.
      useScim(deps, { authenticate, ids, rateLimiter }),
    ],
  });
  return yoga;
}

/**
 * Errors serialise to `{}`; name and first message line say what happened.
 * Only the first line: a driver error appends the statement's parameters.
 */
function loggable(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { name: value.name, message: (value.message.split('\n')[0] ?? '').slice(0, 300) };
}

/** Logs the real error behind every masked "Unexpected error." a client receives. */
function useUnexpectedErrorLog({ logger }: GatewayDeps): Plugin<GatewayContext> {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result }) => {
        if (!('errors' in result) || !result.errors) return;
        for (const error of result.errors) {
          if (error.originalError && !('extensions' in error.originalError) && !isStoreUnavailable(error.originalError)) {
            logger.error({ err: error.originalError, path: error.path, requestId: args.contextValue.requestId }, 'unexpected error in resolver');
          }
        }
      },
    }),
  };
}
