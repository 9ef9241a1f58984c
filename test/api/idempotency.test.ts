// Idempotency keys (Stripe semantics) on every mutation, by header or by the
// `idempotencyKey` argument, counted against the fake backends' call logs.
import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys } from '../../src/store/schema.ts';
import { graphql } from '../gql/index.ts';
import { type FakeBackends, useFreshFakeBackends } from '../support/backends.ts';
import { startTestGateway } from '../support/gateway.ts';
import { type JwtIssuer, startJwtIssuer } from '../support/jwt-issuer.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

const setup = useFreshFakeBackends(() => testStore().store);

let issuer: JwtIssuer;
beforeAll(async () => {
  issuer = await startJwtIssuer();
});
afterAll(async () => {
  await issuer?.close();
});

const CreateUser = graphql(`
  mutation IdempotentCreateUser($input: CreateUserInput!, $key: String) {
    createUser(input: $input, idempotencyKey: $key) {
      __typename
      ... on CreateUserPayload {
        created
        user { id email }
        accounts { backend status externalId }
        secrets { backend kind value }
      }
      ... on Error { message }
    }
  }
`);

const CreateToken = graphql(`
  mutation IdempotentCreateToken($key: String!) {
    createApiToken(input: { name: "replayed", scopes: [READ] }, idempotencyKey: $key) {
      __typename
      ... on CreateApiTokenPayload { token apiToken { id } }
    }
  }
`);

const CreateNamedToken = graphql(`
  mutation IdempotentCreateNamedToken($name: String!) {
    createApiToken(input: { name: $name, scopes: [READ] }) {
      __typename
      ... on CreateApiTokenPayload { token apiToken { id name } }
      ... on Error { message }
    }
  }
`);

const ConnectProvider = graphql(`
  mutation IdempotentConnect($providerId: ID!, $userId: ID) {
    connectOAuth2Provider(input: { providerId: $providerId, userId: $userId }) {
      __typename
      ... on Error { message }
    }
  }
`);

const CreateUserToken = graphql(`
  mutation IdempotentCreateUserToken($userId: ID!) {
    createApiToken(input: { name: "self", scopes: [], userId: $userId }) {
      __typename
      ... on CreateApiTokenPayload { token }
    }
  }
`);

const globalUserId = (id: string) => Buffer.from(`User:${id}`).toString('base64');

const EnableUser = graphql(`
  mutation IdempotentEnableUser($id: ID!) {
    enableUser(input: { id: $id }) { __typename ... on Error { message } }
  }
`);

const backendCalls = (f: FakeBackends) => f.retool.state.calls.length + f.forge.state.calls.length;

async function postWithKey(api: ReturnType<typeof startTestGateway>, key: string, variables: Record<string, unknown>) {
  const { print } = await import('graphql');
  return api.fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${api.config.auth.adminToken ?? ''}`,
      'idempotency-key': key,
    },
    body: JSON.stringify({ query: print(CreateUser), variables }),
  });
}

describe('Idempotency-Key', () => {
  it('the same key twice: one set of backend calls, the same response, secrets not revealed again', async () => {
    const f = await setup();
    const key = randomUUID();
    const input = { email: 'idem@example.com', username: 'idem', backends: ['RETOOL', 'FORGE'] };
    const first = await postWithKey(f.api, key, { input });
    const firstBody = (await first.json()) as { data: { createUser: { secrets: Array<{ value: string }> } } };
    const calls = backendCalls(f);
    expect(calls).toBeGreaterThan(0);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const second = await postWithKey(f.api, key, { input });
    const secondBody = (await second.json()) as typeof firstBody;
    expect(backendCalls(f)).toBe(calls);
    expect(f.retool.byEmail('idem@example.com')).toHaveLength(1);
    expect(second.status).toBe(first.status);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const { secrets: firstSecrets, ...firstRest } = firstBody.data.createUser;
    const { secrets: secondSecrets, ...secondRest } = secondBody.data.createUser;
    expect(secondRest).toEqual(firstRest);
    expect(firstSecrets).toHaveLength(2);
    expect(secondSecrets).toEqual(firstSecrets.map((secret) => ({ ...secret, value: '[revealed once]' })));
    // Nor does the store keep them in the clear.
    const [row] = await testStore().store.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    for (const secret of firstSecrets) expect(JSON.stringify(row?.response)).not.toContain(secret.value);
  });

  it('the idempotencyKey argument works like the header', async () => {
    const f = await setup();
    const key = randomUUID();
    const input = { email: 'idem-arg@example.com', username: 'idem-arg', backends: ['RETOOL' as const] };
    const first = await f.api.graphql(CreateUser, { input, key });
    const calls = backendCalls(f);
    const second = await f.api.graphql(CreateUser, { input, key });
    expect(backendCalls(f)).toBe(calls);
    expect(second.data).toEqual(first.data);
  });

  it('the same key with other input is a ConflictError and calls no backend', async () => {
    const f = await setup();
    const key = randomUUID();
    await f.api.graphql(CreateUser, { input: { email: 'idem-a@example.com', username: 'idem-a', backends: ['RETOOL'] }, key });
    const calls = backendCalls(f);
    const other = await f.api.graphql(CreateUser, { input: { email: 'idem-b@example.com', username: 'idem-b', backends: ['RETOOL'] }, key });
    expect(other.errors).toBeUndefined();
    expect(other.data?.createUser.__typename).toBe('ConflictError');
    expect(backendCalls(f)).toBe(calls);
    expect(f.retool.byEmail('idem-b@example.com')).toHaveLength(0);
  });

  it('a repeat while the first still runs waits for it and returns its result', async () => {
    const f = await setup();
    f.retool.setOptions({ latencyMs: 300 });
    const key = randomUUID();
    const input = { email: 'idem-slow@example.com', username: 'idem-slow', backends: ['RETOOL' as const] };
    const [a, b] = await Promise.all([f.api.graphql(CreateUser, { input, key }), f.api.graphql(CreateUser, { input, key })]);
    expect(a.data).toEqual(b.data);
    expect(a.data?.createUser.__typename).toBe('CreateUserPayload');
    expect(f.retool.byEmail('idem-slow@example.com')).toHaveLength(1);
  });

  it('a repeat that outwaits IDEMPOTENCY_WAIT_MS gets a retryable error, and the result later', async () => {
    const f = await setup({ IDEMPOTENCY_WAIT_MS: '50' });
    f.retool.setOptions({ latencyMs: 400 });
    const key = randomUUID();
    const input = { email: 'idem-wait@example.com', username: 'idem-wait', backends: ['RETOOL' as const] };
    const first = f.api.graphql(CreateUser, { input, key });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const early = await postWithKey(f.api, key, { input, key });
    expect(early.status).toBe(409);
    expect(early.headers.get('retry-after')).toBe('1');
    const body = (await early.json()) as { errors: Array<{ extensions: { code: string; retryable: boolean } }> };
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE', retryable: true });
    const done = await first;
    expect(await f.api.graphql(CreateUser, { input, key })).toEqual(done);
  });

  it('keys are per caller: another caller with the same key runs its own request', async () => {
    const f = await setup();
    const key = randomUUID();
    const made = await f.api.graphql(CreateToken, { key: randomUUID() });
    if (made.data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error('token');
    const ownToken = made.data.createApiToken.token;
    // The admin token's key does not answer for the API token's request.
    const input = { email: 'idem-caller@example.com', username: 'idem-caller' };
    const mine = await f.api.graphql(CreateUser, { input, key });
    expect(mine.data?.createUser.__typename).toBe('CreateUserPayload');
    const theirs = await f.api.graphql(CreateUser, { input, key }, { token: ownToken });
    expect(theirs.data?.createUser.__typename).toBe('ForbiddenError');
  });

  it('a replayed createApiToken does not reveal the token again', async () => {
    const f = await setup();
    const key = randomUUID();
    const first = await f.api.graphql(CreateToken, { key });
    const second = await f.api.graphql(CreateToken, { key });
    if (first.data?.createApiToken.__typename !== 'CreateApiTokenPayload' || second.data?.createApiToken.__typename !== 'CreateApiTokenPayload') {
      throw new Error('payloads');
    }
    expect(first.data.createApiToken.token).toMatch(/^igw_/);
    expect(second.data.createApiToken).toEqual({ ...first.data.createApiToken, token: '[revealed once]' });
  });

  it('an error result is stored too: the repeat returns it without running again', async () => {
    const f = await setup();
    const key = randomUUID();
    const missing = Buffer.from('User:0190b6a4-0000-7000-8000-000000000000').toString('base64');
    const first = await f.api.graphql(EnableUser, { id: missing }, { headers: { 'idempotency-key': key } });
    expect(first.data?.enableUser.__typename).toBe('NotFoundError');
    const audits = await auditCount();
    const second = await f.api.graphql(EnableUser, { id: missing }, { headers: { 'idempotency-key': key } });
    expect(second).toEqual(first);
    expect(await auditCount()).toBe(audits);
  });

  it('an expired key (older than 24 h) is forgotten and the request runs again', async () => {
    const f = await setup();
    const key = randomUUID();
    const input = { email: 'idem-old@example.com', username: 'idem-old' };
    await f.api.graphql(CreateUser, { input, key });
    await testStore().store.db.update(idempotencyKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(idempotencyKeys.key, key));
    const again = await f.api.graphql(CreateUser, { input, key });
    // It ran: the user exists already, so createUser answers its repeat (created: false).
    expect(again.data?.createUser).toMatchObject({ __typename: 'CreateUserPayload', created: false });
  });

  it('refuses a malformed key and a header that disagrees with the argument', async () => {
    const f = await setup();
    const input = { email: 'idem-bad@example.com', username: 'idem-bad' };
    const malformed = await f.api.graphql(CreateUser, { input, key: 'has spaces in it' });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const disagree = await f.api.graphql(CreateUser, { input, key: 'one' }, { headers: { 'idempotency-key': 'two' } });
    expect(disagree.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(f.retool.byEmail('idem-bad@example.com')).toHaveLength(0);
  });
});

async function auditCount(): Promise<number> {
  const rows = await testStore().store.raw<{ n: number }>('select count(*)::int as n from audit_events');
  return rows[0]?.n ?? 0;
}

describe('a replay re-checks authorization', () => {
  it('the same caller with fewer scopes gets the ForbiddenError of the mutation, and nothing of the stored answer', async () => {
    const f = await setup(issuer.env);
    const key = randomUUID();
    const asAdmin = await issuer.sign('robot', ['admin']);
    const first = await f.api.graphql(CreateNamedToken, { name: 'replayed-to-whom' }, { token: asAdmin, headers: { 'idempotency-key': key } });
    if (first.data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error(JSON.stringify(first));
    const { apiToken } = first.data.createApiToken;

    // Same subject (so the same caller id and key scope), now only `read`.
    const asReader = await issuer.sign('robot', ['read']);
    const response = await f.api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${asReader}`, 'idempotency-key': key },
      body: JSON.stringify({ query: print(CreateNamedToken), variables: { name: 'replayed-to-whom' } }),
    });
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ data: { createApiToken: { __typename: 'ForbiddenError', message: 'not allowed to call createApiToken' } } });
    expect(body).not.toContain(apiToken.id);
    // Nor does it leak that the key is taken: other input is the same ForbiddenError, not a ConflictError.
    const other = await f.api.graphql(CreateNamedToken, { name: 'something else' }, { token: asReader, headers: { 'idempotency-key': key } });
    expect(other.data?.createApiToken.__typename).toBe('ForbiddenError');

    // Allowed again, the caller gets the stored answer (the token itself not revealed twice).
    const again = await f.api.graphql(CreateNamedToken, { name: 'replayed-to-whom' }, { token: await issuer.sign('robot', ['admin']), headers: { 'idempotency-key': key } });
    expect(again.data?.createApiToken).toEqual({ ...first.data.createApiToken, token: '[revealed once]' });
    const rows = await testStore().store.raw<{ n: number }>(`select count(*)::int as n from api_tokens where name = 'replayed-to-whom'`);
    expect(rows[0]?.n).toBe(1);
  });

  it("a rule that reads the arguments (self) is evaluated with the replayed request's arguments", async () => {
    const f = await setup();
    const [me, other] = await seed(testStore().store).users(2);
    if (!me || !other) throw new Error('seed');
    const made = await f.api.graphql(CreateUserToken, { userId: globalUserId(me.id) });
    if (made.data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error(JSON.stringify(made));
    const token = made.data.createApiToken.token;
    const key = randomUUID();
    const providerId = Buffer.from('OAuth2Provider:no-such-provider').toString('base64');

    const first = await f.api.graphql(ConnectProvider, { providerId, userId: globalUserId(me.id) }, { token, headers: { 'idempotency-key': key } });
    expect(first.data?.connectOAuth2Provider.__typename).toBe('NotFoundError');
    // Its own user again: allowed by `self`, so the stored answer comes back.
    const replay = await f.api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify({ query: print(ConnectProvider), variables: { providerId, userId: globalUserId(me.id) } }),
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(first);
    // Another user's id under the same key: `self` denies it before the key is looked at.
    const theirs = await f.api.graphql(ConnectProvider, { providerId, userId: globalUserId(other.id) }, { token, headers: { 'idempotency-key': key } });
    expect(theirs.data?.connectOAuth2Provider).toEqual({ __typename: 'ForbiddenError', message: 'not allowed to call connectOAuth2Provider' });
  });
});
