// Every setting the gateway reads, validated once at start. A bad value stops
// start-up with a message naming the variable; secret values never appear in
// those messages or in logs (see `describeConfig`).
import { isIP } from 'node:net';
import { z } from 'zod';
import { isLoopbackName } from './loopback.ts';

const optionalUrl = z.url().optional();
const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    );
const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1'));

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
function isHostOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (prefix === undefined) return family !== 0 || HOST_NAME.test(entry);
  return rest.length === 0 && family !== 0 && /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32);
}

const secretKey = z
  .string()
  .optional()
  .refine((value) => value === undefined || Buffer.from(value, 'base64').length === 32, {
    message: 'must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)',
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: optionalUrl,
    PGLITE_DIR: z.string().min(1).default('./.data/pglite'),
    GATEWAY_SECRET_KEY: secretKey,
    GATEWAY_SECRET_KEY_ID: z.string().min(1).default('k1'),
    // Older keys, `id:base64,id:base64`, kept to decrypt records written before a rotation.
    GATEWAY_PREVIOUS_SECRET_KEYS: z.string().optional(),
    GATEWAY_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    AUTH_JWT_ISSUER: z.string().min(1).optional(),
    AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
    AUTH_JWT_JWKS_URL: optionalUrl,
    RETOOL_API_BASE_URL: optionalUrl,
    RETOOL_API_TOKEN: z.string().min(1).optional(),
    RETOOL_DATABASE_URL: optionalUrl,
    FORGE_BASE_URL: optionalUrl,
    FORGE_ADMIN_TOKEN: z.string().min(1).optional(),
    FORGE_ADMIN_USERNAME: z.string().min(1).optional(),
    FORGE_ADMIN_PASSWORD: z.string().min(1).optional(),
    FORGE_TOKEN_SCOPES: csv('read:user,write:repository'),
    FORGE_NOREPLY_DOMAIN: z.string().min(1).default('users.noreply.invalid'),
    // Backends a SCIM-created user gets accounts in (docs/scim.md); empty: every configured one.
    SCIM_BACKENDS: csv('').pipe(z.array(z.enum(['RETOOL', 'FORGE']))),
    TARGET_DATABASE_URL: optionalUrl,
    // Predefined pg_* roles database users and PostgREST services may be granted (names or `*` globs); the dangerous ones never.
    DATABASE_USER_GRANTABLE_ROLES: csv(''),
    // Which of SUPERUSER, REPLICATION, BYPASSRLS, CREATEROLE, CREATEDB a database user may be given.
    DATABASE_USER_ALLOWED_ATTRIBUTES: csv('').pipe(
      z.array(
        z
          .string()
          .transform((value) => value.toUpperCase())
          .pipe(z.enum(['SUPERUSER', 'REPLICATION', 'BYPASSRLS', 'CREATEROLE', 'CREATEDB'], { message: 'each entry must be one of SUPERUSER, REPLICATION, BYPASSRLS, CREATEROLE, CREATEDB' })),
      ),
    ),
    PUBLIC_URL: optionalUrl,
    OAUTH2_RETURN_TO_ALLOWLIST: csv(''),
    // Internal hosts OAuth2 providers may live on: host names, addresses or CIDRs (src/backends/outbound-policy.ts).
    OAUTH2_ALLOWED_PRIVATE_HOSTS: csv('').pipe(z.array(z.string().refine(isHostOrCidr, { message: 'each entry must be a host name, an IP address or a CIDR' }))),
    BACKEND_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    BACKEND_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
    // Per backend; unset: BACKEND_MAX_RETRIES.
    RETOOL_MAX_RETRIES: z.coerce.number().int().min(0).max(10).optional(),
    FORGE_MAX_RETRIES: z.coerce.number().int().min(0).max(10).optional(),
    // Requests per second this instance sends to each backend (src/backends/rate-limiter.ts); 0 = no limit.
    RETOOL_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(0),
    FORGE_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(0),
    // createUsers: users provisioned at once, and users per call (docs/lifecycle.md).
    BULK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
    BULK_MAX_USERS: z.coerce.number().int().min(1).max(10_000).default(1_000),
    RETRY_WORKER_INTERVAL_MS: z.coerce.number().int().min(0).default(10_000),
    // Convergence bounds (docs/operations.md, "Convergence").
    PROVISIONING_DEADLINE_MS: z.coerce.number().int().min(100).default(10_000),
    PROVISIONING_LEASE_MS: z.coerce.number().int().min(500).max(30_000).default(30_000),
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(20_000),
    STORE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
    STORE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
    STORE_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(30_000),
    GRAPHIQL: booleanFlag,
    INTROSPECTION: booleanFlag,
    CORS_ORIGINS: csv(''),
    // Host names (any port) the gateway answers; unset: loopback names in dev mode, any in production.
    ALLOWED_HOSTS: csv(''),
    REDIS_URL: optionalUrl,
    REDIS_KEY_PREFIX: z.string().min(1).default('igw:'),
    LIMIT_MAX_DEPTH: z.coerce.number().int().min(1).default(12),
    LIMIT_MAX_COST: z.coerce.number().int().min(1).default(20_000),
    LIMIT_MAX_ALIASES: z.coerce.number().int().min(0).default(15),
    LIMIT_MAX_TOKENS: z.coerce.number().int().min(1).default(2000),
    LIMIT_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
    LIMIT_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    LIMIT_MAX_BATCH: z.coerce.number().int().min(1).max(100).default(10),
    LIMIT_MAX_NODES: z.coerce.number().int().min(1).default(100),
    // Queries executing at once (src/http/query-concurrency.ts); `0` turns the limit off.
    MAX_CONCURRENT_QUERIES: z.coerce.number().int().min(0).default(8),
    MAX_QUEUED_QUERIES: z.coerce.number().int().min(0).default(1000),
    // The query budget, in cost points (src/http/query-cost.ts); `0` per minute turns a budget off.
    QUERY_BUDGET_PER_MINUTE: z.coerce.number().int().min(0).default(200_000),
    QUERY_BUDGET_BURST: z.coerce.number().int().min(1).default(40_000),
    QUERY_BUDGET_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(0).default(20_000),
    QUERY_BUDGET_ANONYMOUS_BURST: z.coerce.number().int().min(1).default(20_000),
    RATE_LIMIT_MUTATIONS_PER_MINUTE: z.coerce.number().int().min(0).default(300),
    RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(100),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).default(30_000),
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
    IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).default(10_000),
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .superRefine((env, ctx) => {
    const pairs: Array<[keyof typeof env, keyof typeof env]> = [
      ['RETOOL_API_BASE_URL', 'RETOOL_API_TOKEN'],
      ['FORGE_ADMIN_USERNAME', 'FORGE_ADMIN_PASSWORD'],
    ];
    for (const [a, b] of pairs) {
      if ((env[a] === undefined) !== (env[b] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [env[a] === undefined ? a : b], message: `set both ${a} and ${b}, or neither` });
      }
    }
    if (env.FORGE_BASE_URL !== undefined && env.FORGE_ADMIN_TOKEN === undefined) {
      ctx.addIssue({ code: 'custom', path: ['FORGE_ADMIN_TOKEN'], message: 'is required when FORGE_BASE_URL is set' });
    }
    const jwt = [env.AUTH_JWT_ISSUER, env.AUTH_JWT_AUDIENCE, env.AUTH_JWT_JWKS_URL];
    if (jwt.some((v) => v !== undefined) && jwt.some((v) => v === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWT_JWKS_URL'], message: 'set AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE and AUTH_JWT_JWKS_URL together' });
    }
    if (env.NODE_ENV === 'production') {
      if (env.GATEWAY_ADMIN_TOKEN === undefined && env.AUTH_JWT_JWKS_URL === undefined) {
        ctx.addIssue({ code: 'custom', path: ['GATEWAY_ADMIN_TOKEN'], message: 'production needs some authentication: set GATEWAY_ADMIN_TOKEN or the AUTH_JWT_* variables' });
      }
      if (env.GATEWAY_SECRET_KEY === undefined) {
        ctx.addIssue({ code: 'custom', path: ['GATEWAY_SECRET_KEY'], message: 'is required in production' });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;
export type PrivilegedAttribute = Env['DATABASE_USER_ALLOWED_ATTRIBUTES'][number];

export interface RetoolConfig {
  baseUrl: string;
  token: string;
  databaseUrl: string | undefined;
  /** Requests per second to the API; 0: no limit. */
  rateLimitPerSecond?: number | undefined;
}

export interface ForgeConfig {
  baseUrl: string;
  adminToken: string;
  /**
   * The site admin's Basic credentials: only for minting a token for an
   * account an admin adopts. Tokens for accounts the gateway creates are
   * minted with the new account's own credentials.
   */
  adminCredentials: { username: string; password: string } | undefined;
  tokenScopes: string[];
  noreplyDomain: string;
  /** Requests per second to the API; 0: no limit. */
  rateLimitPerSecond?: number | undefined;
}

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  store: { kind: 'postgres'; url: string; timeouts: StoreTimeouts } | { kind: 'pglite'; dataDir: string };
  secretKey: { id: string; key: Buffer } | undefined;
  previousSecretKeys: Array<{ id: string; key: Buffer }>;
  auth: {
    adminToken: string | undefined;
    jwt: { issuer: string; audience: string; jwksUrl: string } | undefined;
    /** No authentication configured: loopback-only, every caller is admin. */
    devMode: boolean;
  };
  retool: RetoolConfig | undefined;
  forge: ForgeConfig | undefined;
  backendTimeoutMs: number;
  /**
   * Inline retries of a failure the transport classed `retry: 'now'`, per
   * backend (RETOOL_MAX_RETRIES, FORGE_MAX_RETRIES; else BACKEND_MAX_RETRIES).
   * What is left over is the retry worker's (src/errors.ts, `Retry`).
   */
  backendMaxRetries: { RETOOL: number; FORGE: number };
  retryWorkerIntervalMs: number;
  /** Inline backend work answers by `deadlineMs`; leases last `leaseMs` and are renewed while the work is alive. */
  provisioning: { deadlineMs: number; leaseMs: number };
  /** createUsers: how many users are provisioned at once, and the most one call may hold. */
  bulk: { concurrency: number; maxUsers: number };
  /** SIGTERM: `/readyz` 503 for `delayMs` before the listener closes, then `drainMs` for work in flight. */
  shutdown: { delayMs: number; drainMs: number };
  targetDatabaseUrl: string | undefined;
  /** The grantable-roles and attributes policy for database users (docs/database-users.md, "What the gateway never grants"). */
  databaseUsers: { grantableRoles: string[]; allowedAttributes: PrivilegedAttribute[] };
  publicUrl: string;
  /** Backends a user created through SCIM gets accounts in; undefined: every configured backend. */
  scimBackends: Array<'RETOOL' | 'FORGE'> | undefined;
  oauth2ReturnToAllowlist: string[];
  /** Host names, addresses and CIDRs OAuth2 provider URLs may point at although internal (docs/oauth2-and-pools.md). */
  oauth2AllowedPrivateHosts: string[];
  graphiql: boolean;
  introspection: boolean;
  corsOrigins: string[];
  /** Host header names the gateway answers (src/http/origin.ts); empty: loopback only in dev mode, else any. */
  allowedHosts: string[];
  redisUrl: string | undefined;
  /** Prefix of every Redis key the gateway writes, so instances of different deployments can share a Redis. */
  redisKeyPrefix: string;
  /** Per-operation limits; see docs/configuration.md. */
  limits: {
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
    maxTokens: number;
    maxDirectives: number;
    maxBodyBytes: number;
    maxBatch: number;
    /** Items a list argument such as `nodes(ids:)` may hold. */
    maxNodes: number;
    /** Queries executing at once (0: no limit), and how many may wait for a turn before a 503. */
    maxConcurrentQueries: number;
    maxQueuedQueries: number;
  };
  /**
   * Cost points (src/http/query-cost.ts) a caller's queries may spend: a
   * bucket of `burst` refilled at `perMinute`, per identified caller, and one
   * shared by all anonymous callers; `perMinute` 0 turns one off.
   */
  queryBudget: { identified: { perMinute: number; burst: number }; anonymous: { perMinute: number; burst: number } };
  /** Mutations per caller: a token bucket of `burst` refilled at `perMinute`; `perMinute` 0 turns it off. */
  rateLimit: { perMinute: number; burst: number };
  /** Node HTTP server timeouts (src/http/listen.ts). */
  httpTimeouts: { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number };
  /** How long a repeat of a still-running idempotent request waits for the first before answering a retryable error. */
  idempotencyWaitMs: number;
  /** Traces go to this OTLP/HTTP endpoint when set. */
  otelEndpoint: string | undefined;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
}

/** Timeouts of the Postgres pool, so a stalled store fails requests instead of hanging them. */
export interface StoreTimeouts {
  connectMs: number;
  statementMs: number;
  idleMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Long because it is one flat mapping, variable by variable, from the validated environment to `Config`: splitting it would scatter that map. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as most deployment tools write them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    // Messages name the variable and the rule, never the value.
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const env = parsed.data;
  const devMode = env.GATEWAY_ADMIN_TOKEN === undefined && env.AUTH_JWT_JWKS_URL === undefined;
  if (devMode && !isLoopbackName(env.HOST.toLowerCase())) {
    throw new ConfigError([`HOST: dev mode (no GATEWAY_ADMIN_TOKEN or AUTH_JWT_*) only listens on loopback, not on ${env.HOST}`]);
  }
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    store: env.DATABASE_URL
      ? {
          kind: 'postgres',
          url: env.DATABASE_URL,
          timeouts: { connectMs: env.STORE_CONNECT_TIMEOUT_MS, statementMs: env.STORE_STATEMENT_TIMEOUT_MS, idleMs: env.STORE_IDLE_TIMEOUT_MS },
        }
      : { kind: 'pglite', dataDir: env.PGLITE_DIR },
    secretKey: env.GATEWAY_SECRET_KEY ? { id: env.GATEWAY_SECRET_KEY_ID, key: Buffer.from(env.GATEWAY_SECRET_KEY, 'base64') } : undefined,
    previousSecretKeys: parsePreviousKeys(env.GATEWAY_PREVIOUS_SECRET_KEYS),
    auth: {
      adminToken: env.GATEWAY_ADMIN_TOKEN,
      jwt:
        env.AUTH_JWT_ISSUER && env.AUTH_JWT_AUDIENCE && env.AUTH_JWT_JWKS_URL
          ? { issuer: env.AUTH_JWT_ISSUER, audience: env.AUTH_JWT_AUDIENCE, jwksUrl: env.AUTH_JWT_JWKS_URL }
          : undefined,
      devMode,
    },
    retool:
      env.RETOOL_API_BASE_URL && env.RETOOL_API_TOKEN
        ? { baseUrl: env.RETOOL_API_BASE_URL, token: env.RETOOL_API_TOKEN, databaseUrl: env.RETOOL_DATABASE_URL, rateLimitPerSecond: env.RETOOL_RATE_LIMIT_PER_SECOND }
        : undefined,
    forge:
      env.FORGE_BASE_URL && env.FORGE_ADMIN_TOKEN
        ? {
            baseUrl: env.FORGE_BASE_URL,
            adminToken: env.FORGE_ADMIN_TOKEN,
            adminCredentials:
              env.FORGE_ADMIN_USERNAME && env.FORGE_ADMIN_PASSWORD ? { username: env.FORGE_ADMIN_USERNAME, password: env.FORGE_ADMIN_PASSWORD } : undefined,
            tokenScopes: env.FORGE_TOKEN_SCOPES,
            noreplyDomain: env.FORGE_NOREPLY_DOMAIN,
            rateLimitPerSecond: env.FORGE_RATE_LIMIT_PER_SECOND,
          }
        : undefined,
    backendTimeoutMs: env.BACKEND_TIMEOUT_MS,
    backendMaxRetries: { RETOOL: env.RETOOL_MAX_RETRIES ?? env.BACKEND_MAX_RETRIES, FORGE: env.FORGE_MAX_RETRIES ?? env.BACKEND_MAX_RETRIES },
    retryWorkerIntervalMs: env.RETRY_WORKER_INTERVAL_MS,
    provisioning: { deadlineMs: env.PROVISIONING_DEADLINE_MS, leaseMs: env.PROVISIONING_LEASE_MS },
    bulk: { concurrency: env.BULK_CONCURRENCY, maxUsers: env.BULK_MAX_USERS },
    shutdown: { delayMs: env.SHUTDOWN_DELAY_MS, drainMs: env.SHUTDOWN_DRAIN_MS },
    targetDatabaseUrl: env.TARGET_DATABASE_URL,
    databaseUsers: { grantableRoles: env.DATABASE_USER_GRANTABLE_ROLES, allowedAttributes: env.DATABASE_USER_ALLOWED_ATTRIBUTES },
    publicUrl: (env.PUBLIC_URL ?? `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`).replace(/\/+$/, ''),
    scimBackends: env.SCIM_BACKENDS.length > 0 ? [...new Set(env.SCIM_BACKENDS)] : undefined,
    oauth2ReturnToAllowlist: env.OAUTH2_RETURN_TO_ALLOWLIST,
    oauth2AllowedPrivateHosts: env.OAUTH2_ALLOWED_PRIVATE_HOSTS,
    graphiql: env.GRAPHIQL ?? !production,
    introspection: env.INTROSPECTION ?? !production,
    corsOrigins: env.CORS_ORIGINS,
    allowedHosts: env.ALLOWED_HOSTS,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    limits: {
      maxDepth: env.LIMIT_MAX_DEPTH,
      maxCost: env.LIMIT_MAX_COST,
      maxAliases: env.LIMIT_MAX_ALIASES,
      maxTokens: env.LIMIT_MAX_TOKENS,
      maxDirectives: env.LIMIT_MAX_DIRECTIVES,
      maxBodyBytes: env.LIMIT_MAX_BODY_BYTES,
      maxBatch: env.LIMIT_MAX_BATCH,
      maxNodes: env.LIMIT_MAX_NODES,
      maxConcurrentQueries: env.MAX_CONCURRENT_QUERIES,
      maxQueuedQueries: env.MAX_QUEUED_QUERIES,
    },
    queryBudget: {
      identified: { perMinute: env.QUERY_BUDGET_PER_MINUTE, burst: env.QUERY_BUDGET_BURST },
      anonymous: { perMinute: env.QUERY_BUDGET_ANONYMOUS_PER_MINUTE, burst: env.QUERY_BUDGET_ANONYMOUS_BURST },
    },
    rateLimit: { perMinute: env.RATE_LIMIT_MUTATIONS_PER_MINUTE, burst: env.RATE_LIMIT_BURST },
    httpTimeouts: { requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS, headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS, keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS },
    idempotencyWaitMs: env.IDEMPOTENCY_WAIT_MS,
    otelEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    metricsToken: env.METRICS_TOKEN,
  };
}

function parsePreviousKeys(value: string | undefined): Array<{ id: string; key: Buffer }> {
  if (!value) return [];
  return value.split(',').map((entry, index) => {
    const [id, encoded] = entry.split(':');
    const key = encoded ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
    if (!id || key.length !== 32) {
      throw new ConfigError([`GATEWAY_PREVIOUS_SECRET_KEYS: entry ${index + 1} must be id:base64-of-32-bytes`]);
    }
    return { id, key };
  });
}

/** A loggable summary: which features are on, with no secret values. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    env: config.env,
    listen: `${config.host}:${config.port}`,
    store: config.store.kind === 'pglite' ? `pglite:${config.store.dataDir}` : 'postgres',
    auth: config.auth.devMode ? 'dev-mode' : [config.auth.adminToken && 'admin-token', config.auth.jwt && 'jwt'].filter(Boolean),
    backends: [config.retool && 'RETOOL', config.forge && 'FORGE'].filter(Boolean),
    graphiql: config.graphiql,
    introspection: config.introspection,
    rateLimit: config.rateLimit.perMinute === 0 ? 'off' : config.redisUrl ? 'redis' : 'in-process',
    tracing: config.otelEndpoint !== undefined,
    metrics: config.metricsToken ? 'token' : 'open',
  };
}
