// SCIM error answers (RFC 7644 §3.12): every refusal of the SCIM endpoint
// is one of these, with `status` as a string and a `scimType` where the RFC
// defines one, in `application/scim+json`.
import { ConflictError, type DomainError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { MutabilityError } from '../domain/scim-users.ts';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The scimType values of RFC 7644 §3.12 the gateway answers. */
export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

export class ScimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export function scimResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': SCIM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
  });
}

export function errorResponse(error: ScimHttpError): Response {
  const body = { schemas: [ERROR_SCHEMA], status: String(error.status), ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.detail };
  return scimResponse(error.status, body, error.headers);
}

/** What a ValidationError's field errors say, each with the SCIM attribute it is about. */
function validationDetail(error: ValidationError): string {
  if (error.fieldErrors.length === 0) return error.message;
  return error.fieldErrors.map((field) => `${field.path.filter((part) => part !== 'input').join('.')}: ${field.message}`).join('; ');
}

/** A domain error as the SCIM error that says the same. */
export function fromDomainError(error: DomainError): ScimHttpError {
  if (error instanceof ValidationError) return new ScimHttpError(400, 'invalidValue', validationDetail(error));
  if (error instanceof MutabilityError) return new ScimHttpError(400, 'mutability', error.message);
  if (error instanceof ConflictError) return new ScimHttpError(409, 'uniqueness', error.message);
  if (error instanceof NotFoundError) return new ScimHttpError(404, undefined, error.message);
  if (error instanceof ForbiddenError) return new ScimHttpError(403, undefined, error.message);
  return new ScimHttpError(502, undefined, error.message);
}
