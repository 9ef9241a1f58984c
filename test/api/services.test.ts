// Services connect as existing database users (`connect_as`); the gateway
// grants that user what the service needs, records those grants, and on
// delete revokes exactly them. Every check reads the cluster's catalogs.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { quoteIdent } from '../../src/backends/postgres-roles.ts';
import { jwtSecretOwner } from '../../src/domain/services.ts';
import { graphql } from '../gql/index.ts';
import { useClusterProbe } from '../support/cluster.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const cluster = useClusterProbe(testStore);
const kind = inject('storeKind');
const gateway = (env: Record<string, string> = {}) => startTestGateway(testStore().store, env);

const CreateUserForService = graphql(`
  mutation CreateUserForService($input: CreateDatabaseUserInput!) {
    createDatabaseUser(input: $input) {
      __typename
      ... on CreateDatabaseUserPayload { databaseUser { id username } }
      ... on Error { message }
    }
  }
`);

const CreateService = graphql(`
  mutation CreateService($input: CreateServiceInput!) {
    createService(input: $input) {
      __typename
      ... on CreateServicePayload {
        service { id serviceId type version config postgrestConfig connectAs { username services { serviceId } } grants { kind target grantee } }
        grantsMade { kind target grantee }
        grantsRevoked { kind target grantee }
      }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const UpdateService = graphql(`
  mutation UpdateService($input: UpdateServiceInput!) {
    updateService(input: $input) {
      __typename
      ... on UpdateServicePayload {
        service { id version config connectAs { username } grants { kind target grantee } }
        grantsMade { kind target grantee }
        grantsRevoked { kind target grantee }
      }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const DeleteService = graphql(`
  mutation DeleteService($id: ID!) {
    deleteService(input: { id: $id }) {
      __typename
      ... on DeleteServicePayload { deletedServiceId grantsRevoked { kind target grantee } }
      ... on Error { message }
    }
  }
`);

const ServicesPage = graphql(`
  query ServicesPage($first: Int, $type: ServiceType) {
    services(first: $first, type: $type) {
      totalCount
      edges { node { serviceId type } }
    }
  }
`);

const ServiceNode = graphql(`
  query ServiceNode($id: ID!) {
    node(id: $id) { __typename id ... on Service { serviceId postgrestConfig } }
  }
`);

type ServiceInput = Parameters<typeof createService>[1];

async function databaseUser(api: TestGateway, label: string, roles: string[] = []): Promise<string> {
  const username = cluster().name(label);
  const { data } = await api.graphql(CreateUserForService, { input: { username, roles } });
  if (data?.createDatabaseUser.__typename !== 'CreateDatabaseUserPayload') throw new Error(`createDatabaseUser: ${JSON.stringify(data)}`);
  return username;
}

async function role(label: string): Promise<string> {
  const name = cluster().name(label);
  await cluster().query(`CREATE ROLE ${quoteIdent(name)} NOLOGIN`);
  return name;
}

async function createService(api: TestGateway, input: {
  serviceId: string;
  type: 'MCP' | 'POSTGREST' | 'RAG';
  version?: string;
  config?: Record<string, unknown>;
  connectAs?: string | null;
}) {
  const { data, errors } = await api.graphql(CreateService, { input: { version: '12.2', ...input } });
  expect(errors).toBeUndefined();
  if (!data) throw new Error('no data');
  return data.createService;
}

async function created(api: TestGateway, input: ServiceInput) {
  const result = await createService(api, input);
  if (result.__typename !== 'CreateServicePayload') throw new Error(`createService: ${JSON.stringify(result)}`);
  return result;
}

async function serviceCount(api: TestGateway): Promise<number> {
  return (await api.graphql(ServicesPage, { first: 1 })).data?.services.totalCount ?? -1;
}

describe('createService (PostgREST)', () => {
  it('stores the config with defaults, seals the jwt_secret, and grants CONNECT and the anon role in one go', async () => {
    const api = gateway();
    const { store } = testStore();
    const user = await databaseUser(api, 'authenticator');
    const anon = await role('anon');
    await cluster().query('CREATE SCHEMA IF NOT EXISTS api');
    const jwtSecret = 'a-very-long-jwt-secret-of-at-least-32-chars';
    const { database } = cluster();

    const result = await created(api, {
      serviceId: 'orders-api',
      type: 'POSTGREST',
      config: { db_schemas: 'api, public', db_anon_role: anon, jwt_secret: jwtSecret },
      connectAs: user,
    });

    const grants = [
      { kind: 'NOINHERIT', target: user, grantee: user },
      { kind: 'CONNECT', target: database, grantee: user },
      { kind: 'ROLE', target: anon, grantee: user },
    ];
    expect(result).toMatchObject({
      service: {
        serviceId: 'orders-api',
        type: 'POSTGREST',
        version: '12.2',
        config: { db_schemas: 'api,public', db_anon_role: anon, db_pool: 10, max_rows: 1000, jwt_secret: 'redacted' },
        connectAs: { username: user, services: [{ serviceId: 'orders-api' }] },
        grants,
      },
      grantsMade: grants,
      grantsRevoked: [],
    });
    expect(await cluster().mayConnect(user)).toBe(true);
    expect(await cluster().isMember(anon, user)).toBe(true);

    // The secret is sealed apart and appears nowhere else.
    const serviceRowId = Buffer.from(result.service.id, 'base64').toString('utf8').replace(/^Service:/, '');
    expect(await api.deps.secrets.get(store.db, jwtSecretOwner(serviceRowId))).toBe(jwtSecret);
    const rows = await store.raw<{ config: string }>('SELECT config::text AS config FROM services');
    expect(rows.map((row) => row.config).join('\n')).not.toContain(jwtSecret);
    expect(JSON.stringify(result)).not.toContain(jwtSecret);
    expect(api.logs.join('\n')).not.toContain(jwtSecret);
  });

  it('renders the postgrest.conf to deploy, credentials masked and the secret redacted', async () => {
    const api = gateway();
    const user = await databaseUser(api, 'conf');
    const anon = await role('conf_anon');
    const result = await created(api, {
      serviceId: 'conf-api',
      type: 'POSTGREST',
      config: { db_anon_role: anon, db_pool: 5, max_rows: 50, jwt_secret: 'x'.repeat(40), jwt_aud: 'orders', jwt_role_claim_key: '."https://x".role' },
      connectAs: user,
    });

    expect(result.service.postgrestConfig).toBe(
      [
        `db-uri = "postgres://${user}:********@localhost:5432/${cluster().database}"`,
        'db-schemas = "public"',
        `db-anon-role = "${anon}"`,
        'db-pool = 5',
        'db-max-rows = 50',
        'jwt-secret = "redacted"',
        'jwt-aud = "orders"',
        'jwt-role-claim-key = ".\\"https://x\\".role"',
        '',
      ].join('\n'),
    );
    const node = await api.graphql(ServiceNode, { id: result.service.id });
    expect(node.data?.node).toMatchObject({ __typename: 'Service', postgrestConfig: result.service.postgrestConfig });
  });

  it('refuses a service_id already in use with a ConflictError', async () => {
    const api = gateway();
    const user = await databaseUser(api, 'dup');
    await created(api, { serviceId: 'dup-svc', type: 'MCP', connectAs: user });

    expect(await createService(api, { serviceId: 'dup-svc', type: 'RAG', connectAs: user })).toEqual({
      __typename: 'ConflictError',
      message: 'a service "dup-svc" already exists',
    });
  });
});

describe('createService validation: the spec’s messages and paths, and nothing created', () => {
  let user = '';
  let anon = '';
  beforeAll(async () => {
    user = await databaseUser(gateway(), 'invalid');
    anon = await role('invalid_anon');
  });

  const postgrest = (config: Record<string, unknown>) => ({ type: 'POSTGREST' as const, config: { db_anon_role: '$anon', ...config } });
  type Case = { case: string; input: Partial<ServiceInput> & { type?: ServiceInput['type'] }; errors: { path: string[]; message: string }[] };

  it.each<Case>([
    { case: 'connect_as missing', input: { connectAs: null }, errors: [{ path: ['input', 'connectAs'], message: 'connect_as is required' }] },
    { case: 'connect_as empty', input: { connectAs: '' }, errors: [{ path: ['input', 'connectAs'], message: 'connect_as is required' }] },
    {
      case: 'connect_as unknown',
      input: { connectAs: 'nobody_here' },
      errors: [{ path: ['input', 'connectAs'], message: 'connect_as "nobody_here" does not match any database_users entry' }],
    },
    {
      case: 'connect_as in another case',
      input: { connectAs: '$USER' },
      errors: [{ path: ['input', 'connectAs'], message: 'connect_as "$USER" does not match any database_users entry' }],
    },
    { case: 'service_id empty', input: { serviceId: '' }, errors: [{ path: ['input', 'serviceId'], message: 'service_id is required' }] },
    { case: 'service_id too long', input: { serviceId: 'a'.repeat(37) }, errors: [{ path: ['input', 'serviceId'], message: 'service_id must be at most 36 characters' }] },
    {
      case: 'service_id upper case',
      input: { serviceId: 'Orders' },
      errors: [{ path: ['input', 'serviceId'], message: 'service_id may contain only lowercase letters, digits and hyphens' }],
    },
    { case: 'service_id leading hyphen', input: { serviceId: '-orders' }, errors: [{ path: ['input', 'serviceId'], message: 'service_id must not start or end with a hyphen' }] },
    { case: 'service_id trailing hyphen', input: { serviceId: 'orders-' }, errors: [{ path: ['input', 'serviceId'], message: 'service_id must not start or end with a hyphen' }] },
    { case: 'service_id double hyphen', input: { serviceId: 'orders--api' }, errors: [{ path: ['input', 'serviceId'], message: 'service_id must not contain a double hyphen' }] },
    {
      case: 'version',
      input: { version: 'v12' },
      errors: [{ path: ['input', 'version'], message: "version must be in semver format (e.g., '1.0.0') or 'latest'" }],
    },
    { case: 'unknown config key', input: postgrest({ db_uri: 'postgres://x' }), errors: [{ path: ['input', 'config', 'db_uri'], message: 'unknown config key "db_uri"' }] },
    {
      case: 'db_anon_role required',
      input: { type: 'POSTGREST', config: {} },
      errors: [{ path: ['input', 'config', 'db_anon_role'], message: 'db_anon_role is required' }],
    },
    { case: 'db_pool too big', input: postgrest({ db_pool: 31 }), errors: [{ path: ['input', 'config', 'db_pool'], message: 'db_pool must be between 1 and 30' }] },
    { case: 'db_pool a string', input: postgrest({ db_pool: '10' }), errors: [{ path: ['input', 'config', 'db_pool'], message: 'db_pool must be an integer' }] },
    { case: 'max_rows zero', input: postgrest({ max_rows: 0 }), errors: [{ path: ['input', 'config', 'max_rows'], message: 'max_rows must be between 1 and 10000' }] },
    {
      case: 'jwt_secret too short',
      input: postgrest({ jwt_secret: 'x'.repeat(31) }),
      errors: [{ path: ['input', 'config', 'jwt_secret'], message: 'jwt_secret must be at least 32 characters' }],
    },
    {
      case: 'cors origins empty',
      input: postgrest({ server_cors_allowed_origins: '' }),
      errors: [{ path: ['input', 'config', 'server_cors_allowed_origins'], message: 'server_cors_allowed_origins must not be empty' }],
    },
    {
      case: 'preflight: a schema that does not exist',
      input: postgrest({ db_schemas: 'public,ig_no_such_schema' }),
      errors: [
        {
          path: ['input', 'config', 'db_schemas'],
          message: 'schema "ig_no_such_schema" does not exist in database "$DB"; create it before deploying PostgREST',
        },
      ],
    },
    {
      case: 'preflight: an anon role that does not exist',
      input: postgrest({ db_anon_role: 'ig_no_such_anon' }),
      errors: [
        {
          path: ['input', 'config', 'db_anon_role'],
          message: 'role "ig_no_such_anon" does not exist on the Postgres cluster; create it before deploying PostgREST',
        },
      ],
    },
  ])('$case', async ({ input, errors }) => {
    const api = gateway();
    const fill = (text: string) => text.replaceAll('$anon', anon).replaceAll('$USER', user.toUpperCase()).replaceAll('$DB', cluster().database);
    const config = input.config && Object.fromEntries(Object.entries(input.config).map(([key, value]) => [key, typeof value === 'string' ? fill(value) : value]));
    const before = await serviceCount(api);

    const result = await createService(api, {
      serviceId: 'valid-id',
      type: 'MCP',
      connectAs: user,
      ...input,
      ...(input.connectAs ? { connectAs: fill(input.connectAs) } : {}),
      ...(config ? { config } : {}),
    });

    const expected = errors.map((error) => ({ ...error, message: fill(error.message) }));
    expect(result).toMatchObject({ __typename: 'ValidationError', fieldErrors: expected });
    if (result.__typename === 'ValidationError') expect(result.fieldErrors).toHaveLength(expected.length);
    expect(await serviceCount(api)).toBe(before);
    expect(await cluster().mayConnect(user)).toBe(false);
    expect(await cluster().isMember(anon, user)).toBe(false);
  });
});

describe('MCP and RAG services', () => {
  it('grant only CONNECT and keep their config as given', async () => {
    const api = gateway();
    const user = await databaseUser(api, 'mcp');
    const result = await created(api, { serviceId: 'mcp-one', type: 'MCP', version: 'latest', config: { tools: ['sql'] }, connectAs: user });

    expect(result).toMatchObject({
      service: { type: 'MCP', version: 'latest', config: { tools: ['sql'] }, postgrestConfig: null },
      grantsMade: [{ kind: 'CONNECT', target: cluster().database, grantee: user }],
    });
    expect(await cluster().mayConnect(user)).toBe(true);
  });

  it('refuse a config over 16 KB, and show secret-named values of a free-form config as "[redacted]", kept on update', async () => {
    const api = gateway();
    const user = await databaseUser(api, 'mcpsecret');
    const huge = await createService(api, { serviceId: 'mcp-huge', type: 'MCP', config: { prompt: 'p'.repeat(200_000) }, connectAs: user });
    expect(huge).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'config'], message: 'config must be at most 16 KB of JSON' }] });

    const config = { tools: ['sql'], apiKey: 'sk-live-0123456789', upstream: { password: 'hunter2-hunter2', url: 'https://mcp.example' }, accessToken: 'tok-0123456789' };
    const result = await created(api, { serviceId: 'mcp-secret', type: 'MCP', config, connectAs: user });
    const shown = { tools: ['sql'], apiKey: '[redacted]', upstream: { password: '[redacted]', url: 'https://mcp.example' }, accessToken: '[redacted]' };
    expect(result.service.config).toEqual(shown);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    // Sent back as shown, with one change: the secrets stay as stored.
    const updated = await api.graphql(UpdateService, { input: { id: result.service.id, config: { ...shown, tools: ['sql', 'docs'] } } });
    expect(updated.data?.updateService).toMatchObject({ __typename: 'UpdateServicePayload', service: { config: { ...shown, tools: ['sql', 'docs'] } } });
    const [row] = await testStore().store.raw<{ config: Record<string, unknown> }>("select config from services where service_id = 'mcp-secret'");
    expect(row?.config).toMatchObject({ apiKey: 'sk-live-0123456789', upstream: { password: 'hunter2-hunter2' }, tools: ['sql', 'docs'] });
  });

  it('services(type) lists only that type', async () => {
    const api = gateway();
    const user = await databaseUser(api, 'rag');
    await created(api, { serviceId: 'rag-only', type: 'RAG', connectAs: user });

    const { data } = await api.graphql(ServicesPage, { first: 100, type: 'RAG' });
    expect(data?.services.edges.map((edge) => edge.node)).toEqual([{ serviceId: 'rag-only', type: 'RAG' }]);
    expect(data?.services.totalCount).toBe(1);
  });
});

const ServicesCursorPage = graphql(`
  query ServicesCursorPage($first: Int, $after: String, $last: Int, $before: String, $type: ServiceType) {
    services(first: $first, after: $after, last: $last, before: $before, type: $type) {
      edges { node { serviceId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

describe('services pages', () => {
  it('pages forwards and backwards with cursors, with and without a type filter, as one list', async () => {
    const api = gateway();
    const user = await databaseUser(api, 'pages');
    for (let i = 0; i < 5; i += 1) await created(api, { serviceId: `paged-${i}`, type: i % 2 === 0 ? 'MCP' : 'RAG', connectAs: user });

    for (const type of [undefined, 'MCP', 'RAG'] as const) {
      const whole = (await api.graphql(ServicesCursorPage, { first: 100, type })).data?.services.edges.map((edge) => edge.node.serviceId) ?? [];
      expect(whole.filter((id) => id.startsWith('paged-'))).toEqual(['paged-0', 'paged-1', 'paged-2', 'paged-3', 'paged-4'].filter((_, i) => type === undefined || (type === 'MCP') === (i % 2 === 0)));

      const forwards: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = (await api.graphql(ServicesCursorPage, { first: 2, after, type })).data?.services;
        forwards.push(...(page?.edges.map((edge) => edge.node.serviceId) ?? []));
        if (!page?.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor ?? undefined;
      }
      expect(forwards).toEqual(whole);

      const backwards: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = (await api.graphql(ServicesCursorPage, { last: 2, before, type })).data?.services;
        backwards.unshift(...(page?.edges.map((edge) => edge.node.serviceId) ?? []));
        if (!page?.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor ?? undefined;
      }
      expect(backwards).toEqual(whole);
    }
  });
});

describe('updateService', () => {
  it('moves the anon role grant: the old one the gateway made is revoked, the new one granted', async () => {
    const api = gateway();
    const user = await databaseUser(api, 'upd');
    const [oldAnon, newAnon] = [await role('old_anon'), await role('new_anon')];
    const { service } = await created(api, { serviceId: 'upd-api', type: 'POSTGREST', config: { db_anon_role: oldAnon }, connectAs: user });

    const { data } = await api.graphql(UpdateService, { input: { id: service.id, version: '12.3', config: { db_anon_role: newAnon } } });
    expect(data?.updateService).toMatchObject({
      __typename: 'UpdateServicePayload',
      service: { version: '12.3', config: { db_anon_role: newAnon } },
      grantsMade: [{ kind: 'ROLE', target: newAnon, grantee: user }],
      grantsRevoked: [{ kind: 'ROLE', target: oldAnon, grantee: user }],
    });
    expect(await cluster().isMember(oldAnon, user)).toBe(false);
    expect(await cluster().isMember(newAnon, user)).toBe(true);
    expect(await cluster().mayConnect(user)).toBe(true);
  });

  it('moves every grant to a new connect_as user, and validates as create does', async () => {
    const api = gateway();
    const [first, second] = [await databaseUser(api, 'first'), await databaseUser(api, 'second')];
    const anon = await role('move_anon');
    const { service } = await created(api, { serviceId: 'move-api', type: 'POSTGREST', config: { db_anon_role: anon }, connectAs: first });

    const invalid = await api.graphql(UpdateService, { input: { id: service.id, connectAs: 'nobody_at_all' } });
    expect(invalid.data?.updateService).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'connectAs'], message: 'connect_as "nobody_at_all" does not match any database_users entry' }],
    });
    const missing = await api.graphql(UpdateService, { input: { id: service.id, connectAs: null } });
    expect(missing.data?.updateService).toMatchObject({ fieldErrors: [{ path: ['input', 'connectAs'], message: 'connect_as is required' }] });
    expect(await cluster().isMember(anon, first)).toBe(true);

    const { data } = await api.graphql(UpdateService, { input: { id: service.id, connectAs: second } });
    expect(data?.updateService).toMatchObject({ __typename: 'UpdateServicePayload', service: { connectAs: { username: second } } });
    expect(await cluster().mayConnect(first)).toBe(false);
    expect(await cluster().isMember(anon, first)).toBe(false);
    expect(await cluster().mayConnect(second)).toBe(true);
    expect(await cluster().isMember(anon, second)).toBe(true);
    expect(await cluster().role(first)).toBeDefined();
  });

  it('keeps the write-only jwt_secret when it is left out or sent back redacted, and removes it on null', async () => {
    const api = gateway();
    const { store } = testStore();
    const user = await databaseUser(api, 'jwt');
    const anon = await role('jwt_anon');
    const secret = 's'.repeat(48);
    const { service } = await created(api, { serviceId: 'jwt-api', type: 'POSTGREST', config: { db_anon_role: anon, jwt_secret: secret }, connectAs: user });
    const rowId = Buffer.from(service.id, 'base64').toString('utf8').replace(/^Service:/, '');

    const omitted = await api.graphql(UpdateService, { input: { id: service.id, config: { db_anon_role: anon, max_rows: 10 } } });
    expect(omitted.data?.updateService).toMatchObject({ service: { config: { max_rows: 10, jwt_secret: 'redacted' } } });
    const echoed = await api.graphql(UpdateService, { input: { id: service.id, config: { ...service.config, db_pool: 3 } } });
    expect(echoed.data?.updateService).toMatchObject({ service: { config: { db_pool: 3, jwt_secret: 'redacted' } } });
    expect(await api.deps.secrets.get(store.db, jwtSecretOwner(rowId))).toBe(secret);

    const removed = await api.graphql(UpdateService, { input: { id: service.id, config: { db_anon_role: anon, jwt_secret: null } } });
    expect(removed.data?.updateService.__typename).toBe('UpdateServicePayload');
    if (removed.data?.updateService.__typename === 'UpdateServicePayload') expect(removed.data.updateService.service.config).not.toHaveProperty('jwt_secret');
    expect(await api.deps.secrets.get(store.db, jwtSecretOwner(rowId))).toBeUndefined();
  });
});

describe('deleteService', () => {
  it('revokes the grants the gateway made and leaves the connect_as user and its own roles alone', async () => {
    const api = gateway();
    const own = await role('own');
    const user = await databaseUser(api, 'del');
    // An operator's grant, not the gateway's (a PostgREST user may not have `roles`).
    await cluster().query(`GRANT ${quoteIdent(own)} TO ${quoteIdent(user)}`);
    const anon = await role('del_anon');
    const verifier = await cluster().verifier(user);
    const { service } = await created(api, { serviceId: 'del-api', type: 'POSTGREST', config: { db_anon_role: anon }, connectAs: user });

    const { data } = await api.graphql(DeleteService, { id: service.id });
    expect(data?.deleteService).toEqual({
      __typename: 'DeleteServicePayload',
      deletedServiceId: service.id,
      grantsRevoked: [
        { kind: 'NOINHERIT', target: user, grantee: user },
        { kind: 'CONNECT', target: cluster().database, grantee: user },
        { kind: 'ROLE', target: anon, grantee: user },
      ],
    });
    expect(await cluster().role(user)).toMatchObject({ rolinherit: true });
    expect(await cluster().mayConnect(user)).toBe(false);
    expect(await cluster().isMember(anon, user)).toBe(false);
    expect(await cluster().role(user)).toMatchObject({ rolcanlogin: true });
    expect(await cluster().isMember(own, user)).toBe(true);
    expect(await cluster().verifier(user)).toBe(verifier);
    expect((await api.graphql(ServiceNode, { id: service.id })).data?.node).toBeNull();
  });

  it('never revokes a grant the gateway did not make', async () => {
    const api = gateway();
    const user = await databaseUser(api, 'operator');
    const anon = await role('op_anon');
    // An operator granted both by hand before the service existed.
    await cluster().query(`GRANT CONNECT ON DATABASE ${quoteIdent(cluster().database)} TO ${quoteIdent(user)}`);
    await cluster().query(`GRANT ${quoteIdent(anon)} TO ${quoteIdent(user)}`);

    const { service, grantsMade } = await created(api, { serviceId: 'op-api', type: 'POSTGREST', config: { db_anon_role: anon }, connectAs: user });
    expect(grantsMade).toEqual([{ kind: 'NOINHERIT', target: user, grantee: user }]);

    const { data } = await api.graphql(DeleteService, { id: service.id });
    expect(data?.deleteService).toMatchObject({ __typename: 'DeleteServicePayload', grantsRevoked: [{ kind: 'NOINHERIT' }] });
    expect(await cluster().mayConnect(user)).toBe(true);
    expect(await cluster().isMember(anon, user)).toBe(true);
  });

  it('keeps a grant another service still needs until the last one goes', async () => {
    const api = gateway();
    const user = await databaseUser(api, 'shared');
    const anon = await role('shared_anon');
    const config = { db_anon_role: anon };
    const one = await created(api, { serviceId: 'shared-one', type: 'POSTGREST', config, connectAs: user });
    const two = await created(api, { serviceId: 'shared-two', type: 'POSTGREST', config, connectAs: user });
    expect(two.grantsMade).toHaveLength(3);

    const first = await api.graphql(DeleteService, { id: one.service.id });
    expect(first.data?.deleteService).toMatchObject({ grantsRevoked: [] });
    expect(await cluster().mayConnect(user)).toBe(true);
    expect(await cluster().isMember(anon, user)).toBe(true);

    const last = await api.graphql(DeleteService, { id: two.service.id });
    expect(last.data?.deleteService).toMatchObject({ grantsRevoked: [{ kind: 'NOINHERIT' }, { kind: 'CONNECT' }, { kind: 'ROLE' }] });
    expect(await cluster().mayConnect(user)).toBe(false);
    expect(await cluster().isMember(anon, user)).toBe(false);
  });

  it('answers an unknown or wrong-type id with NotFoundError', async () => {
    const api = gateway();
    for (const id of [Buffer.from('Service:01900000-0000-7000-8000-000000000000').toString('base64'), Buffer.from('DatabaseUser:x').toString('base64')]) {
      const { data } = await api.graphql(DeleteService, { id });
      expect(data?.deleteService.__typename).toBe('NotFoundError');
    }
  });
});

describe('a grant the cluster refuses leaves neither half', () => {
  async function refusedGrant(api: TestGateway, label: string) {
    const user = await databaseUser(api, label);
    const anon = await role(`${label}_anon`);
    // anon is already a member of the user, so GRANT anon TO user would be circular.
    await cluster().query(`GRANT ${quoteIdent(user)} TO ${quoteIdent(anon)}`);
    const before = await serviceCount(api);

    const result = await createService(api, { serviceId: `${label.replaceAll('_', '-')}-api`, type: 'POSTGREST', config: { db_anon_role: anon }, connectAs: user });

    expect(result).toMatchObject({ __typename: 'BackendError', message: expect.stringContaining(`is a member of role`) });
    expect(await serviceCount(api)).toBe(before);
    // CONNECT was granted first in the same transaction, and rolled back with it.
    expect(await cluster().mayConnect(user)).toBe(false);
  }

  it('on the default target', async () => {
    await refusedGrant(gateway(), 'circular');
  });

  it.runIf(kind === 'postgres')('with TARGET_DATABASE_URL', async () => {
    const api = gateway({ TARGET_DATABASE_URL: testStore().url ?? '' });
    try {
      await refusedGrant(api, 'circular_apart');
    } finally {
      await api.deps.close();
    }
  });
});

const RepairService = graphql(`
  mutation RepairService($id: ID!) {
    repairService(input: { id: $id }) {
      __typename
      ... on RepairServicePayload { grantsMade { kind target grantee } }
      ... on Error { message }
    }
  }
`);

describe('the PostgREST connect_as user is a dedicated authenticator (NOINHERIT, as pgEdge applies it)', () => {
  it('gets NOINHERIT, re-applied by repairService and updateService when someone set INHERIT, and INHERIT back when the last PostgREST service goes', async () => {
    const api = gateway();
    const user = await databaseUser(api, 'authn');
    const anon = await role('authn_anon');
    const config = { db_anon_role: anon };
    const one = await created(api, { serviceId: 'authn-one', type: 'POSTGREST', config, connectAs: user });
    const two = await created(api, { serviceId: 'authn-two', type: 'POSTGREST', config, connectAs: user });
    expect(await cluster().role(user)).toMatchObject({ rolinherit: false });
    expect(await cluster().isMember(anon, user)).toBe(true);

    await cluster().query(`ALTER ROLE ${quoteIdent(user)} INHERIT`);
    await cluster().query(`REVOKE ${quoteIdent(anon)} FROM ${quoteIdent(user)}`);
    const repaired = await api.graphql(RepairService, { id: one.service.id });
    expect(repaired.data?.repairService).toEqual({
      __typename: 'RepairServicePayload',
      grantsMade: [
        { kind: 'NOINHERIT', target: user, grantee: user },
        { kind: 'ROLE', target: anon, grantee: user },
      ],
    });
    expect(await cluster().role(user)).toMatchObject({ rolinherit: false });
    expect(await cluster().isMember(anon, user)).toBe(true);
    expect((await api.graphql(RepairService, { id: one.service.id })).data?.repairService).toMatchObject({ grantsMade: [] });

    await cluster().query(`ALTER ROLE ${quoteIdent(user)} INHERIT`);
    const updated = await api.graphql(UpdateService, { input: { id: two.service.id, version: '12.4' } });
    expect(updated.data?.updateService).toMatchObject({ grantsMade: [{ kind: 'NOINHERIT' }] });
    expect(await cluster().role(user)).toMatchObject({ rolinherit: false });

    await api.graphql(DeleteService, { id: one.service.id });
    expect(await cluster().role(user)).toMatchObject({ rolinherit: false });
    await api.graphql(DeleteService, { id: two.service.id });
    expect(await cluster().role(user)).toMatchObject({ rolinherit: true });
  });

  it('leaves a NOINHERIT the gateway did not set as it was', async () => {
    const api = gateway();
    const user = cluster().name('own_noinherit');
    await api.graphql(CreateUserForService, { input: { username: user, attributes: ['NOINHERIT'] } });
    const anon = await role('own_noinherit_anon');
    const { service, grantsMade } = await created(api, { serviceId: 'own-noinherit', type: 'POSTGREST', config: { db_anon_role: anon }, connectAs: user });
    expect(grantsMade.map((grant) => grant.kind)).toEqual(['CONNECT', 'ROLE']);
    await api.graphql(DeleteService, { id: service.id });
    expect(await cluster().role(user)).toMatchObject({ rolinherit: false });
  });

  it('refuses a user with roles, a user an MCP service connects as, and the reverse; nothing granted', async () => {
    const api = gateway();
    const anon = await role('conflict_anon');
    const reader = await role('conflict_reader');
    const withRoles = await databaseUser(api, 'with_roles', [reader]);
    const shared = await databaseUser(api, 'shared_mcp');
    await created(api, { serviceId: 'conflict-mcp', type: 'MCP', connectAs: shared });
    const authenticator = await databaseUser(api, 'authenticator_only');
    await created(api, { serviceId: 'conflict-api', type: 'POSTGREST', config: { db_anon_role: anon }, connectAs: authenticator });
    const before = { withRoles: await cluster().role(withRoles), shared: await cluster().role(shared) };

    expect(await createService(api, { serviceId: 'roles-api', type: 'POSTGREST', config: { db_anon_role: anon }, connectAs: withRoles })).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [
        {
          path: ['input', 'connectAs'],
          message: `database user "${withRoles}" has roles ("${reader}"); PostgREST sets NOINHERIT on its connect_as user, which would stop it using them: connect PostgREST as a dedicated authenticator user`,
        },
      ],
    });
    expect(await createService(api, { serviceId: 'shared-api', type: 'POSTGREST', config: { db_anon_role: anon }, connectAs: shared })).toMatchObject({
      fieldErrors: [
        {
          path: ['input', 'connectAs'],
          message: `database user "${shared}" is the connect_as user of MCP service "conflict-mcp"; PostgREST sets NOINHERIT on its connect_as user, which would take away the privileges that service uses: connect PostgREST as a dedicated authenticator user`,
        },
      ],
    });
    expect(await createService(api, { serviceId: 'reverse-rag', type: 'RAG', connectAs: authenticator })).toMatchObject({
      fieldErrors: [
        {
          path: ['input', 'connectAs'],
          message: `database user "${authenticator}" is the PostgREST authenticator of service "conflict-api" (NOINHERIT, no privileges of its own in use); connect the RAG service as another database user`,
        },
      ],
    });
    expect({ withRoles: await cluster().role(withRoles), shared: await cluster().role(shared) }).toEqual(before);
    expect(await cluster().isMember(anon, withRoles)).toBe(false);
    expect(await cluster().isMember(anon, shared)).toBe(false);
  });
});

describe('db_anon_role goes through the grantable-roles policy and must be NOLOGIN', () => {
  it.each([
    { case: 'a superuser (postgres)', anon: () => Promise.resolve('postgres'), message: () => 'role "postgres" is a superuser' },
    { case: 'a role that can log in', anon: async () => { const name = cluster().name('login_anon'); await cluster().query(`CREATE ROLE ${quoteIdent(name)} LOGIN`); return name; }, message: (name: string) => `db_anon_role "${name}" can log in (LOGIN); PostgREST's anonymous role must be NOLOGIN` },
    {
      case: 'a member of pg_execute_server_program',
      anon: async () => { const name = cluster().name('program_anon'); await cluster().query(`CREATE ROLE ${quoteIdent(name)} NOLOGIN IN ROLE pg_execute_server_program`); return name; },
      message: (name: string) => `role "${name}" is a member of pg_execute_server_program, which can run programs on the database host`,
    },
    { case: 'pg_read_all_data, not allowlisted', anon: () => Promise.resolve('pg_read_all_data'), message: () => 'role pg_read_all_data is a predefined role not listed in DATABASE_USER_GRANTABLE_ROLES' },
  ])('refuses $case, and grants nothing', async ({ anon, message }) => {
    const api = gateway();
    const user = await databaseUser(api, 'anon_policy');
    const name = await anon();
    const result = await createService(api, { serviceId: 'anon-policy', type: 'POSTGREST', config: { db_anon_role: name }, connectAs: user });
    expect(result).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'config', 'db_anon_role'], message: message(name) }] });
    expect(await cluster().isMember(name, user)).toBe(false);
    expect(await cluster().mayConnect(user)).toBe(false);
    expect(await cluster().role(user)).toMatchObject({ rolinherit: true });
  });
});
