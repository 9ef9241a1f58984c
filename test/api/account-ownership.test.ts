// The trust model for backend accounts (docs/architecture.md, "Trust
// model"): the gateway links only what it can prove it created for this
// user; anything else that already exists is someone else's, left exactly as
// it is until an admin adopts it.
import { describe, expect, it } from 'vitest';
import { retryDueAccounts } from '../../src/domain/provisioning.ts';
import { backendAccounts } from '../../src/store/schema.ts';
import { graphql } from '../gql/index.ts';
import { useFreshFakeBackends } from '../support/backends.ts';
import type { TestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const setup = useFreshFakeBackends(() => testStore().store);

// The store lives for the whole file while each test gets fresh fakes, whose
// ids restart: accounts seeded here get ids no earlier test's account has.
let nextId = 1000;
const fresh = () => ({ id: (nextId += 1) });
const freshRetool = () => ({ legacy_id: (nextId += 1) });
const rowId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1];

const CreateUser = graphql(`
  mutation OwnershipCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload {
        user { id }
        accounts { backend status ownership lastError nextAttemptAt }
        secrets { backend kind value }
      }
      ... on Error { message }
    }
  }
`);

const DisableUser = graphql(`
  mutation OwnershipDisableUser($id: ID!) {
    disableUser(input: { id: $id }) {
      __typename
      ... on DisableUserPayload { accounts { backend status ownership } }
    }
  }
`);

const RetryProvisioning = graphql(`
  mutation OwnershipRetry($userId: ID!) {
    retryProvisioning(input: { userId: $userId }) {
      __typename
      ... on RetryProvisioningPayload { accounts { backend status ownership lastError } secrets { backend kind value } }
    }
  }
`);

const AdoptAccount = graphql(`
  mutation OwnershipAdopt($input: AdoptAccountInput!) {
    adoptAccount(input: $input) {
      __typename
      ... on AdoptAccountPayload { account { backend status ownership externalId } secrets { backend kind value } }
      ... on Error { message }
    }
  }
`);

const ReleaseAccount = graphql(`
  mutation OwnershipRelease($userId: ID!, $backend: Backend!) {
    releaseAccount(input: { userId: $userId, backend: $backend }) {
      __typename
      ... on ReleaseAccountPayload { user { accounts { backend } } account { backend ownership } }
      ... on Error { message }
    }
  }
`);

const SyncBackend = graphql(`
  mutation OwnershipSync($backend: Backend!, $dryRun: Boolean) {
    syncBackend(input: { backend: $backend, dryRun: $dryRun }) {
      __typename
      ... on SyncBackendPayload { dryRun linked created unchanged skippedAdmins skippedMismatches failed }
    }
  }
`);

const AdoptionEvents = graphql(`
  query OwnershipEvents($operation: String!) {
    auditEvents(filter: { operation: $operation }, last: 5) { edges { node { actor operation outcome targetIds } } }
  }
`);

const CreateToken = graphql(`
  mutation OwnershipToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } }
  }
`);

async function automationToken(api: TestGateway): Promise<string> {
  const { data } = await api.graphql(CreateToken, { input: { name: `robot-${Date.now()}`, scopes: ['AUTOMATION'] } });
  if (data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error('no token');
  return data.createApiToken.token;
}

type CreateVariables = { input: { email: string; username: string; backends: Array<'RETOOL' | 'FORGE'> } };

async function created(api: TestGateway, variables: CreateVariables, token?: string) {
  const { data } = await api.graphql(CreateUser, variables, { token });
  if (data?.createUser.__typename !== 'CreateUserPayload') throw new Error(`createUser answered ${JSON.stringify(data)}`);
  return data.createUser;
}

describe('an automation caller cannot take over accounts the gateway did not create', () => {
  it("Forgejo's site admin: no token, no link, no prohibit_login, and the worker leaves it alone", async () => {
    const f = await setup();
    const token = await automationToken(f.api);
    const admin = f.forge.options.adminUsername;
    const payload = await created(f.api, { input: { email: 'mallory@example.com', username: admin, backends: ['FORGE'] } }, token);
    expect(payload.accounts).toEqual([
      { backend: 'FORGE', status: 'CONFLICT', ownership: null, nextAttemptAt: null, lastError: expect.stringContaining('was not created by this gateway; an admin can adopt it') },
    ]);
    expect(payload.secrets).toEqual([]);
    expect(f.forge.state.tokens).toEqual([]);

    const disabled = await f.api.graphql(DisableUser, { id: payload.user.id }, { token });
    expect(disabled.data?.disableUser).toMatchObject({ accounts: [{ backend: 'FORGE', status: 'CONFLICT' }] });
    expect(f.forge.user(admin)).toMatchObject({ prohibit_login: false, is_admin: true });
    expect(f.forge.state.calls.filter((c) => c.method === 'PATCH' || c.method === 'DELETE')).toEqual([]);

    // The worker never picks it up; nothing is called again.
    const calls = f.forge.state.calls.length;
    expect(await retryDueAccounts(f.api.deps)).toBe(0);
    expect(f.forge.state.calls.length).toBe(calls);
  });

  it('an ordinary pre-existing Forgejo account is not linked either, and a retry changes nothing in Forgejo', async () => {
    const f = await setup();
    const token = await automationToken(f.api);
    const carol = f.forge.seedUser({ login: 'carol', email: 'carol@example.com', ...fresh() });
    const payload = await created(f.api, { input: { email: 'carol@example.com', username: 'carol', backends: ['FORGE'] } }, token);
    expect(payload.accounts).toMatchObject([{ backend: 'FORGE', status: 'CONFLICT' }]);
    const retried = await f.api.graphql(RetryProvisioning, { userId: payload.user.id }, { token });
    expect(retried.data?.retryProvisioning).toMatchObject({ accounts: [{ status: 'CONFLICT', ownership: null }], secrets: [] });
    expect(f.forge.user('carol')).toEqual(carol);
    expect(f.forge.state.tokens).toEqual([]);
    expect(f.forge.state.changes).toEqual([]);
  });

  it('a Retool admin found by email is not linked, and disableUser leaves it active', async () => {
    const f = await setup();
    const token = await automationToken(f.api);
    const boss = f.retool.seedUser({ email: 'boss@example.com', is_admin: true, ...freshRetool() });
    const payload = await created(f.api, { input: { email: 'BOSS@example.com', username: 'boss', backends: ['RETOOL'] } }, token);
    expect(payload.accounts).toMatchObject([{ backend: 'RETOOL', status: 'CONFLICT', ownership: null }]);
    await f.api.graphql(DisableUser, { id: payload.user.id }, { token });
    expect(f.retool.state.users).toEqual([boss]);
    expect(boss.active).toBe(true);
    expect(f.retool.state.calls.filter((c) => c.method === 'PATCH' || c.method === 'DELETE')).toEqual([]);
  });
});

describe("the gateway's own lost create is still linked (the seeds' idempotency)", () => {
  for (const backend of ['RETOOL', 'FORGE'] as const) {
    it(`${backend}: the create landed but its answer was lost; the retry links it, one account, owned`, async () => {
      const f = await setup();
      const fake = backend === 'RETOOL' ? f.retool : f.forge;
      const creates = () => fake.state.calls.filter((c) => c.method === 'POST' && (c.path === '/users' || c.path === '/admin/users')).length;
      fake.setOptions({ failNext: { count: 100, fault: { kind: 'hang', afterApply: true } } });
      const name = `lost-${backend.toLowerCase()}`;
      const first = await created(f.api, { input: { email: `${name}@example.com`, username: name, backends: [backend] } });
      expect(first.accounts).toMatchObject([{ backend, status: 'FAILED' }]);
      fake.setOptions({ failNext: undefined });
      const retried = await f.api.graphql(RetryProvisioning, { userId: first.user.id });
      expect(retried.data?.retryProvisioning).toMatchObject({ accounts: [{ backend, status: 'ACTIVE', ownership: 'CREATED', lastError: null }] });
      expect(creates()).toBeGreaterThanOrEqual(1);
      if (backend === 'RETOOL') {
        expect(f.retool.byEmail(`${name}@example.com`)).toHaveLength(1);
        expect(f.retool.byEmail(`${name}@example.com`)[0]?.metadata).toEqual({ identity_gateway_user_id: rowId(first.user.id) });
      } else {
        expect(f.forge.state.users.filter((u) => u.login === name)).toHaveLength(1);
        // One gateway token, named after the account, whatever the retries did.
        expect(f.forge.state.tokens.map((t) => t.name)).toEqual([`identity-gateway-${name}`]);
        if (retried.data?.retryProvisioning.__typename !== 'RetryProvisioningPayload') throw new Error('payload');
        expect(retried.data.retryProvisioning.secrets.map((s) => s.kind).sort()).toEqual(['PASSWORD', 'TOKEN']);
      }
    });
  }

  it('Forgejo: a token minted whose answer was lost is replaced, never piled up', async () => {
    const f = await setup();
    // Calls: GET user, POST user, POST token (applied, answer lost).
    f.forge.setOptions({ failCall: { nth: 3, fault: { kind: 'reset', afterApply: true } } });
    const first = await created(f.api, { input: { email: 'tok@example.com', username: 'tok', backends: ['FORGE'] } });
    expect(first.accounts).toMatchObject([{ status: 'FAILED' }]);
    expect(f.forge.state.tokens).toHaveLength(1);
    const retried = await f.api.graphql(RetryProvisioning, { userId: first.user.id });
    expect(retried.data?.retryProvisioning).toMatchObject({ accounts: [{ status: 'ACTIVE', ownership: 'CREATED' }] });
    expect(f.forge.state.tokens).toHaveLength(1);
    if (retried.data?.retryProvisioning.__typename !== 'RetryProvisioningPayload') throw new Error('payload');
    expect(retried.data.retryProvisioning.secrets.find((s) => s.kind === 'TOKEN')?.value).toBe(f.forge.state.tokens[0]?.sha1);
  });
});

describe('an admin adopts, explicitly', () => {
  it('adopts a Retool and a Forgejo account whose email matches, mints a Forgejo token only when asked (TOTP admin), and it is audited', async () => {
    const f = await setup();
    f.forge.setOptions({ adminTotp: true });
    const retoolCarol = f.retool.seedUser({ email: 'carla@example.com', ...freshRetool() });
    const forgeCarol = f.forge.seedUser({ login: 'carla', email: 'Carla@Example.com', ...fresh() });
    const token = await automationToken(f.api);
    const payload = await created(f.api, { input: { email: 'carla@example.com', username: 'carla', backends: ['RETOOL', 'FORGE'] } }, token);
    expect(payload.accounts.map((a) => a.status)).toEqual(['CONFLICT', 'CONFLICT']);

    // An automation caller may not adopt.
    const refused = await f.api.graphql(AdoptAccount, { input: { userId: payload.user.id, backend: 'RETOOL' } }, { token });
    expect(refused.data?.adoptAccount.__typename).toBe('ForbiddenError');

    const retool = await f.api.graphql(AdoptAccount, { input: { userId: payload.user.id, backend: 'RETOOL' } });
    expect(retool.data?.adoptAccount).toEqual({
      __typename: 'AdoptAccountPayload',
      account: { backend: 'RETOOL', status: 'ACTIVE', ownership: 'ADOPTED', externalId: String(retoolCarol.legacy_id) },
      secrets: [],
    });
    // Without the admin's current code, a TOTP admin cannot mint: nothing is adopted.
    const noOtp = await f.api.graphql(AdoptAccount, { input: { userId: payload.user.id, backend: 'FORGE', mintToken: true } });
    expect(noOtp.data?.adoptAccount).toMatchObject({ __typename: 'BackendError', message: expect.stringContaining('two-factor') });
    const forge = await f.api.graphql(AdoptAccount, { input: { userId: payload.user.id, backend: 'FORGE', mintToken: true, forgeOtp: f.forge.options.adminOtp } });
    expect(forge.data?.adoptAccount).toMatchObject({
      __typename: 'AdoptAccountPayload',
      account: { backend: 'FORGE', status: 'ACTIVE', ownership: 'ADOPTED', externalId: String(forgeCarol.id) },
      secrets: [{ backend: 'FORGE', kind: 'TOKEN' }],
    });
    expect(f.forge.state.tokens.map((t) => t.userId)).toEqual([forgeCarol.id]);

    const events = await f.api.graphql(AdoptionEvents, { operation: 'adoptAccount' });
    expect(events.data?.auditEvents.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ actor: expect.stringMatching(/^api-token:/), outcome: 'ForbiddenError' }),
      expect.objectContaining({ actor: 'admin-token', outcome: 'AdoptAccountPayload', targetIds: expect.arrayContaining([payload.user.id]) }),
      expect.objectContaining({ actor: 'admin-token', outcome: 'BackendError' }),
      expect.objectContaining({ actor: 'admin-token', outcome: 'AdoptAccountPayload', targetIds: expect.arrayContaining([payload.user.id]) }),
    ]);

    // Adopted accounts are the gateway's to act on from now on.
    await f.api.graphql(DisableUser, { id: payload.user.id }, { token });
    expect(retoolCarol.active).toBe(false);
    expect(f.forge.user('carla')?.prohibit_login).toBe(true);
  });

  it('never adopts a backend admin or an account whose email is not the user\'s', async () => {
    const f = await setup();
    f.retool.seedUser({ email: 'root@example.com', is_admin: true, ...freshRetool() });
    f.forge.seedUser({ login: 'dave', email: 'someone-else@example.com', ...fresh() });
    const a = await created(f.api, { input: { email: 'root@example.com', username: 'rooty', backends: ['RETOOL'] } });
    const b = await created(f.api, { input: { email: 'dave@example.com', username: 'dave', backends: ['FORGE'] } });
    const admin = await f.api.graphql(AdoptAccount, { input: { userId: a.user.id, backend: 'RETOOL' } });
    expect(admin.data?.adoptAccount).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('never adopts backend admins') });
    const mismatch = await f.api.graphql(AdoptAccount, { input: { userId: b.user.id, backend: 'FORGE' } });
    expect(mismatch.data?.adoptAccount).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('not the user\'s') });
    const rows = await testStore().store.db.select().from(backendAccounts);
    expect(rows.filter((r) => r.userId === rowId(a.user.id) || r.userId === rowId(b.user.id)).map((r) => [r.status, r.ownership])).toEqual([
      ['CONFLICT', null],
      ['CONFLICT', null],
    ]);
  });

  it('releaseAccount forgets the link and leaves the backend account as it is', async () => {
    const f = await setup();
    const payload = await created(f.api, { input: { email: 'erin@example.com', username: 'erin', backends: ['RETOOL'] } });
    const before = structuredClone(f.retool.state.users);
    const calls = f.retool.state.calls.length;
    const released = await f.api.graphql(ReleaseAccount, { userId: payload.user.id, backend: 'RETOOL' });
    expect(released.data?.releaseAccount).toEqual({ __typename: 'ReleaseAccountPayload', user: { accounts: [] }, account: { backend: 'RETOOL', ownership: 'CREATED' } });
    expect(f.retool.state.users).toEqual(before);
    expect(f.retool.state.calls.length).toBe(calls);
    const again = await f.api.graphql(ReleaseAccount, { userId: payload.user.id, backend: 'RETOOL' });
    expect(again.data?.releaseAccount.__typename).toBe('NotFoundError');
  });

  it('syncBackend is the bulk adoption: admins and username/email mismatches skipped and counted, dryRun writes nothing', async () => {
    const f = await setup();
    const { store } = testStore();
    await created(f.api, { input: { email: 'gus@example.com', username: 'gus', backends: [] } });
    f.forge.seedUser({ login: 'gus', email: 'not-gus@example.com', ...fresh() });
    f.forge.seedUser({ login: 'hana', email: 'hana@example.com', ...fresh() });
    f.forge.seedUser({ login: 'ops-admin', email: 'ops@example.com', is_admin: true, ...fresh() });
    const admins = f.forge.state.users.filter((u) => u.is_admin).length;
    const rowsBefore = await store.db.select().from(backendAccounts);

    const dry = await f.api.graphql(SyncBackend, { backend: 'FORGE', dryRun: true });
    expect(dry.data?.syncBackend).toEqual({
      __typename: 'SyncBackendPayload',
      dryRun: true,
      linked: 0,
      created: 1,
      unchanged: 0,
      skippedAdmins: admins,
      skippedMismatches: 1,
      failed: 0,
    });
    expect(await store.db.select().from(backendAccounts)).toEqual(rowsBefore);
    const real = await f.api.graphql(SyncBackend, { backend: 'FORGE' });
    expect(real.data?.syncBackend).toMatchObject({ dryRun: false, created: 1, skippedAdmins: admins, skippedMismatches: 1 });
    // Automation may not import.
    const token = await automationToken(f.api);
    expect((await f.api.graphql(SyncBackend, { backend: 'FORGE' }, { token })).data?.syncBackend.__typename).toBe('ForbiddenError');
  });
});

describe("usernames are checked against Forgejo's own rules before anything is sent", () => {
  it.each([
    ['a..b', 'two separators'],
    ['x-_y', 'two separators'],
    ['trailing-', 'end with one'],
    ['admin', '"admin" is reserved by Forgejo'],
    ['API', '"api" is reserved by Forgejo'],
    ['Explore', '"explore" is reserved by Forgejo'],
    ['login', '"login" is reserved by Forgejo'],
    ['assets', '"assets" is reserved by Forgejo'],
    ['ada.keys', 'may not end in ".keys"'],
    ['ada.GPG', 'may not end in ".gpg"'],
    ['news.rss', 'may not end in ".rss"'],
    ['feed.atom', 'may not end in ".atom"'],
    ['a'.repeat(41), 'must be 1-40 characters'],
  ])('%s: a ValidationError on input.username, and no call to Forgejo', async (username, reason) => {
    const f = await setup();
    const { data } = await f.api.graphql(CreateUser, { input: { email: `${username.length}-${Date.now()}@example.com`, username, backends: ['FORGE', 'RETOOL'] } });
    expect(data?.createUser).toMatchObject({ __typename: 'ValidationError', message: expect.stringContaining(reason) });
    expect(f.forge.state.calls).toEqual([]);
    expect(f.retool.state.calls).toEqual([]);
  });
});
