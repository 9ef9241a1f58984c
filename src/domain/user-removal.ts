// Leavers and returners: deleteUser turns a user into a tombstone the API
// no longer shows and whose credentials no longer work, and leaves every
// backend account present but disabled; restoreUser undoes the tombstone.
// Backend accounts are never deleted (docs/lifecycle.md).
import type { Executor } from '../store/client.ts';
import { apiTokensRepository } from '../store/repositories/api-tokens.ts';
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { oauth2ConnectionsRepository } from '../store/repositories/oauth2-connections.ts';
import { poolViewersRepository } from '../store/repositories/pool-viewers.ts';
import type { SecretOwner } from '../store/repositories/secrets.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { Backend, BackendAccountRow, UserRow } from '../store/schema.ts';
import { type CredentialRevocation, linkOf } from './account-backends.ts';
import type { GatewayDeps } from './deps.ts';
import { fail, NotFoundError, ok, type Result } from '../errors.ts';
import { disconnectOAuth2Provider } from './oauth2-connections.ts';
import { type ProvisioningOutcome, secretOwner, syncUserAccounts } from './provisioning.ts';

export interface CredentialOutcome extends CredentialRevocation {
  backend: Backend;
}

export interface DeletedUser {
  user: UserRow;
  /** Every account, each left present in its backend and (once the run or the worker finishes) disabled. */
  accounts: BackendAccountRow[];
  apiTokensRevoked: number;
  poolGrantsRemoved: number;
  oauth2ConnectionsRemoved: number;
  /** Connections whose token the provider confirmed revoked (best effort). */
  oauth2TokensRevoked: number;
  /** The backend tokens the gateway had minted for the accounts, and what became of each. */
  credentials: CredentialOutcome[];
}

interface HeldCredential {
  account: BackendAccountRow;
  password: string | undefined;
}

/** A sealed secret, or undefined when there is none or it can no longer be opened (its key was retired). */
async function openSecret(deps: GatewayDeps, db: Executor, owner: SecretOwner): Promise<{ present: boolean; value: string | undefined }> {
  try {
    const value = await deps.secrets.get(db, owner);
    return { present: value !== undefined, value };
  } catch {
    return { present: true, value: undefined };
  }
}

/**
 * In the delete's transaction: drop the secrets the gateway held for the
 * user's linked accounts, keeping in memory what revoking a minted token
 * needs (the initial password). An unlinked account's sealed password stays:
 * it is the only proof of a create whose answer was lost, which restoreUser
 * may still need.
 */
async function takeAccountSecrets(deps: GatewayDeps, tx: Executor, accounts: readonly BackendAccountRow[]): Promise<HeldCredential[]> {
  const minted: HeldCredential[] = [];
  for (const account of accounts) {
    if (!linkOf(account) || account.ownership === null) continue;
    const password = await openSecret(deps, tx, secretOwner(account, 'PASSWORD'));
    const token = await openSecret(deps, tx, secretOwner(account, 'TOKEN'));
    if (token.present) minted.push({ account, password: password.value });
    await deps.secrets.remove(tx, secretOwner(account, 'PASSWORD'));
    await deps.secrets.remove(tx, secretOwner(account, 'TOKEN'));
  }
  return minted;
}

async function revokeMinted(deps: GatewayDeps, held: readonly HeldCredential[]): Promise<CredentialOutcome[]> {
  return Promise.all(
    held.map(async ({ account, password }): Promise<CredentialOutcome> => {
      const backend = deps.accountBackends[account.backend];
      const link = linkOf(account);
      if (!backend?.revokeCredential || !link) {
        return { backend: account.backend, revoked: false, message: `backend ${account.backend} is not configured: its token was not revoked` };
      }
      return { backend: account.backend, ...(await backend.revokeCredential(link, { password })) };
    }),
  );
}

/** Disconnect every provider connection (revoking its tokens at the provider, best effort). */
async function disconnectAll(deps: GatewayDeps, userId: string): Promise<{ removed: number; revoked: number }> {
  const counts = { removed: 0, revoked: 0 };
  for (const connection of await oauth2ConnectionsRepository.byUserIds(deps.store.db, [userId])) {
    try {
      const result = await disconnectOAuth2Provider(deps, connection.id);
      if (!result.ok) continue;
      counts.removed += 1;
      if (result.value.tokenRevoked) counts.revoked += 1;
    } catch (error) {
      // The user stays deleted; the connection is left for an admin (and the log says so).
      deps.logger.error({ err: error, connectionId: connection.id }, 'deleteUser: a connection could not be removed');
    }
  }
  return counts;
}

/**
 * Mark the user deleted (keeping `status` for restoreUser), revoke its API
 * tokens, remove its pool grants and make every account's desired state
 * disabled, in one transaction; then revoke the backend tokens the gateway
 * minted (before the disable, while the account's own password still signs
 * in), disable the accounts, and disconnect its providers. A backend that is
 * down now leaves its account unfinished for the worker; nothing undoes the
 * delete. No backend account is ever deleted.
 */
export async function deleteUser(deps: GatewayDeps, input: { id: string; actor: string }): Promise<Result<DeletedUser>> {
  const { db } = deps.store;
  const [found] = await usersRepository.byIds(db, [input.id]);
  if (!found) return fail(new NotFoundError(`no user with id "${input.id}"`));
  const accounts = await backendAccountsRepository.byUserIds(db, [found.id]);

  const held = await db.transaction(async (tx) => {
    const user = await usersRepository.markDeleted(tx, found.id, input.actor);
    if (!user) return undefined;
    await backendAccountsRepository.setDesiredStatus(tx, user.id, 'DISABLED');
    const apiTokensRevoked = await apiTokensRepository.revokeForUser(tx, user.id);
    const poolGrantsRemoved = await poolViewersRepository.revokeAllOfUser(tx, user.id);
    const minted = await takeAccountSecrets(deps, tx, accounts);
    return { user, apiTokensRevoked, poolGrantsRemoved, minted };
  });
  // Deleted meanwhile by another call.
  if (!held) return fail(new NotFoundError(`no user with id "${input.id}"`));

  const credentials = await revokeMinted(deps, held.minted);
  const { accounts: after } = await syncUserAccounts(deps, held.user.id);
  const oauth2 = await disconnectAll(deps, held.user.id);
  deps.logger.info(
    {
      userId: held.user.id,
      accounts: after.map((a) => ({ backend: a.backend, externalId: a.externalId, status: a.status })),
      apiTokensRevoked: held.apiTokensRevoked,
      poolGrantsRemoved: held.poolGrantsRemoved,
      oauth2ConnectionsRemoved: oauth2.removed,
      credentials: credentials.map((c) => ({ backend: c.backend, revoked: c.revoked })),
    },
    'user deleted',
  );
  return ok({
    user: held.user,
    accounts: after,
    apiTokensRevoked: held.apiTokensRevoked,
    poolGrantsRemoved: held.poolGrantsRemoved,
    oauth2ConnectionsRemoved: oauth2.removed,
    oauth2TokensRevoked: oauth2.revoked,
    credentials,
  });
}

/**
 * Undo a delete: the user is shown again and its accounts' desired state is
 * the user's status again. What the delete revoked stays revoked (API
 * tokens, backend tokens, connections, pool grants).
 */
export async function restoreUser(deps: GatewayDeps, id: string): Promise<Result<{ user: UserRow } & ProvisioningOutcome>> {
  const user = await deps.store.db.transaction(async (tx) => {
    const row = await usersRepository.restore(tx, id);
    if (row) await backendAccountsRepository.setDesiredStatus(tx, row.id, row.status);
    return row;
  });
  if (!user) return fail(new NotFoundError(`no deleted user with id "${id}"`));
  deps.logger.info({ userId: user.id, status: user.status }, 'user restored');
  return ok({ user, ...(await syncUserAccounts(deps, user.id)) });
}
