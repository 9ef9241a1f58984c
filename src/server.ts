// The HTTP face of the gateway: GraphQL over yoga, plus health and
// readiness. Yoga's defaults are for development (GraphiQL everywhere, any
// CORS origin, stack traces in dev errors), so each of those is set here.
import { randomUUID } from 'node:crypto';
import { createYoga, type Plugin, useReadinessCheck } from 'graphql-yoga';
import { createAuthenticator } from './auth.ts';
import type { Config } from './config.ts';
import type { GatewayContext } from './context.ts';
import type { GatewayDeps } from './domain/deps.ts';
import { createLoaders } from './loaders.ts';
import { schema } from './schema/index.ts';

const EXAMPLE_QUERY = `# Identity Gateway: one GraphQL API over your identity backends.
query FirstUsers {
  users(first: 10) {
    totalCount
    edges {
      node {
        id
        email
        username
        status
        accounts { backend status externalId }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

export type Gateway = ReturnType<typeof createGateway>;

export function createGateway(deps: GatewayDeps) {
  const { config, logger, store } = deps;
  const authenticate = createAuthenticator(config.auth);

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: config.graphiql ? { title: 'Identity Gateway', defaultQuery: EXAMPLE_QUERY } : false,
    cors: corsOptions(config),
    // Never the stack or driver text of an unexpected error: clients get
    // "Unexpected error." and the log gets the details with the request id.
    maskedErrors: { isDev: false },
    logging: {
      debug: (...args) => logger.debug({ args }, 'yoga'),
      info: (...args) => logger.info({ args }, 'yoga'),
      warn: (...args) => logger.warn({ args }, 'yoga'),
      error: (...args) => logger.error({ args }, 'yoga'),
    },
    context: async ({ request }): Promise<GatewayContext> => ({
      caller: await authenticate(request),
      loaders: createLoaders(store.db),
      deps,
      requestId: request.headers.get('x-request-id') ?? randomUUID(),
    }),
    plugins: [
      useReadinessCheck({
        endpoint: '/readyz',
        check: async () => {
          if (!store.isMigrated()) return false;
          await store.ping();
          return true;
        },
      }),
      useUnexpectedErrorLog(deps),
    ],
  });
  return yoga;
}

function corsOptions(config: Config) {
  // No configured origin means no cross-origin browser access at all.
  if (config.corsOrigins.length === 0) return false as const;
  return { origin: config.corsOrigins, credentials: true, methods: ['GET', 'POST'] };
}

/** Logs the real error behind every masked "Unexpected error." a client receives. */
function useUnexpectedErrorLog({ logger }: GatewayDeps): Plugin<GatewayContext> {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result }) => {
        if (!('errors' in result) || !result.errors) return;
        for (const error of result.errors) {
          if (error.originalError && !('extensions' in error.originalError)) {
            logger.error({ err: error.originalError, path: error.path, requestId: args.contextValue.requestId }, 'unexpected error in resolver');
          }
        }
      },
    }),
  };
}
