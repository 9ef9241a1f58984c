// Validation of a database user before anything touches the cluster
// (docs/database-users.md). Pure: what it needs from the store (is there
// another db_owner?) and from config (the gateway's own login role) is
// passed in, so every rule is checked the same way by create and by tests.
import { identifierProblem, toRoleAttribute, type RoleAttribute } from '../backends/postgres-roles.ts';
import { passwordProblem } from '../backends/scram.ts';
import type { PrivilegedAttribute } from '../config.ts';
import type { FieldError } from '../errors.ts';
import { attributeRefusal } from './role-policy.ts';

export interface DatabaseUserInput {
  username: string;
  /** Omitted: the gateway generates one and reveals it once. */
  password?: string | null;
  dbOwner: boolean;
  attributes: readonly string[];
  roles: readonly string[];
}

export interface ReservedRoles {
  /** The role the gateway itself logs in as on the target cluster. */
  gatewayRole: string;
  /** The owner of the target database. */
  databaseOwner: string;
}

export interface DatabaseUserRuleContext extends ReservedRoles {
  /** DATABASE_USER_ALLOWED_ATTRIBUTES: privileged attributes that may be applied. */
  allowedAttributes: readonly PrivilegedAttribute[];
  /** Whether some other database user already has db_owner. */
  anotherOwnerExists: boolean;
}

export const MAX_USERNAME_LENGTH = 63;
export const MAX_ATTRIBUTES = 16;
export const MAX_ROLES = 16;
// `postgres` is the usual bootstrap superuser; the others are words role
// names mean something else in SQL (`GRANT x TO current_user`, `ALL`,
// `PUBLIC`), so a role with that name is confusing at best and, quoted into
// the wrong statement, dangerous at worst.
export const ALWAYS_RESERVED_USERNAMES: readonly string[] = ['postgres', 'public', 'current_user', 'current_role', 'session_user', 'all', 'none'];

const USERNAME_SHAPE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Reserved names compare without case: an unquoted `ALTER ROLE Postgres`
 * means `postgres`, and names differing only in case are easy to confuse in
 * logs and `\du`. Postgres itself refuses `pg_` names (role name "pg_x" is
 * reserved); refusing them here reports it as a field error instead.
 */
export function reservedUsernameMessage(username: string, reserved: ReservedRoles): string | undefined {
  const lower = username.toLowerCase();
  if (lower.startsWith('pg_')) return `username ${JSON.stringify(username)} is reserved: names starting with "pg_" belong to Postgres`;
  if (reserved.gatewayRole.toLowerCase() === lower) return `username ${JSON.stringify(username)} is reserved: it is the gateway's own role`;
  if (reserved.databaseOwner.toLowerCase() === lower) return `username ${JSON.stringify(username)} is reserved: it owns the database`;
  if (ALWAYS_RESERVED_USERNAMES.some((name) => name === lower)) return `username ${JSON.stringify(username)} is reserved`;
  return undefined;
}

/** Shape and reserved names of a username, for create and adopt alike. */
export function usernameProblem(username: string, reserved: ReservedRoles): string | undefined {
  if (username.length === 0) return 'username is required';
  if (username.length > MAX_USERNAME_LENGTH) return `username must be at most ${MAX_USERNAME_LENGTH} characters`;
  if (!USERNAME_SHAPE.test(username)) {
    return 'username must start with a letter or underscore and contain only letters, digits, underscores and hyphens';
  }
  return reservedUsernameMessage(username, reserved);
}

/** Allowlisted attributes in upper case, first occurrence kept; entries outside the allowlist are dropped (validate first). */
export function normalizeRoleAttributes(attributes: readonly string[]): RoleAttribute[] {
  const normalized = new Set<RoleAttribute>();
  for (const text of attributes) {
    const attribute = toRoleAttribute(text);
    if (attribute) normalized.add(attribute);
  }
  return [...normalized];
}

/** A little over the usual length: one check per input field, in the order the error list reports them. */
export function validateDatabaseUser(
  input: DatabaseUserInput,
  context: DatabaseUserRuleContext,
  path: readonly string[] = ['input'],
): FieldError[] {
  const errors: FieldError[] = [];
  const at = (field: string, ...rest: string[]) => [...path, field, ...rest];

  const username = input.username;
  const usernameError = usernameProblem(username, context);
  if (usernameError) errors.push({ path: at('username'), message: usernameError });

  if (input.password !== undefined && input.password !== null) {
    const problem = passwordProblem(input.password);
    if (problem) errors.push({ path: at('password'), message: problem });
  }

  if (input.dbOwner && context.anotherOwnerExists) {
    errors.push({ path: at('dbOwner'), message: 'another database user is already the db_owner' });
  }

  if (input.attributes.length > MAX_ATTRIBUTES) {
    errors.push({ path: at('attributes'), message: `at most ${MAX_ATTRIBUTES} attributes are allowed` });
  }
  const seenAttributes = new Set<RoleAttribute>();
  input.attributes.forEach((text, index) => {
    const attribute = toRoleAttribute(text);
    if (!attribute) {
      errors.push({ path: at('attributes', String(index)), message: `unsupported role attribute ${JSON.stringify(text)}` });
      return;
    }
    // Each attribute is its own ALTER ROLE, so LOGIN then NOLOGIN would
    // silently leave whichever came last: refuse rather than guess.
    const opposite = oppositeOf(attribute);
    const refusal = attributeRefusal(attribute, context);
    if (refusal) {
      errors.push({ path: at('attributes', String(index)), message: refusal });
    } else if (seenAttributes.has(opposite)) {
      errors.push({
        path: at('attributes', String(index)),
        message: `conflicting role attributes ${JSON.stringify(opposite)} and ${JSON.stringify(attribute)}`,
      });
    }
    seenAttributes.add(attribute);
  });

  if (input.roles.length > MAX_ROLES) {
    errors.push({ path: at('roles'), message: `at most ${MAX_ROLES} roles are allowed` });
  }
  const seenRoles = new Set<string>();
  input.roles.forEach((role, index) => {
    const rolePath = at('roles', String(index));
    const problem = identifierProblem(role);
    if (problem) {
      errors.push({ path: rolePath, message: `invalid role name ${JSON.stringify(role)}: ${problem}` });
    } else if (role === username) {
      errors.push({ path: rolePath, message: 'a role cannot be granted to itself' });
    } else if (seenRoles.has(role)) {
      errors.push({ path: rolePath, message: `role ${JSON.stringify(role)} is listed more than once` });
    }
    seenRoles.add(role);
  });

  return errors;
}

function oppositeOf(attribute: RoleAttribute): RoleAttribute {
  const opposite = attribute.startsWith('NO') ? attribute.slice(2) : `NO${attribute}`;
  const found = toRoleAttribute(opposite);
  if (!found) throw new Error(`role attribute ${attribute} has no opposite in the allowlist`);
  return found;
}
