// `npm run demo`: the gateway with something to show. Starts in-process fake
// Retool and Forgejo servers (the ones the tests use), an in-memory store, a
// throwaway database on the local Postgres as the cluster for database users
// when one is reachable, seeds users, database users, a service, an OAuth2
// provider and a pool through the API, and prints the GraphiQL URL. Ctrl-C
// stops everything and drops the database and the roles it created.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { buildDeps } from '../src/compose.ts';
import { createLogger } from '../src/logger.ts';
import { createGateway } from '../src/server.ts';
import { openStore } from '../src/store/client.ts';
import { randomSecretKey } from '../src/store/secret-box.ts';
import { backendEnv } from '../test/fakes/backend-env.ts';
import { startFakeForge } from '../test/fakes/forge.ts';
import { type FakeRetool, startFakeRetool } from '../test/fakes/retool.ts';

const ADMIN_URL = process.env.DEMO_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = randomBytes(3).toString('hex');

/** A database of its own on the local Postgres, or undefined when none answers. */
async function throwawayDatabase(): Promise<{ url: string; drop(roles: string[]): Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `ig_demo_${suffix}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop(roles) {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        // Only the roles this demo created (names carry its suffix); never anything else.
        for (const role of roles.filter((r) => r.endsWith(suffix))) await client.query(`DROP ROLE IF EXISTS "${role}"`);
      } finally {
        await client.end();
      }
    },
  };
}

async function main(): Promise<void> {
  const [retool, forge] = await Promise.all([startFakeRetool(), startFakeForge()]);
  const target = await throwawayDatabase();
  const config = loadConfig({
    PORT: process.env.PORT ?? '4000',
    HOST: '127.0.0.1',
    PGLITE_DIR: 'memory://',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    // Failed accounts stay FAILED until you call retryProvisioning.
    RETRY_WORKER_INTERVAL_MS: '0',
    ...backendEnv(retool, forge),
    ...(target ? { TARGET_DATABASE_URL: target.url } : {}),
  });
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.store);
  await store.migrate();
  const deps = buildDeps(config, store, logger, randomSecretKey('demo'));
  const yoga = createGateway(deps);
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const endpoint = `http://${config.host}:${config.port}/graphql`;

  const roles: string[] = [];
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await yoga.dispose();
    await deps.close();
    await store.close();
    await Promise.all([retool.close(), forge.close()]);
    await target?.drop(roles);
    console.log('demo stopped; its database and roles are gone');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  try {
    console.log(await seedAndDescribe(endpoint, retool, roles, target !== undefined));
  } catch (error) {
    // Whatever was created so far is still dropped.
    console.error(error instanceof Error ? error.message : error);
    await stop(1);
  }
}

/** Seeds through the API (so every rule applies) and says what it made; `roles` collects the database roles created. */
async function seedAndDescribe(endpoint: string, retool: FakeRetool, roles: string[], onPostgres: boolean): Promise<string> {
  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: Record<string, { __typename: string } & Record<string, unknown>>; errors?: Array<{ message: string }> };
    if (body.errors?.length || !body.data) throw new Error(`seed failed: ${JSON.stringify(body.errors)}`);
    const result = Object.values(body.data)[0];
    if (!result || /Error$/.test(result.__typename)) throw new Error(`seed failed: ${JSON.stringify(result)}`);
    return result;
  };

  const lines: string[] = [];
  const createUser = `mutation ($input: CreateUserInput!) { createUser(input: $input) { __typename
    ... on CreateUserPayload { accounts { backend status lastError } secrets { backend kind } } } }`;
  const outcome = (payload: Record<string, unknown>) =>
    (payload.accounts as Array<{ backend: string; status: string; lastError: string | null }>)
      .map((account) => `${account.backend} ${account.status}${account.lastError ? ` (${account.lastError})` : ''}`)
      .join(', ');

  const ada = await graphql(createUser, { input: { email: 'ada@example.com', username: 'ada', displayName: 'Ada Lovelace', backends: ['RETOOL', 'FORGE'] } });
  const revealed = (ada.secrets as Array<{ backend: string; kind: string }>).map((s) => `${s.backend} ${s.kind}`).join(', ');
  lines.push(`user ada: ${outcome(ada)}; secrets revealed once in that payload: ${revealed || 'none'}`);
  // Retool answers the next call with an error, so one account shows a failure and its message.
  retool.setOptions({ failNext: { count: 1, fault: { kind: 'status', status: 500, message: 'demo: Retool is having a bad day' } } });
  const grace = await graphql(createUser, { input: { email: 'grace@example.com', username: 'grace', displayName: 'Grace Hopper', backends: ['RETOOL', 'FORGE'] } });
  lines.push(`user grace: ${outcome(grace)} (retryProvisioning fixes it)`);
  await graphql(createUser, { input: { email: 'linus@example.com', username: 'linus', displayName: 'Linus', backends: ['FORGE'] } });
  lines.push('user linus: FORGE only');

  const createDatabaseUser = `mutation ($input: CreateDatabaseUserInput!) { createDatabaseUser(input: $input) { __typename
    ... on CreateDatabaseUserPayload { roleCreated databaseUser { username } } } }`;
  const anon = `demo_anon_${suffix}`;
  const api = `demo_api_${suffix}`;
  for (const input of [{ username: anon, attributes: ['NOLOGIN'] }, { username: api }]) {
    await graphql(createDatabaseUser, { input });
    roles.push(input.username);
  }
  await graphql(
    `mutation ($input: CreateServiceInput!) { createService(input: $input) { __typename ... on CreateServicePayload { service { serviceId } } } }`,
    { input: { serviceId: 'orders-api', type: 'POSTGREST', version: '12.2', connectAs: api, config: { db_schemas: 'public', db_anon_role: anon } } },
  );
  lines.push(`database users ${anon} (NOLOGIN) and ${api}; service orders-api (PostgREST) connects as ${api}, on ${onPostgres ? `Postgres database ig_demo_${suffix}` : 'the embedded store (no Postgres reachable)'}`);

  const provider = await graphql(
    `mutation ($input: CreateOAuth2ProviderInput!) { createOAuth2Provider(input: $input) { __typename ... on CreateOAuth2ProviderPayload { provider { id } } } }`,
    { input: { slug: 'example-idp', kind: 'GENERIC_OIDC', displayName: 'Example IdP', clientId: 'demo-client', clientSecret: randomBytes(16).toString('hex'), issuer: 'https://idp.example' } },
  );
  const providerId = (provider.provider as { id: string }).id;
  const pool = await graphql(
    `mutation ($input: CreateResourcePoolInput!) { createResourcePool(input: $input) { __typename ... on CreateResourcePoolPayload { resourcePool { id } } } }`,
    { input: { name: 'shared-datasets', providerId } },
  );
  const adaUser = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ user(email: "ada@example.com") { id } }' }),
  }).then((r) => r.json() as Promise<{ data: { user: { id: string } } }>);
  await graphql(
    `mutation ($input: GrantResourcePoolViewerInput!) { grantResourcePoolViewer(input: $input) { __typename } }`,
    { input: { poolId: (pool.resourcePool as { id: string }).id, userId: adaUser.data.user.id } },
  );
  lines.push('OAuth2 provider example-idp; pool shared-datasets behind it, ada granted as a viewer');

  return [
    '',
    'Identity Gateway demo (dev mode: no credential needed; fake Retool and Forgejo on loopback)',
    ...lines.map((line) => `  - ${line}`),
    '',
    `GraphiQL: ${endpoint}`,
    '',
    'Open it in a browser: each tab holds named example operations. Ctrl-C stops the demo.',
  ].join('\n');
}

await main();
