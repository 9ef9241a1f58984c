// Import every account a backend already has: link it to the gateway user
// with the same email (ignoring case), or create that user. Accounts already
// linked are left alone, so running it again changes nothing.
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { usersRepository } from '../store/repositories/users.ts';
import { isUniqueViolation } from '../store/errors.ts';
import type { Backend } from '../store/schema.ts';
import type { ImportedAccount } from './account-backends.ts';
import type { GatewayDeps } from './deps.ts';
import { BackendError, fail, ok, type Result, ValidationError } from './errors.ts';

export interface ImportCounts {
  linked: number;
  created: number;
  unchanged: number;
  failed: number;
}

type ImportOutcome = keyof ImportCounts;

const USERNAME_MAX = 40;

/** A username valid in every backend, from what the backend knows of the account. */
export function usernameFrom(account: Pick<ImportedAccount, 'username' | 'email'>): string {
  const source = account.username ?? account.email.split('@')[0] ?? '';
  const cleaned = source
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, USERNAME_MAX)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned || 'user';
}

async function importOne(deps: GatewayDeps, backend: Backend, account: ImportedAccount): Promise<ImportOutcome> {
  const { db } = deps.store;
  if (await backendAccountsRepository.byExternalId(db, backend, account.externalId)) return 'unchanged';
  const email = account.email || `${usernameFrom(account)}@${deps.config.forge?.noreplyDomain ?? 'users.noreply.invalid'}`;

  const owner = await usersRepository.byEmail(db, email);
  if (owner) {
    const linked = await backendAccountsRepository.insertLinked(db, { userId: owner.id, backend, ...account });
    // The user already has another account in this backend: two backend
    // accounts claim one person, which needs a human to decide.
    if (!linked) deps.logger.warn({ backend, userId: owner.id }, 'import: user already linked to another account of this backend');
    return linked ? 'linked' : 'failed';
  }

  const base = usernameFrom(account);
  for (let suffix = 1; suffix <= 20; suffix += 1) {
    const username = suffix === 1 ? base : `${base.slice(0, USERNAME_MAX - 3)}-${suffix}`;
    try {
      await db.transaction(async (tx) => {
        const user = await usersRepository.insert(tx, {
          email,
          username,
          displayName: account.displayName ?? ([account.firstName, account.lastName].filter(Boolean).join(' ') || null),
          firstName: account.firstName,
          lastName: account.lastName,
        });
        if (!account.active) await usersRepository.setStatus(tx, user.id, 'DISABLED');
        await backendAccountsRepository.insertLinked(tx, { userId: user.id, backend, ...account });
      });
      return 'created';
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Username taken: try the next suffix. (A taken email cannot happen:
      // it was looked up above, unless another import raced us.)
      if (await usersRepository.byEmail(db, email)) return importOne(deps, backend, account);
    }
  }
  return 'failed';
}

export async function importBackend(deps: GatewayDeps, backend: Backend): Promise<Result<ImportCounts & { backend: Backend }>> {
  const source = deps.accountBackends[backend];
  if (!source) return fail(ValidationError.of(['input', 'backend'], `backend ${backend} is not configured on this gateway`));
  const counts: ImportCounts = { linked: 0, created: 0, unchanged: 0, failed: 0 };
  try {
    for await (const account of source.listAccounts()) {
      try {
        counts[await importOne(deps, backend, account)] += 1;
      } catch (error) {
        counts.failed += 1;
        deps.logger.error({ err: error, backend, externalId: account.externalId }, 'import: account failed');
      }
    }
  } catch (error) {
    // Listing broke off: what was imported stays; a re-run continues.
    if (error instanceof BackendError) return fail(error);
    throw error;
  }
  deps.logger.info({ backend, ...counts }, 'import finished');
  return ok({ backend, ...counts });
}
