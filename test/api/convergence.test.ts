// Every account converges to what the gateway says, whatever holds its
// lease: changes of the desired state made while another call works on the
// account are not lost, mutations answer by their deadline and the work
// carries on, interrupted work is picked up by the worker, and concurrent
// identical creates all get the idempotent answer.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { retryDueAccounts } from '../../src/domain/provisioning.ts';
import { auditEvents, backendAccounts, users } from '../../src/store/schema.ts';
import { graphql } from '../gql/index.ts';
import { startFakeBackends, type FakeBackends } from '../support/backends.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

const fakesToClose: FakeBackends[] = [];
afterEach(async () => {
  for (const fakes of fakesToClose.splice(0)) await Promise.all([fakes.retool.close(), fakes.forge.close()]);
});
async function freshFakes(): Promise<FakeBackends> {
  const fakes = await startFakeBackends();
  fakesToClose.push(fakes);
  return fakes;
}

const Create = graphql(`
  mutation ConvergeCreate($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload {
        created
        user { id }
        accounts { backend status desiredStatus converged }
        secrets { backend kind value }
        pendingSecrets { backend kind }
      }
      ... on Error { message }
    }
  }
`);

const Flip = graphql(`
  mutation ConvergeFlip($id: ID!, $disable: Boolean!) {
    disableUser(input: { id: $id }) @include(if: $disable) {
      __typename
      ... on DisableUserPayload { accounts { backend status desiredStatus converged } pendingSecrets { backend kind } }
    }
    enableUser(input: { id: $id }) @skip(if: $disable) {
      __typename
      ... on EnableUserPayload { accounts { backend status desiredStatus converged } pendingSecrets { backend kind } }
    }
  }
`);

const Reveal = graphql(`
  mutation ConvergeReveal($userId: ID!) {
    revealAccountSecrets(input: { userId: $userId }) {
      __typename
      ... on RevealAccountSecretsPayload { secrets { backend kind value } }
      ... on Error { message }
    }
  }
`);

const Retry = graphql(`
  mutation ConvergeRetry($userId: ID!) {
    retryProvisioning(input: { userId: $userId }) {
      ... on RetryProvisioningPayload { accounts { backend status converged } secrets { kind } pendingSecrets { kind } }
    }
  }
`);

async function createdId(api: TestGateway, email: string, username: string, backends: Array<'RETOOL' | 'FORGE'>): Promise<string> {
  const { data } = await api.graphql(Create, { input: { email, username, backends } });
  if (data?.createUser.__typename !== 'CreateUserPayload') throw new Error(`create failed: ${JSON.stringify(data)}`);
  return data.createUser.user.id;
}

/** Run the worker until it finds nothing to do (bounded), after every instance's work in flight settled. */
async function settle(...gateways: TestGateway[]): Promise<void> {
  for (let pass = 0; pass < 20; pass += 1) {
    await Promise.all(gateways.map((g) => g.deps.reconciler.idle()));
    const [first] = gateways;
    if (!first || (await retryDueAccounts(first.deps, 100)) === 0) return;
  }
  throw new Error('the worker kept finding work');
}

/** Every account's backend state equals its user's status; no duplicates; at most one gateway token per Forgejo account. */
async function expectBackendsMatch(api: TestGateway, fakes: FakeBackends, prefix: string): Promise<void> {
  const { db } = api.deps.store;
  const rows = await db
    .select({ email: users.email, username: users.username, status: users.status, backend: backendAccounts.backend, accountStatus: backendAccounts.status, converged: sql<boolean>`${backendAccounts.confirmedVersion} = ${backendAccounts.desiredVersion}` })
    .from(backendAccounts)
    .innerJoin(users, sql`${users.id} = ${backendAccounts.userId}`)
    .where(sql`${users.username} like ${`${prefix}%`}`);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect({ who: row.username, backend: row.backend, status: row.accountStatus, converged: row.converged }).toEqual({ who: row.username, backend: row.backend, status: row.status, converged: true });
    if (row.backend === 'RETOOL') {
      const found = fakes.retool.byEmail(row.email);
      expect(found).toHaveLength(1);
      expect({ who: row.username, active: found[0]?.active }).toEqual({ who: row.username, active: row.status === 'ACTIVE' });
    } else {
      const found = fakes.forge.state.users.filter((u) => u.login.toLowerCase() === row.username.toLowerCase());
      expect(found).toHaveLength(1);
      expect({ who: row.username, prohibited: found[0]?.prohibit_login }).toEqual({ who: row.username, prohibited: row.status === 'DISABLED' });
      expect(fakes.forge.state.tokens.filter((t) => t.userId === found[0]?.id).length).toBeLessThanOrEqual(1);
    }
  }
}

describe('convergence', () => {
  it('a disable racing a slow create wins: both backends end disabled without any worker pass', async () => {
    const fakes = await freshFakes();
    const api = startTestGateway(testStore().store, fakes.env, { transport: { timeoutMs: 5_000 } });
    fakes.retool.setOptions({ latencyMs: 150 });
    fakes.forge.setOptions({ latencyMs: 150 });

    const creating = api.graphql(Create, { input: { email: 'race-create@example.com', username: 'race-create', backends: ['RETOOL', 'FORGE'] } });
    // The create holds both leases once the backends have seen its first calls.
    for (let i = 0; i < 200 && !(fakes.retool.state.calls.length > 0 && fakes.forge.state.calls.length > 0); i += 1) await new Promise((r) => setTimeout(r, 10));
    const id = (await api.deps.store.db.select({ id: users.id }).from(users).where(sql`${users.username} = 'race-create'`))[0]?.id;
    if (!id) throw new Error('the user was not written');
    const globalId = Buffer.from(`User:${id}`).toString('base64');
    const disabled = await api.graphql(Flip, { id: globalId, disable: true });
    expect(disabled.data?.disableUser).toMatchObject({ __typename: 'DisableUserPayload' });
    await creating;
    await api.deps.reconciler.idle();

    expect(fakes.retool.byEmail('race-create@example.com')[0]?.active).toBe(false);
    expect(fakes.forge.user('race-create')?.prohibit_login).toBe(true);
    await expectBackendsMatch(api, fakes, 'race-create');
  });

  it('flips on two instances while accounts are leased all end in the last state asked for', async () => {
    const fakes = await freshFakes();
    const { store } = testStore();
    const transport = { transport: { timeoutMs: 5_000 } };
    const a = startTestGateway(store, fakes.env, transport);
    const b = startTestGateway(store, fakes.env, transport);
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) ids.push(await createdId(a, `flip${i}@example.com`, `flip${i}`, ['RETOOL', 'FORGE']));
    fakes.retool.setOptions({ latencyMs: 40 });
    fakes.forge.setOptions({ latencyMs: 40 });

    // 80 flips from both instances, started a few milliseconds apart so that
    // most land while another call holds the account and talks to a backend.
    const flips: Array<Promise<unknown>> = [];
    for (let round = 0; round < 10; round += 1) {
      for (const [i, id] of ids.entries()) {
        const disable = (round + i) % 3 !== 0;
        flips.push((round % 2 === 0 ? a : b).graphql(Flip, { id, disable }));
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    await Promise.all(flips);
    // No worker pass: every change reached a holder, which went round again.
    await Promise.all([a.deps.reconciler.idle(), b.deps.reconciler.idle()]);
    await expectBackendsMatch(a, fakes, 'flip');
  });

  it('a mutation answers by its deadline with the accounts still PENDING; the work carries on and the secrets wait for one pickup', async () => {
    const fakes = await freshFakes();
    const api = startTestGateway(testStore().store, { ...fakes.env, PROVISIONING_DEADLINE_MS: '200' }, { transport: { timeoutMs: 60_000, maxRetries: 0 } });
    // Forgejo stalls: every call hangs until the fault is lifted below.
    fakes.forge.setOptions({ latencyMs: 1_000 });

    const { data } = await api.graphql(Create, { input: { email: 'slow@example.com', username: 'slow', backends: ['FORGE'] } });
    if (data?.createUser.__typename !== 'CreateUserPayload') throw new Error('payload');
    // Answered while Forgejo had not answered a single call yet.
    expect(fakes.forge.state.calls.every((call) => call.outcome === 0)).toBe(true);
    expect(data.createUser).toMatchObject({ created: true, accounts: [{ backend: 'FORGE', status: 'PENDING', desiredStatus: 'ACTIVE', converged: false }], secrets: [] });

    await api.deps.reconciler.idle();
    const userId = Buffer.from(data.createUser.user.id, 'base64').toString('utf8').replace(/^User:/, '');
    const [account] = await api.deps.store.db.select().from(backendAccounts).where(sql`${backendAccounts.userId} = ${userId}`);
    expect(account).toMatchObject({ status: 'ACTIVE', leaseOwner: null, leaseUntil: null });

    // The secrets the carried-on work made: named in the next payload, shown once by the pickup.
    const again = await api.graphql(Flip, { id: data.createUser.user.id, disable: false });
    const pending = again.data?.enableUser?.__typename === 'EnableUserPayload' ? again.data.enableUser.pendingSecrets : [];
    expect(pending.map((p) => `${p.backend}:${p.kind}`).sort()).toEqual(['FORGE:PASSWORD', 'FORGE:TOKEN']);
    const picked = await api.graphql(Reveal, { userId: data.createUser.user.id });
    if (picked.data?.revealAccountSecrets.__typename !== 'RevealAccountSecretsPayload') throw new Error('pickup');
    const secrets = picked.data.revealAccountSecrets.secrets;
    expect(secrets.map((s) => s.kind).sort()).toEqual(['PASSWORD', 'TOKEN']);
    expect(fakes.forge.user('slow')?.password).toBe(secrets.find((s) => s.kind === 'PASSWORD')?.value);
    expect(fakes.forge.state.tokens.map((t) => t.sha1)).toEqual([secrets.find((s) => s.kind === 'TOKEN')?.value]);

    // Audited, without the values.
    const audits = await api.deps.store.db.select().from(auditEvents).where(sql`${auditEvents.operation} = 'revealAccountSecrets'`);
    expect(audits.map((a) => a.outcome)).toEqual(['RevealAccountSecretsPayload']);
    for (const secret of secrets) expect(JSON.stringify(audits)).not.toContain(secret.value);

    // Gone after the pickup: a second one shows nothing, no payload names them, a retry mints nothing.
    const second = await api.graphql(Reveal, { userId: data.createUser.user.id });
    expect(second.data?.revealAccountSecrets).toEqual({ __typename: 'RevealAccountSecretsPayload', secrets: [] });
    const retried = await api.graphql(Retry, { userId: data.createUser.user.id });
    expect(retried.data?.retryProvisioning).toEqual({ accounts: [{ backend: 'FORGE', status: 'ACTIVE', converged: true }], secrets: [], pendingSecrets: [] });
    expect(fakes.forge.state.tokens).toHaveLength(1);
  });

  it('an inline retry that would outlast the deadline is left to the worker, at the time the backend asked for', async () => {
    const fakes = await freshFakes();
    const api = startTestGateway(testStore().store, { ...fakes.env, PROVISIONING_DEADLINE_MS: '300' }, { transport: { timeoutMs: 5_000, maxRetries: 3, maxInlineWaitMs: 10_000 } });
    fakes.retool.setOptions({ failNext: { count: 1, fault: { kind: 'rate-limit', retryAfter: '2' } } });
    const before = Date.now();
    const { data } = await api.graphql(Create, { input: { email: 'budget@example.com', username: 'budget', backends: ['RETOOL'] } });
    if (data?.createUser.__typename !== 'CreateUserPayload') throw new Error('payload');
    await api.deps.reconciler.idle();
    // One call, not a two-second sleep and a second call: the wait is the worker's.
    expect(fakes.retool.state.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    const userId = Buffer.from(data.createUser.user.id, 'base64').toString('utf8').replace(/^User:/, '');
    const [account] = await api.deps.store.db.select().from(backendAccounts).where(sql`${backendAccounts.userId} = ${userId}`);
    expect(account?.status).toBe('FAILED');
    expect((account?.nextAttemptAt?.getTime() ?? 0) - before).toBeGreaterThanOrEqual(2_000);
  });

  // The deadline travels with each call (backends/budget.ts), not through
  // AsyncLocalStorage: every backend step a mutation takes must carry it.
  it.each([
    { backend: 'FORGE' as const, step: 'create', method: 'GET' },
    { backend: 'RETOOL' as const, step: 'disable', method: 'PATCH' },
    { backend: 'FORGE' as const, step: 'disable', method: 'PATCH' },
  ])('the deadline reaches $backend on $step: a retry that would outlast it is the worker\'s', async ({ backend, step, method }) => {
    const fakes = await freshFakes();
    const api = startTestGateway(testStore().store, { ...fakes.env, PROVISIONING_DEADLINE_MS: '300' }, { transport: { timeoutMs: 5_000, maxRetries: 3, maxInlineWaitMs: 10_000 } });
    const fake = backend === 'RETOOL' ? fakes.retool : fakes.forge;
    const name = `budget-${backend.toLowerCase()}-${step}`;
    if (step === 'create') fake.setOptions({ failNext: { count: 1, fault: { kind: 'rate-limit', retryAfter: '2' } } });
    let before = Date.now();
    const id = await createdId(api, `${name}@example.com`, name, [backend]);
    const callsBefore = fake.state.calls.length;
    if (step === 'disable') {
      before = Date.now();
      fake.setOptions({ failNext: { count: 1, fault: { kind: 'rate-limit', retryAfter: '2' } } });
      const { data } = await api.graphql(Flip, { id, disable: true });
      expect(data?.disableUser?.__typename).toBe('DisableUserPayload');
    }
    await api.deps.reconciler.idle();
    // One call, not a two-second sleep and a second call: the wait is the worker's.
    const calls = step === 'create' ? fake.state.calls : fake.state.calls.slice(callsBefore);
    expect(calls.filter((c) => c.method === method)).toHaveLength(1);
    const userId = Buffer.from(id, 'base64').toString('utf8').replace(/^User:/, '');
    const [account] = await api.deps.store.db.select().from(backendAccounts).where(sql`${backendAccounts.userId} = ${userId}`);
    expect(account?.status).toBe('FAILED');
    expect((account?.nextAttemptAt?.getTime() ?? 0) - before).toBeGreaterThanOrEqual(2_000);
  });

  it('the worker claims an unconverged account left with no retry time by an instance that died', async () => {
    const fakes = await freshFakes();
    const { store } = testStore();
    const api = startTestGateway(store, fakes.env);
    fakes.retool.setOptions({ failNext: { count: 1000, fault: { kind: 'status', status: 503 } } });
    const id = await createdId(api, 'orphan@example.com', 'orphan', ['RETOOL']);
    fakes.retool.setOptions({ failNext: undefined });
    // As a kill -9 mid-create leaves it: PENDING, leased by a process that is gone, no retry time.
    const userId = Buffer.from(id, 'base64').toString('utf8').replace(/^User:/, '');
    await store.db
      .update(backendAccounts)
      .set({ status: 'PENDING', nextAttemptAt: null, leaseUntil: sql`now() - interval '1 second'`, leaseOwner: 'a-dead-instance' })
      .where(sql`${backendAccounts.userId} = ${userId}`);

    // (Other tests of this file may have left due accounts too: at least this one.)
    expect(await retryDueAccounts(api.deps, 100)).toBeGreaterThanOrEqual(1);
    await expectBackendsMatch(api, fakes, 'orphan');
  });

  it('concurrent identical creates all get the same user; exactly one says it created it', async () => {
    const fakes = await freshFakes();
    const api = startTestGateway(testStore().store, fakes.env);
    const input = { email: 'twin@example.com', username: 'twin', backends: ['RETOOL', 'FORGE'] as Array<'RETOOL' | 'FORGE'> };
    const results = await Promise.all(Array.from({ length: 12 }, () => api.graphql(Create, { input })));
    const payloads = results.map((r) => r.data?.createUser);
    expect(payloads.map((p) => p?.__typename)).toEqual(Array(12).fill('CreateUserPayload'));
    const ids = new Set(payloads.map((p) => (p?.__typename === 'CreateUserPayload' ? p.user.id : undefined)));
    expect(ids.size).toBe(1);
    expect(payloads.filter((p) => p?.__typename === 'CreateUserPayload' && p.created)).toHaveLength(1);
    await settle(api);
    await expectBackendsMatch(api, fakes, 'twin');
  });

  it('/metrics counts unconverged accounts by backend and age', async () => {
    const fakes = await freshFakes();
    const api = startTestGateway(testStore().store, fakes.env);
    fakes.forge.setOptions({ failNext: { count: 1000, fault: { kind: 'status', status: 503 } } });
    await createdId(api, 'gauge@example.com', 'gauge', ['FORGE', 'RETOOL']);
    const text = await (await api.fetch('/metrics')).text();
    expect(text).toMatch(/gateway_accounts_unconverged\{backend="FORGE",age="under_1m"\} [1-9]/);
    expect(text).toMatch(/gateway_accounts_unconverged\{backend="RETOOL",age="over_1h"\} 0/);
  });
});
