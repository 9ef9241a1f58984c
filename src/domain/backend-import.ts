// Import every account a backend already has: the bulk form of an admin's
// adoption (docs/architecture.md, "Trust model"). Each account is linked to
// the gateway user with the same email (ignoring case), or a user is created
// for it; backend admins and accounts whose username belongs to a user with
// another email are skipped and counted. Accounts already linked are left
// alone, so running it again changes nothing. `dryRun` counts without writing.
import { forgeUsernameProblem } from '../backends/forge-username.ts';
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { usersRepository } from '../store/repositories/users.ts';
import { isUniqueViolation } from '../store/errors.ts';
import type { Backend } from '../store/schema.ts';
import type { ImportedAccount } from './account-backends.ts';
import type { GatewayDeps } from './deps.ts';
import { BackendError, fail, ok, type Result, ValidationError } from '../errors.ts';

export interface ImportCounts {
  linked: number;
  created: number;
  unchanged: number;
  skippedAdmins: number;
  skippedMismatches: number;
  failed: number;
}

type ImportOutcome = keyof ImportCounts;

const USERNAME_MAX = 40;

/** A username valid in every backend, from what the backend knows of the account. */
export function usernameFrom(account: Pick<ImportedAccount, 'username' | 'email'>): string {
  const source = account.username ?? account.email.split('@')[0] ?? '';
  const cleaned = source
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/([-._])[-._]+/g, '$1')
    .slice(0, USERNAME_MAX)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  // A name Forgejo reserves ("admin", "x.keys") gets a suffix that makes it usable.
  if (cleaned && forgeUsernameProblem(cleaned)) return `${cleaned.slice(0, USERNAME_MAX - 5)}-user`;
  return cleaned || 'user';
}

async function importOne(deps: GatewayDeps, backend: Backend, account: ImportedAccount, dryRun: boolean): Promise<ImportOutcome> {
  const { db } = deps.store;
  if (await backendAccountsRepository.byExternalId(db, backend, account.externalId)) return 'unchanged';
  if (account.isAdmin) return 'skippedAdmins';
  const email = account.email || `${usernameFrom(account)}@${deps.config.forge?.noreplyDomain ?? 'users.noreply.invalid'}`;

  const owner = await usersRepository.byEmail(db, email, { includeDeleted: true });
  if (owner?.deletedAt) {
    // A deleted user's email: never re-linked, nor a new person to create.
    deps.logger.info({ backend, userId: owner.id }, 'import: account of a deleted user skipped');
    return 'skippedMismatches';
  }
  if (owner) {
    const [current] = (await backendAccountsRepository.byUserIds(db, [owner.id])).filter((row) => row.backend === backend);
    if (current?.externalId && current.ownership) {
      // The user already has another account in this backend: two backend
      // accounts claim one person, which needs a human to decide.
      deps.logger.warn({ backend, userId: owner.id }, 'import: user already linked to another account of this backend');
      return 'failed';
    }
    // A PENDING, FAILED or CONFLICT row of the user is replaced by the adoption.
    if (!dryRun) await backendAccountsRepository.adopt(db, { userId: owner.id, backend, ...account, desiredStatus: owner.status });
    return 'linked';
  }
  // Forgejo: an account whose login is a gateway user's username, with
  // another email, is not that user's (nor a new person to create).
  if (account.username && (await usersRepository.conflicting(db, email, account.username)).length > 0) return 'skippedMismatches';
  if (dryRun) return 'created';

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
      if (await usersRepository.byEmail(db, email, { includeDeleted: true })) return importOne(deps, backend, account, dryRun);
    }
  }
  return 'failed';
}

export async function importBackend(deps: GatewayDeps, backend: Backend, dryRun = false): Promise<Result<ImportCounts & { backend: Backend; dryRun: boolean }>> {
  const source = deps.accountBackends[backend];
  if (!source) return fail(ValidationError.of(['input', 'backend'], `backend ${backend} is not configured on this gateway`));
  const counts: ImportCounts = { linked: 0, created: 0, unchanged: 0, skippedAdmins: 0, skippedMismatches: 0, failed: 0 };
  try {
    for await (const account of source.listAccounts()) {
      try {
        counts[await importOne(deps, backend, account, dryRun)] += 1;
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
  deps.logger.info({ backend, dryRun, ...counts }, 'import finished');
  return ok({ backend, dryRun, ...counts });
}
