// Leavers and returners (docs/lifecycle.md): deleteUser over HTTP against
// the fakes and a real OIDC provider. Backend accounts stay, disabled; the
// user's credentials, tokens, connections and pool access go; restoreUser
// brings the user and its accounts back, and nothing of what was revoked.
import { print } from 'graphql';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryDueAccounts } from '../../src/domain/provisioning.ts';
import { backendAccounts } from '../../src/store/schema.ts';
import { graphql } from '../gql/index.ts';
import { type FakeBackends, useFreshFakeBackends } from '../support/backends.ts';
import type { TestGateway } from '../support/gateway.ts';
import { type JwtIssuer, startJwtIssuer } from '../support/jwt-issuer.ts';
import { ALLOWED_RETURN, oauth2Flow, PUBLIC_URL, startTestProvider } from '../support/oauth2-flow.ts';
import type { OidcTestServer } from '../support/oidc-server.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const setup = useFreshFakeBackends(() => testStore().store);
let issuer: JwtIssuer;
let oidc: OidcTestServer;

beforeAll(async () => {
  [issuer, oidc] = await Promise.all([startJwtIssuer(), startTestProvider()]);
});

afterAll(async () => {
  await Promise.all([issuer?.close(), oidc?.close()]);
});

const gateway = () => setup({ ...issuer.env, PUBLIC_URL, OAUTH2_RETURN_TO_ALLOWLIST: ALLOWED_RETURN });
const rowId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1] ?? '';

const CreateUser = graphql(`
  mutation RemovalCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload { user { id } accounts { backend status } }
      ... on Error { message }
    }
  }
`);

const DeleteUser = graphql(`
  mutation RemovalDeleteUser($id: ID!) {
    deleteUser(input: { id: $id }) {
      __typename
      ... on DeleteUserPayload {
        user { id email status }
        accounts { backend status ownership externalId lastError nextAttemptAt }
        apiTokensRevoked
        poolGrantsRemoved
        oauth2ConnectionsRemoved
        oauth2TokensRevoked
        credentials { backend revoked message }
      }
      ... on Error { message }
    }
  }
`);

const RestoreUser = graphql(`
  mutation RemovalRestoreUser($id: ID!) {
    restoreUser(input: { id: $id }) {
      __typename
      ... on RestoreUserPayload { user { id status } accounts { backend status } }
      ... on Error { message }
    }
  }
`);

const UpdateUser = graphql(`
  mutation RemovalUpdateUser($id: ID!) {
    updateUser(input: { id: $id, displayName: "Nobody" }) { __typename ... on Error { message } }
  }
`);

const CreateToken = graphql(`
  mutation RemovalCreateToken($userId: ID!) {
    createApiToken(input: { name: "theirs", scopes: [READ], userId: $userId }) {
      __typename
      ... on CreateApiTokenPayload { token }
    }
  }
`);

const Viewer = graphql(`
  query RemovalViewer {
    viewer { id }
  }
`);

const Lookups = graphql(`
  query RemovalLookups($id: ID!, $email: String!, $search: String!) {
    byId: user(id: $id) { id }
    byEmail: user(email: $email) { id }
    node(id: $id) { id }
    users(first: 10, filter: { search: $search }) { totalCount edges { node { id } } }
  }
`);

const Events = graphql(`
  query RemovalEvents($targetId: ID!) {
    auditEvents(filter: { targetId: $targetId }, first: 20) { edges { node { actor operation outcome details } } }
  }
`);

async function createPerson(api: TestGateway, username: string): Promise<string> {
  const { data } = await api.graphql(CreateUser, { input: { email: `${username}@example.com`, username, displayName: 'Grace Hopper', backends: ['RETOOL', 'FORGE'] } });
  if (data?.createUser.__typename !== 'CreateUserPayload') throw new Error(`createUser answered ${JSON.stringify(data)}`);
  return data.createUser.user.id;
}

async function userToken(api: TestGateway, userId: string): Promise<string> {
  const { data } = await api.graphql(CreateToken, { userId });
  if (data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error('createApiToken');
  return data.createApiToken.token;
}

/** What HTTP says to a bearer token, as a client sees it. */
async function asBearer(api: TestGateway, token: string): Promise<{ status: number; challenge: string | null }> {
  const response = await api.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(Viewer) }),
  });
  await response.body?.cancel();
  return { status: response.status, challenge: response.headers.get('www-authenticate') };
}

const DELETED_CHALLENGE = 'Bearer error="invalid_token", error_description="user is deleted"';

/** Every DELETE either fake received. */
const deletes = (f: FakeBackends) => [...f.retool.state.calls, ...f.forge.state.calls].filter((call) => call.method === 'DELETE').map((call) => call.path);

describe('deleteUser', () => {
  it('leaves both accounts present and disabled, revokes every credential and grant, hides the user; a second delete is NotFoundError', async () => {
    const f = await gateway();
    const flow = oauth2Flow(f.api, oidc);
    const id = await createPerson(f.api, 'grace');
    const token = await userToken(f.api, id);
    const jwt = await issuer.sign('grace@example.com', ['read']);
    expect((await asBearer(f.api, token)).status).toBe(200);
    expect((await asBearer(f.api, jwt)).status).toBe(200);

    const idp = await flow.provider();
    const linked = await flow.pool({ providerId: idp.id });
    const manual = await flow.pool();
    await flow.grant(manual.id, id);
    const connectionId = await flow.connect(idp.id, { id, login: 'grace' });
    const sealed = await f.api.deps.secrets.get(f.api.deps.store.db, { ownerType: 'oauth2_connection', ownerId: rowId(connectionId), purpose: 'oauth2_token' });
    const accessToken = (JSON.parse(sealed ?? '{}') as { accessToken: string }).accessToken;
    expect((await oidc.introspect(accessToken)).active).toBe(true);
    expect((await flow.access(id)).pools).toEqual([linked.name, manual.name].sort());
    expect(f.forge.state.tokens.map((t) => t.name)).toEqual(['identity-gateway-grace']);
    const forgeToken = f.forge.state.tokens[0]?.sha1 ?? '';

    const { data } = await f.api.graphql(DeleteUser, { id });
    expect(data?.deleteUser).toEqual({
      __typename: 'DeleteUserPayload',
      user: { id, email: 'grace@example.com', status: 'ACTIVE' },
      accounts: [
        { backend: 'FORGE', status: 'DISABLED', ownership: 'CREATED', externalId: expect.any(String), lastError: null, nextAttemptAt: null },
        { backend: 'RETOOL', status: 'DISABLED', ownership: 'CREATED', externalId: expect.any(String), lastError: null, nextAttemptAt: null },
      ],
      apiTokensRevoked: 1,
      poolGrantsRemoved: 2,
      oauth2ConnectionsRemoved: 1,
      oauth2TokensRevoked: 1,
      credentials: [{ backend: 'FORGE', revoked: true, message: "token identity-gateway-grace deleted with the site admin's Basic credentials" }],
    });

    // Present in both backends, locked: nothing was deleted but the gateway's own Forgejo token.
    expect(f.forge.user('grace')).toMatchObject({ prohibit_login: true });
    expect(f.retool.byEmail('grace@example.com')).toEqual([expect.objectContaining({ active: false })]);
    expect(deletes(f)).toEqual(['/users/grace/tokens/identity-gateway-grace']);
    expect(f.forge.state.tokens).toEqual([]);
    expect(f.forge.state.calls.find((c) => c.method === 'DELETE')?.auth).toBe('basic');

    // Credentials: the API token and the JWT are refused as a deleted user's.
    expect(await asBearer(f.api, token)).toEqual({ status: 401, challenge: DELETED_CHALLENGE });
    expect(await asBearer(f.api, jwt)).toEqual({ status: 401, challenge: DELETED_CHALLENGE });
    // The provider's token is revoked, the connection and every pool grant gone.
    expect((await oidc.introspect(accessToken)).active).toBe(false);
    expect(await flow.viewers(linked.id)).toEqual({});
    expect(await flow.viewers(manual.id)).toEqual({});
    // The gateway holds no secret of the accounts any more.
    const accountIds = (await f.api.deps.store.raw<{ id: string }>('select id from backend_accounts where user_id = $1', [rowId(id)])).map((r) => r.id);
    expect(accountIds).toHaveLength(2);
    expect(await f.api.deps.store.raw(`select purpose from secrets where owner_type = 'backend_account' and owner_id = any($1)`, [accountIds])).toEqual([]);

    // Hidden from every read.
    const lookups = await f.api.graphql(Lookups, { id, email: 'grace@example.com', search: 'grace' });
    expect(lookups.errors).toBeUndefined();
    expect(lookups.data).toEqual({ byId: null, byEmail: null, node: null, users: { totalCount: 0, edges: [] } });

    // A second delete, or any change, answers NotFoundError and calls no backend.
    const calls = f.forge.state.calls.length + f.retool.state.calls.length;
    const again = await f.api.graphql(DeleteUser, { id });
    expect(again.data?.deleteUser).toEqual({ __typename: 'NotFoundError', message: `no user with id "${rowId(id)}"` });
    expect((await f.api.graphql(UpdateUser, { id })).data?.updateUser.__typename).toBe('NotFoundError');
    expect(f.forge.state.calls.length + f.retool.state.calls.length).toBe(calls);
    expect(forgeToken).not.toBe('');
    // The minted Forgejo token is gone: Forgejo no longer knows it.
    expect(f.forge.state.tokens.some((t) => t.sha1 === forgeToken)).toBe(false);

    // A new user cannot take the email or the username: the old accounts are never re-linked.
    const reused = await f.api.graphql(CreateUser, { input: { email: 'GRACE@example.com', username: 'grace2', backends: ['RETOOL'] } });
    expect(reused.data?.createUser).toEqual({
      __typename: 'ConflictError',
      message: `a deleted user (id ${id}) still holds the email "grace@example.com"; restore it with restoreUser, or pick another`,
    });
    const sameLogin = await f.api.graphql(CreateUser, { input: { email: 'other-grace@example.com', username: 'Grace', backends: ['FORGE'] } });
    expect(sameLogin.data?.createUser).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('still holds the username "grace"') });

    // The audit trail says who deleted it and where each account was left disabled.
    const events = await f.api.graphql(Events, { targetId: id });
    const trail = (events.data?.auditEvents.edges ?? []).map((e) => e.node);
    expect(trail.map((e) => `${e.operation}:${e.outcome}`)).toEqual([
      'createUser:CreateUserPayload',
      'createApiToken:CreateApiTokenPayload',
      'grantResourcePoolViewer:GrantResourcePoolViewerPayload',
      'connectOAuth2Provider:ConnectOAuth2ProviderPayload',
      'deleteUser:DeleteUserPayload',
      'deleteUser:NotFoundError',
      'updateUser:NotFoundError',
    ]);
    expect(trail[4]).toMatchObject({
      actor: 'admin-token',
      details: {
        apiTokensRevoked: 1,
        poolGrantsRemoved: 2,
        oauth2ConnectionsRemoved: 1,
        backends: [
          { backend: 'FORGE', status: 'DISABLED', externalId: String(f.forge.user('grace')?.id) },
          { backend: 'RETOOL', status: 'DISABLED', externalId: String(f.retool.byEmail('grace@example.com')[0]?.legacy_id) },
        ],
      },
    });
  });

  it('restoreUser brings the user and its accounts back; tokens, connections and grants stay revoked', async () => {
    const f = await gateway();
    const id = await createPerson(f.api, 'hopper');
    const token = await userToken(f.api, id);
    await f.api.graphql(DeleteUser, { id });

    const { data } = await f.api.graphql(RestoreUser, { id });
    expect(data?.restoreUser).toEqual({
      __typename: 'RestoreUserPayload',
      user: { id, status: 'ACTIVE' },
      accounts: [
        { backend: 'FORGE', status: 'ACTIVE' },
        { backend: 'RETOOL', status: 'ACTIVE' },
      ],
    });
    expect(f.forge.user('hopper')).toMatchObject({ prohibit_login: false });
    expect(f.retool.byEmail('hopper@example.com')[0]?.active).toBe(true);
    expect(f.forge.state.tokens).toEqual([]);
    expect(deletes(f)).toEqual(['/users/hopper/tokens/identity-gateway-hopper']);
    // Shown again; its old API token is still revoked (an ordinary revoked token now).
    const lookups = await f.api.graphql(Lookups, { id, email: 'hopper@example.com', search: 'hopper' });
    expect(lookups.data?.byId).toEqual({ id });
    expect(lookups.data?.users.totalCount).toBe(1);
    expect(await asBearer(f.api, token)).toEqual({ status: 401, challenge: 'Bearer error="invalid_token"' });
    // Restoring a user that is not deleted is NotFoundError.
    expect((await f.api.graphql(RestoreUser, { id })).data?.restoreUser).toMatchObject({ __typename: 'NotFoundError' });
  });

  it('a disabled user is restored disabled', async () => {
    const f = await gateway();
    const id = await createPerson(f.api, 'kay');
    const Disable = graphql(`
      mutation RemovalDisable($id: ID!) {
        disableUser(input: { id: $id }) { __typename }
      }
    `);
    await f.api.graphql(Disable, { id });
    const deleted = await f.api.graphql(DeleteUser, { id });
    // Already prohibited: its own password no longer signs in, so the site admin's credentials revoke the token.
    expect(deleted.data?.deleteUser).toMatchObject({
      credentials: [{ backend: 'FORGE', revoked: true, message: "token identity-gateway-kay deleted with the site admin's Basic credentials" }],
    });
    const { data } = await f.api.graphql(RestoreUser, { id });
    expect(data?.restoreUser).toMatchObject({ user: { status: 'DISABLED' }, accounts: [{ status: 'DISABLED' }, { status: 'DISABLED' }] });
    expect(f.forge.user('kay')).toMatchObject({ prohibit_login: true });
  });

  it('a backend that is down is disabled later by the worker; the delete itself is complete at once', async () => {
    const f = await gateway();
    const id = await createPerson(f.api, 'lin');
    f.forge.setOptions({ failNext: { count: 20, fault: { kind: 'status', status: 503 } } });

    const { data } = await f.api.graphql(DeleteUser, { id });
    expect(data?.deleteUser).toMatchObject({
      __typename: 'DeleteUserPayload',
      accounts: [
        { backend: 'FORGE', status: 'FAILED', nextAttemptAt: expect.any(String) },
        { backend: 'RETOOL', status: 'DISABLED' },
      ],
      credentials: [{ backend: 'FORGE', revoked: false, message: expect.stringContaining('prohibit_login makes it unusable') }],
    });
    expect(f.forge.user('lin')).toMatchObject({ prohibit_login: false });
    expect((await f.api.graphql(Lookups, { id, email: 'lin@example.com', search: 'lin' })).data?.byId).toBeNull();

    f.forge.setOptions({ failNext: undefined });
    await testStore().store.db.update(backendAccounts).set({ nextAttemptAt: sql`now()` }).where(sql`${backendAccounts.status} = 'FAILED'`);
    expect(await retryDueAccounts(f.api.deps)).toBe(1);
    expect(f.forge.user('lin')).toMatchObject({ prohibit_login: true });
    const rows = await testStore().store.raw<{ status: string }>('select status from backend_accounts where user_id = $1 order by backend', [rowId(id)]);
    expect(rows.map((r) => r.status)).toEqual(['DISABLED', 'DISABLED']);
    // The Forgejo account is still there: only prohibited.
    expect(deletes(f).filter((path) => path.startsWith('/admin/users'))).toEqual([]);
  });

  it("an import (syncBackend) never re-links a deleted user's account nor makes a new user of it", async () => {
    const f = await gateway();
    // Fresh fakes restart their ids while the store lives for the file: start this one's past every earlier test's.
    f.retool.seedUser({ email: 'someone-else@example.com', legacy_id: 9000 });
    const id = await createPerson(f.api, 'nell');
    await f.api.graphql(DeleteUser, { id });
    const Sync = graphql(`
      mutation RemovalSync {
        syncBackend(input: { backend: RETOOL }) { __typename ... on SyncBackendPayload { linked created unchanged skippedMismatches } }
      }
    `);
    // The account is still linked to the tombstone: unchanged. Released, it would be a deleted user's email: skipped.
    expect((await f.api.graphql(Sync, {})).data?.syncBackend).toMatchObject({ linked: 0, created: 1, unchanged: 1 });
    const released = await testStore().store.raw(`delete from backend_accounts where user_id = $1 and backend = 'RETOOL' returning id`, [rowId(id)]);
    expect(released).toHaveLength(1);
    expect((await f.api.graphql(Sync, {})).data?.syncBackend).toMatchObject({ linked: 0, created: 0, unchanged: 1, skippedMismatches: 1 });
    expect(await testStore().store.raw('select id from users where lower(email) = $1', ['nell@example.com'])).toHaveLength(1);
  });

  it('is admin only', async () => {
    const f = await gateway();
    const id = await createPerson(f.api, 'mae');
    const CreateRobot = graphql(`
      mutation RemovalRobot {
        createApiToken(input: { name: "robot", scopes: [AUTOMATION] }) { __typename ... on CreateApiTokenPayload { token } }
      }
    `);
    const robot = await f.api.graphql(CreateRobot, {});
    if (robot.data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error('token');
    const answer = await f.api.graphql(DeleteUser, { id }, { token: robot.data.createApiToken.token });
    expect(answer.data?.deleteUser).toEqual({ __typename: 'ForbiddenError', message: 'not allowed to call deleteUser' });
    expect(deletes(f)).toEqual([]);
  });
});
