// Database users: customer-owned roles on the target cluster that services
// connect as (docs/database-users.md, the `connect_as` model). What the gateway
// records it also applies, in one step with the record (see `Cluster.change`).
import { randomInt } from 'node:crypto';
import { databaseUsersRepository } from '../store/repositories/database-users.ts';
import { servicesRepository } from '../store/repositories/services.ts';
import type { DatabaseUserRow } from '../store/schema.ts';
import { passwordProblem } from '../backends/scram.ts';
import type { Tx } from '../store/client.ts';
import { normalizeRoleAttributes, usernameProblem, validateDatabaseUser } from './database-user-rules.ts';
import type { GatewayDeps } from './deps.ts';
import { ConflictError, fail, type FieldError, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';
import { notOursError, roleOnCluster } from './owned-roles.ts';
import { adoptRefusal, checkGrantable, rolePolicyOf } from './role-policy.ts';

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
  /** Always true: a role that already exists is never taken over by create (see adoptDatabaseUser). */
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

/** A role that exists and is not the gateway's: create never takes it over. */
const existingRoleError = (username: string) =>
  new ConflictError(
    `role ${JSON.stringify(username)} already exists on the Postgres cluster and the gateway did not create it; an admin can adopt it with adoptDatabaseUser`,
  );

/**
 * Validate everything (shape, reserved names, privileged attributes, one
 * db_owner, unique name, roles to grant exist and are grantable) before any
 * change; then, in one step with the store record: create the role (a role
 * that already exists is a ConflictError, left exactly as it was), set the
 * password as a SCRAM verifier, enable login, apply each attribute, grant
 * each role.
 */
export async function createDatabaseUser(deps: GatewayDeps, input: CreateDatabaseUserInput): Promise<Result<CreatedDatabaseUser>> {
  const attributes = input.attributes ?? [];
  const roleNames = input.roles ?? [];
  const dbOwner = input.dbOwner ?? false;

  return deps.cluster.change(async (tx, roles) => {
    const identity = await roles.identity();
    const policy = rolePolicyOf(deps.config, identity.currentUser);
    const anotherOwner = dbOwner ? await databaseUsersRepository.ownerOtherThan(tx, undefined) : undefined;
    const fieldErrors = validateDatabaseUser(
      { username: input.username, password: input.password ?? null, dbOwner, attributes, roles: roleNames },
      { gatewayRole: identity.currentUser, databaseOwner: identity.databaseOwner, allowedAttributes: policy.allowedAttributes, anotherOwnerExists: anotherOwner !== undefined },
    );
    if (fieldErrors.length === 0) {
      const checks = await checkGrantable((names) => roles.membershipClosure(names), roleNames, policy);
      roleNames.forEach((role, index) => {
        const check = checks.get(role);
        if (check && !check.ok) fieldErrors.push({ path: ['input', 'roles', String(index)], message: check.message });
      });
    }
    if (fieldErrors.length > 0) return fail(new ValidationError(fieldErrors));
    if (await databaseUsersRepository.byUsername(tx, input.username)) {
      return fail(new ConflictError(`a database user "${input.username}" already exists`));
    }
    if (await roles.roleExists(input.username)) return fail(existingRoleError(input.username));

    const normalized = normalizeRoleAttributes(attributes);
    const password = input.password ?? generatePassword();
    const { created } = await roles.createRoleIfAbsent(input.username);
    if (!created) return fail(existingRoleError(input.username));
    await roles.setPassword(input.username, password);
    // A database user exists to log in; an explicit NOLOGIN among the
    // attributes is applied after this and wins, leaving the user DISABLED.
    await roles.setLogin(input.username, true);
    await roles.applyAttributes(input.username, normalized);
    await roles.grantRoles(input.username, roleNames);
    const facts = await roles.roleFacts(input.username);

    const databaseUser = await databaseUsersRepository.insert(tx, {
      username: input.username,
      dbOwner,
      attributes: normalized,
      roles: [...roleNames],
      status: normalized.includes('NOLOGIN') ? 'DISABLED' : 'ACTIVE',
      ownership: 'CREATED',
      roleOid: facts?.oid ?? null,
    });
    await deps.secrets.put(tx, passwordOwner(databaseUser.id), password);
    return ok({ databaseUser, generatedPassword: input.password == null ? password : undefined, roleCreated: true });
  });
}

export interface AdoptDatabaseUserInput {
  username: string;
  /** Given: set on the role (as a SCRAM verifier) and sealed. Omitted: the role's password stays as it is. */
  password?: string | null | undefined;
  dbOwner?: boolean | null | undefined;
}

/**
 * An admin takes an existing role under the gateway's management. Nothing
 * about the role changes except its password, and that only when one is
 * given: its LOGIN state is recorded as the status, its attributes and
 * memberships stay its own (recorded as none the gateway applied). Refused
 * for reserved names, and for a role that is superuser-equivalent or a
 * member of a role the gateway never grants.
 */
export async function adoptDatabaseUser(deps: GatewayDeps, input: AdoptDatabaseUserInput): Promise<Result<DatabaseUserRow>> {
  const dbOwner = input.dbOwner ?? false;
  return deps.cluster.change(async (tx, roles) => {
    const identity = await roles.identity();
    const policy = rolePolicyOf(deps.config, identity.currentUser);
    const fieldErrors: FieldError[] = [];
    const nameProblem = usernameProblem(input.username, { gatewayRole: identity.currentUser, databaseOwner: identity.databaseOwner });
    if (nameProblem) fieldErrors.push({ path: ['input', 'username'], message: nameProblem });
    const passwordError = input.password == null ? undefined : passwordProblem(input.password);
    if (passwordError) fieldErrors.push({ path: ['input', 'password'], message: passwordError });
    if (dbOwner && (await databaseUsersRepository.ownerOtherThan(tx, undefined))) {
      fieldErrors.push({ path: ['input', 'dbOwner'], message: 'another database user is already the db_owner' });
    }
    if (fieldErrors.length > 0) return fail(new ValidationError(fieldErrors));
    if (await databaseUsersRepository.byUsername(tx, input.username)) {
      return fail(new ConflictError(`a database user "${input.username}" already exists`));
    }
    const closure = (await roles.membershipClosure([input.username])).get(input.username) ?? [];
    const root = closure.find((role) => role.depth === 0);
    if (!root) {
      return fail(new ValidationError([{ path: ['input', 'username'], message: `role ${JSON.stringify(input.username)} does not exist on the Postgres cluster` }]));
    }
    const refusal = adoptRefusal(closure, policy);
    if (refusal) return fail(new ValidationError([{ path: ['input', 'username'], message: refusal }]));

    if (input.password != null) await roles.setPassword(input.username, input.password);
    const databaseUser = await databaseUsersRepository.insert(tx, {
      username: input.username,
      dbOwner,
      attributes: [],
      roles: [],
      status: root.canLogin ? 'ACTIVE' : 'DISABLED',
      ownership: 'ADOPTED',
      roleOid: root.oid,
    });
    if (input.password != null) await deps.secrets.put(tx, passwordOwner(databaseUser.id), input.password);
    return ok(databaseUser);
  });
}

/** Refused while services connect as the user: they would be left pointing at nothing. */
async function inUse(tx: Tx, row: DatabaseUserRow): Promise<ConflictError | undefined> {
  const users = await servicesRepository.byConnectAs(tx, [row.id]);
  if (users.length === 0) return undefined;
  const names = users.map((service) => JSON.stringify(service.serviceId)).join(', ');
  return new ConflictError(`database user "${row.username}" is the connect_as user of ${users.length === 1 ? 'service' : 'services'} ${names}; delete or re-point them first`);
}

/**
 * Undoes a create or an adoption on the gateway's side only: the record and
 * its sealed password go, the role stays on the cluster exactly as it is.
 */
export async function releaseDatabaseUser(deps: GatewayDeps, id: string): Promise<Result<DatabaseUserRow>> {
  return deps.cluster.change(async (tx) => {
    const row = await databaseUsersRepository.byId(tx, id);
    if (!row) return fail(notFound(id));
    const conflict = await inUse(tx, row);
    if (conflict) return fail(conflict);
    await deps.secrets.remove(tx, passwordOwner(row.id));
    await databaseUsersRepository.delete(tx, row.id);
    return ok(row);
  });
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
    const found = await roleOnCluster(tx, roles, row);
    if (found.state !== 'ours') return fail(notOursError(row, found));
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
 * its sealed password) goes; the role itself is dropped only when asked, only
 * if the gateway created it (an adopted role belongs to someone else), and
 * only if it is still that role: one re-created under the same name outside
 * the gateway is left alone.
 */
export async function deleteDatabaseUser(deps: GatewayDeps, id: string, dropRole: boolean): Promise<Result<DeletedDatabaseUser>> {
  return deps.cluster.change(async (tx, roles) => {
    const row = await databaseUsersRepository.byId(tx, id);
    if (!row) return fail(notFound(id));
    const conflict = await inUse(tx, row);
    if (conflict) return fail(conflict);
    const found = await roleOnCluster(tx, roles, row);
    await deps.secrets.remove(tx, passwordOwner(row.id));
    await databaseUsersRepository.delete(tx, row.id);
    const mayDrop = dropRole && row.ownership === 'CREATED' && found.state === 'ours';
    const roleDropped = mayDrop ? (await roles.dropRole(row.username)).dropped : false;
    return ok({ databaseUser: row, roleDropped });
  });
}
