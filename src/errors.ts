// Expected failures of the domain. Domain functions return them (see
// `Result`); the schema layer maps each class to the GraphQL error type of
// the same name, so clients receive them as data, never as thrown errors.

export interface FieldError {
  /** Path of the offending input field, e.g. ['input', 'config', 'db_pool']. */
  path: string[];
  message: string;
}

export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(
    readonly fieldErrors: FieldError[],
    message = fieldErrors.length === 1 && fieldErrors[0] ? fieldErrors[0].message : 'the input is not valid',
  ) {
    super(message);
  }

  static of(path: string[], message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

export class NotFoundError extends DomainError {}

export class ConflictError extends DomainError {}

export class ForbiddenError extends DomainError {}

/**
 * The one retry vocabulary, decided once per failure where it happens (for
 * HTTP backends: the transport, src/backends/http.ts) and read by everyone
 * after: the transport's inline retries, the durable retry worker, and what
 * a mutation or `syncBackend` reports.
 *
 * - `now`: transient (timeout, refused connection, 408/429/502/503/504): the
 *   transport retries it inline, and the worker later if inline retries ran out.
 * - `later`: the backend failed in a way a later attempt may not repeat (a
 *   500, a body that is not JSON or not the contract's shape): no inline
 *   retry, the worker retries it with backoff.
 * - `never`: an answer no later attempt changes (a 4xx, a conflict, an
 *   account that is not the gateway's, refused credentials): nobody retries
 *   it; an admin acts.
 */
export type Retry = 'now' | 'later' | 'never';

export class BackendError extends DomainError {
  constructor(
    readonly backend: string,
    message: string,
    readonly retry: Retry,
  ) {
    super(message);
  }

  /** What the API shows (`BackendError.retryable`): whether trying again later may succeed. */
  get retryable(): boolean {
    return this.retry !== 'never';
  }
}

export type Result<T, E extends DomainError = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E extends DomainError>(error: E): { ok: false; error: E } => ({ ok: false, error });
