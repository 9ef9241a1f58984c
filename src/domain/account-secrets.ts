// The one pickup of secrets a backend made for a user while nobody was
// waiting for them (work past a mutation's deadline, the worker, a later
// retry): each is shown once, to an `automation` or `admin` caller, in an
// audited mutation, and never again. Rules: docs/operations.md, "One-time secrets".
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { UserRow } from '../store/schema.ts';
import type { AccountSecret } from './account-backends.ts';
import type { GatewayDeps } from './deps.ts';
import { fail, NotFoundError, ok, type Result } from '../errors.ts';
import { SECRET_OWNER_TYPE, secretKindOf } from './provisioning.ts';

export async function revealAccountSecrets(deps: GatewayDeps, userId: string): Promise<Result<{ user: UserRow; secrets: AccountSecret[] }>> {
  const { db } = deps.store;
  const [user] = await usersRepository.byIds(db, [userId]);
  if (!user) return fail(new NotFoundError(`no user with id "${userId}"`));
  // Only proven accounts: the password sealed before an unproven create is
  // not known to be any account's yet (and is still its ownership proof).
  const proven = new Map((await backendAccountsRepository.byUserIds(db, [user.id])).filter((a) => a.ownership !== null).map((a) => [a.id, a]));
  const secrets = await db.transaction(async (tx) => {
    const taken = await deps.secrets.takeUnrevealed(tx, SECRET_OWNER_TYPE, [...proven.keys()]);
    const out: AccountSecret[] = [];
    for (const secret of taken) {
      const account = proven.get(secret.ownerId);
      const kind = account && secretKindOf(account, secret.purpose);
      if (!account || !kind) continue;
      // The password's other use, the ownership proof, ended when the account was proven.
      if (kind === 'PASSWORD') await deps.secrets.remove(tx, secret);
      out.push({ backend: account.backend, kind, value: secret.value });
    }
    return out;
  });
  deps.logger.info({ userId: user.id, kinds: secrets.map((s) => `${s.backend}:${s.kind}`) }, 'account secrets picked up');
  return ok({ user, secrets });
}
