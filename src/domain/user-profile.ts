// Movers: a change of a user's name or email, written to the store and made
// the desired profile of every account, then pushed to the accounts the
// gateway owns or an admin adopted (never to someone else's). A backend that
// fails keeps its account unfinished, with a retry time, until the worker or
// retryProvisioning completes it (docs/lifecycle.md).
import { isUniqueViolation } from '../store/errors.ts';
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { type ProfilePatch, usersRepository } from '../store/repositories/users.ts';
import type { Backend, BackendAccountRow, UserRow } from '../store/schema.ts';
import type { ProfileField } from './account-backends.ts';
import type { GatewayDeps } from './deps.ts';
import { ConflictError, type FieldError, fail, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';
import { syncUserAccounts } from './provisioning.ts';
import { deletedConflict, emailErrors, nameErrors, sameText } from './users.ts';

export interface UpdateUserInput {
  id: string;
  /** Absent: unchanged. An email cannot be removed. */
  email?: string | null | undefined;
  /** Absent: unchanged; null clears. */
  displayName?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  /** Never changes: present only to be refused with a reason. */
  username?: string | null | undefined;
}

export const ACCOUNT_UPDATE_OUTCOMES = ['UPDATED', 'PENDING', 'FAILED', 'NOT_SUPPORTED', 'SKIPPED_NOT_OWNED'] as const;
export type AccountUpdateOutcome = (typeof ACCOUNT_UPDATE_OUTCOMES)[number];

export interface AccountUpdate {
  backend: Backend;
  account: BackendAccountRow;
  outcome: AccountUpdateOutcome;
  message: string | null;
}

export interface UpdatedUser {
  user: UserRow;
  accounts: AccountUpdate[];
}

const NAME_FIELDS = ['displayName', 'firstName', 'lastName'] as const;

function validate(input: UpdateUserInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.username != null) {
    errors.push({
      path: ['input', 'username'],
      message: 'usernames are immutable: a Forgejo rename breaks every clone URL and link that names the account; create a new user instead',
    });
  }
  if (input.email === null) errors.push({ path: ['input', 'email'], message: 'a user must have an email; it can be changed, not removed' });
  else if (input.email !== undefined) errors.push(...emailErrors(input.email));
  errors.push(...nameErrors(input));
  return errors;
}

/** The fields of `input` whose value differs from the user's. */
function changes(user: UserRow, input: UpdateUserInput): { patch: ProfilePatch; changed: Set<ProfileField> } {
  const patch: ProfilePatch = {};
  const changed = new Set<ProfileField>();
  if (input.email != null && input.email !== user.email) {
    patch.email = input.email;
    changed.add('email');
  }
  for (const field of NAME_FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== user[field]) {
      patch[field] = value;
      changed.add('name');
    }
  }
  return { patch, changed };
}

export async function updateUser(deps: GatewayDeps, input: UpdateUserInput): Promise<Result<UpdatedUser>> {
  const fieldErrors = validate(input);
  if (fieldErrors.length > 0) return fail(new ValidationError(fieldErrors));
  const { db } = deps.store;
  const [current] = await usersRepository.byIds(db, [input.id]);
  if (!current) return fail(new NotFoundError(`no user with id "${input.id}"`));
  const { patch, changed } = changes(current, input);

  if (patch.email !== undefined && !sameText(patch.email, current.email)) {
    const holder = await usersRepository.byEmail(db, patch.email, { includeDeleted: true });
    if (holder?.deletedAt) return fail(new ConflictError(deletedConflict(holder, { email: patch.email })));
    if (holder) return fail(new ConflictError(`a user with email "${patch.email}" already exists`));
  }

  let user = current;
  if (changed.size > 0) {
    try {
      const written = await db.transaction(async (tx) => {
        const row = await usersRepository.updateProfile(tx, current.id, patch);
        // The new profile is every account's desired state; the worker finishes what this call does not.
        if (row) await backendAccountsRepository.bumpProfile(tx, row.id);
        return row;
      });
      if (!written) return fail(new NotFoundError(`no user with id "${input.id}"`));
      user = written;
    } catch (error) {
      // Lost a race with another write of the same email.
      if (isUniqueViolation(error)) return fail(new ConflictError(`a user with email "${patch.email ?? ''}" already exists`));
      throw error;
    }
  }
  const { accounts } = await syncUserAccounts(deps, user.id);
  return ok({ user, accounts: accounts.map((account) => accountUpdate(deps, account, changed)) });
}

/** What this update did to one account, read from the account after the run. */
function accountUpdate(deps: GatewayDeps, account: BackendAccountRow, changed: ReadonlySet<ProfileField>): AccountUpdate {
  const base = { backend: account.backend, account };
  if (account.status === 'CONFLICT') {
    return { ...base, outcome: 'SKIPPED_NOT_OWNED', message: `not the gateway's account in ${account.backend}: left as it is until an admin adopts it` };
  }
  if (account.status === 'FAILED') {
    const retry = account.nextAttemptAt ? `retried from ${account.nextAttemptAt.toISOString()}` : 'not retried by itself (retryProvisioning tries again)';
    return { ...base, outcome: 'FAILED', message: `${account.lastError ?? 'failed'}; ${retry}` };
  }
  if (account.ownership === null) return { ...base, outcome: 'PENDING', message: 'not provisioned yet: it gets the new profile when it is' };
  if (account.profileSyncedVersion !== account.profileVersion) {
    return { ...base, outcome: 'PENDING', message: 'another run holds this account; the new profile is pushed when it finishes' };
  }
  if (changed.size === 0) return { ...base, outcome: 'UPDATED', message: 'nothing changed' };
  const fixed = (deps.accountBackends[account.backend]?.fixedProfileFields ?? []).filter((field) => changed.has(field));
  if (fixed.length === 0) return { ...base, outcome: 'UPDATED', message: null };
  const rest = [...changed].filter((field) => !fixed.includes(field));
  const done = rest.length > 0 ? `; the ${rest.join(' and ')} was updated` : '';
  return { ...base, outcome: 'NOT_SUPPORTED', message: `${account.backend} cannot change a user's ${fixed.join(' or ')}: the account keeps its old one${done}` };
}
