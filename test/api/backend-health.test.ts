// Backend credentials are checked once, at start-up and on demand, and a
// missing Forgejo scope is named (docs/backends.md, "Forgejo: the admin token").
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { useFreshFakeBackends } from '../support/backends.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const setup = useFreshFakeBackends(() => testStore().store);

const Backends = graphql(`
  query BackendHealth {
    backends { name status message checkedAt }
  }
`);

const CreateUser = graphql(`
  mutation HealthCreateUser($input: CreateUserInput!) {
    createUser(input: $input) { __typename ... on CreateUserPayload { accounts { backend status lastError } } }
  }
`);

describe('backends', () => {
  it('reports both backends OK with the documented scopes, and checking changes nothing', async () => {
    const f = await setup();
    const { data } = await f.api.graphql(Backends);
    expect(data?.backends.map(({ name, status, message }) => ({ name, status, message }))).toEqual([
      { name: 'RETOOL', status: 'OK', message: null },
      { name: 'FORGE', status: 'OK', message: null },
    ]);
    expect(f.forge.state.changes).toEqual([]);
    expect(f.retool.state.changes).toEqual([]);
  });

  it('a write:admin-only Forgejo token: named at start-up in one line, in the query, and in the account error', async () => {
    const f = await setup();
    f.forge.setOptions({ adminTokenScopes: ['write:admin'] });
    await f.api.deps.backendHealth.report();
    const lines = f.api.logs.filter((line) => line.includes('backend FORGE MISCONFIGURED'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('the admin token lacks read:user (looking up accounts (every provision))');
    const { data } = await f.api.graphql(Backends);
    expect(data?.backends.find((b) => b.name === 'FORGE')).toMatchObject({ status: 'MISCONFIGURED', message: expect.stringContaining('read:user') });

    const created = await f.api.graphql(CreateUser, { input: { email: 'scoped@example.com', username: 'scoped', backends: ['FORGE'] } });
    expect(created.data?.createUser).toMatchObject({
      accounts: [{ backend: 'FORGE', status: 'FAILED', lastError: 'forge: 403 Forbidden: token does not have at least one of required scope(s): [read:user]' }],
    });
  });

  it('a refused Retool token is MISCONFIGURED, an unreachable Forgejo UNREACHABLE', async () => {
    // Nothing listens on port 9 of loopback.
    const f = await setup({ RETOOL_API_TOKEN: 'retool_wrong-token-0123456789', FORGE_BASE_URL: 'http://127.0.0.1:9' });
    const { data } = await f.api.graphql(Backends);
    expect(data?.backends).toMatchObject([
      { name: 'RETOOL', status: 'MISCONFIGURED', message: expect.stringContaining('401') },
      { name: 'FORGE', status: 'UNREACHABLE', message: expect.stringMatching(/^forge: connection/) },
    ]);
  });
});
