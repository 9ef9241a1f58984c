// The one shape provisioning needs from every account backend, and the
// adapters that give Retool and Forgejo that shape. Provisioning itself
// (domain/provisioning.ts) never knows which backend it talks to.
import type { ForgeClient } from '../backends/forge.ts';
import type { RetoolDbReader } from '../backends/retool-db.ts';
import type { RetoolClient } from '../backends/retool.ts';
import type { Backend, BackendAccountRow, UserRow } from '../store/schema.ts';

export type SecretKind = 'PASSWORD' | 'TOKEN';

export interface AccountSecret {
  backend: Backend;
  kind: SecretKind;
  value: string;
}

export interface AccountLink {
  externalId: string;
  externalRef: string;
}

/** Durable progress, reported as soon as the backend confirms it so that a later failure loses nothing. */
export type ProgressSink = (step: { link: AccountLink; secrets: AccountSecret[] }) => Promise<void>;

export interface ImportedAccount extends AccountLink {
  email: string;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  active: boolean;
}

export interface AccountBackend {
  readonly backend: Backend;
  /** Create or link the user's account, idempotently; resolves with the account's state in the backend. */
  provision(user: UserRow, progress: ProgressSink): Promise<AccountLink & { active: boolean }>;
  setActive(account: AccountLink, active: boolean): Promise<void>;
  listAccounts(): AsyncIterable<ImportedAccount>;
}

export type AccountBackends = Partial<Record<Backend, AccountBackend>>;

async function* mapAsync<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncIterable<U> {
  for await (const item of items) yield map(item);
}

function splitName(user: UserRow): { firstName: string | null; lastName: string | null } {
  if (user.firstName || user.lastName) return { firstName: user.firstName, lastName: user.lastName };
  const [first, ...rest] = (user.displayName ?? '').trim().split(/\s+/).filter(Boolean);
  return { firstName: first ?? null, lastName: rest.length > 0 ? rest.join(' ') : null };
}

export function retoolAccounts(client: RetoolClient, reader?: RetoolDbReader): AccountBackend {
  return {
    backend: 'RETOOL',
    async provision(user, progress) {
      const account = await client.ensureUser({ email: user.email, ...splitName(user) });
      const link = { externalId: account.legacyId, externalRef: account.sid };
      await progress({ link, secrets: [] });
      return { ...link, active: account.active };
    },
    async setActive(account, active) {
      await client.setActive(account.externalRef, active);
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
        };
      }
    },
  };
}

export function forgeAccounts(client: ForgeClient): AccountBackend {
  return {
    backend: 'FORGE',
    async provision(user, progress) {
      const account = await client.ensureUser({ username: user.username, email: user.email, fullName: user.displayName });
      const link = { externalId: String(account.id), externalRef: account.login };
      // The initial password exists only in this response: store it before
      // anything else can fail.
      await progress({ link, secrets: account.password ? [{ backend: 'FORGE', kind: 'PASSWORD', value: account.password }] : [] });
      const token = await client.mintToken(account.login);
      await progress({ link, secrets: [{ backend: 'FORGE', kind: 'TOKEN', value: token.token }] });
      return { ...link, active: !account.prohibitLogin };
    },
    async setActive(account, active) {
      await client.setProhibitLogin(account.externalRef, !active);
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
        };
      }
    },
  };
}

/** The account row's link, once provisioning recorded one. */
export function linkOf(account: BackendAccountRow): AccountLink | undefined {
  return account.externalId && account.externalRef ? { externalId: account.externalId, externalRef: account.externalRef } : undefined;
}
