// Database users: customer-owned roles on the target cluster that services
// connect as (specs/backends.md §3, the `connect_as` model). What the gateway
// records it also applies, in one step with the record (see `Cluster.change`).
import { randomInt } from 'node:crypto';
import { databaseUsersRepository } from '../store/repositories/database-users.ts';
import { servicesRepository } from '../store/repositories/services.ts';
import type { DatabaseUserRow } from '../store/schema.ts';
import { normalizeRoleAttributes, validateDatabaseUser } from './database-user-rules.ts';
import type { GatewayDeps } from './deps.ts';
import { ConflictError, fail, type FieldError, NotFoundError, ok, type Result, ValidationError } from './errors.ts';

export interface CreateDatabaseUserInput {
  username: string;
  password?: string | null | undefined;
  dbOwner?: boolean | null | undefined;
  attributes?: readonly string[] | null | undefined;
  roles?: readonly string[] | null | undefined;
}

export interface CreatedDatabaseUser {
  databaseUser: DatabaseUserRow;
  /** The generated password, for the one time it is shown; undefined when the caller chose it. */
  generatedPassword: string | undefined;
  /** False when a role of that name already existed on the cluster and was adopted. */
  roleCreated: boolean;
}

export const GENERATED_PASSWORD_LENGTH = 32;
// Letters and digits only: the password then needs no escaping in a
// connection URI, a .pgpass line or a shell.
const PASSWORD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generatePassword(length = GENERATED_PASSWORD_LENGTH): string {
  // randomInt is uniform (it rejects biased draws), so every character carries log2(62) bits.
  return Array.from({ length }, () => PASSWORD_ALPHABET.charAt(randomInt(PASSWORD_ALPHABET.length))).join('');
}

export const passwordOwner = (databaseUserId: string) => ({ ownerType: 'database_user', ownerId: databaseUserId, purpose: 'password' });

const notFound = (id: string) => new NotFoundError(`no database user with id "${id}"`);

/**
 * Validate everything (shape, reserved names, one db_owner, unique name,
 * roles to grant exist) before any change; then, in one step with the store
 * record: create the role only if absent, set the password as a SCRAM
 * verifier, enable login, apply each attribute, grant each role.
 */
export async function createDatabaseUser(deps: GatewayDeps, input: CreateDatabaseUserInput): Promise<Result<CreatedDatabaseUser>> {
  const { cluster } = deps;
  const attributes = input.attributes ?? [];
  const roleNames = input.roles ?? [];
  const dbOwner = input.dbOwner ?? false;
  const reserved = await cluster.attempt(() => cluster.gatewayRole());
  if (!reserved.ok) return reserved;
  const gatewayRole = reserved.value;

  return cluster.change(async (tx, roles) => {
    const anotherOwner = dbOwner ? await databaseUsersRepository.ownerOtherThan(tx, undefined) : undefined;
    const fieldErrors = validateDatabaseUser(
      { username: input.username, password: input.password ?? null, dbOwner, attributes, roles: roleNames },
      { gatewayRole, anotherOwnerExists: anotherOwner !== undefined },
    );
    if (fieldErrors.length === 0) fieldErrors.push(...(await missingRoles(roleNames, (name) => roles.roleExists(name))));
    if (fieldErrors.length > 0) return fail(new ValidationError(fieldErrors));
    if (await databaseUsersRepository.byUsername(tx, input.username)) {
      return fail(new ConflictError(`a database user "${input.username}" already exists`));
    }

    const normalized = normalizeRoleAttributes(attributes);
    const password = input.password ?? generatePassword();
    const { created } = await roles.createRoleIfAbsent(input.username);
    await roles.setPassword(input.username, password);
    // A database user exists to log in; an explicit NOLOGIN among the
    // attributes is applied after this and wins, leaving the user DISABLED.
    await roles.setLogin(input.username, true);
    await roles.applyAttributes(input.username, normalized);
    await roles.grantRoles(input.username, roleNames);

    const databaseUser = await databaseUsersRepository.insert(tx, {
      username: input.username,
      dbOwner,
      attributes: normalized,
      roles: [...roleNames],
      status: normalized.includes('NOLOGIN') ? 'DISABLED' : 'ACTIVE',
      createdRole: created,
    });
    await deps.secrets.put(tx, passwordOwner(databaseUser.id), password);
    return ok({ databaseUser, generatedPassword: input.password == null ? password : undefined, roleCreated: created });
  });
}

async function missingRoles(roleNames: readonly string[], exists: (name: string) => Promise<boolean>): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const [index, role] of roleNames.entries()) {
    if (!(await exists(role))) {
      errors.push({ path: ['input', 'roles', String(index)], message: `role ${JSON.stringify(role)} does not exist on the Postgres cluster` });
    }
  }
  return errors;
}

export interface DatabaseUserStatusChange {
  databaseUser: DatabaseUserRow;
  /** Sessions ended because the user was disabled (always 0 on enable, and on PGlite). */
  sessionsTerminated: number;
}

/**
 * LOGIN or NOLOGIN, idempotent both ways. NOLOGIN only refuses new logins,
 * so disabling then ends the sessions already open; that happens after the
 * commit, or a session could log in again before NOLOGIN took effect.
 */
export async function setDatabaseUserStatus(deps: GatewayDeps, id: string, status: DatabaseUserRow['status']): Promise<Result<DatabaseUserStatusChange>> {
  const changed = await deps.cluster.change(async (tx, roles) => {
    const row = await databaseUsersRepository.byId(tx, id);
    if (!row) return fail(notFound(id));
    await roles.setLogin(row.username, status === 'ACTIVE');
    const updated = await databaseUsersRepository.setStatus(tx, id, status);
    return updated ? ok(updated) : fail(notFound(id));
  });
  if (!changed.ok) return changed;
  if (status === 'ACTIVE') return ok({ databaseUser: changed.value, sessionsTerminated: 0 });
  const ended = await deps.cluster.attempt((roles) => roles.terminateSessions(changed.value.username));
  if (!ended.ok) return ended;
  return ok({ databaseUser: changed.value, sessionsTerminated: ended.value });
}

export interface DeletedDatabaseUser {
  databaseUser: DatabaseUserRow;
  roleDropped: boolean;
}

/**
 * Refused while any service connects as the user. Otherwise the record (and
 * its sealed password) goes; the role itself is dropped only when asked and
 * only if the gateway created it: a role it adopted belongs to someone else.
 */
export async function deleteDatabaseUser(deps: GatewayDeps, id: string, dropRole: boolean): Promise<Result<DeletedDatabaseUser>> {
  return deps.cluster.change(async (tx, roles) => {
    const row = await databaseUsersRepository.byId(tx, id);
    if (!row) return fail(notFound(id));
    const users = await servicesRepository.byConnectAs(tx, [row.id]);
    if (users.length > 0) {
      const names = users.map((service) => JSON.stringify(service.serviceId)).join(', ');
      return fail(new ConflictError(`database user "${row.username}" is the connect_as user of ${users.length === 1 ? 'service' : 'services'} ${names}; delete or re-point them first`));
    }
    await deps.secrets.remove(tx, passwordOwner(row.id));
    await databaseUsersRepository.delete(tx, row.id);
    const roleDropped = dropRole && row.createdRole ? (await roles.dropRole(row.username)).dropped : false;
    return ok({ databaseUser: row, roleDropped });
  });
}
