// A DISABLED user is locked out of everything the gateway controls, and
// reversibly: their JWTs and user-bound API tokens are refused with 401 (RFC
// 6750), and enabling them again lets the same credentials back in. Bad
// credentials of any kind are a 401 too; no credential at all stays anonymous.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { print } from 'graphql';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { JWT_AUDIENCE, JWT_ISSUER, type JwtIssuer, startJwtIssuer } from '../support/jwt-issuer.ts';
import { Connect, gatewayFor, oauth2Flow, startTestProvider } from '../support/oauth2-flow.ts';
import type { OidcTestServer } from '../support/oidc-server.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
let issuer: JwtIssuer;
let oidc: OidcTestServer;

beforeAll(async () => {
  [issuer, oidc] = await Promise.all([startJwtIssuer(), startTestProvider()]);
});

afterAll(async () => {
  await Promise.all([issuer?.close(), oidc?.close()]);
});

const gateway = () => startTestGateway(testStore().store, issuer.env);

const Viewer = graphql(`
  query LockoutViewer {
    viewer { id status }
  }
`);

const CountUsers = graphql(`
  query LockoutCountUsers {
    users(first: 1) { totalCount }
  }
`);

const SetStatus = graphql(`
  mutation LockoutDisable($id: ID!) {
    disableUser(input: { id: $id }) { __typename }
  }
`);

const Enable = graphql(`
  mutation LockoutEnable($id: ID!) {
    enableUser(input: { id: $id }) { __typename }
  }
`);

const CreateToken = graphql(`
  mutation LockoutCreateToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreateApiTokenPayload { token apiToken { id } }
    }
  }
`);

const RevokeToken = graphql(`
  mutation LockoutRevokeToken($id: ID!) {
    revokeApiToken(input: { id: $id }) { __typename }
  }
`);

const globalUserId = (id: string) => Buffer.from(`User:${id}`).toString('base64');

interface HttpAnswer {
  status: number;
  challenge: string | null;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

/** POSTs the document as a client would and keeps what HTTP says, not only the body. */
async function post(api: TestGateway, document: Parameters<typeof print>[0], token: string | null, variables: Record<string, unknown> = {}): Promise<HttpAnswer> {
  const response = await api.fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: (await response.json()) as HttpAnswer['body'] };
}

const DISABLED_CHALLENGE = 'Bearer error="invalid_token", error_description="user is disabled"';
const INVALID_CHALLENGE = 'Bearer error="invalid_token"';

function expectRefused(answer: HttpAnswer, challenge: string) {
  expect(answer.status).toBe(401);
  expect(answer.challenge).toBe(challenge);
  expect(answer.body.data).toBeUndefined();
  expect(answer.body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }]);
}

async function setStatus(api: TestGateway, userId: string, status: 'ACTIVE' | 'DISABLED') {
  const { data } = status === 'DISABLED' ? await api.graphql(SetStatus, { id: userId }) : await api.graphql(Enable, { id: userId });
  const typename = data && ('disableUser' in data ? data.disableUser.__typename : data.enableUser.__typename);
  expect(typename).toBe(status === 'DISABLED' ? 'DisableUserPayload' : 'EnableUserPayload');
}

async function auditCount(): Promise<number> {
  const rows = await testStore().store.raw<{ n: number }>('select count(*)::int as n from audit_events');
  return rows[0]?.n ?? 0;
}

describe('a DISABLED user is locked out, reversibly', () => {
  it("the user's JWT is refused with 401 while they are disabled, and accepted again once enabled", async () => {
    const api = gateway();
    const user = await seed(testStore().store).user();
    const token = await issuer.sign(user.email);

    const before = await post(api, Viewer, token);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ data: { viewer: { id: globalUserId(user.id), status: 'ACTIVE' } } });

    await setStatus(api, globalUserId(user.id), 'DISABLED');
    expectRefused(await post(api, Viewer, token), DISABLED_CHALLENGE);

    await setStatus(api, globalUserId(user.id), 'ACTIVE');
    const after = await post(api, Viewer, token);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ data: { viewer: { id: globalUserId(user.id), status: 'ACTIVE' } } });
  });

  it("a JWT with scopes gives a disabled user's subject no scope either", async () => {
    const api = gateway();
    const user = await seed(testStore().store).user({ status: 'DISABLED' });
    expectRefused(await post(api, CountUsers, await issuer.sign(user.username, ['admin'])), DISABLED_CHALLENGE);
  });

  it("an API token bound to the user is refused while they are disabled, and works again once enabled; nothing runs meanwhile", async () => {
    const api = gateway();
    const user = await seed(testStore().store).user();
    const { data } = await api.graphql(CreateToken, { input: { name: 'theirs', scopes: ['AUTOMATION'], userId: globalUserId(user.id) } });
    if (data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error('createApiToken');
    const { token } = data.createApiToken;
    expect((await post(api, Viewer, token)).status).toBe(200);

    await setStatus(api, globalUserId(user.id), 'DISABLED');
    const audits = await auditCount();
    expectRefused(await post(api, Viewer, token), DISABLED_CHALLENGE);
    const created = await post(api, graphql(`mutation LockoutCreateUser { createUser(input: { email: "locked@example.com", username: "locked" }) { __typename } }`), token);
    expectRefused(created, DISABLED_CHALLENGE);
    // Refused before anything ran: not even an audit row, and no user.
    expect(await auditCount()).toBe(audits);
    expect(await testStore().store.raw('select id from users where email = $1', ['locked@example.com'])).toEqual([]);

    await setStatus(api, globalUserId(user.id), 'ACTIVE');
    const after = await post(api, Viewer, token);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ data: { viewer: { id: globalUserId(user.id), status: 'ACTIVE' } } });
  });

  it('a service token (bound to no user) and the admin token are not affected by any user being disabled', async () => {
    const api = gateway();
    await seed(testStore().store).user({ status: 'DISABLED' });
    const { data } = await api.graphql(CreateToken, { input: { name: 'service', scopes: ['READ'] } });
    if (data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error('createApiToken');
    expect((await post(api, CountUsers, data.createApiToken.token)).status).toBe(200);
    expect((await api.graphql(CountUsers, {})).errors).toBeUndefined();
  });
});

describe('bad credentials are a 401, no credential is anonymous', () => {
  it('an unknown, malformed or revoked API token, and a token that is no credential at all, are refused with invalid_token', async () => {
    const api = gateway();
    const { data } = await api.graphql(CreateToken, { input: { name: 'to revoke', scopes: ['READ'] } });
    if (data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error('createApiToken');
    const { token, apiToken } = data.createApiToken;
    expect((await post(api, CountUsers, token)).status).toBe(200);
    expect((await api.graphql(RevokeToken, { id: apiToken.id })).data?.revokeApiToken.__typename).toBe('RevokeApiTokenPayload');

    for (const wrong of [token, `igw_${'A'.repeat(43)}`, 'wrong-token-wrong-token', 'a.b.c']) {
      expectRefused(await post(api, CountUsers, wrong), INVALID_CHALLENGE);
    }
  });

  it('a JWT signed by another key, for another audience, expired or without a subject is refused with invalid_token', async () => {
    const api = gateway();
    const stranger = (await generateKeyPair('ES256')).privateKey;
    const tokens = [
      await new SignJWT({ scope: 'admin' })
        .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
        .setIssuer(JWT_ISSUER)
        .setAudience(JWT_AUDIENCE)
        .setSubject('x')
        .setExpirationTime('5m')
        .sign(stranger),
      await issuer.sign('x', ['admin'], { audience: 'someone-else' }),
      await issuer.sign('x', ['admin'], { expiresAt: Math.floor(Date.now() / 1000) - 120 }),
      // The issuer's own key, but no subject: nobody to act as.
      await issuer.sign(undefined, ['admin']),
    ];
    for (const token of tokens) expectRefused(await post(api, CountUsers, token), INVALID_CHALLENGE);
  });

  it('a JWT that cannot be checked because the JWKS is unreachable is a 503, not a verdict on the token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const api = startTestGateway(testStore().store, { ...issuer.env, AUTH_JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` });

    const answer = await post(api, CountUsers, await issuer.sign('x', ['read']));
    expect(answer.status).toBe(503);
    expect(answer.challenge).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('no Authorization header is an anonymous caller: 200 with FORBIDDEN, no challenge', async () => {
    const api = gateway();
    const answer = await post(api, CountUsers, null);
    expect(answer.status).toBe(200);
    expect(answer.challenge).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a refused token is a 401 for plain JSON clients too', async () => {
    const api = gateway();
    const response = await api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer wrong-token-wrong-token' },
      body: JSON.stringify({ query: '{ users(first: 1) { totalCount } }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('www-authenticate')).toBe(INVALID_CHALLENGE);
    expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] });
    // The access log has the refusal like any other request.
    expect(api.logs.some((line) => line.includes('"status":401') && line.includes('"path":"/graphql"'))).toBe(true);
  });
});

const PoolViewerCount = graphql(`
  query LockoutPoolViewerCount($id: ID!) {
    node(id: $id) { ... on ResourcePool { viewers(first: 10) { totalCount } } }
  }
`);

describe('OAuth2 connections and pool access of a DISABLED user', () => {
  const newFlow = () => oauth2Flow(gatewayFor(testStore().store), oidc);

  it('connectOAuth2Provider refuses a disabled user (ConflictError) and creates nothing', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const user = await flow.user();
    await setStatus(flow.api, user.id, 'DISABLED');

    const { data, errors } = await flow.api.graphql(Connect, { input: { providerId: idp.id, userId: user.id } });
    expect(errors).toBeUndefined();
    expect(data?.connectOAuth2Provider).toEqual({ __typename: 'ConflictError', message: expect.stringContaining('disabled') });
    expect(await flow.access(user.id)).toEqual({ connections: [], pools: [] });
  });

  it('a callback for a user disabled meanwhile is refused: no token, no grant, and none after enabling either', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const user = await flow.user();
    const started = await flow.start(idp.id, user.id);
    const redirect = await flow.authorize(started.authorizationUrl, user.login);
    await setStatus(flow.api, user.id, 'DISABLED');

    const response = await flow.callback(redirect);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ status: 'error', error: { code: 'user_disabled' } });
    const page = await flow.callback(redirect, 'text/html');
    expect(page.status).toBe(400);

    await setStatus(flow.api, user.id, 'ACTIVE');
    expect(await flow.access(user.id)).toEqual({
      connections: [{ id: started.connectionId, status: 'PENDING', authorizationPending: false, provider: idp.slug }],
      pools: [],
    });
    expect(await flow.viewers(pool.id)).toEqual({});
    const sealed = await testStore().store.raw<{ purpose: string }>(
      `select purpose from secrets where owner_type = 'oauth2_connection' and owner_id = $1`,
      [Buffer.from(started.connectionId, 'base64').toString('utf8').split(':')[1]],
    );
    expect(sealed).toEqual([]);
  });

  it('pool access is suspended while disabled and, once enabled, is recomputed from current connections and manual grants', async () => {
    const flow = newFlow();
    const [one, two] = [await flow.provider(), await flow.provider({ client: 'b' })];
    const viaOne = await flow.pool({ providerId: one.id });
    const viaTwo = await flow.pool({ providerId: two.id });
    const manual = await flow.pool();
    const user = await flow.user();
    const other = await flow.user();
    await flow.connect(one.id, user);
    const connectionTwo = await flow.connect(two.id, user);
    await flow.grant(manual.id, user.id);
    await flow.grant(manual.id, other.id);
    expect((await flow.access(user.id)).pools).toEqual([manual.name, viaOne.name, viaTwo.name].sort());

    await setStatus(flow.api, user.id, 'DISABLED');
    // Not listed from either side while disabled; the connections themselves remain.
    expect(await flow.access(user.id)).toMatchObject({ pools: [] });
    expect((await flow.access(user.id)).connections).toHaveLength(2);
    expect(await flow.viewers(viaOne.id)).toEqual({});
    expect(await flow.viewers(manual.id)).toEqual({ [other.id]: ['manual'] });
    expect((await flow.api.graphql(PoolViewerCount, { id: manual.id })).data?.node).toEqual({ viewers: { totalCount: 1 } });

    // While disabled: one connection goes, and a new pool is linked to the other provider.
    await flow.disconnect(connectionTwo);
    const later = await flow.pool({ providerId: one.id });
    expect(await flow.viewers(later.id)).toEqual({});

    await setStatus(flow.api, user.id, 'ACTIVE');
    // What the user has now, not what they had: the disconnected provider's pool does not come back.
    expect((await flow.access(user.id)).pools).toEqual([later.name, manual.name, viaOne.name].sort());
    expect(await flow.viewers(viaTwo.id)).toEqual({});
    expect(await flow.viewers(manual.id)).toEqual({ [user.id]: ['manual'], [other.id]: ['manual'] });
    expect((await flow.api.graphql(PoolViewerCount, { id: manual.id })).data?.node).toEqual({ viewers: { totalCount: 2 } });
  });
});
