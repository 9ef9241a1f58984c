import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { type FakeBackends, useFreshFakeBackends } from '../support/backends.ts';
import { startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

const setup = useFreshFakeBackends(() => testStore().store);

const CreateUser = graphql(`
  mutation ProvisionUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload {
        created
        user { id email }
        accounts { backend status externalId lastError }
        secrets { backend kind value }
      }
      ... on ValidationError { fieldErrors { path message } }
      ... on Error { message }
    }
  }
`);

const SetStatus = graphql(`
  mutation SetStatus($id: ID!, $disable: Boolean!) {
    disableUser(input: { id: $id }) @include(if: $disable) {
      __typename
      ... on DisableUserPayload { accounts { backend status } }
    }
    enableUser(input: { id: $id }) @skip(if: $disable) {
      __typename
      ... on EnableUserPayload { accounts { backend status } }
    }
  }
`);

const forgeUsers = (f: FakeBackends) => f.forge.state.users.filter((u) => !u.is_admin);

describe('createUser with backends', () => {
  it('creates an account in Retool and in Forgejo and reveals the forge password and token once', async () => {
    const { api, retool, forge } = await setup();
    const { data } = await api.graphql(CreateUser, {
      input: { email: 'ada@example.com', username: 'ada', displayName: 'Ada Lovelace', backends: ['RETOOL', 'FORGE'] },
    });
    expect(data?.createUser).toMatchObject({
      __typename: 'CreateUserPayload',
      created: true,
      accounts: [
        { backend: 'FORGE', status: 'ACTIVE', lastError: null },
        { backend: 'RETOOL', status: 'ACTIVE', lastError: null },
      ],
    });
    if (data?.createUser.__typename !== 'CreateUserPayload') throw new Error('expected a payload');
    expect(retool.byEmail('ada@example.com')).toHaveLength(1);
    expect(data.createUser.accounts.find((a) => a.backend === 'RETOOL')?.externalId).toBe(String(retool.byEmail('ada@example.com')[0]?.legacy_id));
    expect(forge.user('ada')).toMatchObject({ must_change_password: false, email: 'ada@example.com' });
    expect(data.createUser.secrets.map((s) => s.kind).sort()).toEqual(['PASSWORD', 'TOKEN']);
    expect(forge.state.tokens.map((t) => t.sha1)).toContain(data.createUser.secrets.find((s) => s.kind === 'TOKEN')?.value);
  });

  it('a repeat with the same email in another case creates nothing anywhere and returns the same user', async () => {
    const f = await setup();
    const first = await f.api.graphql(CreateUser, { input: { email: 'bob@example.com', username: 'bob', backends: ['RETOOL', 'FORGE'] } });
    const callsBefore = f.retool.state.calls.length + f.forge.state.calls.length;
    const again = await f.api.graphql(CreateUser, { input: { email: 'BOB@Example.com', username: 'bob', backends: ['RETOOL', 'FORGE'] } });
    expect(again.data?.createUser).toMatchObject({ __typename: 'CreateUserPayload', created: false, secrets: [] });
    if (first.data?.createUser.__typename !== 'CreateUserPayload' || again.data?.createUser.__typename !== 'CreateUserPayload') throw new Error('payloads');
    expect(again.data.createUser.user.id).toBe(first.data.createUser.user.id);
    expect(f.retool.state.users).toHaveLength(1);
    expect(forgeUsers(f)).toHaveLength(1);
    expect(f.retool.state.calls.length + f.forge.state.calls.length).toBe(callsBefore);
  });

  it('rejects a backend that is not configured before any side effect', async () => {
    const { data } = await startTestGateway(testStore().store).graphql(CreateUser, {
      input: { email: 'dan@example.com', username: 'dan', backends: ['RETOOL'] },
    });
    expect(data?.createUser).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'backends', '0'], message: 'backend RETOOL is not configured on this gateway' }],
    });
  });
});

describe('disableUser and enableUser across backends', () => {
  it('disable twice and enable twice flip each backend exactly once per direction', async () => {
    const f = await setup();
    const created = await f.api.graphql(CreateUser, { input: { email: 'eve@example.com', username: 'eve', backends: ['RETOOL', 'FORGE'] } });
    if (created.data?.createUser.__typename !== 'CreateUserPayload') throw new Error('payload');
    const id = created.data.createUser.user.id;

    for (const _ of [1, 2]) {
      const { data } = await f.api.graphql(SetStatus, { id, disable: true });
      expect(data?.disableUser).toMatchObject({ accounts: [{ status: 'DISABLED' }, { status: 'DISABLED' }] });
    }
    expect(f.retool.byEmail('eve@example.com')[0]?.active).toBe(false);
    expect(f.forge.user('eve')?.prohibit_login).toBe(true);

    for (const _ of [1, 2]) {
      const { data } = await f.api.graphql(SetStatus, { id, disable: false });
      expect(data?.enableUser).toMatchObject({ accounts: [{ status: 'ACTIVE' }, { status: 'ACTIVE' }] });
    }
    expect(f.retool.state.changes.filter((c) => c.field === 'active')).toHaveLength(2);
    expect(f.forge.state.changes.filter((c) => c.field === 'prohibit_login')).toHaveLength(2);
    // Nothing was ever deleted.
    expect(f.retool.state.calls.some((c) => c.method === 'DELETE')).toBe(false);
    expect(f.forge.state.calls.some((c) => c.method === 'DELETE')).toBe(false);
  });
});
