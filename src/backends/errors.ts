// The detail a caller needs to decide what to do with a failed backend call:
// its `retry` (now, later or never, src/errors.ts), when (`retryAfterMs`),
// and what went wrong. Extends BackendError so the schema layer maps it as one.
import { BackendError, type Retry } from '../errors.ts';

export type BackendFailureKind =
  /** No answer within the client timeout. */
  | 'timeout'
  /** Refused, reset or otherwise failed before a complete response. */
  | 'connection'
  /** An HTTP status the caller does not handle. */
  | 'status'
  /** The body is not JSON (an HTML page, truncated or malformed JSON). */
  | 'not_json'
  /** JSON, but not the shape the contract promises. */
  | 'schema'
  /** The addressed account does not exist. */
  | 'not_found'
  /** The backend reports a duplicate the client cannot link to exactly one account. */
  | 'conflict'
  /** More than one account matches where the contract needs exactly one. */
  | 'ambiguous'
  /**
   * The account exists in the backend and carries no proof that the gateway
   * made it for this user: someone else's, never linked or acted on without
   * an admin's adoption (docs/architecture.md, "Trust model").
   */
  | 'preexisting'
  /** The backend refused the credentials the gateway holds (a changed password, a second factor). */
  | 'credentials';

export interface BackendFailureDetail {
  kind: BackendFailureKind;
  retry: Retry;
  status?: number | undefined;
  /** When a retry may succeed, as the backend asked (Retry-After and kin) or as backoff computed. */
  retryAfterMs?: number | undefined;
  /** Requests made, including the one that failed. */
  attempts?: number | undefined;
}

export class BackendRequestError extends BackendError {
  readonly kind: BackendFailureKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number | undefined;

  constructor(backend: string, message: string, detail: BackendFailureDetail) {
    super(backend, message, detail.retry);
    this.kind = detail.kind;
    this.status = detail.status;
    this.retryAfterMs = detail.retryAfterMs;
    this.attempts = detail.attempts;
  }

  /** The same failure with the retry bookkeeping the transport learned afterwards. */
  with(detail: Partial<Pick<BackendFailureDetail, 'retryAfterMs' | 'attempts'>>): BackendRequestError {
    return new BackendRequestError(this.backend, this.message, {
      kind: this.kind,
      retry: this.retry,
      status: this.status,
      retryAfterMs: detail.retryAfterMs ?? this.retryAfterMs,
      attempts: detail.attempts ?? this.attempts,
    });
  }
}

export function isBackendRequestError(error: unknown): error is BackendRequestError {
  return error instanceof BackendRequestError;
}
