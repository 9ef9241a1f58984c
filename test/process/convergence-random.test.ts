// Randomised convergence: a seeded mix of creates, enable/disable flips,
// backend faults and a kill -9 of the gateway process (restarted on the same
// data), run concurrently. At the end every account's backend state equals
// the gateway's, no backend account exists twice, and each Forgejo account
// has at most one gateway token.
//
// The seed is printed; CONVERGENCE_SEED=<n> replays a run. The short run is
// part of the normal suite; CONVERGENCE_SOAK=1 (`npm run test:soak`) runs a
// long one with several kills.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Fault } from '../fakes/http-fake.ts';
import { type FakeBackends, startFakeBackends } from '../support/backends.ts';
import { type ChildGateway, eventually, startChildGateway } from '../support/child-gateway.ts';

const SOAK = process.env.CONVERGENCE_SOAK === '1';
const SEED = Number(process.env.CONVERGENCE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PLAN = SOAK ? { users: 30, ops: 400, kills: 3 } : { users: 6, ops: 30, kills: 1 };

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAULTS: Fault[] = [
  { kind: 'status', status: 503 },
  { kind: 'status', status: 500 },
  { kind: 'rate-limit', retryAfter: '1' },
  { kind: 'reset', afterApply: true },
  { kind: 'reset' },
  { kind: 'hang', afterApply: true },
];

type Op =
  | { kind: 'create'; user: number }
  | { kind: 'flip'; user: number; disable: boolean }
  | { kind: 'fault'; backend: 'retool' | 'forge'; fault: Fault; count: number }
  | { kind: 'latency'; backend: 'retool' | 'forge'; ms: number }
  | { kind: 'kill' };

function plan(random: () => number): Op[][] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const ops: Op[] = [];
  for (let i = 0; i < PLAN.ops; i += 1) {
    const roll = random();
    if (roll < 0.3) ops.push({ kind: 'create', user: Math.floor(random() * PLAN.users) });
    else if (roll < 0.8) ops.push({ kind: 'flip', user: Math.floor(random() * PLAN.users), disable: random() < 0.5 });
    else if (roll < 0.92) ops.push({ kind: 'fault', backend: pick(['retool', 'forge'] as const), fault: pick(FAULTS), count: 1 + Math.floor(random() * 3) });
    else ops.push({ kind: 'latency', backend: pick(['retool', 'forge'] as const), ms: pick([0, 0, 20, 150]) });
  }
  // Kills land in the middle, never first or last, each after a batch has started.
  for (let k = 0; k < PLAN.kills; k += 1) ops.splice(Math.floor(PLAN.ops * (0.25 + 0.5 * random())), 0, { kind: 'kill' });
  // Concurrent batches of one to four operations.
  const batches: Op[][] = [];
  for (let i = 0; i < ops.length; ) {
    const size = 1 + Math.floor(random() * 4);
    batches.push(ops.slice(i, i + size));
    i += size;
  }
  return batches;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const CREATE = `mutation($input: CreateUserInput!) { createUser(input: $input) { ... on CreateUserPayload { user { id } } } }`;
const FLIP_OFF = `mutation($id: ID!) { disableUser(input: { id: $id }) { __typename } }`;
const FLIP_ON = `mutation($id: ID!) { enableUser(input: { id: $id }) { __typename } }`;
const RETRY = `mutation($id: ID!) { retryProvisioning(input: { userId: $id }) { __typename } }`;
const STATE = `{ users(first: 100) { edges { node { id email username status accounts { backend status desiredStatus converged } } } } }`;
type State = {
  users: { edges: Array<{ node: { id: string; email: string; username: string; status: string; accounts: Array<{ backend: string; status: string; desiredStatus: string; converged: boolean }> } }> };
};

describe('randomised convergence', () => {
  it(`every account converges to the gateway's state through faults and a kill -9 (seed ${SEED})`, async () => {
    console.log(`convergence seed: ${SEED} (replay with CONVERGENCE_SEED=${SEED})`);
    const random = prng(SEED);
    const dir = await mkdtemp(join(tmpdir(), 'ig-random-'));
    const fakes: FakeBackends = await startFakeBackends();
    cleanups.push(() => rm(dir, { recursive: true, force: true }), () => fakes.retool.close(), () => fakes.forge.close());
    const env = {
      ...fakes.env,
      PGLITE_DIR: join(dir, 'pglite'),
      RETRY_WORKER_INTERVAL_MS: '200',
      PROVISIONING_LEASE_MS: '1000',
      PROVISIONING_DEADLINE_MS: '2000',
      BACKEND_TIMEOUT_MS: '1000',
      BACKEND_MAX_RETRIES: '1',
    };
    let gateway: ChildGateway = await startChildGateway(env);
    cleanups.push(async () => gateway.kill('SIGKILL'));
    const ids = new Map<number, string>();
    const identity = (user: number) => ({ email: `rnd${user}@example.com`, username: `rnd${user}` });

    for (const batch of plan(random)) {
      const current = gateway;
      const running = batch.map(async (op) => {
        switch (op.kind) {
          case 'create': {
            const answer = await current.graphql<{ createUser: { user?: { id: string } } }>(CREATE, { input: { ...identity(op.user), backends: ['RETOOL', 'FORGE'] } });
            const id = answer.data?.createUser.user?.id;
            if (id) ids.set(op.user, id);
            return;
          }
          case 'flip': {
            const id = ids.get(op.user);
            if (id) await current.graphql(op.disable ? FLIP_OFF : FLIP_ON, { id });
            return;
          }
          case 'fault':
            fakes[op.backend].setOptions({ failNext: { count: op.count, fault: op.fault } });
            return;
          case 'latency':
            fakes[op.backend].setOptions({ latencyMs: op.ms });
            return;
          case 'kill':
            return;
        }
      });
      // A request cut by a fault or the kill is the client's problem, not the gateway's state's.
      const settled = Promise.allSettled(running);
      if (batch.some((op) => op.kind === 'kill')) {
        // Mid-batch: its requests are in flight when the process dies.
        await new Promise((r) => setTimeout(r, 5 + Math.floor(random() * 40)));
        gateway.kill('SIGKILL');
        await gateway.exited;
        await settled;
        gateway = await startChildGateway(env);
        continue;
      }
      await settled;
    }

    // The faults clear. Accounts the worker left for a later retry time are
    // retried now, as an operator would; everything else is the worker's.
    for (const fake of [fakes.retool, fakes.forge]) fake.setOptions({ failNext: undefined, latencyMs: 0 });
    let state: State['users']['edges'] = [];
    await eventually(async () => {
      state = (await gateway.graphql<State>(STATE)).data?.users.edges ?? [];
      const open = state.filter((edge) => edge.node.accounts.some((account) => !account.converged));
      for (const edge of open) {
        if (edge.node.accounts.some((account) => account.status === 'FAILED')) await gateway.graphql(RETRY, { id: edge.node.id });
      }
      return open.length === 0;
    }, 300);

    const context = `(seed ${SEED})`;
    expect(state.length, context).toBeGreaterThan(0);
    for (const { node } of state) {
      const wanted = node.status;
      expect(node.accounts.map((a) => [a.backend, a.status, a.desiredStatus]), `${node.username} ${context}`).toEqual([
        ['FORGE', wanted, wanted],
        ['RETOOL', wanted, wanted],
      ]);
      const retool = fakes.retool.byEmail(node.email);
      expect(retool, `${node.username} in Retool ${context}`).toHaveLength(1);
      expect(retool[0]?.active, `${node.username} active in Retool ${context}`).toBe(wanted === 'ACTIVE');
      const forge = fakes.forge.state.users.filter((u) => u.login.toLowerCase() === node.username.toLowerCase());
      expect(forge, `${node.username} in Forgejo ${context}`).toHaveLength(1);
      expect(forge[0]?.prohibit_login, `${node.username} prohibit_login ${context}`).toBe(wanted === 'DISABLED');
      expect(fakes.forge.state.tokens.filter((t) => t.userId === forge[0]?.id).length, `${node.username} tokens ${context}`).toBeLessThanOrEqual(1);
    }
    // No backend account the gateway does not know of (nothing created twice under another name).
    expect(fakes.retool.state.users).toHaveLength(state.length);
    expect(fakes.forge.state.users.filter((u) => !u.is_admin)).toHaveLength(state.length);

    gateway.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  }, SOAK ? 1_800_000 : 120_000);
});
