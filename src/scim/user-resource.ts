// A gateway user as a SCIM User resource, and a SCIM User request body as
// the fields the domain keeps. Attribute names are matched ignoring case
// (RFC 7643 §2.1); `active` and `primary` also take the strings "True" and
// "False", which Microsoft Entra ID sends (its "Known issues and resolutions
// with SCIM 2.0 protocol compliance" page).
import { createHash } from 'node:crypto';
import type { ScimUserFields, ScimUserView } from '../domain/scim-users.ts';
import type { BackendAccountRow, UserRow } from '../store/schema.ts';
import { ScimHttpError } from './errors.ts';
import { CORE_USER, GATEWAY_USER, knownSchema } from './schema.ts';

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `object[name]`, the key matched ignoring case. */
export function member(object: JsonObject, name: string): unknown {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(object)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** The weak ETag of a user: changes whenever anything SCIM shows of the user itself changes. */
export function versionOf(user: UserRow): string {
  const parts = [user.id, user.scimUserName, user.externalId, user.email, user.displayName, user.firstName, user.lastName, user.status, user.username, user.updatedAt.toISOString()];
  return `W/"${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22)}"`;
}

export const userLocation = (baseUrl: string, id: string) => `${baseUrl}/Users/${id}`;

function accountView(account: BackendAccountRow): JsonObject {
  return {
    backend: account.backend,
    status: account.status,
    ...(account.ownership ? { ownership: account.ownership } : {}),
    ...(account.externalId ? { externalId: account.externalId } : {}),
    ...(account.lastError && (account.status === 'FAILED' || account.status === 'CONFLICT') ? { error: account.lastError } : {}),
    ...(account.nextAttemptAt && account.status === 'FAILED' ? { nextAttemptAt: account.nextAttemptAt.toISOString() } : {}),
  };
}

/** The attributes PATCH works on: everything a client may write, nothing it may not. */
export function writableResource(user: UserRow): JsonObject {
  const name: JsonObject = {};
  if (user.firstName !== null) name.givenName = user.firstName;
  if (user.lastName !== null) name.familyName = user.lastName;
  return {
    schemas: [CORE_USER, GATEWAY_USER],
    userName: user.scimUserName ?? user.email,
    ...(user.externalId !== null ? { externalId: user.externalId } : {}),
    ...(Object.keys(name).length > 0 ? { name } : {}),
    ...(user.displayName !== null ? { displayName: user.displayName } : {}),
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: user.status === 'ACTIVE',
    [GATEWAY_USER]: { username: user.username },
  };
}

export function userResource({ user, accounts }: ScimUserView, baseUrl: string): JsonObject {
  const writable = writableResource(user);
  const name = isObject(writable.name) ? writable.name : undefined;
  if (name) {
    const formatted = [user.firstName, user.lastName].filter((part) => part !== null).join(' ');
    if (formatted) name.formatted = formatted;
  }
  return {
    schemas: writable.schemas,
    id: user.id,
    ...writable,
    [GATEWAY_USER]: { username: user.username, accounts: accounts.map(accountView) },
    meta: {
      resourceType: 'User',
      created: user.createdAt.toISOString(),
      lastModified: user.updatedAt.toISOString(),
      location: userLocation(baseUrl, user.id),
      version: versionOf(user),
    },
  };
}

function invalid(attribute: string, message: string): ScimHttpError {
  return new ScimHttpError(400, 'invalidValue', `${attribute}: ${message}`);
}

function optionalString(value: unknown, attribute: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(attribute, 'must be a string');
  return value.trim() === '' ? null : value;
}

/** A SCIM boolean, or Entra ID's "True"/"False" strings. */
export function booleanOf(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw invalid(attribute, 'must be true or false');
}

function primaryEmail(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw invalid('emails', 'must be a list of { value, type, primary }');
  const emails = value.map((item) => {
    if (!isObject(item)) throw invalid('emails', 'each email must be an object with a value');
    const primary = member(item, 'primary');
    return { value: optionalString(member(item, 'value'), 'emails.value'), primary: primary === undefined || primary === null ? false : booleanOf(primary, 'emails.primary') };
  });
  const chosen = emails.find((email) => email.primary && email.value !== null) ?? emails.find((email) => email.value !== null);
  return chosen?.value ?? null;
}

/**
 * The fields of a User body (POST, PUT, or a PATCH's result). `current` is
 * the user being replaced, if any: an absent `active` keeps its status.
 */
export function fieldsOf(body: JsonObject, current: UserRow | undefined): ScimUserFields {
  const schemas = member(body, 'schemas');
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.some((urn) => typeof urn === 'string' && knownSchema(urn) === CORE_USER))) {
    throw invalid('schemas', `must list "${CORE_USER}"`);
  }
  const userName = member(body, 'userName');
  if (typeof userName !== 'string' || userName.trim() === '') throw invalid('userName', 'is required');
  const name = member(body, 'name');
  if (name !== undefined && name !== null && !isObject(name)) throw invalid('name', 'must be an object');
  const active = member(body, 'active');
  const extension = Object.entries(body).find(([key]) => knownSchema(key) === GATEWAY_USER)?.[1];
  if (extension !== undefined && extension !== null && !isObject(extension)) throw invalid(GATEWAY_USER, 'must be an object');
  return {
    userName,
    externalId: optionalString(member(body, 'externalId'), 'externalId'),
    email: primaryEmail(member(body, 'emails')),
    displayName: optionalString(member(body, 'displayName'), 'displayName'),
    givenName: isObject(name) ? optionalString(member(name, 'givenName'), 'name.givenName') : null,
    familyName: isObject(name) ? optionalString(member(name, 'familyName'), 'name.familyName') : null,
    active: active === undefined || active === null ? (current ? current.status === 'ACTIVE' : true) : booleanOf(active, 'active'),
    username: isObject(extension) ? optionalString(member(extension, 'username'), `${GATEWAY_USER}:username`) : null,
  };
}
