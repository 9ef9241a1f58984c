// createUsers: many joiners in one call. Each user goes through createUser
// exactly as a single call would (validation before any side effect,
// idempotent repeats, one-time secrets revealed once or kept for the
// pickup); at most BULK_CONCURRENCY users are provisioned at once, and the
// backends' request-rate limits (src/backends/rate-limiter.ts) hold across
// them. A bad item changes nothing for itself and never stops the others.
import type { GatewayDeps } from './deps.ts';
import { DomainError, fail, ok, type Result, ValidationError } from '../errors.ts';
import { type CreatedUser, type CreateUserInput, createUser } from './users.ts';

/** One item's answer, at the item's position: the user (created or already there), or why not. */
export type BulkItemResult = CreatedUser | DomainError;

export interface CreatedUsers {
  results: BulkItemResult[];
  created: number;
  existing: number;
  failed: number;
}

/** Runs `work` for every index with at most `limit` running at once; answers in index order. */
export async function boundedMap<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** An item's field errors, with paths that name the item (`input.users.3.email`). */
function atItem(error: DomainError, index: number): DomainError {
  if (!(error instanceof ValidationError)) return error;
  return new ValidationError(
    error.fieldErrors.map((field) => ({ ...field, path: ['input', 'users', String(index), ...field.path.slice(field.path[0] === 'input' ? 1 : 0)] })),
    error.message,
  );
}

export async function createUsers(deps: GatewayDeps, inputs: readonly CreateUserInput[]): Promise<Result<CreatedUsers>> {
  const { maxUsers, concurrency } = deps.config.bulk;
  if (inputs.length > maxUsers) return fail(ValidationError.of(['input', 'users'], `at most ${maxUsers} users per call (BULK_MAX_USERS); split the list`));
  const results = await boundedMap(inputs, concurrency, async (input, index): Promise<BulkItemResult> => {
    const result = await createUser(deps, input);
    return result.ok ? result.value : atItem(result.error, index);
  });
  const users = results.filter((item): item is CreatedUser => !(item instanceof DomainError));
  const created = users.filter((item) => item.created).length;
  return ok({ results, created, existing: users.length - created, failed: results.length - users.length });
}
