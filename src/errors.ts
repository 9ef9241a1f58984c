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

export class BackendError extends DomainError {
  constructor(
    readonly backend: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export type Result<T, E extends DomainError = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E extends DomainError>(error: E): { ok: false; error: E } => ({ ok: false, error });
