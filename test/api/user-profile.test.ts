// Movers (docs/lifecycle.md): updateUser changes the store and every account
// the gateway owns or an admin adopted, over HTTP against the fakes; a
// backend that fails is finished by the worker.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { retryDueAccounts } from '../../src/domain/provisioning.ts';
import { backendAccounts } from '../../src/store/schema.ts';
import type { UpdateUserInput } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { useFreshFakeBackends } from '../support/backends.ts';
import type { TestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const setup = useFreshFakeBackends(() => testStore().store);

let nextId = 5000;

const CreateUser = graphql(`
  mutation ProfileCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload { user { id } accounts { backend status ownership } }
      ... on Error { message }
    }
  }
`);

const UpdateUser = graphql(`
  mutation ProfileUpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      __typename
      ... on UpdateUserPayload {
        user { id email username displayName firstName lastName }
        accounts { backend outcome message account { status ownership lastError nextAttemptAt } }
      }
      ... on ValidationError { fieldErrors { path message } }
      ... on Error { message }
    }
  }
`);

const UserByEmail = graphql(`
  query ProfileUserByEmail($email: String!) {
    user(email: $email) { id displayName accounts { backend status } }
  }
`);

/** The store lives for the whole file: each test makes its own person. */
async function createUser(api: TestGateway, username: string, backends: Array<'RETOOL' | 'FORGE'> = ['RETOOL', 'FORGE']): Promise<string> {
  const { data } = await api.graphql(CreateUser, { input: { email: `${username}@example.com`, username, displayName: 'Ada Lovelace', backends } });
  if (data?.createUser.__typename !== 'CreateUserPayload') throw new Error(`createUser answered ${JSON.stringify(data)}`);
  return data.createUser.user.id;
}

async function update(api: TestGateway, input: UpdateUserInput) {
  const { data, errors } = await api.graphql(UpdateUser, { input });
  expect(errors).toBeUndefined();
  return data?.updateUser;
}

const patches = (calls: Array<{ method: string; path: string; body: unknown }>) => calls.filter((c) => c.method === 'PATCH');

describe('updateUser', () => {
  it('a new display name and email reach Retool (first/last name) and Forgejo (full name, email), once', async () => {
    const f = await setup();
    const id = await createUser(f.api, 'ada');
    const sid = f.retool.byEmail('ada@example.com')[0]?.id;
    f.retool.state.calls.length = 0;
    f.forge.state.calls.length = 0;

    const payload = await update(f.api, { id, displayName: 'Augusta King', email: 'augusta.king@example.com' });
    expect(payload).toEqual({
      __typename: 'UpdateUserPayload',
      user: { id, email: 'augusta.king@example.com', username: 'ada', displayName: 'Augusta King', firstName: null, lastName: null },
      accounts: [
        { backend: 'FORGE', outcome: 'UPDATED', message: null, account: { status: 'ACTIVE', ownership: 'CREATED', lastError: null, nextAttemptAt: null } },
        {
          backend: 'RETOOL',
          outcome: 'NOT_SUPPORTED',
          message: "RETOOL cannot change a user's email: the account keeps its old one; the name was updated",
          account: { status: 'ACTIVE', ownership: 'CREATED', lastError: null, nextAttemptAt: null },
        },
      ],
    });
    expect(f.forge.state.changes).toEqual([
      { login: 'ada', field: 'email', value: 'augusta.king@example.com' },
      { login: 'ada', field: 'full_name', value: 'Augusta King' },
    ]);
    expect(f.retool.state.changes).toEqual([
      { sid, field: 'first_name', value: 'Augusta' },
      { sid, field: 'last_name', value: 'King' },
    ]);
    // One PATCH each, and nothing else: no status call, no email path for Retool.
    expect(patches(f.forge.state.calls)).toEqual([expect.objectContaining({ path: '/admin/users/ada', body: { full_name: 'Augusta King', email: 'augusta.king@example.com' } })]);
    expect(patches(f.retool.state.calls)).toEqual([
      expect.objectContaining({
        path: `/users/${sid}`,
        body: {
          operations: [
            { op: 'replace', path: '/first_name', value: 'Augusta' },
            { op: 'replace', path: '/last_name', value: 'King' },
          ],
        },
      }),
    ]);
    expect(f.forge.state.calls.map((c) => c.method)).toEqual(['PATCH']);
    expect(f.retool.state.calls.map((c) => c.method)).toEqual(['PATCH']);

    // The same values again change nothing anywhere.
    const again = await update(f.api, { id, displayName: 'Augusta King', email: 'augusta.king@example.com' });
    expect(again).toMatchObject({ accounts: [{ outcome: 'UPDATED', message: 'nothing changed' }, { outcome: 'UPDATED', message: 'nothing changed' }] });
    expect(f.forge.state.calls).toHaveLength(1);
    expect(f.retool.state.calls).toHaveLength(1);

    const { data } = await f.api.graphql(UserByEmail, { email: 'augusta.king@example.com' });
    expect(data?.user).toMatchObject({ id, displayName: 'Augusta King' });
  });

  it('first and last name win over the display name for Retool, and are joined for Forgejo when there is no display name', async () => {
    const f = await setup();
    const id = await createUser(f.api, 'byron');
    const payload = await update(f.api, { id, displayName: null, firstName: 'Ada', lastName: 'Byron' });
    expect(payload).toMatchObject({ accounts: [{ outcome: 'UPDATED' }, { outcome: 'UPDATED' }] });
    expect(f.forge.user('byron')).toMatchObject({ full_name: 'Ada Byron', email: 'byron@example.com' });
    expect(f.retool.byEmail('byron@example.com')[0]).toMatchObject({ first_name: 'Ada', last_name: 'Byron' });
  });

  it('refuses a username, a bad email or a taken one, changing nothing and calling no backend', async () => {
    const f = await setup();
    const id = await createUser(f.api, 'carol');
    await createUser(f.api, 'grace', []);
    const before = f.forge.state.calls.length + f.retool.state.calls.length;

    expect(await update(f.api, { id, username: 'ada2', displayName: 'Ada K' })).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'username'], message: expect.stringContaining('usernames are immutable: a Forgejo rename breaks every clone URL') }],
    });
    expect(await update(f.api, { id, email: 'not-an-email' })).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'email'], message: '"not-an-email" is not a valid email address' }],
    });
    expect(await update(f.api, { id, email: null })).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'email'] }] });
    expect(await update(f.api, { id, displayName: '' })).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'displayName'] }] });
    expect(await update(f.api, { id, email: 'GRACE@example.com' })).toEqual({ __typename: 'ConflictError', message: 'a user with email "GRACE@example.com" already exists' });
    expect(await update(f.api, { id: Buffer.from('User:nope').toString('base64'), displayName: 'X' })).toMatchObject({ __typename: 'NotFoundError' });

    expect(f.forge.state.calls.length + f.retool.state.calls.length).toBe(before);
    const { data } = await f.api.graphql(UserByEmail, { email: 'carol@example.com' });
    expect(data?.user).toMatchObject({ id, displayName: 'Ada Lovelace' });
  });

  it('a backend that fails keeps its account unfinished with a retry time; the worker completes it', async () => {
    const f = await setup();
    const id = await createUser(f.api, 'dora');
    f.forge.setOptions({ failNext: { count: 10, fault: { kind: 'status', status: 503 } } });

    const payload = await update(f.api, { id, displayName: 'Augusta King' });
    expect(payload).toMatchObject({
      accounts: [
        { backend: 'FORGE', outcome: 'FAILED', message: expect.stringContaining('503'), account: { status: 'FAILED', nextAttemptAt: expect.any(String) } },
        { backend: 'RETOOL', outcome: 'UPDATED', account: { status: 'ACTIVE' } },
      ],
    });
    expect(f.forge.user('dora')?.full_name).toBe('Ada Lovelace');

    f.forge.setOptions({ failNext: undefined });
    const { store } = testStore();
    await store.db.update(backendAccounts).set({ nextAttemptAt: sql`now()` }).where(sql`${backendAccounts.status} = 'FAILED'`);
    const retoolCalls = f.retool.state.calls.length;
    expect(await retryDueAccounts(f.api.deps)).toBe(1);
    expect(f.forge.user('dora')?.full_name).toBe('Augusta King');
    expect(f.forge.state.changes.filter((c) => c.field === 'full_name')).toEqual([{ login: 'dora', field: 'full_name', value: 'Augusta King' }]);
    // Only the unfinished account was worked; Retool already had it.
    expect(f.retool.state.calls.length).toBe(retoolCalls);
    const { data } = await f.api.graphql(UserByEmail, { email: 'dora@example.com' });
    expect(data?.user?.accounts).toEqual([
      { backend: 'FORGE', status: 'ACTIVE' },
      { backend: 'RETOOL', status: 'ACTIVE' },
    ]);
    // Nothing left to do.
    expect(await retryDueAccounts(f.api.deps)).toBe(0);
  });

  it("an email Forgejo already has for another account is that account's permanent failure, not retried by itself", async () => {
    const f = await setup();
    const id = await createUser(f.api, 'emmy');
    f.forge.seedUser({ login: 'someone', email: 'taken-emmy@example.com', id: (nextId += 1) });

    const payload = await update(f.api, { id, email: 'taken-emmy@example.com' });
    expect(payload).toMatchObject({
      accounts: [
        {
          backend: 'FORGE',
          outcome: 'FAILED',
          message: 'forge: 400: e-mail already in use [email: taken-emmy@example.com]; not retried by itself (retryProvisioning tries again)',
          account: { status: 'FAILED', nextAttemptAt: null },
        },
        { backend: 'RETOOL', outcome: 'NOT_SUPPORTED' },
      ],
    });
    expect(f.forge.user('emmy')?.email).toBe('emmy@example.com');
  });

  it("someone else's account (CONFLICT) is skipped: nothing is sent to it", async () => {
    const f = await setup();
    f.forge.seedUser({ login: 'fay', email: 'fay@example.com', id: (nextId += 1) });
    const id = await createUser(f.api, 'fay');
    const forgeCalls = f.forge.state.calls.length;

    const payload = await update(f.api, { id, displayName: 'Augusta King' });
    expect(payload).toMatchObject({
      accounts: [
        { backend: 'FORGE', outcome: 'SKIPPED_NOT_OWNED', account: { status: 'CONFLICT', ownership: null } },
        { backend: 'RETOOL', outcome: 'UPDATED' },
      ],
    });
    expect(f.forge.state.calls.length).toBe(forgeCalls);
    expect(f.forge.user('fay')?.full_name).not.toBe('Augusta King');
  });

  it('an adopted account is updated like a created one', async () => {
    const f = await setup();
    f.retool.seedUser({ email: 'gwen@example.com', first_name: 'Old', last_name: 'Name', legacy_id: (nextId += 1) });
    const id = await createUser(f.api, 'gwen', ['RETOOL']);
    const Adopt = graphql(`
      mutation ProfileAdopt($userId: ID!) {
        adoptAccount(input: { userId: $userId, backend: RETOOL }) { __typename }
      }
    `);
    const adopted = await f.api.graphql(Adopt, { userId: id });
    expect(adopted.data?.adoptAccount.__typename).toBe('AdoptAccountPayload');
    // Adoption takes the account as it is: the names are not pushed until the profile changes.
    expect(f.retool.byEmail('gwen@example.com')[0]).toMatchObject({ first_name: 'Old', last_name: 'Name' });

    const payload = await update(f.api, { id, lastName: 'King', firstName: 'Augusta' });
    expect(payload).toMatchObject({ accounts: [{ backend: 'RETOOL', outcome: 'UPDATED', account: { ownership: 'ADOPTED' } }] });
    expect(f.retool.byEmail('gwen@example.com')[0]).toMatchObject({ first_name: 'Augusta', last_name: 'King' });
  });

  it('issues a fixed number of statements', async () => {
    const f = await setup();
    const id = await createUser(f.api, 'hedy');
    const { store } = testStore();
    const statements: string[] = [];
    const stop = store.onQuery((query) => statements.push(query));
    const payload = await update(f.api, { id, displayName: 'Augusta King', email: 'augusta-hedy@example.com' });
    stop();
    // The pg driver reports BEGIN and COMMIT as statements too; PGlite does not.
    const counted = statements.filter((query) => !/^(begin|commit)\b/i.test(query));
    expect(payload).toMatchObject({ accounts: [{ outcome: 'UPDATED' }, { outcome: 'NOT_SUPPORTED' }] });
    // Read the user, check the new email is free, write the user and bump
    // both accounts' profile version (one transaction), claim the accounts,
    // read their user, record each outcome, read the accounts back, list the
    // secrets still waiting for a pickup (pendingSecrets), and the audit row:
    // eleven for two accounts (each account adds one outcome write).
    expect(counted, counted.join('\n')).toHaveLength(11);
  });
});
