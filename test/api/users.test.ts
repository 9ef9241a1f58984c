import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { startTestGateway } from '../support/gateway.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const gateway = () => startTestGateway(testStore().store);

const CreateUser = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload { created user { id email username status displayName } accounts { backend } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const EnableUser = graphql(`
  mutation EnableUser($id: ID!) {
    enableUser(input: { id: $id }) {
      __typename
      ... on EnableUserPayload { user { id status } }
      ... on Error { message }
    }
  }
`);

const DisableUser = graphql(`
  mutation DisableUser($id: ID!) {
    disableUser(input: { id: $id }) {
      __typename
      ... on DisableUserPayload { user { id status } }
      ... on Error { message }
    }
  }
`);

const NodeById = graphql(`
  query NodeById($id: ID!) {
    node(id: $id) { __typename id ... on User { email } }
  }
`);

const UsersPage = graphql(`
  query UsersPage($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter) {
    users(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      totalCount
      edges { cursor node { email } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

const UserByEmail = graphql(`
  query UserByEmail($email: String!) { user(email: $email) { email username } }
`);

async function createdUserId(api: ReturnType<typeof gateway>, email: string, username: string): Promise<string> {
  const { data } = await api.graphql(CreateUser, { input: { email, username } });
  if (data?.createUser.__typename !== 'CreateUserPayload') throw new Error(`createUser failed: ${JSON.stringify(data)}`);
  return data.createUser.user.id;
}

describe('createUser', () => {
  it('creates an active user with a global id', async () => {
    const { data, errors } = await gateway().graphql(CreateUser, {
      input: { email: 'grace@example.com', username: 'grace', displayName: 'Grace Hopper' },
    });
    expect(errors).toBeUndefined();
    expect(data?.createUser).toMatchObject({
      __typename: 'CreateUserPayload',
      created: true,
      user: { email: 'grace@example.com', username: 'grace', status: 'ACTIVE', displayName: 'Grace Hopper' },
      accounts: [],
    });
  });

  it('refuses an email that differs from an existing one only in case, with a ConflictError', async () => {
    const api = gateway();
    await createdUserId(api, 'linus@example.com', 'linus');
    const { data } = await api.graphql(CreateUser, { input: { email: 'LINUS@Example.COM', username: 'linus2' } });
    expect(data?.createUser).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('already exists') });
    const count = await api.graphql(UsersPage, { filter: { email: 'linus@example.com' } });
    expect(count.data?.users.totalCount).toBe(1);
  });

  it('refuses a username taken in another case', async () => {
    const api = gateway();
    await createdUserId(api, 'ken@example.com', 'ken');
    const { data } = await api.graphql(CreateUser, { input: { email: 'other-ken@example.com', username: 'KEN' } });
    expect(data?.createUser.__typename).toBe('ConflictError');
  });

  it('answers a repeat of the same request with the same user, creating nothing', async () => {
    const api = gateway();
    const id = await createdUserId(api, 'barbara@example.com', 'barbara');
    const { data } = await api.graphql(CreateUser, { input: { email: 'Barbara@example.com', username: 'barbara' } });
    expect(data?.createUser).toMatchObject({ __typename: 'CreateUserPayload', created: false, user: { id } });
  });

  it('rejects a bad email and a bad username with field paths, creating nothing', async () => {
    const api = gateway();
    const { data } = await api.graphql(CreateUser, { input: { email: 'not-an-email', username: '-bad name-' } });
    expect(data?.createUser).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [
        { path: ['input', 'email'], message: expect.stringContaining('not a valid email') },
        { path: ['input', 'username'], message: expect.stringContaining('username may hold only letters') },
      ],
    });
    const all = await api.graphql(UsersPage, { filter: { search: 'not-an-email' } });
    expect(all.data?.users.totalCount).toBe(0);
  });
});

describe('enableUser and disableUser', () => {
  it('disable twice and enable twice both succeed, ending in the requested status', async () => {
    const api = gateway();
    const id = await createdUserId(api, 'dennis@example.com', 'dennis');
    for (const _ of [1, 2]) {
      const { data } = await api.graphql(DisableUser, { id });
      expect(data?.disableUser).toMatchObject({ __typename: 'DisableUserPayload', user: { id, status: 'DISABLED' } });
    }
    for (const _ of [1, 2]) {
      const { data } = await api.graphql(EnableUser, { id });
      expect(data?.enableUser).toMatchObject({ __typename: 'EnableUserPayload', user: { id, status: 'ACTIVE' } });
    }
  });

  it('answers an unknown, malformed or wrong-type id with NotFoundError', async () => {
    const api = gateway();
    const unknown = Buffer.from('User:01900000-0000-7000-8000-000000000000').toString('base64');
    const wrongType = Buffer.from('Service:01900000-0000-7000-8000-000000000000').toString('base64');
    for (const id of [unknown, 'not-a-global-id', wrongType, Buffer.from("User:1' or 1=1 --").toString('base64')]) {
      const { data, errors } = await api.graphql(DisableUser, { id });
      expect(errors).toBeUndefined();
      expect(data?.disableUser.__typename).toBe('NotFoundError');
    }
  });
});

describe('reading users', () => {
  it('node(id) resolves a user by its global id', async () => {
    const api = gateway();
    const id = await createdUserId(api, 'margaret@example.com', 'margaret');
    const { data } = await api.graphql(NodeById, { id });
    expect(data?.node).toEqual({ __typename: 'User', id, email: 'margaret@example.com' });
  });

  it('node(id) is null for an id that names nothing', async () => {
    const { data } = await gateway().graphql(NodeById, { id: Buffer.from('User:01900000-0000-7000-8000-000000000001').toString('base64') });
    expect(data?.node).toBeNull();
  });

  it('user(email) finds a user ignoring case', async () => {
    const api = gateway();
    await createdUserId(api, 'edsger@example.com', 'edsger');
    const { data } = await api.graphql(UserByEmail, { email: 'EDSGER@example.com' });
    expect(data?.user).toEqual({ email: 'edsger@example.com', username: 'edsger' });
  });
});

describe('users pagination', () => {
  it('pages forwards and backwards over the same stable order', async () => {
    const store = testStore().store;
    const api = gateway();
    await seed(store).users(5, { displayName: 'pager' });
    const filter = { search: 'pager' };

    const first = await api.graphql(UsersPage, { first: 2, filter });
    expect(first.data?.users.totalCount).toBe(5);
    expect(first.data?.users.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await api.graphql(UsersPage, { first: 2, after: first.data?.users.pageInfo.endCursor, filter });
    const third = await api.graphql(UsersPage, { first: 2, after: second.data?.users.pageInfo.endCursor, filter });
    expect(third.data?.users.pageInfo.hasNextPage).toBe(false);
    const forwards = [first, second, third].flatMap((page) => page.data?.users.edges.map((edge) => edge.node.email) ?? []);
    expect(forwards).toHaveLength(5);

    const last = await api.graphql(UsersPage, { last: 2, filter });
    expect(last.data?.users.edges.map((edge) => edge.node.email)).toEqual(forwards.slice(3));
    expect(last.data?.users.pageInfo).toMatchObject({ hasPreviousPage: true });
    const before = await api.graphql(UsersPage, { last: 3, before: last.data?.users.pageInfo.startCursor, filter });
    expect(before.data?.users.edges.map((edge) => edge.node.email)).toEqual(forwards.slice(0, 3));
  });

  it('filters by status', async () => {
    const store = testStore().store;
    const api = gateway();
    await seed(store).users(2, { displayName: 'status-filter', status: 'DISABLED' });
    await seed(store).users(3, { displayName: 'status-filter' });
    const { data } = await api.graphql(UsersPage, { first: 10, filter: { status: 'DISABLED', search: 'status-filter' } });
    expect(data?.users.totalCount).toBe(2);
    expect(data?.users.edges).toHaveLength(2);
  });

  it('filters by backend: only users with an account there', async () => {
    const store = testStore().store;
    const api = gateway();
    const [inRetool, inForge] = await seed(store).users(2, { displayName: 'backend-filter' });
    if (!inRetool || !inForge) throw new Error('seed');
    await seed(store).account(inRetool.id, 'RETOOL');
    await seed(store).account(inForge.id, 'FORGE');
    const { data, errors } = await api.graphql(UsersPage, { first: 10, filter: { backend: 'RETOOL', search: 'backend-filter' } });
    expect(errors).toBeUndefined();
    expect(data?.users.edges.map((edge) => edge.node.email)).toEqual([inRetool.email]);
  });

  it('answers a malformed cursor or an oversized page with a clear error', async () => {
    const api = gateway();
    const bad = await api.graphql(UsersPage, { first: 2, after: 'garbage' });
    expect(bad.errors?.[0]).toMatchObject({ message: '"after" is not a valid cursor', extensions: { code: 'BAD_USER_INPUT' } });
    const huge = await api.graphql(UsersPage, { first: 1000 });
    expect(huge.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});
