// What an operator does to a running gateway, done to a real process:
// kill -9 in the middle of provisioning, a second process on the same PGlite
// directory, SIGTERM under load, a Postgres that is not up. Fakes run in the
// test process and are handed to the children by URL.
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeBackends, startFakeBackends } from '../support/backends.ts';
import { eventually, freePort, startChildGateway } from '../support/child-gateway.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function setup(): Promise<{ dir: string; fakes: FakeBackends }> {
  const dir = await mkdtemp(join(tmpdir(), 'ig-conv-'));
  const fakes = await startFakeBackends();
  cleanups.push(() => rm(dir, { recursive: true, force: true }), () => fakes.retool.close(), () => fakes.forge.close());
  return { dir, fakes };
}

const CREATE = `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename } }`;
const ACCOUNTS = `{ users(first: 50) { edges { node { email username status accounts { backend status converged } } } } }`;
type Users = { users: { edges: Array<{ node: { email: string; username: string; status: string; accounts: Array<{ backend: string; status: string; converged: boolean }> } }> } };

/** GET on a fresh socket with keep-alive asked for: status and the Connection header. */
function probe(port: number, path: string): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { connection: 'keep-alive' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a gateway process', () => {
  it('refuses a PGlite directory another process holds; after kill -9 mid-provisioning a new process takes the stale lock and finishes every account', async () => {
    const { dir, fakes } = await setup();
    const env = {
      ...fakes.env,
      PGLITE_DIR: join(dir, 'pglite'),
      RETRY_WORKER_INTERVAL_MS: '200',
      PROVISIONING_LEASE_MS: '1000',
    };
    const first = await startChildGateway(env);
    cleanups.push(async () => first.kill('SIGKILL'));
    expect(first.output()).toContain('listening');

    const second = await startChildGateway(env, { waitFor: 'cannot open the store' });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`in use by process ${first.child.pid}`);
    expect(second.output()).not.toMatch(/\n\s+at /);

    fakes.retool.setOptions({ latencyMs: 250 });
    fakes.forge.setOptions({ latencyMs: 250 });
    const creates = Array.from({ length: 6 }, (_, i) =>
      first.graphql(CREATE, { input: { email: `killed${i}@example.com`, username: `killed${i}`, backends: ['RETOOL', 'FORGE'] } }).catch(() => undefined),
    );
    // Killed once Forgejo has been asked to create accounts, before it answered them all.
    await eventually(async () => fakes.forge.state.calls.some((c) => c.method === 'POST' && c.path === '/admin/users'), 200, 20);
    first.kill('SIGKILL');
    await first.exited;
    await Promise.all(creates);

    fakes.retool.setOptions({ latencyMs: 0 });
    fakes.forge.setOptions({ latencyMs: 0 });
    const third = await startChildGateway(env);
    cleanups.push(async () => third.kill('SIGKILL'));
    expect(third.output()).toContain('listening');
    let listed: Users['users']['edges'] = [];
    await eventually(async () => {
      listed = (await third.graphql<Users>(ACCOUNTS)).data?.users.edges ?? [];
      return listed.length > 0 && listed.every((edge) => edge.node.accounts.every((account) => account.converged));
    });
    for (const { node } of listed) {
      expect(node.accounts.map((a) => a.status)).toEqual(['ACTIVE', 'ACTIVE']);
      expect(fakes.retool.byEmail(node.email)).toHaveLength(1);
      const forgeUser = fakes.forge.user(node.username);
      expect(forgeUser).toBeDefined();
      expect(fakes.forge.state.tokens.filter((t) => t.userId === forgeUser?.id).length).toBeLessThanOrEqual(1);
    }
    third.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 180_000);

  it('on SIGTERM answers /readyz 503 and Connection: close first, then hands back provisioning it cannot finish within the drain bound', async () => {
    const { dir, fakes } = await setup();
    const gateway = await startChildGateway({
      ...fakes.env,
      PGLITE_DIR: join(dir, 'pglite'),
      SHUTDOWN_DELAY_MS: '3000',
      SHUTDOWN_DRAIN_MS: '200',
      PROVISIONING_DEADLINE_MS: '60000',
      BACKEND_TIMEOUT_MS: '60000',
    });
    cleanups.push(async () => gateway.kill('SIGKILL'));
    expect((await probe(gateway.port, '/readyz')).status).toBe(200);

    fakes.forge.setOptions({ latencyMs: 30_000 });
    const create = gateway.graphql(CREATE, { input: { email: 'drained@example.com', username: 'drained', backends: ['FORGE'] } }).catch((error: unknown) => error);
    await eventually(async () => fakes.forge.state.calls.length > 0, 200, 20);

    gateway.kill('SIGTERM');
    await eventually(async () => gateway.output().includes('draining: /readyz answers 503'), 200, 20);
    const ready = await probe(gateway.port, '/readyz');
    expect(ready).toMatchObject({ status: 503, body: '' });
    expect((await probe(gateway.port, '/healthz')).connection).toBe('close');

    expect(await gateway.exited).toBe(0);
    await create;
    const handedBack = gateway
      .output()
      .split('\n')
      .filter((line) => line.includes('handed back, due now'))
      .map((line) => JSON.parse(line) as { accountId?: string; handedBack?: boolean; backend?: string });
    expect(handedBack).toHaveLength(1);
    expect(handedBack[0]).toMatchObject({ backend: 'FORGE', handedBack: true });
    expect(handedBack[0]?.accountId).toMatch(/^[0-9a-f-]{36}$/);
  }, 120_000);

  it('started while Postgres is down says so in one line, without a stack, keeps waiting, and stops on SIGTERM', async () => {
    const closedPort = await freePort();
    const gateway = await startChildGateway({ DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/nowhere`, LOG_LEVEL: 'info' }, { waitFor: 'store unavailable at start-up' });
    cleanups.push(async () => gateway.kill('SIGKILL'));
    expect(gateway.child.exitCode).toBeNull();
    const lines = gateway.output().split('\n').filter((line) => line.trim() !== '');
    expect(lines.filter((line) => line.includes('store unavailable'))).toHaveLength(1);
    expect(gateway.output()).toContain('ECONNREFUSED');
    expect(gateway.output()).not.toMatch(/\n\s+at /);
    gateway.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  }, 60_000);
});
