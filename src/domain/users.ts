// Users: the canonical record every backend account hangs from.
import { z } from 'zod';
import { isUniqueViolation } from '../store/errors.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { UserRow, UserStatus } from '../store/schema.ts';
import type { GatewayDeps } from './deps.ts';
import { ConflictError, type FieldError, fail, NotFoundError, ok, type Result, ValidationError } from './errors.ts';

export interface CreateUserInput {
  email: string;
  username: string;
  displayName?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
}

// Usernames must be valid in every backend: Forgejo allows letters, digits,
// '-', '_' and '.', starting and ending with a letter or digit, up to 40.
const USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?$/;
const email = z.email();
const optionalName = z.string().trim().min(1).max(200).nullish();

export function validateCreateUser(input: CreateUserInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!email.safeParse(input.email).success) {
    errors.push({ path: ['input', 'email'], message: `"${input.email}" is not a valid email address` });
  }
  if (!USERNAME.test(input.username)) {
    errors.push({
      path: ['input', 'username'],
      message: 'username must be 1-40 letters, digits, ".", "_" or "-", starting and ending with a letter or digit',
    });
  }
  for (const field of ['displayName', 'firstName', 'lastName'] as const) {
    if (!optionalName.safeParse(input[field]).success) {
      errors.push({ path: ['input', field], message: `${field} must be 1-200 characters` });
    }
  }
  return errors;
}

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export interface CreatedUser {
  user: UserRow;
  /** False when the request repeated an earlier one and the existing user was returned. */
  created: boolean;
}

export async function createUser(deps: GatewayDeps, input: CreateUserInput): Promise<Result<CreatedUser>> {
  const fieldErrors = validateCreateUser(input);
  if (fieldErrors.length > 0) return fail(new ValidationError(fieldErrors));

  const { db } = deps.store;
  const existing = await usersRepository.conflicting(db, input.email, input.username);
  // The same email and username again is a repeat of the same request:
  // creation is idempotent, so it answers with the user it made before.
  const repeat = existing.find((row) => sameText(row.email, input.email) && sameText(row.username, input.username));
  if (repeat) return ok({ user: repeat, created: false });
  const taken = conflictMessage(existing, input);
  if (taken) return fail(new ConflictError(taken));

  try {
    const user = await db.transaction((tx) =>
      usersRepository.insert(tx, {
        email: input.email,
        username: input.username,
        displayName: input.displayName ?? null,
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
      }),
    );
    return ok({ user, created: true });
  } catch (error) {
    // Lost a race with a concurrent create of the same email or username.
    if (isUniqueViolation(error)) return fail(new ConflictError('a user with this email or username already exists'));
    throw error;
  }
}

function conflictMessage(existing: UserRow[], input: CreateUserInput): string | undefined {
  if (existing.some((row) => sameText(row.email, input.email))) return `a user with email "${input.email}" already exists`;
  if (existing.some((row) => sameText(row.username, input.username))) return `a user with username "${input.username}" already exists`;
  return undefined;
}

/** Enable or disable: idempotent, setting the current status again succeeds. */
export async function setUserStatus(deps: GatewayDeps, userId: string, status: UserStatus): Promise<Result<{ user: UserRow }>> {
  const user = await deps.store.db.transaction((tx) => usersRepository.setStatus(tx, userId, status));
  return user ? ok({ user }) : fail(new NotFoundError(`no user with id "${userId}"`));
}
