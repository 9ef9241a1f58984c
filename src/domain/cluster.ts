// The Postgres cluster database users and service grants are applied to:
// TARGET_DATABASE_URL, or else the gateway's own store (so the embedded
// default works with no cluster at all). `change` is the one way a mutation
// touches it, and decides how the store's record and the cluster's state
// commit together (docs/database-users.md, "Ordering").
import { connectTarget, createPostgresRoles, type PostgresRoles, type TargetCluster, type TargetQuery } from '../backends/postgres-roles.ts';
import type { Config } from '../config.ts';
import type { Store, Tx } from '../store/client.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { executorQuery, lockClusterChanges } from '../store/executor-query.ts';
import { BackendError, ConflictError, type DomainError, fail, ok, type Result, type Retry } from '../errors.ts';

export const CLUSTER_BACKEND = 'postgres';

/**
 * A failed statement on the target, reduced to its SQLSTATE and the server's
 * message. Driver errors carry the statement and its parameters (PGlite and
 * Drizzle attach them), and a statement may hold a password verifier: none of
 * that may reach a log line or a client.
 */
export class ClusterQueryError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ClusterQueryError';
  }
}

function toClusterError(error: unknown): ClusterQueryError {
  if (error instanceof ClusterQueryError) return error;
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const code: unknown = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') {
      const message = /^[0-9A-Z]{5}$/.test(code) && current.message ? current.message : `the Postgres cluster could not be reached (${code})`;
      return new ClusterQueryError(code, message);
    }
  }
  return new ClusterQueryError(undefined, 'the Postgres cluster failed');
}

function sanitizeQuery(query: TargetQuery): TargetQuery {
  return async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => {
    try {
      return await query<Row>(text, params);
    } catch (error) {
      throw toClusterError(error);
    }
  };
}

function sanitized(inner: TargetCluster): TargetCluster {
  return {
    kind: inner.kind,
    query: sanitizeQuery(inner.query),
    async transaction<T>(fn: (query: TargetQuery) => Promise<T>): Promise<T> {
      let thrownByFn = false;
      try {
        return await inner.transaction(async (query) => {
          try {
            return await fn(sanitizeQuery(query));
          } catch (error) {
            thrownByFn = true;
            throw error;
          }
        });
      } catch (error) {
        // What `fn` threw (a store error, a rollback signal) passes as it is;
        // anything else failed connecting, beginning or committing.
        if (thrownByFn) throw error;
        throw toClusterError(error);
      }
    },
    databaseName: async () => {
      try {
        return await inner.databaseName();
      } catch (error) {
        throw toClusterError(error);
      }
    },
  };
}

/** SQLSTATEs (and socket errors) after which the same request may succeed later; nothing retries cluster statements inline. */
function retryOf(code: string | undefined): Retry {
  if (code === undefined) return 'never';
  if (code.startsWith('E')) return 'later';
  return code.startsWith('08') || code.startsWith('53') || ['40001', '40P01', '55P03', '57P01', '57P02', '57P03'].includes(code) ? 'later' : 'never';
}

/** The domain error a failed cluster statement is answered with. */
export function clusterFailure(error: ClusterQueryError): DomainError {
  // dependent_objects_still_exist: DROP ROLE of a role that owns objects or holds privileges.
  if (error.code === '2BP01') return new ConflictError(error.message);
  return new BackendError(CLUSTER_BACKEND, error.message, retryOf(error.code));
}

class Rollback<T> extends Error {
  constructor(readonly result: Result<T>) {
    super('rollback');
  }
}

export interface ClusterEndpoint {
  host: string;
  port: number;
}

export interface Cluster {
  readonly kind: 'postgres' | 'pglite';
  /** Operations outside any transaction: read-only checks, and ending sessions after a commit. */
  readonly roles: PostgresRoles;
  /** Where services reach the cluster, as rendered into postgrest.conf. */
  readonly endpoint: ClusterEndpoint;
  databaseName(): Promise<string>;
  /**
   * Runs `fn` with a store transaction and the cluster operations bound to a
   * cluster transaction. Nothing of either is kept unless `fn` returns an ok
   * result: a failed result or a throw rolls both back. A failed cluster
   * statement is answered as a BackendError (ConflictError for dependents).
   */
  change<T>(fn: (tx: Tx, roles: PostgresRoles) => Promise<Result<T>>): Promise<Result<T>>;
  /**
   * Runs `fn` on the cluster outside any transaction, answering a failed
   * statement as `change` does. Never call it from inside `change`: on PGlite
   * it would wait for that transaction to end.
   */
  attempt<T>(fn: (roles: PostgresRoles) => Promise<T>): Promise<Result<T>>;
  close(): Promise<void>;
}

const DEFAULT_ENDPOINT: ClusterEndpoint = { host: 'localhost', port: 5432 };

function endpointOf(url: string | undefined): ClusterEndpoint {
  if (url === undefined) return DEFAULT_ENDPOINT;
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || DEFAULT_ENDPOINT.host;
  return { host, port: parsed.port ? Number(parsed.port) : DEFAULT_ENDPOINT.port };
}

export function openCluster(config: Config, store: Store): Cluster {
  const storeUrl = config.store.kind === 'postgres' ? config.store.url : undefined;
  if (config.targetDatabaseUrl === undefined) return storeCluster(store, endpointOf(storeUrl));
  const { target, close } = connectTarget(config.targetDatabaseUrl);
  return separateCluster(store, sanitized(target), endpointOf(config.targetDatabaseUrl), close);
}

function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

function common(target: TargetCluster) {
  const roles = createPostgresRoles(target);
  return {
    kind: target.kind,
    roles,
    async attempt<T>(fn: (roles: PostgresRoles) => Promise<T>): Promise<Result<T>> {
      try {
        return ok(await fn(roles));
      } catch (error) {
        if (error instanceof ClusterQueryError) return fail(clusterFailure(error));
        throw error;
      }
    },
    databaseName: memo(() => target.databaseName()),
  };
}

/** A failed result must undo the cluster transaction too, so it is thrown from inside it. */
function orRollback<T>(fn: (tx: Tx, roles: PostgresRoles) => Promise<Result<T>>, tx: Tx) {
  return async (roles: PostgresRoles): Promise<Result<T>> => {
    const result = await fn(tx, roles);
    if (!result.ok) throw new Rollback(result);
    return result;
  };
}

async function settle<T>(store: Store, body: (tx: Tx) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await store.db.transaction(async (tx) => {
      await lockClusterChanges(tx);
      return body(tx);
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result as Result<T>;
    if (error instanceof ClusterQueryError) return fail(clusterFailure(error));
    if (isUniqueViolation(error)) return fail(new ConflictError('a concurrent change got there first; try again'));
    throw error;
  }
}

/**
 * The store is the cluster: one transaction holds the record and the role
 * changes alike, so they commit or vanish together.
 */
function storeCluster(store: Store, endpoint: ClusterEndpoint): Cluster {
  const onExecutor = (query: TargetQuery, transaction: TargetCluster['transaction']): TargetCluster => {
    const target: TargetCluster = {
      kind: store.kind,
      query,
      transaction,
      databaseName: async () => {
        const [row] = await query<{ name: string }>('SELECT current_database() AS name');
        if (!row) throw new Error('current_database() returned no row');
        return row.name;
      },
    };
    return sanitized(target);
  };
  const outside = onExecutor(executorQuery(store.db), (fn) => store.db.transaction((tx) => fn(executorQuery(tx))));
  return {
    ...common(outside),
    endpoint,
    change: (fn) =>
      settle(store, (tx) => {
        const query = executorQuery(tx);
        return createPostgresRoles(onExecutor(query, (inner) => inner(query))).transaction(orRollback(fn, tx));
      }),
    close: async () => undefined,
  };
}

/**
 * A cluster of its own: the cluster transaction runs, and commits, inside
 * the store transaction, which commits only after it. Should the store's
 * COMMIT then fail, the cluster keeps a change the store does not record;
 * a repeated service change converges, a repeated create is a ConflictError
 * an admin resolves by adopting the leftover role, and the gateway only ever revokes or
 * drops what its record says it made, so the leftover errs on the side of
 * never touching an operator's roles.
 */
function separateCluster(store: Store, target: TargetCluster, endpoint: ClusterEndpoint, close: () => Promise<void>): Cluster {
  const base = common(target);
  return {
    ...base,
    endpoint,
    change: (fn) => settle(store, (tx) => base.roles.transaction(orRollback(fn, tx))),
    close,
  };
}
