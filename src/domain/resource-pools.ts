// Resource pools and who may view them (backends.md §4). Every grant lives in
// `resource_pool_viewers` with its source, and every rule below runs inside
// the transaction of the change that triggers it, so access is always exactly
// what the rules say: nothing is synced later, nothing is left behind.
//
// The rules, each applied with the triggering provider(s) locked (see
// `oauth2ProvidersRepository.lock`):
//   1. connect     → viewer on every pool linked to the provider (`applyConnect`)
//   2. disconnect  → remove the grants that connection gave (`applyDisconnect`)
//   3. pool created with providers → grant every user connected to them
//   4. pool re-linked → revoke the grants of providers no longer linked, grant
//      the users of newly linked ones (grants of providers kept are untouched)
//   5. a provider a pool references cannot be deleted (oauth2.ts)
// Manual grants are never touched by these rules.
import { isUniqueViolation } from '../store/errors.ts';
import { oauth2ConnectionsRepository } from '../store/repositories/oauth2-connections.ts';
import { oauth2ProvidersRepository } from '../store/repositories/oauth2-providers.ts';
import { poolViewersRepository } from '../store/repositories/pool-viewers.ts';
import { resourcePoolsRepository } from '../store/repositories/resource-pools.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { Executor } from '../store/client.ts';
import type { ResourcePoolRow, UserRow } from '../store/schema.ts';
import type { GatewayDeps } from './deps.ts';
import { ConflictError, type FieldError, fail, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';

export interface Quota {
  cpu: number;
  memory: number;
  gpu: number;
}

export interface CreateResourcePoolInput {
  name: string;
  public?: boolean | null | undefined;
  default?: boolean | null | undefined;
  quota?: Quota | null | undefined;
  remoteKind?: string | null | undefined;
  /** Slug of the primary provider (the spec's `remote.provider_id`). */
  providerId?: string | null | undefined;
  /** Slugs of further providers whose users also get access. */
  additionalProviderIds?: readonly string[] | null | undefined;
}

/** Omitted fields stay as they are; `null` clears a nullable one (and leaves a required one as it is). */
export type UpdateResourcePoolInput = { [K in keyof CreateResourcePoolInput]?: CreateResourcePoolInput[K] | null };

const MIN_NAME = 5;
const MAX_NAME = 200;

// ---------------------------------------------------------------------------
// The access rules, for use inside a transaction that holds the provider lock

/** Rule 1. */
export async function applyConnect(tx: Executor, userId: string, providerId: string): Promise<void> {
  const poolIds = await resourcePoolsRepository.poolIdsLinkedTo(tx, providerId);
  await poolViewersRepository.grantOAuth2(
    tx,
    poolIds.map((poolId) => ({ poolId, userId, providerId })),
  );
}

/** Rule 2: every grant the connection gave, including those made when a pool was created or re-linked. */
export async function applyDisconnect(tx: Executor, userId: string, providerId: string): Promise<number> {
  return poolViewersRepository.revokeOAuth2OfUser(tx, userId, providerId);
}

/** Rules 3 and 4: move a pool from one set of linked providers to another. */
async function relink(tx: Executor, poolId: string, before: readonly string[], after: readonly string[]): Promise<void> {
  const removed = before.filter((id) => !after.includes(id));
  const added = after.filter((id) => !before.includes(id));
  await resourcePoolsRepository.unlink(tx, poolId, removed);
  await poolViewersRepository.revokeOAuth2OnPool(tx, poolId, removed);
  await resourcePoolsRepository.link(tx, poolId, added);
  const connected = await oauth2ConnectionsRepository.connectedTo(tx, added);
  await poolViewersRepository.grantOAuth2(
    tx,
    connected.map(({ userId, providerId }) => ({ poolId, userId, providerId })),
  );
}

// ---------------------------------------------------------------------------
// Validation

function validateFields(input: UpdateResourcePoolInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.name != null) {
    const length = input.name.trim().length;
    if (length < MIN_NAME || length > MAX_NAME) {
      errors.push({ path: ['input', 'name'], message: `name must be ${MIN_NAME}-${MAX_NAME} characters` });
    }
  }
  if (input.quota) {
    const { cpu, memory, gpu } = input.quota;
    if (!(Number.isFinite(cpu) && cpu > 0)) errors.push({ path: ['input', 'quota', 'cpu'], message: 'cpu must be greater than 0' });
    if (!(Number.isInteger(memory) && memory > 0)) errors.push({ path: ['input', 'quota', 'memory'], message: 'memory must be a whole number of GB greater than 0' });
    if (!(Number.isInteger(gpu) && gpu >= 0)) errors.push({ path: ['input', 'quota', 'gpu'], message: 'gpu must be a whole number, 0 or more' });
  }
  if (input.remoteKind != null && (input.remoteKind.trim() === '' || input.remoteKind.length > 100)) {
    errors.push({ path: ['input', 'remoteKind'], message: 'remoteKind must be 1-100 characters' });
  }
  return errors;
}

interface ProviderSelection {
  primary: string | null;
  /** Primary first, no duplicates. */
  linked: string[];
}

function selectProviders(primary: string | null, additional: readonly string[]): Result<ProviderSelection, ValidationError> {
  if (primary === null && additional.length > 0) {
    return fail(ValidationError.of(['input', 'additionalProviderIds'], 'additional providers need a primary providerId'));
  }
  const linked = [...new Set([...(primary === null ? [] : [primary]), ...additional])];
  return ok({ primary, linked });
}

/** Unknown providers are a validation error (not NotFound) on create and update alike, as the spec says. */
function unknownProviders(requested: ProviderSelection, existing: readonly string[], additional: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  if (requested.primary !== null && !existing.includes(requested.primary)) {
    errors.push({ path: ['input', 'providerId'], message: `no OAuth2 provider "${requested.primary}"` });
  }
  additional.forEach((id, index) => {
    if (!existing.includes(id)) errors.push({ path: ['input', 'additionalProviderIds', String(index)], message: `no OAuth2 provider "${id}"` });
  });
  return errors;
}

async function defaultTaken(db: Executor, poolId: string | undefined): Promise<FieldError | undefined> {
  const current = await resourcePoolsRepository.defaultPool(db);
  if (!current || current.id === poolId) return undefined;
  return { path: ['input', 'default'], message: `there is already a default pool ("${current.name}"); at most one pool is the default` };
}

function raced(error: unknown): Result<never> {
  // Lost a race with a concurrent write of the same name or default flag.
  if (isUniqueViolation(error)) return fail(new ConflictError('a pool with this name already exists, or another pool became the default'));
  throw error;
}

// ---------------------------------------------------------------------------
// Use-cases

export async function createResourcePool(deps: GatewayDeps, input: CreateResourcePoolInput): Promise<Result<{ pool: ResourcePoolRow }>> {
  const fieldErrors = validateFields(input);
  if (input.name == null) fieldErrors.push({ path: ['input', 'name'], message: 'name is required' });
  const additional = input.additionalProviderIds ?? [];
  const selection = selectProviders(input.providerId ?? null, additional);
  if (!selection.ok) fieldErrors.push(...selection.error.fieldErrors);
  if (fieldErrors.length > 0 || !selection.ok) return fail(new ValidationError(fieldErrors));

  try {
    return await deps.store.db.transaction(async (tx) => {
      const existing = (await oauth2ProvidersRepository.lock(tx, selection.value.linked)).map((row) => row.id);
      const errors = unknownProviders(selection.value, existing, additional);
      if (input.default) {
        const taken = await defaultTaken(tx, undefined);
        if (taken) errors.push(taken);
      }
      if (errors.length > 0) return fail(new ValidationError(errors));

      const pool = await resourcePoolsRepository.insert(tx, {
        name: (input.name ?? '').trim(),
        public: input.public ?? false,
        isDefault: input.default ?? false,
        quota: input.quota ?? null,
        remoteKind: input.remoteKind?.trim() ?? null,
        providerId: selection.value.primary,
      });
      await relink(tx, pool.id, [], selection.value.linked);
      return ok({ pool });
    });
  } catch (error) {
    return raced(error);
  }
}

export async function updateResourcePool(deps: GatewayDeps, poolId: string, input: UpdateResourcePoolInput): Promise<Result<{ pool: ResourcePoolRow }>> {
  const fieldErrors = validateFields(input);
  if (fieldErrors.length > 0) return fail(new ValidationError(fieldErrors));

  try {
    return await deps.store.db.transaction(async (tx) => {
      // Serialises updates of one pool, so the links read next are the ones replaced.
      const [current] = await resourcePoolsRepository.lockRows(tx, [poolId]);
      if (!current) return fail(new NotFoundError(`no ResourcePool with id "${poolId}"`));
      const before = await resourcePoolsRepository.linkedProviderIds(tx, poolId);

      const primary = input.providerId === undefined ? current.providerId : input.providerId;
      const previousAdditional = before.filter((id) => id !== current.providerId);
      const additional = input.additionalProviderIds === undefined ? previousAdditional : (input.additionalProviderIds ?? []);
      const selection = selectProviders(primary, additional);
      if (!selection.ok) return selection;

      const existing = (await oauth2ProvidersRepository.lock(tx, [...before, ...selection.value.linked])).map((row) => row.id);
      const errors = unknownProviders(selection.value, existing, input.additionalProviderIds ?? []);
      if (input.default) {
        const taken = await defaultTaken(tx, poolId);
        if (taken) errors.push(taken);
      }
      if (errors.length > 0) return fail(new ValidationError(errors));

      const pool = await resourcePoolsRepository.update(tx, poolId, {
        ...(input.name != null ? { name: input.name.trim() } : {}),
        ...(input.public != null ? { public: input.public } : {}),
        ...(input.default != null ? { isDefault: input.default } : {}),
        ...(input.quota !== undefined ? { quota: input.quota } : {}),
        ...(input.remoteKind !== undefined ? { remoteKind: input.remoteKind?.trim() ?? null } : {}),
        providerId: selection.value.primary,
      });
      if (!pool) return fail(new NotFoundError(`no ResourcePool with id "${poolId}"`));
      await relink(tx, poolId, before, selection.value.linked);
      return ok({ pool });
    });
  } catch (error) {
    return raced(error);
  }
}

/** Its grants and provider links go with it (ON DELETE CASCADE), in the same statement. */
export async function deleteResourcePool(deps: GatewayDeps, poolId: string): Promise<Result<{ pool: ResourcePoolRow }>> {
  const pool = await deps.store.db.transaction((tx) => resourcePoolsRepository.delete(tx, poolId));
  return pool ? ok({ pool }) : fail(new NotFoundError(`no ResourcePool with id "${poolId}"`));
}

export interface ViewerChange {
  pool: ResourcePoolRow;
  user: UserRow;
  /** False when there was nothing to do (already granted, or no manual grant to revoke). */
  changed: boolean;
}

async function poolAndUser(db: Executor, poolId: string, userId: string): Promise<Result<{ pool: ResourcePoolRow; user: UserRow }>> {
  const [pool] = await resourcePoolsRepository.lockRows(db, [poolId]);
  if (!pool) return fail(new NotFoundError(`no ResourcePool with id "${poolId}"`));
  const [user] = await usersRepository.byIds(db, [userId]);
  if (!user) return fail(new NotFoundError(`no User with id "${userId}"`));
  return ok({ pool, user });
}

/** An admin's grant: kept whatever the user's provider connections do. Idempotent. */
export async function grantResourcePoolViewer(deps: GatewayDeps, poolId: string, userId: string): Promise<Result<ViewerChange>> {
  return deps.store.db.transaction(async (tx) => {
    const found = await poolAndUser(tx, poolId, userId);
    if (!found.ok) return found;
    const changed = await poolViewersRepository.grantManual(tx, poolId, userId);
    return ok({ ...found.value, changed });
  });
}

/** Removes the manual grant only; access the user has through a provider stays while that connection does. */
export async function revokeResourcePoolViewer(deps: GatewayDeps, poolId: string, userId: string): Promise<Result<ViewerChange>> {
  return deps.store.db.transaction(async (tx) => {
    const found = await poolAndUser(tx, poolId, userId);
    if (!found.ok) return found;
    const changed = await poolViewersRepository.revokeManual(tx, poolId, userId);
    return ok({ ...found.value, changed });
  });
}
