// Services (PostgREST, MCP, RAG) and the grants they need on the target
// cluster. Every service connects as an existing database user (`connect_as`);
// the gateway never creates a role for a service. It grants that user what
// the service needs, records each grant it actually made, and on delete
// revokes exactly those (docs/database-users.md).
import type { PostgresRoles } from '../backends/postgres-roles.ts';
import type { Tx } from '../store/client.ts';
import { databaseUsersRepository } from '../store/repositories/database-users.ts';
import { type GrantKey, serviceGrantsRepository } from '../store/repositories/service-grants.ts';
import { servicesRepository } from '../store/repositories/services.ts';
import type { DatabaseUserRow, ServiceGrantRow, ServiceRow, ServiceType } from '../store/schema.ts';
import type { GatewayDeps } from './deps.ts';
import { ConflictError, fail, type FieldError, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';
import { notOursError, roleOnCluster } from './owned-roles.ts';
import { checkGrantable, rolePolicyOf } from './role-policy.ts';
import {
  anonRoleCanLoginMessage,
  authenticatorSharedMessage,
  authenticatorTakenMessage,
  authenticatorWithRolesMessage,
  type PostgrestConfig,
  postgrestPreflight,
  keepRedactedValues,
  REDACTED,
  renderPostgrestConf,
  validatePostgrestConfig,
  validateService,
} from './service-rules.ts';

export interface CreateServiceInput {
  serviceId: string;
  type: ServiceType;
  version: string;
  config?: Record<string, unknown> | null | undefined;
  connectAs?: string | null | undefined;
}

/** Omitted (undefined) fields stay as they are; `connectAs: null` is a missing connect_as. */
export interface UpdateServiceInput {
  version?: string | null | undefined;
  /** Replaces the config. A `jwt_secret` left out, or sent back as "redacted", keeps the stored one; `null` removes it. */
  config?: Record<string, unknown> | null | undefined;
  connectAs?: string | null | undefined;
}

export interface ServiceChange {
  service: ServiceRow;
  /** Grants this call made on the cluster and recorded as the gateway's. */
  grantsMade: ServiceGrantRow[];
  /** Grants this call revoked (only ever ones the gateway had recorded). */
  grantsRevoked: ServiceGrantRow[];
}

export const jwtSecretOwner = (serviceRowId: string) => ({ ownerType: 'service', ownerId: serviceRowId, purpose: 'jwt_secret' });

const notFound = (id: string) => new NotFoundError(`no service with id "${id}"`);

/** A config that validated (or was stored after validating) as PostgREST's, or undefined. */
function asPostgrestConfig(config: Record<string, unknown>): PostgrestConfig | undefined {
  return validatePostgrestConfig(config).config;
}

/** What is stored in `services.config`: the secret is sealed in `secrets`, only a marker stays here. */
function storedConfig(config: Record<string, unknown>): Record<string, unknown> {
  return config.jwt_secret === undefined ? { ...config } : { ...config, jwt_secret: REDACTED };
}

/**
 * Grants a service needs: CONNECT for every type (each one connects as the
 * user); for PostgREST first NOINHERIT on the user, then CONNECT and the anon
 * role — the order and statements of pgEdge control-plane's
 * PostgRESTAuthenticatorResource.Create
 * (server/internal/orchestrator/swarm/postgrest_authenticator_resource.go).
 * NOINHERIT before the anon grant also makes that grant a SET-only one on
 * Postgres 16+, where a grant's inheritance defaults from the member's
 * INHERIT attribute at the time of the GRANT.
 */
function neededGrants(type: ServiceType, postgrest: PostgrestConfig | undefined, database: string, connectAs: string): GrantKey[] {
  const grants: GrantKey[] = [];
  if (type === 'POSTGREST') grants.push({ kind: 'NOINHERIT', target: connectAs, grantee: connectAs });
  grants.push({ kind: 'CONNECT', target: database, grantee: connectAs });
  // A role is trivially a member of itself; GRANT r TO r would fail.
  if (type === 'POSTGREST' && postgrest && postgrest.db_anon_role !== connectAs) {
    grants.push({ kind: 'ROLE', target: postgrest.db_anon_role, grantee: connectAs });
  }
  return grants;
}

const sameGrant = (a: GrantKey, b: GrantKey) => a.kind === b.kind && a.target === b.target && a.grantee === b.grantee;

/**
 * Grant, and record it when the gateway made it. A privilege that already
 * existed is recorded only if another service holds the gateway's record of
 * it: then the gateway made it, and both services now need it, so deleting
 * one must not take it from the other.
 */
async function makeGrant(tx: Tx, roles: PostgresRoles, serviceRowId: string, grant: GrantKey): Promise<ServiceGrantRow | undefined> {
  const granted = await applyGrant(roles, grant);
  if (granted || (await serviceGrantsRepository.heldByAnother(tx, grant, serviceRowId))) {
    return serviceGrantsRepository.record(tx, serviceRowId, grant);
  }
  return undefined;
}

/** Makes the privilege hold on the cluster; true when it did not before. */
async function applyGrant(roles: PostgresRoles, grant: GrantKey): Promise<boolean> {
  switch (grant.kind) {
    case 'CONNECT':
      return (await roles.grantConnect(grant.target, grant.grantee)).granted;
    case 'ROLE':
      return (await roles.grantRole(grant.target, grant.grantee)).granted;
    case 'NOINHERIT':
      return (await roles.setInherit(grant.grantee, false)).changed;
  }
}

/** Whether `grantee` is still the role its database user was created or adopted as. */
async function granteeIsOurs(tx: Tx, roles: PostgresRoles, grantee: string): Promise<boolean> {
  const row = await databaseUsersRepository.byUsername(tx, grantee);
  return row !== undefined && (await roleOnCluster(tx, roles, row)).state === 'ours';
}

/** Forget the record; revoke on the cluster unless another service still needs the same grant. */
async function dropGrant(tx: Tx, roles: PostgresRoles, grant: ServiceGrantRow): Promise<boolean> {
  await serviceGrantsRepository.forget(tx, grant.id);
  if (await serviceGrantsRepository.heldByAnother(tx, grant, grant.serviceId)) return false;
  // A role dropped by hand took its privileges with it; one re-created under
  // the same name is someone else's, and what it holds is not ours to revoke.
  if (!(await granteeIsOurs(tx, roles, grant.grantee))) return false;
  switch (grant.kind) {
    case 'ROLE':
      await roles.revokeRole(grant.target, grant.grantee);
      return true;
    case 'CONNECT':
      await roles.revokeConnect(grant.target, grant.grantee);
      return true;
    case 'NOINHERIT':
      // The last PostgREST service using the user is gone: the gateway set
      // NOINHERIT, so it sets INHERIT back (pgEdge's resource leaves it).
      return (await roles.setInherit(grant.grantee, true)).changed;
  }
}

/** Bring the service's grants to `needed`: revoke recorded ones no longer needed, make the missing ones. */
async function reconcileGrants(tx: Tx, roles: PostgresRoles, serviceRowId: string, needed: GrantKey[]) {
  const recorded = await serviceGrantsRepository.byServices(tx, [serviceRowId]);
  const grantsRevoked: ServiceGrantRow[] = [];
  for (const grant of recorded) {
    if (!needed.some((want) => sameGrant(want, grant)) && (await dropGrant(tx, roles, grant))) grantsRevoked.push(grant);
  }
  const grantsMade: ServiceGrantRow[] = [];
  for (const want of needed) {
    const held = recorded.find((grant) => sameGrant(want, grant));
    if (held) {
      // Recorded, yet perhaps undone by hand since (someone set INHERIT, or
      // revoked the anon role): made again, as pgEdge's Refresh finds a
      // missing NOINHERIT and re-runs Create.
      if (await applyGrant(roles, want)) grantsMade.push(held);
      continue;
    }
    const made = await makeGrant(tx, roles, serviceRowId, want);
    if (made) grantsMade.push(made);
  }
  return { grantsMade, grantsRevoked };
}

interface Checked {
  connectAs: DatabaseUserRow;
  config: Record<string, unknown>;
  postgrest: PostgrestConfig | undefined;
  database: string;
}

/**
 * A PostgREST connect_as user is a dedicated authenticator (it gets
 * NOINHERIT): refused when it has roles of its own or another type of
 * service connects as it, and an MCP or RAG service may not connect as a
 * PostgREST authenticator.
 */
async function authenticatorConflicts(tx: Tx, type: ServiceType, connectAs: DatabaseUserRow, serviceRowId: string | undefined): Promise<FieldError[]> {
  const path = ['input', 'connectAs'];
  const others = (await servicesRepository.byConnectAs(tx, [connectAs.id])).filter((service) => service.id !== serviceRowId);
  if (type === 'POSTGREST') {
    if (connectAs.roles.length > 0) return [{ path, message: authenticatorWithRolesMessage(connectAs.username, connectAs.roles) }];
    const other = others.find((service) => service.type !== 'POSTGREST');
    return other ? [{ path, message: authenticatorSharedMessage(connectAs.username, other) }] : [];
  }
  const postgrest = others.find((service) => service.type === 'POSTGREST');
  return postgrest ? [{ path, message: authenticatorTakenMessage(connectAs.username, type, postgrest.serviceId) }] : [];
}

/** db_anon_role goes through the grantable-roles policy, and must be NOLOGIN. */
async function anonRoleErrors(deps: GatewayDeps, roles: PostgresRoles, anonRole: string): Promise<FieldError[]> {
  const identity = await roles.identity();
  const checks = await checkGrantable((names) => roles.membershipClosure(names), [anonRole], rolePolicyOf(deps.config, identity.currentUser));
  const check = checks.get(anonRole);
  const path = ['input', 'config', 'db_anon_role'];
  // A missing role is the preflight's to report, in the spec's words.
  if (!check || (!check.ok && check.missing)) return [];
  if (!check.ok) return [{ path, message: check.message }];
  return check.role.canLogin ? [{ path, message: anonRoleCanLoginMessage(anonRole) }] : [];
}

/**
 * Field rules, then (for PostgREST with a valid config) the preflight and
 * the anon role policy on the target, the authenticator rules, and last
 * that the connect_as role is still the gateway's. Reads only (a legacy
 * row's role oid may be pinned).
 */
async function check(deps: GatewayDeps, tx: Tx, roles: PostgresRoles, input: CreateServiceInput, serviceRowId?: string): Promise<Result<Checked>> {
  const connectAsName = input.connectAs ?? '';
  const connectAs = connectAsName === '' ? undefined : await databaseUsersRepository.byUsername(tx, connectAsName);
  const { fieldErrors, normalizedConfig } = validateService({ ...input, connectAs: connectAsName }, { databaseUsers: (name) => connectAs?.username === name });
  const postgrest = input.type === 'POSTGREST' ? asPostgrestConfig(normalizedConfig) : undefined;
  const database = await roles.databaseName();
  if (postgrest) {
    fieldErrors.push(...(await postgrestPreflight(roles, postgrest, database)));
    if (postgrest.db_anon_role !== connectAs?.username) fieldErrors.push(...(await anonRoleErrors(deps, roles, postgrest.db_anon_role)));
  }
  if (connectAs) fieldErrors.push(...(await authenticatorConflicts(tx, input.type, connectAs, serviceRowId)));
  if (fieldErrors.length > 0 || !connectAs) return fail(new ValidationError(fieldErrors));
  const found = await roleOnCluster(tx, roles, connectAs);
  if (found.state !== 'ours') return fail(notOursError(connectAs, found));
  return ok({ connectAs, config: normalizedConfig, postgrest, database });
}

/**
 * Validate every field and run the PostgREST preflight before anything is
 * granted; then store the service (its jwt_secret sealed apart) and grant
 * the connect_as user what it needs, all in one step.
 */
export async function createService(deps: GatewayDeps, input: CreateServiceInput): Promise<Result<ServiceChange>> {
  return deps.cluster.change(async (tx, roles) => {
    const checked = await check(deps, tx, roles, input);
    if (!checked.ok) return checked;
    const { connectAs, config, postgrest, database } = checked.value;
    if (await servicesRepository.byServiceId(tx, input.serviceId)) {
      return fail(new ConflictError(`a service "${input.serviceId}" already exists`));
    }
    const service = await servicesRepository.insert(tx, {
      serviceId: input.serviceId,
      type: input.type,
      version: input.version,
      config: storedConfig(config),
      connectAsId: connectAs.id,
    });
    if (postgrest?.jwt_secret !== undefined) await deps.secrets.put(tx, jwtSecretOwner(service.id), postgrest.jwt_secret);
    const grants = await reconcileGrants(tx, roles, service.id, neededGrants(service.type, postgrest, database, connectAs.username));
    return ok({ service, ...grants });
  });
}

/** The config an update validates: the given one with the stored jwt_secret kept unless replaced or removed. */
async function configForUpdate(deps: GatewayDeps, tx: Tx, row: ServiceRow, given: Record<string, unknown> | null | undefined) {
  const stored = await deps.secrets.get(tx, jwtSecretOwner(row.id));
  const base = given ?? row.config;
  const config: Record<string, unknown> = { ...base };
  if (row.type !== 'POSTGREST') return keepRedactedValues(config, row.config);
  if (!('jwt_secret' in base) || base.jwt_secret === REDACTED) {
    if (stored === undefined) delete config.jwt_secret;
    else config.jwt_secret = stored;
  } else if (base.jwt_secret === null) {
    delete config.jwt_secret;
  }
  return config;
}

/**
 * Change version, config or connect_as, validated and preflighted as on
 * create. Grants follow: a new anon role or connect_as user is granted, and
 * the grant the gateway had made for the old one is revoked.
 */
export async function updateService(deps: GatewayDeps, id: string, input: UpdateServiceInput): Promise<Result<ServiceChange>> {
  return deps.cluster.change(async (tx, roles) => {
    const row = await servicesRepository.byId(tx, id);
    if (!row) return fail(notFound(id));
    const current = await databaseUsersRepository.byId(tx, row.connectAsId);
    const checked = await check(
      deps,
      tx,
      roles,
      {
        serviceId: row.serviceId,
        type: row.type,
        version: input.version ?? row.version,
        config: await configForUpdate(deps, tx, row, input.config),
        connectAs: input.connectAs === undefined ? current?.username : input.connectAs,
      },
      row.id,
    );
    if (!checked.ok) return checked;
    const { connectAs, config, postgrest, database } = checked.value;
    const service = await servicesRepository.update(tx, row.id, {
      version: input.version ?? row.version,
      config: storedConfig(config),
      connectAsId: connectAs.id,
    });
    if (!service) return fail(notFound(id));
    if (postgrest?.jwt_secret === undefined) await deps.secrets.remove(tx, jwtSecretOwner(row.id));
    else await deps.secrets.put(tx, jwtSecretOwner(row.id), postgrest.jwt_secret);
    const grants = await reconcileGrants(tx, roles, service.id, neededGrants(service.type, postgrest, database, connectAs.username));
    return ok({ service, ...grants });
  });
}

/**
 * Re-applies what the service needs where it was found missing — for
 * PostgREST, NOINHERIT on the connect_as user and the anon role, as pgEdge's
 * PostgRESTAuthenticatorResource.Refresh does when `rolinherit` is true —
 * after checking the service as an update does. `grantsMade` lists what had
 * to be made again.
 */
export async function repairService(deps: GatewayDeps, id: string): Promise<Result<ServiceChange>> {
  return updateService(deps, id, {});
}

/**
 * Revokes only the grants the gateway recorded for this service (and not
 * one another service still needs), then removes the service. The
 * connect_as user, its role and every other grant stay as they are.
 */
export async function deleteService(deps: GatewayDeps, id: string): Promise<Result<ServiceChange>> {
  return deps.cluster.change(async (tx, roles) => {
    const service = await servicesRepository.byId(tx, id);
    if (!service) return fail(notFound(id));
    const { grantsRevoked } = await reconcileGrants(tx, roles, service.id, []);
    await deps.secrets.remove(tx, jwtSecretOwner(service.id));
    await servicesRepository.delete(tx, service.id);
    return ok({ service, grantsMade: [], grantsRevoked });
  });
}

/**
 * The postgrest.conf a PostgREST service runs with, for an operator to
 * deploy: credentials masked, the JWT secret redacted (both were shown once,
 * by the mutations that set them). Null for other service types.
 */
export async function renderServiceConf(deps: GatewayDeps, service: ServiceRow, connectAs: string): Promise<string | null> {
  if (service.type !== 'POSTGREST') return null;
  const { jwt_secret: secret, ...rest } = service.config;
  const config = asPostgrestConfig(rest);
  if (!config) return null;
  if (secret !== undefined && secret !== null) config.jwt_secret = REDACTED;
  const { host, port } = deps.cluster.endpoint;
  return renderPostgrestConf({ host, port, database: await deps.cluster.databaseName(), connectAs, config });
}
