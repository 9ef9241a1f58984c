// The typed errors mutations return as data. Each GraphQL type is the domain
// error class of the same name, so a domain `Result` maps onto the union.
import { BackendError, ConflictError, DomainError, type FieldError, ForbiddenError, NotFoundError, type Result, ValidationError } from '../errors.ts';
import { builder, PUBLIC } from './builder.ts';

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'An expected failure, returned as data in a mutation result union.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

const FieldErrorRef = builder.objectRef<FieldError>('FieldError').implement({
  authScopes: PUBLIC,
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'Path of the offending input field, starting at the argument name.' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  authScopes: PUBLIC,
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldErrorRef], resolve: (error) => error.fieldErrors }) }),
});

for (const [ErrorClass, name, description] of [
  [NotFoundError, 'NotFoundError', 'The id names no row of the expected type (unknown or malformed).'],
  [ConflictError, 'ConflictError', 'The change conflicts with existing state (a taken name, a row still in use).'],
  [ForbiddenError, 'ForbiddenError', 'The caller lacks the scope this mutation requires.'],
] as const) {
  builder.objectType(ErrorClass, { name, description, authScopes: PUBLIC, interfaces: [ErrorInterface], isTypeOf: (value) => value instanceof ErrorClass, fields: () => ({}) });
}

builder.objectType(BackendError, {
  name: 'BackendError',
  authScopes: PUBLIC,
  description: 'A backend failed; `retryable` says whether trying again later may succeed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof BackendError,
  fields: (t) => ({ backend: t.exposeString('backend'), retryable: t.exposeBoolean('retryable') }),
});

/** The error types every mutation may return. */
export const MUTATION_ERRORS = [ValidationError, NotFoundError, ConflictError, ForbiddenError];
export const BACKEND_MUTATION_ERRORS = [...MUTATION_ERRORS, BackendError];

/** Resolver side of errors-as-data: a failed domain result becomes its union member. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
