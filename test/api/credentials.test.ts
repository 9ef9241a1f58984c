// API tokens and JWTs: who a bearer token makes the caller, and what each
// scope (and the `self` rule) lets them read or do.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiToken } from '../../src/auth.ts';
import { apiTokens, oauth2Connections, oauth2Providers } from '../../src/store/schema.ts';
import { graphql } from '../gql/index.ts';
import { startTestGateway } from '../support/gateway.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

const CreateToken = graphql(`
  mutation CredentialsCreateToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreateApiTokenPayload { token apiToken { id name scopes user { id } revokedAt } }
      ... on Error { message }
    }
  }
`);

const RevokeToken = graphql(`
  mutation CredentialsRevokeToken($id: ID!) {
    revokeApiToken(input: { id: $id }) {
      __typename
      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }
    }
  }
`);

const CountUsers = graphql(`
  query CredentialsCountUsers {
    users(first: 1) { totalCount }
  }
`);

const Viewer = graphql(`
  query CredentialsViewer {
    viewer { id email accounts { backend status } }
  }
`);

const NodeUser = graphql(`
  query CredentialsNodeUser($id: ID!) {
    node(id: $id) { id ... on User { email accounts { backend } } }
  }
`);

const CreateUser = graphql(`
  mutation CredentialsCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload { user { id email } }
    }
  }
`);

const Connect = graphql(`
  mutation CredentialsConnect($providerId: ID!, $userId: ID) {
    connectOAuth2Provider(input: { providerId: $providerId, userId: $userId }) { __typename }
  }
`);

const Disconnect = graphql(`
  mutation CredentialsDisconnect($id: ID!) {
    disconnectOAuth2Provider(input: { connectionId: $id }) { __typename }
  }
`);

const MyConnections = graphql(`
  query CredentialsMyConnections {
    viewer { oauth2Connections { id status } }
  }
`);

async function mintToken(api: ReturnType<typeof startTestGateway>, input: { name: string; scopes: Array<'ADMIN' | 'AUTOMATION' | 'READ'>; userId?: string }) {
  const { data } = await api.graphql(CreateToken, { input });
  if (data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error(`createApiToken answered ${data?.createApiToken.__typename}`);
  return data.createApiToken;
}

/** Two users and a token bound to the first with no scopes (it reads as `self`). */
async function userTokenAndAnotherUser() {
  const { store } = testStore();
  const api = startTestGateway(store);
  const [me, other] = await seed(store).users(2);
  if (!me || !other) throw new Error('seed');
  const { token } = await mintToken(api, { name: 'me', scopes: [], userId: globalUserId(me.id) });
  return { store, api, me, other, token };
}

const NodesOfUsers = graphql(`
  query CredentialsNodesOfUsers($ids: [ID!]!) {
    nodes(ids: $ids) { ... on User { email } }
  }
`);

const NodesOfPools = graphql(`
  query CredentialsNodesOfPools($ids: [ID!]!) {
    nodes(ids: $ids) { ... on ResourcePool { name } }
  }
`);

const MyPools = graphql(`
  query CredentialsMyPools {
    viewer { resourcePools(first: 10) { edges { node { name } } } }
  }
`);

const MyPoolsViewers = graphql(`
  query CredentialsMyPoolsViewers {
    viewer { resourcePools(first: 10) { edges { node { name viewers(first: 10) { edges { node { __typename user { email } } } } } } } }
  }
`);

const globalUserId = (id: string) => Buffer.from(`User:${id}`).toString('base64');

/** The answer to a token the gateway does not accept: 401, the RFC 6750 challenge, an UNAUTHENTICATED error and no data. */
async function expectInvalidToken(api: ReturnType<typeof startTestGateway>, token: string) {
  const response = await api.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ users(first: 1) { totalCount } }' }),
  });
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] });
}

describe('API tokens', () => {
  it('createApiToken reveals the token once and the store keeps only its SHA-256', async () => {
    const { store } = testStore();
    const api = startTestGateway(store);
    const created = await mintToken(api, { name: 'ci', scopes: ['READ', 'AUTOMATION'] });
    expect(created.token).toMatch(/^igw_[A-Za-z0-9_-]{43}$/);
    expect(created.apiToken).toMatchObject({ name: 'ci', scopes: ['AUTOMATION', 'READ'], user: null, revokedAt: null });
    const rows = await store.db.select().from(apiTokens);
    expect(JSON.stringify(rows)).not.toContain(created.token);
    expect(rows.map((row) => row.tokenHash)).toContain(hashApiToken(created.token));
  });

  it('a read token may query but not mutate', async () => {
    const api = startTestGateway(testStore().store);
    const { token } = await mintToken(api, { name: 'reader', scopes: ['READ'] });
    const read = await api.graphql(CountUsers, {}, { token });
    expect(read.errors).toBeUndefined();
    expect(read.data?.users.totalCount).toBeGreaterThanOrEqual(0);
    const write = await api.graphql(CreateUser, { input: { email: 'reader-made@example.com', username: 'reader-made' } }, { token });
    expect(write.data?.createUser.__typename).toBe('ForbiddenError');
  });

  it('an automation token may create a user and read the payload, but not list users', async () => {
    const api = startTestGateway(testStore().store);
    const { token } = await mintToken(api, { name: 'robot', scopes: ['AUTOMATION'] });
    const made = await api.graphql(CreateUser, { input: { email: 'robot-made@example.com', username: 'robot-made' } }, { token });
    expect(made.errors).toBeUndefined();
    expect(made.data?.createUser).toMatchObject({ __typename: 'CreateUserPayload', user: { email: 'robot-made@example.com' } });
    const list = await api.graphql(CountUsers, {}, { token });
    expect(list.data).toBeNull();
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a revoked token is refused at once (401, invalid_token)', async () => {
    const api = startTestGateway(testStore().store);
    const { token, apiToken } = await mintToken(api, { name: 'short-lived', scopes: ['READ'] });
    expect((await api.graphql(CountUsers, {}, { token })).errors).toBeUndefined();
    const revoked = await api.graphql(RevokeToken, { id: apiToken.id });
    expect(revoked.data?.revokeApiToken.__typename).toBe('RevokeApiTokenPayload');
    await expectInvalidToken(api, token);
  });

  it('a token bound to a user with no scopes reads that user (self) and no other', async () => {
    const { store, api, me, other, token } = await userTokenAndAnotherUser();
    await seed(store).account(me.id, 'RETOOL');
    const viewer = await api.graphql(Viewer, {}, { token });
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.viewer).toMatchObject({ id: globalUserId(me.id), email: me.email, accounts: [{ backend: 'RETOOL', status: 'ACTIVE' }] });
    const mine = await api.graphql(NodeUser, { id: globalUserId(me.id) }, { token });
    expect(mine.data?.node).toMatchObject({ email: me.email });
    const theirs = await api.graphql(NodeUser, { id: globalUserId(other.id) }, { token });
    expect(JSON.stringify(theirs.data)).not.toContain(other.email);
    expect(theirs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a user token gets its own objects of a list and a FORBIDDEN error in place of each other one', async () => {
    const { api, me, other, token } = await userTokenAndAnotherUser();
    const result = await api.graphql(NodesOfUsers, { ids: [globalUserId(me.id), globalUserId(other.id), globalUserId(me.id)] }, { token });
    expect(result.data?.nodes).toEqual([{ email: me.email }, null, { email: me.email }]);
    expect(result.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['nodes', 1], 'FORBIDDEN']]);
    expect(JSON.stringify(result)).not.toContain(other.email);
  });

  it('a user token reads the pools it views through its own user, and no pool it does not view', async () => {
    const { store } = testStore();
    const api = startTestGateway(store);
    const [me] = await seed(store).users(1);
    if (!me) throw new Error('seed');
    const [viewed, notViewed] = [await seed(store).pool(), await seed(store).pool()];
    await seed(store).viewer(viewed.id, me.id);
    const { token } = await mintToken(api, { name: 'me', scopes: [], userId: globalUserId(me.id) });
    const mine = await api.graphql(MyPools, {}, { token });
    expect(mine.errors).toBeUndefined();
    expect(mine.data?.viewer?.resourcePools.edges.map((edge) => edge.node.name)).toEqual([viewed.name]);
    const poolId = (id: string) => Buffer.from(`ResourcePool:${id}`).toString('base64');
    const direct = await api.graphql(NodesOfPools, { ids: [poolId(viewed.id), poolId(notViewed.id)] }, { token });
    expect(direct.data?.nodes).toEqual([{ name: viewed.name }, null]);
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("a user token that may read a pool still gets none of its other viewers: each edge's node is checked", async () => {
    const { store, api, me, other, token } = await userTokenAndAnotherUser();
    const shared = await seed(store).pool();
    await seed(store).viewer(shared.id, me.id);
    await seed(store).viewer(shared.id, other.id);
    const result = await api.graphql(MyPoolsViewers, {}, { token });
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(result.errors?.every((error) => error.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(JSON.stringify(result.data)).not.toContain(other.email);
    expect(JSON.stringify(result.data)).not.toContain('ResourcePoolViewer');
  });

  it('a user token may connect only its own providers, disconnect only its own connections, and read them', async () => {
    const { store, api, me, other, token } = await userTokenAndAnotherUser();
    const unknownProvider = Buffer.from('OAuth2Provider:no-such-provider').toString('base64');
    // Allowed past authorization (then the provider is unknown) for itself, implicitly or by id; refused for another user.
    expect((await api.graphql(Connect, { providerId: unknownProvider }, { token })).data?.connectOAuth2Provider.__typename).toBe('NotFoundError');
    expect((await api.graphql(Connect, { providerId: unknownProvider, userId: globalUserId(me.id) }, { token })).data?.connectOAuth2Provider.__typename).toBe(
      'NotFoundError',
    );
    expect((await api.graphql(Connect, { providerId: unknownProvider, userId: globalUserId(other.id) }, { token })).data?.connectOAuth2Provider.__typename).toBe(
      'ForbiddenError',
    );
    const [provider] = await store.db.insert(oauth2Providers).values({ id: `self-${Date.now()}`, kind: 'github', clientId: 'c', displayName: 'Self' }).returning();
    const [mine] = await store.db.insert(oauth2Connections).values({ userId: me.id, providerId: provider?.id ?? '' }).returning();
    const [theirs] = await store.db.insert(oauth2Connections).values({ userId: other.id, providerId: provider?.id ?? '' }).returning();
    const connectionId = (id: string | undefined) => Buffer.from(`OAuth2Connection:${id}`).toString('base64');
    expect((await api.graphql(Disconnect, { id: connectionId(theirs?.id) }, { token })).data?.disconnectOAuth2Provider.__typename).toBe('ForbiddenError');
    const listed = await api.graphql(MyConnections, {}, { token });
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.viewer?.oauth2Connections.map((c) => c.id)).toEqual([connectionId(mine?.id)]);
  });

  it('createApiToken refuses a token that could do nothing, and an unknown user', async () => {
    const api = startTestGateway(testStore().store);
    const empty = await api.graphql(CreateToken, { input: { name: 'nothing', scopes: [] } });
    expect(empty.data?.createApiToken.__typename).toBe('ValidationError');
    const unknown = await api.graphql(CreateToken, { input: { name: 'ghost', scopes: ['READ'], userId: globalUserId('0190b6a4-0000-7000-8000-000000000000') } });
    expect(unknown.data?.createApiToken.__typename).toBe('NotFoundError');
  });
});

// A JWKS endpoint on loopback, as an identity provider would serve it.
let jwksServer: Server;
let jwksUrl: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
const ISSUER = 'https://idp.test';
const AUDIENCE = 'identity-gateway';

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('ES256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  jwksServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

function jwtGateway() {
  return startTestGateway(testStore().store, { AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, AUTH_JWT_JWKS_URL: jwksUrl });
}

function sign(claims: Record<string, unknown>, options: { key?: CryptoKey; audience?: string; expiresIn?: string | number; subject?: string } = {}) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m');
  if (options.subject) jwt.setSubject(options.subject);
  return jwt.sign(options.key ?? signingKey);
}

describe('JWTs', () => {
  it('scopes come from the scope claim', async () => {
    const api = jwtGateway();
    const reader = await sign({ scope: 'openid read' }, { subject: 'svc-reader' });
    expect((await api.graphql(CountUsers, {}, { token: reader })).errors).toBeUndefined();
    const created = await api.graphql(CreateUser, { input: { email: 'jwt-made@example.com', username: 'jwt-made' } }, { token: reader });
    expect(created.data?.createUser.__typename).toBe('ForbiddenError');
  });

  it('the subject names the gateway user for viewer, by email, username or id', async () => {
    const { store } = testStore();
    const api = jwtGateway();
    const user = await seed(store).user({ email: 'jwt-person@example.com', username: 'jwt-person' });
    for (const subject of ['JWT-Person@example.com', 'jwt-person', user.id]) {
      const token = await sign({}, { subject });
      const { data, errors } = await api.graphql(Viewer, {}, { token });
      expect(errors).toBeUndefined();
      expect(data?.viewer?.id).toBe(globalUserId(user.id));
    }
  });

  it('a token signed by another key, for another audience, or expired is refused (401, invalid_token)', async () => {
    const api = jwtGateway();
    const tokens = [
      await sign({ scope: 'admin' }, { key: strangerKey, subject: 'x' }),
      await sign({ scope: 'admin' }, { audience: 'someone-else', subject: 'x' }),
      await sign({ scope: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) - 120, subject: 'x' }),
    ];
    for (const token of tokens) await expectInvalidToken(api, token);
  });
});
