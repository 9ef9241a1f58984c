// Resource pools, OAuth2 providers as an admin manages them, and manual
// viewer grants, over HTTP. The OAuth2 access rules themselves run against a
// real provider in oauth2-flow.test.ts.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from 'graphql';
import type { PoolsPageQuery } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { startTestGateway } from '../support/gateway.ts';
import { CreatePool, CreateProvider, GrantViewer, UpdatePool, unique } from '../support/oauth2-flow.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const gateway = () => startTestGateway(testStore().store);

const UpdateProvider = graphql(`
  mutation PoolsUpdateProvider($input: UpdateOAuth2ProviderInput!) {
    updateOAuth2Provider(input: $input) {
      __typename
      ... on UpdateOAuth2ProviderPayload { provider { slug clientSecret displayName issuer tokenEndpoint } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const Providers = graphql(`
  query PoolsProviders {
    oauth2Providers { id slug kind clientId clientSecret displayName scope issuer usePkce }
  }
`);

const ProviderNode = graphql(`
  query PoolsProviderNode($id: ID!) {
    node(id: $id) { __typename ... on OAuth2Provider { slug displayName } }
  }
`);

const RevokeViewer = graphql(`
  mutation PoolsRevokeViewer($poolId: ID!, $userId: ID!) {
    revokeResourcePoolViewer(input: { poolId: $poolId, userId: $userId }) {
      __typename
      ... on RevokeResourcePoolViewerPayload { revoked resourcePool { name } user { id } }
      ... on Error { message }
    }
  }
`);

const DeletePool = graphql(`
  mutation PoolsDeletePool($id: ID!) {
    deleteResourcePool(input: { id: $id }) {
      __typename
      ... on DeleteResourcePoolPayload { deletedResourcePoolId }
      ... on Error { message }
    }
  }
`);

const PoolsPage = graphql(`
  query PoolsPage($first: Int, $after: String) {
    resourcePools(first: $first, after: $after) {
      totalCount
      edges { node { name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const PoolDetails = graphql(`
  query PoolsPoolDetails($id: ID!) {
    node(id: $id) {
      ... on ResourcePool {
        name public default remoteKind quota { cpu memory gpu }
        provider { slug }
        viewers(first: 10) { totalCount edges { node { user { id } grants { source provider { slug } } } } }
      }
    }
  }
`);

const PoolsWithViewers = graphql(`
  query PoolsWithViewers($first: Int!, $after: String) {
    resourcePools(first: $first, after: $after) {
      edges { node { name providers { slug } viewers(first: 5) { totalCount edges { node { user { id } grants { source } } } } } }
    }
  }
`);

type Api = ReturnType<typeof gateway>;

async function provider(api: Api, slug = unique('idp')): Promise<string> {
  const { data } = await api.graphql(CreateProvider, {
    input: { slug, kind: 'GENERIC_OIDC', clientId: 'client', clientSecret: 'provider-secret-value', displayName: 'IdP', issuer: 'https://idp.example' },
  });
  if (data?.createOAuth2Provider.__typename !== 'CreateOAuth2ProviderPayload') throw new Error(JSON.stringify(data));
  return data.createOAuth2Provider.provider.id;
}

async function pool(api: Api, input: { name?: string; providerId?: string; default?: boolean } = {}): Promise<string> {
  const { data } = await api.graphql(CreatePool, { input: { name: unique('pool'), ...input } });
  if (data?.createResourcePool.__typename !== 'CreateResourcePoolPayload') throw new Error(JSON.stringify(data));
  return data.createResourcePool.resourcePool.id;
}

const userId = async (api: Api) => encodeGlobalID('User', (await seed(api.deps.store).user()).id);

describe('OAuth2 providers', () => {
  it('are created with a slug id; the client secret is write-only, sealed at rest and shown as "redacted"', async () => {
    const api = gateway();
    const slug = unique('gitlab');
    const { data } = await api.graphql(CreateProvider, {
      input: { slug, kind: 'GITLAB', clientId: 'gl-client', clientSecret: 'very-secret-client-value', displayName: 'GitLab', issuer: 'https://gitlab.example' },
    });
    expect(data?.createOAuth2Provider).toEqual({
      __typename: 'CreateOAuth2ProviderPayload',
      provider: { id: encodeGlobalID('OAuth2Provider', slug), slug, clientSecret: 'redacted' },
    });
    const node = await api.graphql(ProviderNode, { id: encodeGlobalID('OAuth2Provider', slug) });
    expect(node.data?.node).toEqual({ __typename: 'OAuth2Provider', slug, displayName: 'GitLab' });
    const listed = await api.graphql(Providers);
    expect(listed.data?.oauth2Providers.find((p) => p.slug === slug)).toMatchObject({ kind: 'GITLAB', clientSecret: 'redacted', usePkce: true, scope: '' });
    expect(JSON.stringify(listed)).not.toContain('very-secret-client-value');

    const [row] = await api.deps.store.raw<{ ciphertext: Uint8Array }>(
      `select ciphertext from secrets where owner_type = 'oauth2_provider' and owner_id = $1 and purpose = 'client_secret'`,
      [slug],
    );
    expect(Buffer.from(row?.ciphertext ?? []).toString('latin1')).not.toContain('very-secret-client-value');
    expect(await api.deps.secrets.get(api.deps.store.db, { ownerType: 'oauth2_provider', ownerId: slug, purpose: 'client_secret' })).toBe(
      'very-secret-client-value',
    );
  });

  it('refuses a duplicate slug with a ConflictError', async () => {
    const api = gateway();
    const slug = unique('dup');
    await provider(api, slug);
    const { data } = await api.graphql(CreateProvider, {
      input: { slug, kind: 'GITHUB', clientId: 'c', clientSecret: 's', displayName: 'again', authorizationEndpoint: 'https://a.example/auth', tokenEndpoint: 'https://a.example/token' },
    });
    expect(data?.createOAuth2Provider.__typename).toBe('ConflictError');
  });

  it('validates the slug, the endpoints and their transport before storing anything', async () => {
    const api = gateway();
    const { data } = await api.graphql(CreateProvider, {
      input: { slug: 'Bad Slug', kind: 'GENERIC_OIDC', clientId: '', clientSecret: 'x', displayName: 'd', issuer: 'http://idp.example' },
    });
    expect(data?.createOAuth2Provider).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [
        { path: ['input', 'slug'] },
        { path: ['input', 'clientId'] },
        { path: ['input', 'issuer'], message: expect.stringContaining('https') },
      ],
    });
    const neither = await api.graphql(CreateProvider, {
      input: { slug: unique('none'), kind: 'GITHUB', clientId: 'c', clientSecret: 's', displayName: 'd', authorizationEndpoint: 'https://github.example/authorize' },
    });
    expect(neither.data?.createOAuth2Provider).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'issuer'] }] });
    const both = await api.graphql(CreateProvider, {
      input: { slug: unique('both'), kind: 'GITHUB', clientId: 'c', clientSecret: 's', displayName: 'd', issuer: 'https://i.example', tokenEndpoint: 'https://i.example/t' },
    });
    expect(both.data?.createOAuth2Provider).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'issuer'] }] });
  });

  it('are updated field by field; a new client secret replaces the old one and stays redacted', async () => {
    const api = gateway();
    const id = await provider(api);
    const slug = Buffer.from(id, 'base64').toString('utf8').split(':')[1] ?? '';
    const { data } = await api.graphql(UpdateProvider, { input: { id, displayName: 'Renamed', clientSecret: 'rotated-secret-value' } });
    expect(data?.updateOAuth2Provider).toEqual({
      __typename: 'UpdateOAuth2ProviderPayload',
      provider: { slug, clientSecret: 'redacted', displayName: 'Renamed', issuer: 'https://idp.example', tokenEndpoint: null },
    });
    expect(await api.deps.secrets.get(api.deps.store.db, { ownerType: 'oauth2_provider', ownerId: slug, purpose: 'client_secret' })).toBe('rotated-secret-value');

    const switched = await api.graphql(UpdateProvider, {
      input: { id, issuer: null, authorizationEndpoint: 'https://idp.example/authorize', tokenEndpoint: 'https://idp.example/token' },
    });
    expect(switched.data?.updateOAuth2Provider).toMatchObject({ provider: { issuer: null, tokenEndpoint: 'https://idp.example/token' } });

    const unknown = await api.graphql(UpdateProvider, { input: { id: encodeGlobalID('OAuth2Provider', 'nope'), displayName: 'x' } });
    expect(unknown.data?.updateOAuth2Provider.__typename).toBe('NotFoundError');
  });
});

describe('creating and updating resource pools', () => {
  it('creates a pool with its quota and primary provider', async () => {
    const api = gateway();
    const idp = await provider(api);
    const name = unique('gpu-pool');
    const { data } = await api.graphql(CreatePool, {
      input: { name, public: true, quota: { cpu: 2.5, memory: 16, gpu: 1 }, remoteKind: 'firecrest', providerId: idp },
    });
    if (data?.createResourcePool.__typename !== 'CreateResourcePoolPayload') throw new Error(JSON.stringify(data));
    const details = await api.graphql(PoolDetails, { id: data.createResourcePool.resourcePool.id });
    expect(details.data?.node).toEqual({
      name,
      public: true,
      default: false,
      remoteKind: 'firecrest',
      quota: { cpu: 2.5, memory: 16, gpu: 1 },
      provider: { slug: expect.any(String) },
      viewers: { totalCount: 0, edges: [] },
    });
  });

  it('rejects a name shorter than 5 characters and a bad quota, with field paths', async () => {
    const { data } = await gateway().graphql(CreatePool, { input: { name: 'tiny', quota: { cpu: 0, memory: -1, gpu: 0 } } });
    expect(data?.createResourcePool).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'name'] }, { path: ['input', 'quota', 'cpu'] }, { path: ['input', 'quota', 'memory'] }],
    });
  });

  it('allows one default pool: a second default is a validation error on create and update', async () => {
    const api = gateway();
    const first = await pool(api, { default: true });
    const second = await pool(api);
    const created = await api.graphql(CreatePool, { input: { name: unique('default-two'), default: true } });
    expect(created.data?.createResourcePool).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'default'] }] });
    const updated = await api.graphql(UpdatePool, { input: { id: second, default: true } });
    expect(updated.data?.updateResourcePool).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'default'] }] });

    await api.graphql(UpdatePool, { input: { id: first, default: false } });
    const moved = await api.graphql(UpdatePool, { input: { id: second, default: true } });
    expect(moved.data?.updateResourcePool).toMatchObject({ __typename: 'UpdateResourcePoolPayload', resourcePool: { default: true } });
    await api.graphql(UpdatePool, { input: { id: second, default: false } });
  });

  it('answers an unknown provider with a ValidationError on create and on update, changing nothing', async () => {
    const api = gateway();
    const unknown = encodeGlobalID('OAuth2Provider', 'no-such-provider');
    const name = unique('orphan');
    const created = await api.graphql(CreatePool, { input: { name, providerId: unknown } });
    expect(created.data?.createResourcePool).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'providerId'] }] });
    const malformed = await api.graphql(CreatePool, { input: { name, providerId: 'garbage' } });
    expect(malformed.data?.createResourcePool).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'providerId'] }] });
    const idp = await provider(api);
    const further = await api.graphql(CreatePool, { input: { name, providerId: idp, additionalProviderIds: [idp, unknown] } });
    expect(further.data?.createResourcePool).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'additionalProviderIds', '1'], message: expect.stringContaining('no-such-provider') }],
    });
    const page = await api.graphql(PoolsPage, { first: 100 });
    expect(page.data?.resourcePools.edges.map((e) => e.node.name)).not.toContain(name);

    const id = await pool(api, { providerId: idp });
    const updated = await api.graphql(UpdatePool, { input: { id, providerId: unknown } });
    expect(updated.data?.updateResourcePool).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'providerId'] }] });
    const details = await api.graphql(PoolDetails, { id });
    expect(details.data?.node).toMatchObject({ provider: { slug: expect.any(String) } });
  });

  it('refuses additional providers without a primary one', async () => {
    const api = gateway();
    const idp = await provider(api);
    const { data } = await api.graphql(CreatePool, { input: { name: unique('no-primary'), additionalProviderIds: [idp] } });
    expect(data?.createResourcePool).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'additionalProviderIds'] }] });
  });

  it('refuses a taken name with a ConflictError', async () => {
    const api = gateway();
    const name = unique('taken');
    await pool(api, { name });
    const { data } = await api.graphql(CreatePool, { input: { name } });
    expect(data?.createResourcePool.__typename).toBe('ConflictError');
  });

  it('answers an unknown pool id with NotFoundError on update and delete', async () => {
    const api = gateway();
    const unknown = encodeGlobalID('ResourcePool', '01900000-0000-7000-8000-000000000000');
    for (const id of [unknown, 'not-an-id', encodeGlobalID('User', '01900000-0000-7000-8000-000000000000')]) {
      expect((await api.graphql(UpdatePool, { input: { id, name: 'whatever' } })).data?.updateResourcePool.__typename).toBe('NotFoundError');
      expect((await api.graphql(DeletePool, { id })).data?.deleteResourcePool.__typename).toBe('NotFoundError');
    }
  });

  it('deletes a pool with its grants', async () => {
    const api = gateway();
    const id = await pool(api);
    const user = await userId(api);
    await api.graphql(GrantViewer, { poolId: id, userId: user });
    const { data } = await api.graphql(DeletePool, { id });
    expect(data?.deleteResourcePool).toEqual({ __typename: 'DeleteResourcePoolPayload', deletedResourcePoolId: id });
    expect((await api.graphql(PoolDetails, { id })).data?.node).toBeNull();
    const left = await api.deps.store.raw<{ n: number }>('select count(*)::int as n from resource_pool_viewers where pool_id = $1', [
      Buffer.from(id, 'base64').toString('utf8').split(':')[1],
    ]);
    expect(left[0]?.n).toBe(0);
  });
});

describe('manual viewer grants', () => {
  it('are granted idempotently and revoked without touching access from providers', async () => {
    const api = gateway();
    const id = await pool(api);
    const user = await userId(api);
    const first = await api.graphql(GrantViewer, { poolId: id, userId: user });
    const again = await api.graphql(GrantViewer, { poolId: id, userId: user });
    expect([first.data?.grantResourcePoolViewer, again.data?.grantResourcePoolViewer]).toEqual([
      { __typename: 'GrantResourcePoolViewerPayload', granted: true },
      { __typename: 'GrantResourcePoolViewerPayload', granted: false },
    ]);
    expect((await api.graphql(PoolDetails, { id })).data?.node).toMatchObject({
      viewers: { totalCount: 1, edges: [{ node: { user: { id: user }, grants: [{ source: 'MANUAL', provider: null }] } }] },
    });

    const revoked = await api.graphql(RevokeViewer, { poolId: id, userId: user });
    expect(revoked.data?.revokeResourcePoolViewer).toMatchObject({ __typename: 'RevokeResourcePoolViewerPayload', revoked: true, user: { id: user } });
    const twice = await api.graphql(RevokeViewer, { poolId: id, userId: user });
    expect(twice.data?.revokeResourcePoolViewer).toMatchObject({ revoked: false });
    expect((await api.graphql(PoolDetails, { id })).data?.node).toMatchObject({ viewers: { totalCount: 0 } });
  });

  it('answer an unknown pool or user with NotFoundError', async () => {
    const api = gateway();
    const id = await pool(api);
    const user = await userId(api);
    const missingUser = encodeGlobalID('User', '01900000-0000-7000-8000-000000000000');
    const missingPool = encodeGlobalID('ResourcePool', '01900000-0000-7000-8000-000000000000');
    expect((await api.graphql(GrantViewer, { poolId: id, userId: missingUser })).data?.grantResourcePoolViewer.__typename).toBe('NotFoundError');
    expect((await api.graphql(GrantViewer, { poolId: missingPool, userId: user })).data?.grantResourcePoolViewer.__typename).toBe('NotFoundError');
  });
});

describe('reading pools', () => {
  it('pages resourcePools in creation order with a stable cursor', async () => {
    const api = gateway();
    const before = (await api.graphql(PoolsPage, { first: 100 })).data?.resourcePools.totalCount ?? 0;
    const names = [unique('page-a'), unique('page-b'), unique('page-c')];
    for (const name of names) await pool(api, { name });
    const all: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ExecutionResult<PoolsPageQuery> = await api.graphql(PoolsPage, { first: 2, after });
      const connection = page.data?.resourcePools;
      if (!connection) throw new Error(JSON.stringify(page));
      expect(connection.totalCount).toBe(before + 3);
      all.push(...connection.edges.map((e) => e.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor ?? null;
    }
    expect(all.slice(-3)).toEqual(names);
  });

  it('lists pools with their viewers in a fixed number of statements, however many pools (no N+1)', async () => {
    const { store } = testStore();
    const api = startTestGateway(store);
    // Pages start after the pools earlier tests made, so both pages hold pools of the same shape.
    const after = (await api.graphql(PoolsPage, { first: 100 })).data?.resourcePools.pageInfo.endCursor ?? null;
    const idp = await provider(api);
    const users = await Promise.all([userId(api), userId(api), userId(api)]);
    for (let i = 0; i < 12; i += 1) {
      const id = await pool(api, { providerId: idp });
      for (const user of users) await api.graphql(GrantViewer, { poolId: id, userId: user });
    }
    const statements = async (first: number) => {
      const start = store.queryCount();
      const { data, errors } = await api.graphql(PoolsWithViewers, { first, after });
      expect(errors).toBeUndefined();
      expect(data?.resourcePools.edges).toHaveLength(first);
      expect(data?.resourcePools.edges.every(({ node }) => node.viewers.totalCount === 3 && node.viewers.edges.length === 3)).toBe(true);
      return store.queryCount() - start;
    };
    const few = await statements(3);
    const many = await statements(12);
    expect(many).toBe(few);
    // Pools page; their links and providers; viewer pages, their grants, counts and users.
    expect(many).toBe(7);
  });

  it('User.resourcePools lists the pools the user holds a grant on', async () => {
    const api = gateway();
    const user = await userId(api);
    const mine = await pool(api, { name: unique('mine') });
    await pool(api, { name: unique('not-mine') });
    await api.graphql(GrantViewer, { poolId: mine, userId: user });
    const { data } = await api.graphql(UserPools, { id: user, first: 10 });
    expect(data?.node).toMatchObject({ resourcePools: { totalCount: 1, edges: [{ node: { id: mine } }] } });
  });

  it('User.resourcePools pages forwards and backwards by cursor, and refuses a forged one', async () => {
    const api = gateway();
    const user = await userId(api);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const id = await pool(api, { name: unique(`paged-${i}`) });
      await api.graphql(GrantViewer, { poolId: id, userId: user });
      ids.push(id);
    }
    const first = await api.graphql(UserPools, { id: user, first: 2 });
    const page1 = first.data?.node && 'resourcePools' in first.data.node ? first.data.node.resourcePools : undefined;
    expect(page1?.edges.map((edge) => edge.node.id)).toEqual(ids.slice(0, 2));
    expect(page1?.totalCount).toBe(5);
    expect(page1?.pageInfo.hasNextPage).toBe(true);

    const second = await api.graphql(UserPools, { id: user, first: 10, after: page1?.pageInfo.endCursor });
    const page2 = second.data?.node && 'resourcePools' in second.data.node ? second.data.node.resourcePools : undefined;
    expect(page2?.edges.map((edge) => edge.node.id)).toEqual(ids.slice(2));
    expect(page2?.pageInfo.hasNextPage).toBe(false);

    const last = await api.graphql(UserPools, { id: user, last: 2 });
    const tail = last.data?.node && 'resourcePools' in last.data.node ? last.data.node.resourcePools : undefined;
    expect(tail?.edges.map((edge) => edge.node.id)).toEqual(ids.slice(3));
    expect(tail?.pageInfo.hasPreviousPage).toBe(true);

    const all = await api.graphql(UserPools, { id: user, last: 10 });
    const whole = all.data?.node && 'resourcePools' in all.data.node ? all.data.node.resourcePools : undefined;
    expect(whole?.edges.map((edge) => edge.node.id)).toEqual(ids);
    expect(whole?.pageInfo.hasPreviousPage).toBe(false);

    const forged = await api.graphql(UserPools, { id: user, first: 2, after: 'not-a-cursor' });
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

const UserPools = graphql(`
  query PoolsUserPools($id: ID!, $first: Int, $last: Int, $after: String) {
    node(id: $id) {
      ... on User {
        resourcePools(first: $first, last: $last, after: $after) {
          totalCount
          edges { node { id } }
          pageInfo { hasNextPage hasPreviousPage endCursor }
        }
      }
    }
  }
`);
