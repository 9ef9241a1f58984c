import type { Caller } from './auth.ts';
import type { ConflictError, ForbiddenError } from './errors.ts';
import type { GatewayDeps } from './domain/deps.ts';
import type { Loaders } from './loaders.ts';
import type { Logger } from './logger.ts';

/** Everything a resolver sees: who asks, the per-request loaders, and the domain's dependencies. */
export interface GatewayContext {
  caller: Caller;
  loaders: Loaders;
  deps: GatewayDeps;
  requestId: string;
  /** The gateway logger bound to this request's id. */
  log: Logger;
  /**
   * One-time secrets this request revealed (see `revealOnce`): stored
   * idempotent replies and audit rows never contain them.
   */
  revealed: Set<string>;
  /**
   * Set when the request's idempotency key may not be honoured: reused with
   * other input (ConflictError), or replayed to a caller who may no longer
   * run the mutation (ForbiddenError). Every mutation field answers its
   * error instead of running.
   */
  idempotencyRefusal?: ((field: string) => ConflictError | ForbiddenError) | undefined;
  /**
   * Told each Query and Mutation field's duration (the HTTP layer's
   * metrics); without it, root fields are not timed.
   */
  observeRootField?: ((parentType: string, field: string, seconds: number) => void) | undefined;
}
