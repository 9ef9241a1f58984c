// `npx tsx bench/convergence-bounds.ts`: measures the convergence bounds
// docs/operations.md ("Convergence") states, with the default settings, on
// a gateway process over PGlite and the fake backends on loopback:
//   1. how long createUser takes to answer when Forgejo does not answer;
//   2. how long after a kill -9 mid-create a restarted process has every
//      account converged (lease expiry + worker interval + start-up);
//   3. how long SIGTERM takes to exit with provisioning in flight that
//      outlasts the drain bound, and that it is handed back;
//   4. with DATABASE_URL set (a Postgres server; the bench creates and drops
//      its own database there): two replicas at once, A killed -9 mid-create,
//      how long until B, alive throughout, has every account converged.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendEnv } from '../test/fakes/backend-env.ts';
import { startFakeForge } from '../test/fakes/forge.ts';
import { startFakeRetool } from '../test/fakes/retool.ts';
import { type ChildGateway, eventually, startChildGateway } from '../test/support/child-gateway.ts';
import { scratchDatabase } from '../test/support/postgres.ts';

const CREATE = `mutation($input: CreateUserInput!) { createUser(input: $input) { ... on CreateUserPayload { accounts { backend status converged } } } }`;
const STATE = `{ users(first: 50) { edges { node { accounts { converged } } } } }`;
type State = { users: { edges: Array<{ node: { accounts: Array<{ converged: boolean }> } }> } };

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Polls until every account `gateway` lists is converged (at most two minutes). */
async function allConverged(gateway: ChildGateway): Promise<void> {
  await eventually(async () => {
    const edges = (await gateway.graphql<State>(STATE)).data?.users.edges ?? [];
    return edges.length > 0 && edges.every((edge) => edge.node.accounts.every((account) => account.converged));
  }, 1_200, 100);
}

async function main(): Promise<void> {
  const [retool, forge] = await Promise.all([startFakeRetool(), startFakeForge()]);
  const dir = await mkdtemp(join(tmpdir(), 'ig-bounds-'));
  const env = {
    ...backendEnv(retool, forge),
  };
  try {
    // 1. The mutation deadline.
    let gateway = await startChildGateway({ ...env, PGLITE_DIR: join(dir, 'one') });
    forge.setOptions({ latencyMs: 120_000 });
    let started = Date.now();
    const answer = await gateway.graphql(CREATE, { input: { email: 'stall@example.com', username: 'stall', backends: ['RETOOL', 'FORGE'] } });
    console.log(`1. createUser with Forgejo not answering: ${seconds(Date.now() - started)} -> ${JSON.stringify(answer.data)}`);
    gateway.kill('SIGKILL');
    await gateway.exited;

    // 2. kill -9 mid-create, then a restarted process converges the accounts.
    forge.setOptions({ latencyMs: 2_000 });
    gateway = await startChildGateway({ ...env, PGLITE_DIR: join(dir, 'two') });
    const creates = Array.from({ length: 5 }, (_, i) =>
      gateway.graphql(CREATE, { input: { email: `crash${i}@example.com`, username: `crash${i}`, backends: ['RETOOL', 'FORGE'] } }).catch(() => undefined),
    );
    await eventually(async () => forge.state.calls.some((c) => c.path === '/admin/users' && c.method === 'POST'), 600, 20);
    gateway.kill('SIGKILL');
    const killed = Date.now();
    await gateway.exited;
    await Promise.all(creates);
    forge.setOptions({ latencyMs: 0 });
    gateway = await startChildGateway({ ...env, PGLITE_DIR: join(dir, 'two') });
    const up = Date.now();
    await allConverged(gateway);
    console.log(`2. kill -9 mid-create: converged ${seconds(Date.now() - killed)} after the kill (restart took ${seconds(up - killed)})`);

    // 3. SIGTERM with provisioning in flight that needs longer than the drain
    // bound: three Forgejo calls of 8 s each (each under the 10 s call timeout).
    forge.setOptions({ latencyMs: 8_000 });
    void gateway.graphql(CREATE, { input: { email: 'drain@example.com', username: 'drain', backends: ['FORGE'] } }).catch(() => undefined);
    await eventually(async () => forge.state.calls.some((c) => c.path === '/users/drain'), 600, 20);
    started = Date.now();
    gateway.kill('SIGTERM');
    const code = await gateway.exited;
    const handedBack = gateway.output().split('\n').filter((line) => line.includes('handed back')).length;
    console.log(`3. SIGTERM with provisioning in flight: exited ${code} after ${seconds(Date.now() - started)}, ${handedBack} account(s) handed back`);

    // 4. Two replicas on one Postgres; A dies mid-create and B, never
    // restarted, takes its expired leases over (they share the secret key).
    if (process.env.DATABASE_URL) {
      const database = await scratchDatabase('ig_bounds');
      const shared = { ...env, DATABASE_URL: database.url, GATEWAY_SECRET_KEY: randomBytes(32).toString('base64') };
      const [a, b] = await Promise.all([startChildGateway(shared), startChildGateway(shared)]);
      try {
        forge.setOptions({ latencyMs: 2_000 });
        const before = forge.state.calls.length;
        const replicaCreates = Array.from({ length: 5 }, (_, i) =>
          a.graphql(CREATE, { input: { email: `replica${i}@example.com`, username: `replica${i}`, backends: ['RETOOL', 'FORGE'] } }).catch(() => undefined),
        );
        await eventually(async () => forge.state.calls.slice(before).some((c) => c.path === '/admin/users' && c.method === 'POST'), 600, 20);
        a.kill('SIGKILL');
        const killedAt = Date.now();
        await a.exited;
        await Promise.all(replicaCreates);
        forge.setOptions({ latencyMs: 0 });
        await allConverged(b);
        console.log(`4. two replicas on Postgres, A killed -9 mid-create: B converged every account ${seconds(Date.now() - killedAt)} after the kill`);
      } finally {
        a.kill('SIGKILL');
        b.kill('SIGKILL');
        await Promise.all([a.exited, b.exited]);
        await database.drop();
      }
    }
  } finally {
    await Promise.all([retool.close(), forge.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
