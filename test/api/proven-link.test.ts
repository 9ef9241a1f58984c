// A proven link (and the secrets its proof minted) is held in memory only
// until the next backend call, the round's outcome or a failure, and lands
// with the outcome in one statement (docs/performance.md, change 38). These
// tests check that nothing after the proof loses it: a lost lease, or a
// failure after the proof, still leaves the link, its ownership and its
// token on record, so a retry never mints a second token.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors.ts';
import { backendAccounts, secrets } from '../../src/store/schema.ts';
import { graphql } from '../gql/index.ts';
import { useFreshFakeBackends } from '../support/backends.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const setup = useFreshFakeBackends(() => testStore().store);

const CreateUser = graphql(`
  mutation ProvenCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload { user { id } accounts { backend status ownership lastError } secrets { backend kind } }
      ... on Error { message }
    }
  }
`);

const RetryProvisioning = graphql(`
  mutation ProvenRetry($userId: ID!) {
    retryProvisioning(input: { userId: $userId }) {
      __typename
      ... on RetryProvisioningPayload { accounts { backend status ownership } }
    }
  }
`);

async function forgeAccountOf(username: string) {
  const { store } = testStore();
  const [row] = await store.db.select().from(backendAccounts).where(eq(backendAccounts.externalRef, username));
  if (!row) throw new Error(`no linked account for ${username}`);
  const tokens = await store.db
    .select({ id: secrets.id })
    .from(secrets)
    .where(and(eq(secrets.ownerId, row.id), eq(secrets.purpose, 'forge_token')));
  return { row, tokens: tokens.length };
}

describe('a proven link held until the outcome', () => {
  it('is still recorded, with its token, when the lease is lost before the outcome', async () => {
    const { api, forge } = await setup();
    const forgeBackend = api.deps.accountBackends.FORGE;
    if (!forgeBackend) throw new Error('no FORGE backend');
    const { store } = testStore();
    // Another holder takes the lease (expired, so the create does not wait for it) after the proof, before the outcome.
    api.deps.accountBackends.FORGE = {
      ...forgeBackend,
      provision: async (request) => {
        const result = await forgeBackend.provision(request);
        await store.db.update(backendAccounts).set({ leaseOwner: 'another-instance', leaseUntil: new Date(Date.now() - 1000) }).where(eq(backendAccounts.userId, request.user.id));
        return result;
      },
    };
    const { data } = await api.graphql(CreateUser, { input: { email: 'lease-lost@example.com', username: 'lease-lost', backends: ['FORGE'] } });
    expect(data?.createUser.__typename).toBe('CreateUserPayload');
    const { row, tokens } = await forgeAccountOf('lease-lost');
    // The outcome was the other holder's to record; the proof is on record for it.
    expect(row).toMatchObject({ ownership: 'CREATED', externalRef: 'lease-lost', status: 'PENDING', leaseOwner: 'another-instance' });
    expect(tokens).toBe(1);
    expect(forge.state.tokens).toHaveLength(1);
    // The next holder only confirms: no second token.
    api.deps.accountBackends.FORGE = forgeBackend;
    await store.db.update(backendAccounts).set({ leaseOwner: null, leaseUntil: null }).where(eq(backendAccounts.id, row.id));
    const userId = data?.createUser.__typename === 'CreateUserPayload' ? data.createUser.user.id : '';
    const retried = await api.graphql(RetryProvisioning, { userId });
    expect(retried.data?.retryProvisioning).toMatchObject({ accounts: [{ backend: 'FORGE', status: 'ACTIVE', ownership: 'CREATED' }] });
    expect(forge.state.tokens).toHaveLength(1);
  });

  it('is recorded before a failure after the proof, and a retry does not mint again', async () => {
    const { api, forge } = await setup();
    const forgeBackend = api.deps.accountBackends.FORGE;
    if (!forgeBackend) throw new Error('no FORGE backend');
    api.deps.accountBackends.FORGE = {
      ...forgeBackend,
      provision: async (request) => {
        await forgeBackend.provision(request);
        throw new BackendError('forge', 'forge: failed after the proof (test)', 'later');
      },
    };
    const { data } = await api.graphql(CreateUser, { input: { email: 'after-proof@example.com', username: 'after-proof', backends: ['FORGE'] } });
    expect(data?.createUser).toMatchObject({ accounts: [{ backend: 'FORGE', status: 'FAILED', ownership: 'CREATED' }] });
    const { tokens } = await forgeAccountOf('after-proof');
    expect(tokens).toBe(1);
    api.deps.accountBackends.FORGE = forgeBackend;
    const userId = data?.createUser.__typename === 'CreateUserPayload' ? data.createUser.user.id : '';
    const retried = await api.graphql(RetryProvisioning, { userId });
    expect(retried.data?.retryProvisioning).toMatchObject({ accounts: [{ backend: 'FORGE', status: 'ACTIVE', ownership: 'CREATED' }] });
    expect(forge.state.tokens).toHaveLength(1);
  });
});
