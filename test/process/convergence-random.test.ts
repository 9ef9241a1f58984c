// Randomised convergence: a seeded mix of creates, enable/disable flips,
// backend faults and a kill -9 of the gateway process (restarted on the same
// data), run concurrently. At the end every account's backend state equals
// the gateway's, no backend account exists twice, and each Forgejo account
// has at most one gateway token.
//
// It runs on PGlite (one process, restarted after each kill) and, when
// DATABASE_URL is set, again with two replicas on one Postgres: each
// operation goes to either, and a kill takes one down while the other keeps
// working (the killed one is restarted, as an orchestrator would).
//
// The seed is printed; CONVERGENCE_SEED=<n> replays a run. The short run is
// part of the normal suite; CONVERGENCE_SOAK=1 (`npm run test:soak`) runs a
// long one with several kills.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Fault } from '../fakes/http-fake.ts';
import { allConverged, expectBackendsAgree, type GatewayUser, gatewayUsers } from '../support/backend-agreement.ts';
import { type FakeBackends, startFakeBackends } from '../support/backends.ts';
import { type ChildGateway, eventually, startChildGateway } from '../support/child-gateway.ts';
import { runLog } from '../support/gateway.ts';
import { scratchDatabase } from '../support/postgres.ts';

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

type Mode = 'one process on PGlite' | 'two replicas on Postgres';
const MODES: Mode[] = process.env.DATABASE_URL ? ['one process on PGlite', 'two replicas on Postgres'] : ['one process on PGlite'];

/** Where the gateways keep their data: a PGlite directory (one process at a time) or a fresh Postgres database shared by both replicas. */
async function storeEnv(mode: Mode): Promise<Record<string, string>> {
  if (mode === 'one process on PGlite') {
    const dir = await mkdtemp(join(tmpdir(), 'ig-random-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return { PGLITE_DIR: join(dir, 'pglite') };
  }
  const database = await scratchDatabase('ig_random');
  cleanups.push(database.drop);
  // Shared, so one replica unseals what the other sealed (the initial password that proves a half-made account).
  const secretKey = randomBytes(32).toString('base64');
  runLog.secrets.add(secretKey);
  return { DATABASE_URL: database.url, GATEWAY_SECRET_KEY: secretKey };
}

describe('randomised convergence', () => {
  it.each(MODES)(`every account converges to the gateway's state through faults and a kill -9: %s (seed ${SEED})`, async (mode) => {
    console.log(`convergence seed: ${SEED} (replay with CONVERGENCE_SEED=${SEED}), ${mode}`);
    const random = prng(SEED);
    // Which replica each operation goes to: its own sequence, so the plan for a seed is the same in both modes.
    const route = prng(SEED ^ 0x5bd1e995);
    const fakes: FakeBackends = await startFakeBackends();
    cleanups.push(() => fakes.retool.close(), () => fakes.forge.close());
    const env = {
      ...fakes.env,
      ...(await storeEnv(mode)),
      RETRY_WORKER_INTERVAL_MS: '200',
      PROVISIONING_LEASE_MS: '1000',
      PROVISIONING_DEADLINE_MS: '2000',
      BACKEND_TIMEOUT_MS: '1000',
      BACKEND_MAX_RETRIES: '1',
    };
    const gateways: ChildGateway[] = await Promise.all((mode === 'two replicas on Postgres' ? [0, 1] : [0]).map(() => startChildGateway(env)));
    cleanups.push(async () => {
      for (const gateway of gateways) gateway.kill('SIGKILL');
      runLog.lines.push(...gateways.map((gateway) => gateway.output()));
    });
    const ids = new Map<number, string>();
    const identity = (user: number) => ({ email: `rnd${user}@example.com`, username: `rnd${user}` });

    for (const batch of plan(random)) {
      const running = batch.map(async (op) => {
        const current = gateways[Math.floor(route() * gateways.length)] as ChildGateway;
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
        // Mid-batch: its requests are in flight when the process dies; with
        // two replicas only one dies, and the other carries on meanwhile.
        await new Promise((r) => setTimeout(r, 5 + Math.floor(random() * 40)));
        const victim = Math.floor(route() * gateways.length);
        const killed = gateways[victim] as ChildGateway;
        killed.kill('SIGKILL');
        await killed.exited;
        await settled;
        runLog.lines.push(killed.output());
        gateways[victim] = await startChildGateway(env);
        continue;
      }
      await settled;
    }

    // The faults clear. Accounts the worker left for a later retry time are
    // retried now, as an operator would; everything else is the workers'.
    for (const fake of [fakes.retool, fakes.forge]) fake.setOptions({ failNext: undefined, latencyMs: 0 });
    const [gateway] = gateways as [ChildGateway];
    let state: GatewayUser[] = [];
    await eventually(async () => {
      state = await gatewayUsers(gateway);
      const open = state.filter((user) => user.accounts.some((account) => !account.converged));
      for (const user of open) {
        if (user.accounts.some((account) => account.status === 'FAILED')) await gateway.graphql(RETRY, { id: user.id });
      }
      return allConverged(state);
    }, 300);

    expectBackendsAgree(fakes, state, `(seed ${SEED}, ${mode})`);
    for (const running of gateways) {
      running.kill('SIGTERM');
      expect(await running.exited).toBe(0);
    }
  }, SOAK ? 1_800_000 : 120_000);
});
