// An admin's explicit acts on accounts the gateway did not create: adopting
// one that existed before (so the gateway may act on it from then on) and
// releasing a link (the gateway forgets it; the backend account stays as it
// is). Rules: docs/architecture.md, "Trust model".
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { Backend, BackendAccountRow, UserRow } from '../store/schema.ts';
import { type AccountBackend, type AccountSecret, type FoundAccount, SECRET_KINDS } from './account-backends.ts';
import type { GatewayDeps } from './deps.ts';
import { BackendError, ConflictError, fail, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';
import { secretOwner, syncUserAccounts } from './provisioning.ts';

export interface AdoptAccountInput {
  userId: string;
  backend: Backend;
  /** Mint a credential for the adopted account (Forgejo: a token, with the site admin's Basic credentials). */
  mintToken?: boolean | null | undefined;
  /** A current TOTP code of the Forgejo site admin, when that admin has two-factor authentication. */
  forgeOtp?: string | null | undefined;
}

export interface AdoptedAccount {
  user: UserRow;
  account: BackendAccountRow;
  /** Revealed once, in this payload. */
  secrets: AccountSecret[];
}


async function userAndBackend(deps: GatewayDeps, userId: string, backend: Backend): Promise<Result<{ user: UserRow; source: AccountBackend }>> {
  const [user] = await usersRepository.byIds(deps.store.db, [userId]);
  if (!user) return fail(new NotFoundError(`no user with id "${userId}"`));
  const source = deps.accountBackends[backend];
  if (!source) return fail(ValidationError.of(['input', 'backend'], `backend ${backend} is not configured on this gateway`));
  return ok({ user, source });
}

/** Why this found account may not be adopted for this user, if it may not. */
function refusal(backend: Backend, user: UserRow, found: FoundAccount): string | undefined {
  if (found.isAdmin) return `${found.externalRef} is a ${backend} admin; the gateway never adopts backend admins`;
  if (found.email.toLowerCase() !== user.email.toLowerCase()) {
    return `the ${backend} account ${found.externalRef} has email "${found.email}", not the user's "${user.email}"`;
  }
  return undefined;
}

export async function adoptAccount(deps: GatewayDeps, input: AdoptAccountInput): Promise<Result<AdoptedAccount>> {
  const resolved = await userAndBackend(deps, input.userId, input.backend);
  if (!resolved.ok) return resolved;
  const { user, source } = resolved.value;
  if (input.mintToken && !source.mintCredential) {
    return fail(ValidationError.of(['input', 'mintToken'], `${input.backend} accounts have no credential the gateway can mint`));
  }
  const { db } = deps.store;
  const [current] = (await backendAccountsRepository.byUserIds(db, [user.id])).filter((row) => row.backend === input.backend);
  if (current?.ownership && current.externalId) {
    return fail(new ConflictError(`the user is already linked to ${input.backend} account ${current.externalRef ?? current.externalId}`));
  }

  let found: FoundAccount | null;
  try {
    found = await source.find(user);
  } catch (error) {
    if (error instanceof BackendError) return fail(error);
    throw error;
  }
  if (!found) return fail(new NotFoundError(`${input.backend} has no account for this user`));
  const refused = refusal(input.backend, user, found);
  if (refused) return fail(new ConflictError(refused));
  const other = await backendAccountsRepository.byExternalId(db, input.backend, found.externalId);
  if (other && other.userId !== user.id) return fail(new ConflictError(`the ${input.backend} account ${found.externalRef} is linked to another user`));

  const secrets: AccountSecret[] = [];
  let account: BackendAccountRow;
  try {
    account = await db.transaction(async (tx) => {
      const row = await backendAccountsRepository.adopt(tx, { userId: user.id, backend: input.backend, ...found, desiredStatus: user.status });
      // Minted inside the transaction: a refused mint adopts nothing.
      if (input.mintToken && source.mintCredential) {
        for (const secret of await source.mintCredential(found, { otp: input.forgeOtp ?? undefined })) {
          await deps.secrets.put(tx, secretOwner(row, secret.kind), secret.value);
          secrets.push(secret);
        }
      }
      return row;
    });
  } catch (error) {
    if (error instanceof BackendError) return fail(error);
    throw error;
  }
  // Shown in this payload: never picked up again.
  await deps.secrets.markRevealed(
    db,
    secrets.map((secret) => secretOwner(account, secret.kind)),
  );
  // From now on the account follows the user's status like any other.
  if (account.status !== account.desiredStatus) {
    const { accounts } = await syncUserAccounts(deps, user.id);
    account = accounts.find((row) => row.id === account.id) ?? account;
  }
  deps.logger.info({ userId: user.id, backend: input.backend, externalId: found.externalId }, 'account adopted');
  return ok({ user, account, secrets });
}

/** Forget the link and the secrets the gateway held for it; the backend account is left as it is. */
export async function releaseAccount(deps: GatewayDeps, input: { userId: string; backend: Backend }): Promise<Result<{ user: UserRow; account: BackendAccountRow }>> {
  const [user] = await usersRepository.byIds(deps.store.db, [input.userId]);
  if (!user) return fail(new NotFoundError(`no user with id "${input.userId}"`));
  const account = await deps.store.db.transaction(async (tx) => {
    const row = await backendAccountsRepository.remove(tx, user.id, input.backend);
    if (row) for (const kind of SECRET_KINDS) await deps.secrets.remove(tx, secretOwner(row, kind));
    return row;
  });
  if (!account) return fail(new NotFoundError(`the user has no ${input.backend} account`));
  deps.logger.info({ userId: user.id, backend: input.backend, externalId: account.externalId }, 'account released');
  return ok({ user, account });
}
