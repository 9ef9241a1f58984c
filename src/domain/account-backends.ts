// The one shape provisioning needs from every account backend, and the
// adapters that give Retool and Forgejo that shape. Provisioning itself
// (domain/provisioning.ts) never knows which backend it talks to.
import type { CallBudget } from '../backends/budget.ts';
import { BackendRequestError } from '../backends/errors.ts';
import type { ForgeClient } from '../backends/forge.ts';
import type { RetoolDbReader } from '../backends/retool-db.ts';
import { defaultNames, type RetoolClient } from '../backends/retool.ts';
import type { Backend, BackendAccountRow, UserRow } from '../store/schema.ts';

/** The kinds of secret a backend account can hold; the GraphQL `SecretKind` enum is this list. */
export const SECRET_KINDS = ['PASSWORD', 'TOKEN'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

export interface AccountSecret {
  backend: Backend;
  kind: SecretKind;
  value: string;
}

export interface AccountLink {
  externalId: string;
  externalRef: string;
}

/**
 * Durable progress, reported as soon as the backend confirms it (the
 * adapters report it as the last step of `provision`). Provisioning puts it
 * on record before its next backend call, before a later failure, or with
 * the round's outcome in the same statement, so that nothing after it
 * loses it; a crash before then leaves the account to be proven again, as
 * a crash before the report would. `secrets` are sealed and revealed;
 * `reveal` were sealed earlier (an initial password) and are revealed with
 * this step.
 */
export type ProgressSink = (step: { link: AccountLink; secrets: AccountSecret[]; reveal?: AccountSecret[] }) => Promise<void>;

export interface ProvisionRequest {
  user: UserRow;
  /**
   * The password for an account this attempt creates: made once per
   * account and sealed before any backend call, so every retry sends the same
   * one, and an account that answers to it is provably the gateway's own.
   */
  initialPassword(): Promise<string>;
  progress: ProgressSink;
  /** The caller's deadline for inline retries (backends/budget.ts); absent for the worker. */
  budget?: CallBudget | undefined;
}

/** An account as the backend holds it, for an admin's adoption. */
export interface FoundAccount extends AccountLink {
  email: string;
  isAdmin: boolean;
  active: boolean;
}

export interface ImportedAccount extends AccountLink {
  email: string;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  active: boolean;
  isAdmin: boolean;
}

/** The profile fields the gateway keeps in step across backends. */
export type ProfileField = 'email' | 'name';

/** What became of the credential the gateway minted for an account, when the user was deleted. */
export interface CredentialRevocation {
  revoked: boolean;
  /** What was done, or why it could not be (never a secret). */
  message: string;
}

export interface AccountBackend {
  readonly backend: Backend;
  /** Profile fields the backend offers no way to change (Retool: email). */
  readonly fixedProfileFields: readonly ProfileField[];
  /**
   * Create the user's account, or link one the gateway's own earlier attempt
   * made (proven, never guessed); resolves with its state in the backend.
   * An account that exists without that proof fails with kind `preexisting`.
   */
  provision(request: ProvisionRequest): Promise<AccountLink & { active: boolean }>;
  setActive(account: AccountLink, active: boolean, budget?: CallBudget): Promise<void>;
  /** Bring the account's names (and email, where the backend can change it) to the user's; setting the same values again changes nothing. */
  updateProfile(account: AccountLink, user: UserRow, budget?: CallBudget): Promise<void>;
  /**
   * Revoke the token the gateway minted for the account (a deleted user's),
   * with the account's own initial password when the gateway holds it, else
   * the backend admin's. Absent where the backend has no such credential.
   */
  revokeCredential?(account: AccountLink, options: { password?: string | undefined }): Promise<CredentialRevocation>;
  /** The account an admin would adopt for this user (Retool: by email; Forgejo: by username); null when none. */
  find(user: UserRow): Promise<FoundAccount | null>;
  /** A credential for an adopted account, made only when an admin asks for it. Absent where the backend has none. */
  mintCredential?(account: AccountLink, options: { otp?: string | undefined }): Promise<AccountSecret[]>;
  listAccounts(): AsyncIterable<ImportedAccount>;
  /** Whether the backend accepts the gateway's credentials for everything it does, changing nothing. */
  check(): Promise<BackendCheck>;
}

export type AccountBackends = Partial<Record<Backend, AccountBackend>>;

export const BACKEND_HEALTH_STATUSES = ['OK', 'DEGRADED', 'MISCONFIGURED', 'UNREACHABLE'] as const;
export type BackendHealthStatus = (typeof BACKEND_HEALTH_STATUSES)[number];

/** What one backend's check found: MISCONFIGURED breaks provisioning, DEGRADED only an optional feature. */
export interface BackendCheck {
  status: BackendHealthStatus;
  message: string | null;
}

/** The failure of an account that exists in the backend and is not provably the gateway's. */
export function preexisting(backend: Backend, what: string): BackendRequestError {
  return new BackendRequestError(backend.toLowerCase(), `${backend.toLowerCase()}: ${what} exists in ${backend} and was not created by this gateway; an admin can adopt it`, {
    kind: 'preexisting',
    retry: 'never',
  });
}

async function* mapAsync<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncIterable<U> {
  for await (const item of items) yield map(item);
}

/** Forgejo's full name for a user: the display name, else first and last name. */
export function forgeFullName(user: UserRow): string {
  return user.displayName?.trim() || [user.firstName, user.lastName].filter(Boolean).join(' ');
}

/** The metadata key on Retool accounts the gateway creates; its value is the gateway user id. */
export const RETOOL_OWNER_TAG = 'identity_gateway_user_id';

export function retoolAccounts(client: RetoolClient, reader?: RetoolDbReader): AccountBackend {
  return {
    backend: 'RETOOL',
    // No documented PATCH path changes an email (docs/backends.md, "Retool").
    fixedProfileFields: ['email'],
    async provision({ user, progress, budget }) {
      const account = await client.ensureUser(
        { email: user.email, displayName: user.displayName, firstName: user.firstName, lastName: user.lastName, metadata: { [RETOOL_OWNER_TAG]: user.id } },
        budget,
      );
      // A duplicate email is the gateway's own lost create only when the
      // account carries this user's tag; anyone else's account is left alone.
      if (account.linked && account.metadata[RETOOL_OWNER_TAG] !== user.id) throw preexisting('RETOOL', `an account with email ${user.email}`);
      const link = { externalId: account.legacyId, externalRef: account.sid };
      await progress({ link, secrets: [] });
      return { ...link, active: account.active };
    },
    async setActive(account, active, budget) {
      await client.setActive(account.externalRef, active, budget);
    },
    async updateProfile(account, user, budget) {
      await client.setNames(account.externalRef, defaultNames(user), budget);
    },
    async find(user) {
      const matches = await client.findByEmail(user.email);
      if (matches.length > 1) throw new BackendRequestError('retool', `retool: ambiguous email: ${matches.length} users match`, { kind: 'ambiguous', retry: 'never' });
      const [match] = matches;
      return match ? { externalId: match.legacyId, externalRef: match.sid, email: match.email, isAdmin: match.isAdmin, active: match.active } : null;
    },
    async check() {
      const refused = await client.checkAccess();
      return refused ? { status: 'MISCONFIGURED', message: `the API token was refused (${refused}); it needs users:read and users:write` } : { status: 'OK', message: null };
    },
    async *listAccounts() {
      // Retool's own Postgres, when configured, lists every user in one
      // cheap pass and is not subject to the REST rate limit.
      const users = reader ? mapAsync(reader.listUsers(), (u) => ({ ...u, active: u.enabled })) : client.listUsers();
      for await (const user of users) {
        yield {
          externalId: user.legacyId,
          externalRef: user.sid,
          email: user.email,
          username: null,
          firstName: user.firstName,
          lastName: user.lastName,
          displayName: null,
          active: user.active,
          isAdmin: user.isAdmin,
        };
      }
    },
  };
}

/** One gateway token per Forgejo account, named after it: a retry finds and replaces it instead of piling up tokens. */
export const forgeTokenName = (login: string) => `identity-gateway-${login.toLowerCase()}`;

/** Long because it is a factory: the AccountBackend's steps share the client in its closure; each step is short. */
export function forgeAccounts(client: ForgeClient, adminCredentials?: { username: string; password: string }): AccountBackend {
  return {
    backend: 'FORGE',
    fixedProfileFields: [],
    async provision({ user, initialPassword, progress, budget }) {
      const password = await initialPassword();
      const account = await client.ensureUser({ username: user.username, email: user.email, fullName: forgeFullName(user), password }, budget);
      const link = { externalId: String(account.id), externalRef: account.login };
      // The proof and the token in one call: only an account that answers
      // Basic auth with the password this gateway set for this user can mint.
      const token = await client.mintToken(account.login, { username: account.login, password }, forgeTokenName(account.login), budget);
      if (token === 'unauthorized') {
        if (account.linked) throw preexisting('FORGE', `the account ${account.login}`);
        throw new BackendRequestError('forge', `forge: the account ${account.login} refused the password the gateway just set`, { kind: 'credentials', retry: 'never' });
      }
      await progress({
        link,
        secrets: [{ backend: 'FORGE', kind: 'TOKEN', value: token.token }],
        reveal: [{ backend: 'FORGE', kind: 'PASSWORD', value: password }],
      });
      return { ...link, active: !account.prohibitLogin };
    },
    async setActive(account, active, budget) {
      await client.setProhibitLogin(account.externalRef, !active, budget);
    },
    async updateProfile(account, user, budget) {
      await client.editProfile(account.externalRef, { fullName: forgeFullName(user), email: user.email }, budget);
    },
    async revokeCredential(account, { password }) {
      const name = forgeTokenName(account.externalRef);
      // The tokens routes take Basic auth only. The account's own password
      // works while it may still sign in; a site admin's always does.
      const tried: string[] = [];
      const attempts = [
        ...(password ? [{ who: "the account's initial password", credentials: { username: account.externalRef, password } }] : []),
        ...(adminCredentials ? [{ who: "the site admin's Basic credentials", credentials: adminCredentials }] : []),
      ];
      for (const { who, credentials } of attempts) {
        try {
          const outcome = await client.deleteToken(account.externalRef, credentials, name);
          if (outcome === 'deleted') return { revoked: true, message: `token ${name} deleted with ${who}` };
          if (outcome === 'absent') return { revoked: true, message: `token ${name} was already gone` };
          tried.push(`${who}: refused`);
        } catch (error) {
          tried.push(`${who}: ${error instanceof Error ? error.message : 'unexpected error'}`);
        }
      }
      const why = tried.length > 0 ? tried.join('; ') : 'the gateway holds no password for the account and FORGE_ADMIN_USERNAME/PASSWORD are not set';
      // prohibit_login makes the token useless anyway: Forgejo answers a prohibited user's token with 403.
      return { revoked: false, message: `token ${name} not deleted (${why}); prohibit_login makes it unusable` };
    },
    async find(user) {
      const found = await client.getUser(user.username);
      return found ? { externalId: String(found.id), externalRef: found.login, email: found.email, isAdmin: found.isAdmin, active: !found.prohibitLogin } : null;
    },
    async mintCredential(account, { otp }) {
      if (!adminCredentials) {
        throw new BackendRequestError('forge', 'forge: minting a token for an adopted account needs FORGE_ADMIN_USERNAME and FORGE_ADMIN_PASSWORD', { kind: 'credentials', retry: 'never' });
      }
      // Forgejo's tokens routes take Basic auth only; a site admin's may mint for any user.
      const token = await client.mintToken(account.externalRef, { ...adminCredentials, otp }, forgeTokenName(account.externalRef));
      if (token === 'unauthorized') {
        throw new BackendRequestError('forge', "forge: the site admin's Basic credentials (FORGE_ADMIN_USERNAME/PASSWORD) were refused", { kind: 'credentials', retry: 'never' });
      }
      return [{ backend: 'FORGE', kind: 'TOKEN', value: token.token }];
    },
    async check() {
      const { missing } = await client.checkAccess();
      if (missing.length === 0) return { status: 'OK', message: null };
      const message = `the admin token lacks ${missing.map((m) => `${m.scope} (${m.neededFor})`).join(', ')}`;
      // Only import needs read:admin: provisioning works without it.
      return { status: missing.every((m) => m.scope === 'read:admin') ? 'DEGRADED' : 'MISCONFIGURED', message };
    },
    async *listAccounts() {
      for await (const user of client.listUsers()) {
        yield {
          externalId: String(user.id),
          externalRef: user.login,
          email: user.email,
          username: user.login,
          firstName: null,
          lastName: null,
          displayName: user.fullName || null,
          active: !user.prohibitLogin,
          isAdmin: user.isAdmin,
        };
      }
    },
  };
}

/** The account row's link, once provisioning recorded one. */
export function linkOf(account: BackendAccountRow): AccountLink | undefined {
  return account.externalId && account.externalRef ? { externalId: account.externalId, externalRef: account.externalRef } : undefined;
}
