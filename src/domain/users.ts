// Users: the canonical record every backend account hangs from.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { forgeUsernameProblem } from '../backends/forge-username.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { Backend, BackendAccountRow, UserRow, UserStatus } from '../store/schema.ts';
import type { GatewayDeps } from './deps.ts';
import { ConflictError, type FieldError, fail, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';
import { configuredBackends, type ProvisioningOutcome, syncUserAccounts } from './provisioning.ts';

export interface CreateUserInput {
  email: string;
  username: string;
  displayName?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  /** Backends to hold an account in; each must be configured. */
  backends?: readonly Backend[] | null | undefined;
  /** Set by SCIM (domain/scim-users.ts): written with the user, in the same statement. */
  scim?: { userName: string; externalId: string | null } | undefined;
}

// RFC 5321's limit; longer values would also overflow the unique index.
const email = z.email().max(254);
const optionalName = z.string().trim().min(1).max(200).nullish();

export function validateCreateUser(input: CreateUserInput, configured: readonly Backend[]): FieldError[] {
  const errors: FieldError[] = [];
  (input.backends ?? []).forEach((backend, index) => {
    if (!configured.includes(backend)) {
      errors.push({ path: ['input', 'backends', String(index)], message: `backend ${backend} is not configured on this gateway` });
    }
  });
  errors.push(...emailErrors(input.email));
  // Usernames must be valid in every backend; Forgejo's rules are the strictest.
  const problem = forgeUsernameProblem(input.username);
  if (problem) errors.push({ path: ['input', 'username'], message: `username ${problem}` });
  errors.push(...nameErrors(input));
  return errors;
}

/** The email rule of every user write. */
export function emailErrors(value: string): FieldError[] {
  return email.safeParse(value).success ? [] : [{ path: ['input', 'email'], message: `"${value}" is not a valid email address` }];
}

/** The name rules of every user write: each absent, or 1-200 characters. */
export function nameErrors(input: Pick<CreateUserInput, 'displayName' | 'firstName' | 'lastName'>): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['displayName', 'firstName', 'lastName'] as const) {
    if (!optionalName.safeParse(input[field]).success) {
      errors.push({ path: ['input', field], message: `${field} must be 1-200 characters` });
    }
  }
  return errors;
}

export const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export interface CreatedUser extends ProvisioningOutcome {
  user: UserRow;
  /** False when the request repeated an earlier one and the existing user was returned. */
  created: boolean;
}

/**
 * Validate everything before any side effect; write the user and one
 * PENDING account per backend in one transaction; then call the backends
 * concurrently. A backend failure leaves its account FAILED for a retry:
 * the user is created either way.
 */
export async function createUser(deps: GatewayDeps, input: CreateUserInput): Promise<Result<CreatedUser>> {
  const fieldErrors = validateCreateUser(input, configuredBackends(deps));
  if (fieldErrors.length > 0) return fail(new ValidationError(fieldErrors));
  const backends = [...new Set(input.backends ?? [])];

  const { db } = deps.store;
  const fresh = await insertFresh(deps, input, backends);
  if (fresh) return ok({ user: fresh.user, created: true, ...(await syncUserAccounts(deps, fresh.user.id, { user: fresh.user, claimedNew: fresh.accounts })) });
  // Two tries: a concurrent identical create may win the insert between our
  // look-up and our insert; the second look-up then finds it as a repeat.
  for (let attempt = 1; ; attempt += 1) {
    const existing = await usersRepository.conflicting(db, input.email, input.username);
    // A deleted user keeps its email and username: reusing either is a
    // conflict, so the old backend accounts are never linked to someone new.
    const deleted = existing.find((row) => row.deletedAt !== null);
    if (deleted) return fail(new ConflictError(deletedConflict(deleted, input)));
    // The same email and username again is a repeat of the same request:
    // creation is idempotent, so it answers with the user it made before and
    // finishes (never duplicates) its accounts.
    const repeat = existing.find((row) => sameText(row.email, input.email) && sameText(row.username, input.username));
    const taken = repeat ? undefined : conflictMessage(existing, input);
    if (taken) return fail(new ConflictError(taken));

    let user: UserRow;
    try {
      user = await db.transaction(async (tx) => {
        const row = repeat ?? (await usersRepository.insert(tx, newUserOf(input)));
        await backendAccountsRepository.insertPending(tx, row.id, backends, row.status);
        return row;
      });
    } catch (error) {
      // Lost a race with a concurrent create of the same email or username:
      // look again, and answer as a repeat if it was the same request.
      if (isUniqueViolation(error) && attempt === 1) continue;
      if (isUniqueViolation(error)) return fail(new ConflictError('a user with this email or username already exists'));
      throw error;
    }
    return ok({ user, created: repeat === undefined, ...(await syncUserAccounts(deps, user.id, { user })) });
  }
}

/**
 * The common case in one statement: the user inserted unless any of its
 * unique keys is taken (then undefined, and createUser looks at who holds
 * it: a repeat, a conflict or a deleted user), and its accounts inserted
 * already claimed by this instance, so no separate claim is needed.
 */
async function insertFresh(deps: GatewayDeps, input: CreateUserInput, backends: readonly Backend[]): Promise<{ user: UserRow; accounts: BackendAccountRow[] } | undefined> {
  const { leaseMs, owner } = deps.reconciler;
  return usersRepository.insertIfFreeWithAccounts(deps.store.db, newUserOf(input), { backends, leaseMs, owner });
}

const newUserOf = (input: CreateUserInput) => ({
  email: input.email,
  username: input.username,
  displayName: input.displayName ?? null,
  firstName: input.firstName ?? null,
  lastName: input.lastName ?? null,
  ...(input.scim ? { scimUserName: input.scim.userName, externalId: input.scim.externalId } : {}),
});

/** Names the deleted user by the global id restoreUser takes (deleted users are hidden from every query). */
export function deletedConflict(row: UserRow, input: Pick<CreateUserInput, 'email'> & Partial<Pick<CreateUserInput, 'username'>>): string {
  const what = sameText(row.email, input.email) ? `email "${row.email}"` : `username "${row.username}"`;
  return `a deleted user (id ${encodeGlobalID('User', row.id)}) still holds the ${what}; restore it with restoreUser, or pick another`;
}

function conflictMessage(existing: UserRow[], input: CreateUserInput): string | undefined {
  if (existing.some((row) => sameText(row.email, input.email))) return `a user with email "${input.email}" already exists`;
  if (existing.some((row) => sameText(row.username, input.username))) return `a user with username "${input.username}" already exists`;
  return undefined;
}

/**
 * Enable or disable the user and every linked backend account. Idempotent:
 * an account already in the wanted state is not called again. Nothing is
 * ever deleted: disabling is the deprovisioning step.
 */
export async function setUserStatus(deps: GatewayDeps, userId: string, status: UserStatus): Promise<Result<{ user: UserRow } & ProvisioningOutcome>> {
  const user = await deps.store.db.transaction(async (tx) => {
    const row = await usersRepository.setStatus(tx, userId, status);
    if (row) await backendAccountsRepository.setDesiredStatus(tx, userId, status);
    return row;
  });
  if (!user) return fail(new NotFoundError(`no user with id "${userId}"`));
  return ok({ user, ...(await syncUserAccounts(deps, user.id)) });
}
