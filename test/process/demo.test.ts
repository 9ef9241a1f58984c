// `npm run demo` as a newcomer runs it: one command, then a GraphiQL URL
// whose gateway already shows provisioning outcomes on both fake backends,
// database users, a service and a pool; SIGTERM drops what it created.
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, run } from './child.ts';

const ROOT = join(import.meta.dirname, '../..');
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

let stopDemo: (() => void) | undefined;
afterAll(() => stopDemo?.());

describe('npm run demo', () => {
  it('serves a seeded gateway with both backends provisioned, then cleans up on SIGTERM', async () => {
    const port = await freePort();
    const demo = await run('npm', ['run', 'demo'], { cwd: ROOT, env: { ...process.env, PORT: String(port), DEMO_POSTGRES_URL: ADMIN_URL }, ready: 'GraphiQL: http', timeoutMs: 180_000 });
    stopDemo = () => demo.child.kill('SIGTERM');
    const url = /GraphiQL: (\S+)/.exec(demo.output())?.[1];
    expect(url).toBe(`http://127.0.0.1:${port}/graphql`);

    const query = `{
      ada: user(email: "ada@example.com") { username accounts { backend status } }
      grace: user(email: "grace@example.com") { accounts { backend status lastError } }
      databaseUsers(first: 5) { totalCount }
      services(first: 5) { edges { node { serviceId type } } }
      resourcePools(first: 5) { edges { node { name viewers(first: 5) { totalCount } } } }
    }`;
    const body = (await (await fetch(url ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as {
      data: Record<string, unknown>;
    };
    expect(body.data).toMatchObject({
      ada: {
        username: 'ada',
        accounts: expect.arrayContaining([
          { backend: 'RETOOL', status: 'ACTIVE' },
          { backend: 'FORGE', status: 'ACTIVE' },
        ]),
      },
      grace: { accounts: expect.arrayContaining([expect.objectContaining({ backend: 'RETOOL', status: 'FAILED' }), expect.objectContaining({ backend: 'FORGE', status: 'ACTIVE' })]) },
      databaseUsers: { totalCount: 2 },
      services: { edges: [{ node: { serviceId: 'orders-api', type: 'POSTGREST' } }] },
      resourcePools: { edges: [{ node: { name: 'shared-datasets', viewers: { totalCount: 1 } } }] },
    });
    expect(demo.output()).toContain('secrets revealed once');

    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    stopDemo = undefined;
    expect(demo.output()).toContain('demo stopped');
    // When it used the local Postgres, its database and roles are gone.
    const database = /Postgres database (ig_demo_[0-9a-f]+)/.exec(demo.output())?.[1];
    if (database) {
      const suffix = database.replace('ig_demo_', '');
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      try {
        expect((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount).toBe(0);
        expect((await admin.query('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [`%${suffix}`])).rows).toEqual([]);
      } finally {
        await admin.end();
      }
    }
  }, 240_000);
});
