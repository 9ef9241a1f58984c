// Request-scoped state owned by the context (src/context.ts) that both the
// schema and the HTTP edge use: the name of the idempotency argument every
// mutation takes, and the one-time secrets a request revealed. Here, below
// both, so that http/idempotency.ts never imports the schema for them.
import type { GatewayContext } from './context.ts';

export const IDEMPOTENCY_KEY_ARG = 'idempotencyKey';
/** What a stored idempotent reply shows where the first reply revealed a one-time secret. */
export const REVEALED_ONCE = '[revealed once]';

/**
 * Resolves a one-time secret (an initial password, a new token) and notes it
 * on the request, so that the stored idempotent reply and the audit row get
 * `[revealed once]` instead of the value.
 */
export function revealOnce(context: Pick<GatewayContext, 'revealed'>, value: string): string {
  context.revealed.add(value);
  return value;
}

/** `value` with every string this request revealed replaced by REVEALED_ONCE. */
export function withoutRevealed<T>(value: T, revealed: ReadonlySet<string>): T {
  if (revealed.size === 0) return value;
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) => (typeof item === 'string' && revealed.has(item) ? REVEALED_ONCE : item)) as T;
}
