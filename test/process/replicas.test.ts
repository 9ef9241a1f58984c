// Two replicas on one Postgres, running at the same time, as an operator
// scales the gateway out: a kill -9 of one mid-provisioning is finished by
// the other (alive throughout, never restarted), a disable sent to one while
// the other's create is still in flight wins in both backends, and
// enable/disable flips spread over both land while the accounts are leased.
// Each test has its own database on the DATABASE_URL server (created here,
// dropped at the end); the fakes run in the test process.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { allConverged, expectBackendsAgree, type GatewayUser, gatewayUsers } from '../support/backend-agreement.ts';
import { type FakeBackends, startFakeBackends } from '../support/backends.ts';
import { type ChildGateway, eventually, startChildGateway } from '../support/child-gateway.ts';
import { runLog } from '../support/gateway.ts';
import { scratchDatabase } from '../support/postgres.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const CREATE = `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename } }`;
const DISABLE = `mutation($id: ID!) { disableUser(input: { id: $id }) { __typename } }`;
const ENABLE = `mutation($id: ID!) { enableUser(input: { id: $id }) { __typename } }`;

interface Replicas {
  a: ChildGateway;
  b: ChildGateway;
  fakes: FakeBackends;
  /** The test's own database, read directly to see who holds which lease. */
  db: pg.Client;
}

/** `leaseOwner` from a replica's start-up line: the id it writes to `backend_accounts.lease_owner`. */
function leaseOwnerOf(gateway: ChildGateway): string {
  const owner = /"leaseOwner":"([0-9a-f-]{36})"/.exec(gateway.output())?.[1];
  if (!owner) throw new Error('the gateway logged no leaseOwner at start-up');
  return owner;
}

/** A fresh database and fakes, and two gateway processes on them started together (migrations race under the advisory lock). */
async function startReplicas(): Promise<Replicas> {
  const database = await scratchDatabase('ig_replicas');
  cleanups.push(database.drop);
  const fakes = await startFakeBackends();
  cleanups.push(() => fakes.retool.close(), () => fakes.forge.close());
  // Both replicas must share the key: one unseals the initial password the
  // other sealed, to prove a half-made Forgejo account is the gateway's own.
  const secretKey = randomBytes(32).toString('base64');
  runLog.secrets.add(secretKey);
  const env = {
    ...fakes.env,
    DATABASE_URL: database.url,
    GATEWAY_SECRET_KEY: secretKey,
    // Short leases and a busy worker: a dead replica's work is taken over
    // within seconds (yet long enough to read who held what after the kill).
    PROVISIONING_LEASE_MS: '3000',
    RETRY_WORKER_INTERVAL_MS: '200',
    // The test polls state often; budgets and mutation limits are not what it is about.
    QUERY_BUDGET_PER_MINUTE: '0',
    RATE_LIMIT_MUTATIONS_PER_MINUTE: '0',
  };
  const [a, b] = await Promise.all([startChildGateway(env), startChildGateway(env)]);
  cleanups.push(async () => a.kill('SIGKILL'), async () => b.kill('SIGKILL'));
  // What the replicas logged is checked for secrets with the rest of the file.
  cleanups.push(async () => runLog.lines.push(a.output(), b.output()));
  expect(a.output()).toContain('listening');
  expect(b.output()).toContain('listening');
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  cleanups.push(() => db.end());
  return { a, b, fakes, db };
}

const slow = (fakes: FakeBackends, latencyMs: number) => {
  fakes.retool.setOptions({ latencyMs });
  fakes.forge.setOptions({ latencyMs });
};

/** Accounts whose backend has not confirmed the current desired generation, with their lease owner. */
async function unconverged(db: pg.Client): Promise<Array<{ id: string; lease_owner: string | null }>> {
  const { rows } = await db.query<{ id: string; lease_owner: string | null }>(
    `select id, lease_owner from backend_accounts
      where not (synced_at is not null and status = desired_status and confirmed_version = desired_version)`,
  );
  return rows;
}

/** Polls `gateway` until every account it lists is converged; answers the users as last listed. */
async function convergedOn(gateway: ChildGateway): Promise<GatewayUser[]> {
  let users: GatewayUser[] = [];
  await eventually(async () => allConverged((users = await gatewayUsers(gateway))));
  return users;
}

describe.runIf(Boolean(process.env.DATABASE_URL))('two replicas on one Postgres', () => {
  it('after kill -9 of replica A mid-provisioning, replica B (alive throughout) finishes every account, each once in each backend', async () => {
    const { a, b, fakes, db } = await startReplicas();
    const ownerA = leaseOwnerOf(a);
    expect(leaseOwnerOf(b)).not.toBe(ownerA);
    slow(fakes, 250);
    const creates = Array.from({ length: 8 }, (_, i) =>
      a.graphql(CREATE, { input: { email: `killed${i}@example.com`, username: `killed${i}`, backends: ['RETOOL', 'FORGE'] } }).catch(() => undefined),
    );
    // Killed once every create reached A (its user is written) and Forgejo
    // has been asked to create accounts, before it answered them (the
    // creates land, their answers are lost).
    const usersWritten = async () => (await db.query<{ n: number }>('select count(*)::int as n from users')).rows[0]?.n;
    await eventually(async () => (await usersWritten()) === 8 && fakes.forge.state.calls.some((c) => c.method === 'POST' && c.path === '/admin/users'), 400, 10);
    a.kill('SIGKILL');
    const killedAt = Date.now();
    await a.exited;
    const leftByA = (await unconverged(db)).filter((row) => row.lease_owner === ownerA).map((row) => row.id);
    expect(leftByA.length, 'accounts A held, unfinished, when it died').toBeGreaterThan(0);
    await Promise.all(creates);
    slow(fakes, 0);

    const users = await convergedOn(b);
    // A figure for docs/operations.md, not an assertion: with these settings the bound is the lease plus a worker interval plus the work.
    console.log(`replica B converged the ${leftByA.length} accounts A left ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill -9 (lease 3 s, worker every 0.2 s)`);
    expect(b.child.exitCode, 'B was never restarted').toBeNull();
    expect(users.map((u) => u.username).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `killed${i}`));
    expect(users.every((u) => u.status === 'ACTIVE')).toBe(true);
    expectBackendsAgree(fakes, users, '(after A was killed)');
    // B, the only process left, recorded each account A had left (its log
    // line follows the store's commit, so it may reach us a moment later).
    const syncedByB = () =>
      b
        .output()
        .split('\n')
        .filter((line) => line.includes('backend account in sync'))
        .map((line) => (JSON.parse(line) as { accountId: string }).accountId);
    await eventually(async () => leftByA.every((id) => syncedByB().includes(id)), 50).catch(() => undefined);
    expect(syncedByB()).toEqual(expect.arrayContaining(leftByA));
    expect(await unconverged(db)).toEqual([]);
  }, 180_000);

  it('a disable sent to B while A is still creating the account wins: both backends end disabled', async () => {
    const { a, b, fakes } = await startReplicas();
    slow(fakes, 250);
    const names = ['race0', 'race1', 'race2'];
    const answered = new Set<string>();
    const creates = names.map((name) =>
      a.graphql(CREATE, { input: { email: `${name}@example.com`, username: name, backends: ['RETOOL', 'FORGE'] } }).finally(() => answered.add(name)),
    );
    // A holds both accounts once both backends have seen its first calls; B then sees the users.
    await eventually(async () => fakes.retool.state.calls.length > 0 && fakes.forge.state.calls.length > 0, 400, 10);
    let listed: GatewayUser[] = [];
    await eventually(async () => (listed = await gatewayUsers(b)).length === names.length, 400, 10);
    const disables = listed.map((user) => {
      // The race this test is about: A's create has not answered when B is asked to disable.
      expect(answered.has(user.username), `${user.username}'s create still in flight`).toBe(false);
      return b.graphql<{ disableUser: { __typename: string } }>(DISABLE, { id: user.id });
    });
    for (const answer of await Promise.all(disables)) expect(answer.data?.disableUser.__typename).toBe('DisableUserPayload');
    await Promise.all(creates);
    slow(fakes, 0);

    for (const gateway of [a, b]) {
      const users = await convergedOn(gateway);
      expect(users.map((u) => [u.username, u.status]).sort()).toEqual(names.map((name) => [name, 'DISABLED']));
      expectBackendsAgree(fakes, users, '(disable racing the create)');
    }
    for (const name of names) {
      expect(fakes.retool.byEmail(`${name}@example.com`)[0]?.active).toBe(false);
      expect(fakes.forge.user(name)?.prohibit_login).toBe(true);
    }
  }, 180_000);

  it('enable/disable flips spread over both replicas while the accounts are leased end as the gateway says, in both backends', async () => {
    const { a, b, fakes, db } = await startReplicas();
    const count = 6;
    for (let i = 0; i < count; i += 1) await a.graphql(CREATE, { input: { email: `flip${i}@example.com`, username: `flip${i}`, backends: ['RETOOL', 'FORGE'] } });
    const users = await convergedOn(b);
    expect(users).toHaveLength(count);
    slow(fakes, 60);

    // Ten rounds over every user, alternating replicas and a few
    // milliseconds apart, so most flips land while the other replica holds
    // the account and is talking to a backend.
    const leasedMidRound: boolean[] = [];
    const flips: Array<Promise<unknown>> = [];
    for (let round = 0; round < 10; round += 1) {
      for (const [i, user] of users.entries()) {
        const replica = (round + i) % 2 === 0 ? a : b;
        flips.push(replica.graphql((round * 7 + i) % 3 === 0 ? ENABLE : DISABLE, { id: user.id }));
        await new Promise((r) => setTimeout(r, 5));
      }
      leasedMidRound.push((await db.query('select 1 from backend_accounts where lease_until > now()')).rowCount !== 0);
    }
    await Promise.all(flips);
    // The flips did land on leased accounts (what the test is about), at least in some rounds.
    expect(leasedMidRound.some(Boolean)).toBe(true);
    slow(fakes, 0);

    for (const gateway of [a, b]) expectBackendsAgree(fakes, await convergedOn(gateway), '(flips over two replicas)');
    expect(await unconverged(db)).toEqual([]);
  }, 180_000);
});
