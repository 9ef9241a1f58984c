// Database users through the API, checked on the target cluster itself
// (pg_roles, pg_auth_members, pg_authid, real logins), not only in the store.
// On PGlite the cluster is the embedded store; on Postgres it is this file's
// database on the CI server, where roles are shared: every name is unique and
// dropped after the file.
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { quoteIdent } from '../../src/backends/postgres-roles.ts';
import { verifyScramPassword } from '../../src/backends/scram.ts';
import { passwordOwner } from '../../src/domain/database-users.ts';
import { schema } from '../../src/schema/index.ts';
import { storeFromPool } from '../../src/store/client.ts';
import { graphql } from '../gql/index.ts';
import { connectAs, useClusterProbe } from '../support/cluster.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const cluster = useClusterProbe(testStore);
const kind = inject('storeKind');
const gateway = (env: Record<string, string> = {}) => startTestGateway(testStore().store, env);

const CreateDatabaseUser = graphql(`
  mutation CreateDatabaseUser($input: CreateDatabaseUserInput!) {
    createDatabaseUser(input: $input) {
      __typename
      ... on CreateDatabaseUserPayload {
        password
        roleCreated
        databaseUser { id username dbOwner attributes roles status roleCreated services { serviceId } }
      }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
      ... on BackendError { retryable }
    }
  }
`);

const EnableDatabaseUser = graphql(`
  mutation EnableDatabaseUser($id: ID!) {
    enableDatabaseUser(input: { id: $id }) {
      __typename
      ... on EnableDatabaseUserPayload { databaseUser { id status } }
      ... on Error { message }
    }
  }
`);

const DisableDatabaseUser = graphql(`
  mutation DisableDatabaseUser($id: ID!) {
    disableDatabaseUser(input: { id: $id }) {
      __typename
      ... on DisableDatabaseUserPayload { sessionsTerminated databaseUser { id status } }
      ... on Error { message }
    }
  }
`);

const DeleteDatabaseUser = graphql(`
  mutation DeleteDatabaseUser($id: ID!, $dropRole: Boolean) {
    deleteDatabaseUser(input: { id: $id, dropRole: $dropRole }) {
      __typename
      ... on DeleteDatabaseUserPayload { deletedDatabaseUserId roleDropped }
      ... on Error { message }
    }
  }
`);

const CreateMcpService = graphql(`
  mutation CreateMcpService($serviceId: String!, $connectAs: String!) {
    createService(input: { serviceId: $serviceId, type: MCP, version: "1.0", connectAs: $connectAs }) {
      __typename
      ... on CreateServicePayload { service { id } }
      ... on Error { message }
    }
  }
`);

const DeleteServiceForUser = graphql(`
  mutation DeleteServiceForUser($id: ID!) {
    deleteService(input: { id: $id }) { __typename }
  }
`);

const DatabaseUsersPage = graphql(`
  query DatabaseUsersPage($first: Int, $after: String) {
    databaseUsers(first: $first, after: $after) {
      totalCount
      edges { node { id username status } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const DatabaseUserNode = graphql(`
  query DatabaseUserNode($id: ID!) {
    node(id: $id) { __typename id ... on DatabaseUser { username status } }
  }
`);

type CreateInput = { username: string; password?: string; dbOwner?: boolean; attributes?: string[]; roles?: string[] };

async function created(api: TestGateway, input: CreateInput) {
  const { data, errors } = await api.graphql(CreateDatabaseUser, { input });
  expect(errors).toBeUndefined();
  if (data?.createDatabaseUser.__typename !== 'CreateDatabaseUserPayload') throw new Error(`createDatabaseUser: ${JSON.stringify(data)}`);
  return data.createDatabaseUser;
}

/** Everything about a role an attack could change: password verifier, login, superuser, memberships. */
async function snapshot(role: string) {
  const [row] = await cluster().query<{ rolpassword: string | null; rolcanlogin: boolean; rolsuper: boolean; rolinherit: boolean }>(
    'SELECT rolpassword, rolcanlogin, rolsuper, rolinherit FROM pg_authid WHERE rolname = $1',
    [role],
  );
  const memberOf = await cluster().query<{ rolname: string }>(
    `SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
      WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1) ORDER BY 1`,
    [role],
  );
  return row && { ...row, memberOf: memberOf.map((member) => member.rolname) };
}

async function totalCount(api: TestGateway): Promise<number> {
  const { data } = await api.graphql(DatabaseUsersPage, { first: 1 });
  return data?.databaseUsers.totalCount ?? -1;
}

describe('createDatabaseUser', () => {
  it('creates the role with a generated password, revealed once, that the cluster accepts', async () => {
    // CREATEDB is refused unless the allowlist names it.
    const api = gateway({ DATABASE_USER_ALLOWED_ATTRIBUTES: 'createdb' });
    const username = cluster().name('gen');
    const result = await created(api, { username, attributes: ['createdb', 'NoInherit'] });

    expect(result).toMatchObject({
      roleCreated: true,
      databaseUser: { username, dbOwner: false, attributes: ['CREATEDB', 'NOINHERIT'], roles: [], status: 'ACTIVE', roleCreated: true, services: [] },
    });
    const password = result.password ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(await cluster().role(username)).toEqual({ rolcanlogin: true, rolcreatedb: true, rolinherit: false });
    // The cluster holds a SCRAM verifier of exactly the revealed password.
    const verifier = await cluster().verifier(username);
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(verifyScramPassword(verifier ?? '', password)).toBe(true);
  });

  it('takes a given password and does not echo it', async () => {
    const username = cluster().name('given');
    const password = 'correct horse battery staple';
    const result = await created(gateway(), { username, password });

    expect(result.password).toBeNull();
    expect(verifyScramPassword((await cluster().verifier(username)) ?? '', password)).toBe(true);
  });

  it('grants each requested role (pg_auth_members)', async () => {
    const reader = cluster().name('reader');
    const writer = cluster().name('writer');
    for (const role of [reader, writer]) await cluster().query(`CREATE ROLE ${quoteIdent(role)}`);
    const username = cluster().name('member');

    const result = await created(gateway(), { username, roles: [reader, writer] });

    expect(result.databaseUser.roles).toEqual([reader, writer]);
    expect(await cluster().isMember(reader, username)).toBe(true);
    expect(await cluster().isMember(writer, username)).toBe(true);
  });

  it('refuses a role that already exists (a PostgREST anon role): ConflictError, and the role is exactly as it was', async () => {
    const api = gateway();
    const username = cluster().name('anon_taken');
    await cluster().query(`CREATE ROLE ${quoteIdent(username)} NOLOGIN PASSWORD 'operator-chosen-secret'`);
    const before = await snapshot(username);

    const { data } = await api.graphql(CreateDatabaseUser, { input: { username, password: 'attacker-chosen-password', roles: [] } });
    expect(data?.createDatabaseUser).toEqual({
      __typename: 'ConflictError',
      message: `role "${username}" already exists on the Postgres cluster and the gateway did not create it; an admin can adopt it with adoptDatabaseUser`,
    });
    expect(await snapshot(username)).toEqual(before);
    expect(before).toMatchObject({ rolcanlogin: false });
  });

  it('records an explicit NOLOGIN as a DISABLED user', async () => {
    const username = cluster().name('nologin');
    const result = await created(gateway(), { username, attributes: ['nologin'] });

    expect(result.databaseUser.status).toBe('DISABLED');
    expect(await cluster().role(username)).toMatchObject({ rolcanlogin: false });
  });

  it('refuses a username that is already a database user with a ConflictError', async () => {
    const api = gateway();
    const username = cluster().name('taken');
    await created(api, { username });
    const before = await totalCount(api);

    const { data } = await api.graphql(CreateDatabaseUser, { input: { username } });
    expect(data?.createDatabaseUser).toMatchObject({ __typename: 'ConflictError', message: `a database user "${username}" already exists` });
    expect(await totalCount(api)).toBe(before);
  });

  it('two concurrent creates of one name: one creates it, the other gets a ConflictError', async () => {
    const api = gateway();
    const username = cluster().name('race');

    const results = await Promise.all([1, 2].map(() => api.graphql(CreateDatabaseUser, { input: { username } })));

    expect(results.map((result) => result.data?.createDatabaseUser.__typename).sort()).toEqual(['ConflictError', 'CreateDatabaseUserPayload']);
    const winner = results.find((result) => result.data?.createDatabaseUser.__typename === 'CreateDatabaseUserPayload');
    const password = winner?.data?.createDatabaseUser.__typename === 'CreateDatabaseUserPayload' ? winner.data.createDatabaseUser.password : '';
    // The role carries the winner's password, not one the loser set and rolled back.
    expect(verifyScramPassword((await cluster().verifier(username)) ?? '', password ?? '')).toBe(true);
  });

  it('allows one db_owner: a second is a ValidationError on dbOwner', async () => {
    const api = gateway();
    const owner = cluster().name('owner');
    await created(api, { username: owner, dbOwner: true });
    const second = cluster().name('owner2');

    const { data } = await api.graphql(CreateDatabaseUser, { input: { username: second, dbOwner: true } });
    expect(data?.createDatabaseUser).toEqual({
      __typename: 'ValidationError',
      message: 'another database user is already the db_owner',
      fieldErrors: [{ path: ['input', 'dbOwner'], message: 'another database user is already the db_owner' }],
    });
    expect(await cluster().role(second)).toBeUndefined();
  });
});

describe('createDatabaseUser validation: every message with its path, and nothing created', () => {
  const many = (prefix: string) => Array.from({ length: 17 }, (_, i) => `${prefix}${i % 2 === 0 ? '' : 'NO'}${['CREATEDB', 'INHERIT'][i % 2]}`);

  it.each([
    { case: 'empty username', input: { username: '' }, errors: [{ path: ['input', 'username'], message: 'username is required' }] },
    // The gateway logs in as postgres here, so that reason comes first.
    {
      case: 'reserved postgres, any case',
      input: { username: 'Postgres' },
      errors: [{ path: ['input', 'username'], message: 'username "Postgres" is reserved: it is the gateway\'s own role' }],
    },
    ...['current_user', 'SESSION_USER', 'current_role', 'all', 'Public', 'none'].map((username) => ({
      case: `reserved ${username}`,
      input: { username },
      errors: [{ path: ['input', 'username'], message: `username "${username}" is reserved` }],
    })),
    {
      case: 'SUPERUSER, REPLICATION and BYPASSRLS without the allowlist',
      input: { username: 'ig_v_super', attributes: ['SUPERUSER', 'replication', 'BYPASSRLS'] },
      errors: [
        { path: ['input', 'attributes', '0'], message: 'attribute SUPERUSER is not allowed: a role with it bypasses every permission check; list it in DATABASE_USER_ALLOWED_ATTRIBUTES to allow it' },
        { path: ['input', 'attributes', '1'], message: 'attribute REPLICATION is not allowed: a role with it can stream every row of the cluster; list it in DATABASE_USER_ALLOWED_ATTRIBUTES to allow it' },
        { path: ['input', 'attributes', '2'], message: 'attribute BYPASSRLS is not allowed: a role with it bypasses every row-level security policy; list it in DATABASE_USER_ALLOWED_ATTRIBUTES to allow it' },
      ],
    },
    {
      case: 'a superuser role (postgres, also the gateway’s own role)',
      input: { username: 'ig_v_su_role', roles: ['postgres'] },
      errors: [{ path: ['input', 'roles', '0'], message: 'role "postgres" is a superuser' }],
    },
    {
      case: 'pg_execute_server_program (COPY ... FROM PROGRAM)',
      input: { username: 'ig_v_program', roles: ['pg_execute_server_program'] },
      errors: [{ path: ['input', 'roles', '0'], message: 'role pg_execute_server_program can run programs on the database host' }],
    },
    {
      case: 'the server file roles and pg_read_all_data',
      input: { username: 'ig_v_files', roles: ['pg_read_server_files', 'pg_write_server_files', 'pg_read_all_data'] },
      errors: [
        { path: ['input', 'roles', '0'], message: 'role pg_read_server_files can read any file on the database host' },
        { path: ['input', 'roles', '1'], message: 'role pg_write_server_files can write any file on the database host' },
        { path: ['input', 'roles', '2'], message: 'role pg_read_all_data is a predefined role not listed in DATABASE_USER_GRANTABLE_ROLES' },
      ],
    },
    {
      case: 'reserved pg_ prefix',
      input: { username: 'pg_gateway_x' },
      errors: [{ path: ['input', 'username'], message: 'username "pg_gateway_x" is reserved: names starting with "pg_" belong to Postgres' }],
    },
    {
      case: 'unsupported attributes',
      input: { username: 'ig_v_attrs', attributes: ['LOGIN', 'LOGIN; DROP ROLE postgres', 'superduper'] },
      errors: [
        { path: ['input', 'attributes', '1'], message: 'unsupported role attribute "LOGIN; DROP ROLE postgres"' },
        { path: ['input', 'attributes', '2'], message: 'unsupported role attribute "superduper"' },
      ],
    },
    {
      case: 'more than 16 attributes',
      input: { username: 'ig_v_many_attrs', attributes: many('').map(() => 'NOINHERIT') },
      errors: [{ path: ['input', 'attributes'], message: 'at most 16 attributes are allowed' }],
    },
    {
      case: 'more than 16 roles',
      input: { username: 'ig_v_many_roles', roles: Array.from({ length: 17 }, (_, i) => `ig_v_role_${i}`) },
      errors: [{ path: ['input', 'roles'], message: 'at most 16 roles are allowed' }],
    },
    {
      case: 'a role that does not exist on the cluster',
      input: { username: 'ig_v_missing_role', roles: ['ig_v_no_such_role'] },
      errors: [{ path: ['input', 'roles', '0'], message: 'role "ig_v_no_such_role" does not exist on the Postgres cluster' }],
    },
    { case: 'an empty password', input: { username: 'ig_v_empty_pw', password: '' }, errors: [{ path: ['input', 'password'], message: 'password must not be empty' }] },
  ])('$case', async ({ input, errors }) => {
    const api = gateway();
    const before = await totalCount(api);
    if (input.username.startsWith('ig_')) cluster().track(input.username);

    const { data, errors: graphqlErrors } = await api.graphql(CreateDatabaseUser, { input });

    expect(graphqlErrors).toBeUndefined();
    expect(data?.createDatabaseUser).toMatchObject({ __typename: 'ValidationError', fieldErrors: errors });
    if (data?.createDatabaseUser.__typename === 'ValidationError') expect(data.createDatabaseUser.fieldErrors).toHaveLength(errors.length);
    expect(await totalCount(api)).toBe(before);
    if (input.username !== '') expect(await cluster().role(input.username)).toBeUndefined();
  });
});

describe('enableDatabaseUser and disableDatabaseUser', () => {
  it('flip pg_roles.rolcanlogin and are idempotent both ways', async () => {
    const api = gateway();
    const username = cluster().name('flip');
    const { databaseUser } = await created(api, { username });

    for (const _ of [1, 2]) {
      const { data } = await api.graphql(DisableDatabaseUser, { id: databaseUser.id });
      expect(data?.disableDatabaseUser).toMatchObject({ __typename: 'DisableDatabaseUserPayload', sessionsTerminated: 0, databaseUser: { status: 'DISABLED' } });
      expect(await cluster().role(username)).toMatchObject({ rolcanlogin: false });
    }
    for (const _ of [1, 2]) {
      const { data } = await api.graphql(EnableDatabaseUser, { id: databaseUser.id });
      expect(data?.enableDatabaseUser).toMatchObject({ __typename: 'EnableDatabaseUserPayload', databaseUser: { status: 'ACTIVE' } });
      expect(await cluster().role(username)).toMatchObject({ rolcanlogin: true });
    }
  });

  it('answers an unknown, malformed or wrong-type id with NotFoundError', async () => {
    const api = gateway();
    const unknown = Buffer.from('DatabaseUser:01900000-0000-7000-8000-000000000000').toString('base64');
    const wrongType = Buffer.from('User:01900000-0000-7000-8000-000000000000').toString('base64');
    for (const id of [unknown, 'not-a-global-id', wrongType]) {
      const { data, errors } = await api.graphql(DisableDatabaseUser, { id });
      expect(errors).toBeUndefined();
      expect(data?.disableDatabaseUser.__typename).toBe('NotFoundError');
    }
  });

  it('answers a role dropped behind the gateway’s back with a ConflictError, not a 500', async () => {
    const api = gateway();
    const username = cluster().name('vanished');
    const { databaseUser } = await created(api, { username });
    await cluster().query(`DROP ROLE ${quoteIdent(username)}`);

    const { data, errors } = await api.graphql(DisableDatabaseUser, { id: databaseUser.id });
    expect(errors).toBeUndefined();
    expect(data?.disableDatabaseUser).toEqual({
      __typename: 'ConflictError',
      message: `role "${username}" no longer exists on the Postgres cluster (dropped outside the gateway); delete or release the database user, then create it again`,
    });
    const node = await api.graphql(DatabaseUserNode, { id: databaseUser.id });
    expect(node.data?.node).toMatchObject({ status: 'ACTIVE' });
  });

  it('never acts on a role dropped and re-created under the same name outside the gateway, nor drops it', async () => {
    const api = gateway();
    const username = cluster().name('replaced');
    const { databaseUser } = await created(api, { username });
    await cluster().query(`DROP ROLE ${quoteIdent(username)}`);
    await cluster().query(`CREATE ROLE ${quoteIdent(username)} LOGIN PASSWORD 'someone-elses-password'`);
    const before = await snapshot(username);

    const { data } = await api.graphql(DisableDatabaseUser, { id: databaseUser.id });
    expect(data?.disableDatabaseUser).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('is not the one the gateway created') });
    const deleted = await api.graphql(DeleteDatabaseUser, { id: databaseUser.id, dropRole: true });
    expect(deleted.data?.deleteDatabaseUser).toMatchObject({ __typename: 'DeleteDatabaseUserPayload', roleDropped: false });
    expect(await snapshot(username)).toEqual(before);
  });

  describe.runIf(kind === 'postgres')('on a real server', () => {
    async function loginUser(api: TestGateway, label: string) {
      const username = cluster().name(label);
      const result = await created(api, { username });
      // An operator's grant: this file's database has CONNECT revoked from PUBLIC.
      await cluster().query(`GRANT CONNECT ON DATABASE ${quoteIdent(cluster().database)} TO ${quoteIdent(username)}`);
      return { id: result.databaseUser.id, username, password: result.password ?? '' };
    }

    it('a login with the revealed password succeeds, and fails once disabled', async () => {
      const api = gateway();
      const user = await loginUser(api, 'login');

      const client = await connectAs(cluster().urlAs(user.username, user.password));
      const [who] = (await client.query<{ user: string }>('SELECT current_user AS user')).rows;
      await client.end();
      expect(who?.user).toBe(user.username);

      await api.graphql(DisableDatabaseUser, { id: user.id });
      await expect(connectAs(cluster().urlAs(user.username, user.password))).rejects.toThrow(`role "${user.username}" is not permitted to log in`);

      await api.graphql(EnableDatabaseUser, { id: user.id });
      const again = await connectAs(cluster().urlAs(user.username, user.password));
      await again.end();
    });

    it('disable ends the sessions that are already open (NOLOGIN alone would not)', async () => {
      const api = gateway();
      const user = await loginUser(api, 'session');
      const open = await connectAs(cluster().urlAs(user.username, user.password));
      try {
        const { data } = await api.graphql(DisableDatabaseUser, { id: user.id });
        expect(data?.disableDatabaseUser).toMatchObject({ __typename: 'DisableDatabaseUserPayload', sessionsTerminated: 1 });
        await expect(open.query('SELECT 1')).rejects.toThrow();
        const left = await cluster().query('SELECT 1 FROM pg_stat_activity WHERE usename = $1', [user.username]);
        expect(left).toEqual([]);
      } finally {
        await open.end().catch(() => undefined);
      }
    });
  });
});

describe('deleteDatabaseUser', () => {
  it('is refused with a ConflictError naming the services while any connects as the user', async () => {
    const api = gateway();
    const username = cluster().name('inuse');
    const { databaseUser } = await created(api, { username });
    const services: string[] = [];
    for (const serviceId of ['inuse-a', 'inuse-b']) {
      const { data } = await api.graphql(CreateMcpService, { serviceId, connectAs: username });
      if (data?.createService.__typename !== 'CreateServicePayload') throw new Error(JSON.stringify(data));
      services.push(data.createService.service.id);
    }

    const { data } = await api.graphql(DeleteDatabaseUser, { id: databaseUser.id, dropRole: true });
    expect(data?.deleteDatabaseUser).toEqual({
      __typename: 'ConflictError',
      message: `database user "${username}" is the connect_as user of services "inuse-a", "inuse-b"; delete or re-point them first`,
    });
    expect(await cluster().role(username)).toBeDefined();
    expect((await api.graphql(DatabaseUserNode, { id: databaseUser.id })).data?.node).toMatchObject({ username });

    for (const id of services) await api.graphql(DeleteServiceForUser, { id });
    const retried = await api.graphql(DeleteDatabaseUser, { id: databaseUser.id, dropRole: true });
    expect(retried.data?.deleteDatabaseUser).toMatchObject({ __typename: 'DeleteDatabaseUserPayload', roleDropped: true });
    expect(await cluster().role(username)).toBeUndefined();
  });

  it('removes only the record (and its sealed password) unless dropRole is passed', async () => {
    const api = gateway();
    const { store } = testStore();
    const username = cluster().name('keep');
    const { databaseUser } = await created(api, { username });
    const rowId = Buffer.from(databaseUser.id, 'base64').toString('utf8').replace(/^DatabaseUser:/, '');
    expect(await api.deps.secrets.get(store.db, passwordOwner(rowId))).toBeDefined();

    const { data } = await api.graphql(DeleteDatabaseUser, { id: databaseUser.id });
    expect(data?.deleteDatabaseUser).toEqual({ __typename: 'DeleteDatabaseUserPayload', deletedDatabaseUserId: databaseUser.id, roleDropped: false });
    expect((await api.graphql(DatabaseUserNode, { id: databaseUser.id })).data?.node).toBeNull();
    expect(await api.deps.secrets.get(store.db, passwordOwner(rowId))).toBeUndefined();
    expect(await cluster().role(username)).toMatchObject({ rolcanlogin: true });
  });

  it('keeps the record when the cluster refuses DROP ROLE: neither half happens', async () => {
    const api = gateway();
    const username = cluster().name('owns');
    const { databaseUser } = await created(api, { username });
    const table = `ig_owned_${username}`;
    await cluster().query(`CREATE TABLE ${quoteIdent(table)} (id int)`);
    await cluster().query(`ALTER TABLE ${quoteIdent(table)} OWNER TO ${quoteIdent(username)}`);

    const { data } = await api.graphql(DeleteDatabaseUser, { id: databaseUser.id, dropRole: true });
    expect(data?.deleteDatabaseUser).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining(`role "${username}" cannot be dropped`) });
    expect((await api.graphql(DatabaseUserNode, { id: databaseUser.id })).data?.node).toMatchObject({ username });
    expect(await cluster().role(username)).toBeDefined();
    await cluster().query(`DROP TABLE ${quoteIdent(table)}`);
  });
});

describe('reading database users', () => {
  it('pages in creation order, resolves by node id, and has no password field at all', async () => {
    const api = gateway();
    const names = [cluster().name('page'), cluster().name('page')];
    const ids: string[] = [];
    for (const username of names) ids.push((await created(api, { username })).databaseUser.id);

    const first = await api.graphql(DatabaseUsersPage, { first: 1 });
    const total = first.data?.databaseUsers.totalCount ?? 0;
    const whole = await api.graphql(DatabaseUsersPage, { first: total });
    const all = whole.data?.databaseUsers.edges.map((edge) => edge.node.id) ?? [];
    expect(all).toHaveLength(total);
    const next = await api.graphql(DatabaseUsersPage, { first: 1, after: first.data?.databaseUsers.pageInfo.endCursor ?? null });
    expect(next.data?.databaseUsers.edges.map((edge) => edge.node.id)).toEqual(all.slice(1, 2));
    expect(all.slice(-2)).toEqual(ids);
    expect((await api.graphql(DatabaseUserNode, { id: ids[0] ?? '' })).data?.node).toMatchObject({ __typename: 'DatabaseUser', username: names[0] });
    const type = schema.getType('DatabaseUser');
    expect(type && 'getFields' in type ? Object.keys(type.getFields()) : []).not.toContain('password');
  });
});

describe('the cleartext password never leaves the gateway', () => {
  it('no statement the gateway sends holds it, and no log line, audit row or secret row does', async () => {
    const { store } = testStore();
    const api = gateway();
    const password = `cleartext-${Math.random().toString(36).slice(2)}-marker`;
    const statements: string[] = [];
    const stop = store.onQuery((query) => statements.push(query));
    try {
      await created(api, { username: cluster().name('nolog'), password });
    } finally {
      stop();
    }
    // On the default target the cluster statements go through the store's own connection.
    expect(statements.some((text) => /ALTER ROLE .* WITH PASSWORD 'SCRAM-SHA-256\$/.test(text))).toBe(true);
    expect(statements.join('\n')).not.toContain(password);
    expect(api.logs.join('\n')).not.toContain(password);
    const audit = await store.raw<{ row: string }>('SELECT row_to_json(a)::text AS row FROM audit_events a');
    expect(audit.map((r) => r.row).join('\n')).not.toContain(password);
    const sealed = await store.raw<{ ciphertext: Uint8Array }>('SELECT ciphertext FROM secrets');
    for (const row of sealed) expect(Buffer.from(row.ciphertext).toString('latin1')).not.toContain(password);
  });

  it('a generated password is in the payload once, and in no log line or audit row', async () => {
    const { store } = testStore();
    const api = gateway();
    const { password, databaseUser } = await created(api, { username: cluster().name('genlog') });
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);

    expect(api.logs.join('\n')).not.toContain(password);
    const audit = await store.raw<{ row: string }>('SELECT row_to_json(a)::text AS row FROM audit_events a');
    expect(audit.map((r) => r.row).join('\n')).not.toContain(password);
    const again = await api.graphql(DatabaseUserNode, { id: databaseUser.id });
    expect(JSON.stringify(again)).not.toContain(password);
  });

  describe.runIf(kind === 'postgres')('on the wire (every byte the gateway sends to Postgres)', () => {
    const proxies: Array<{ server: Server; sockets: Set<Socket> }> = [];
    afterAll(async () => {
      for (const { server, sockets } of proxies) {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    /** A TCP proxy to the test server that records what clients send. */
    async function recordingProxy(): Promise<{ url: string; sent: Buffer[] }> {
      const upstream = new URL(testStore().url ?? '');
      const sent: Buffer[] = [];
      const sockets = new Set<Socket>();
      const server = createServer((client) => {
        const backend = connect(Number(upstream.port || 5432), upstream.hostname);
        sockets.add(client).add(backend);
        client.on('data', (chunk: Buffer) => {
          sent.push(Buffer.from(chunk));
          backend.write(chunk);
        });
        backend.on('data', (chunk: Buffer) => client.write(chunk));
        for (const socket of [client, backend]) socket.on('error', () => undefined);
        client.on('close', () => backend.destroy());
        backend.on('close', () => client.destroy());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      proxies.push({ server, sockets });
      const address = server.address();
      if (!address || typeof address === 'string') throw new Error('proxy address');
      const url = new URL(upstream);
      url.hostname = '127.0.0.1';
      url.port = String(address.port);
      return { url: url.toString(), sent };
    }

    function expectNoCleartext(sent: Buffer[], password: string) {
      const wire = Buffer.concat(sent);
      expect(wire.includes(Buffer.from("WITH PASSWORD 'SCRAM-SHA-256$4096:"))).toBe(true);
      expect(wire.includes(Buffer.from(password, 'utf8'))).toBe(false);
    }

    it('through TARGET_DATABASE_URL: only the SCRAM verifier is sent', async () => {
      const proxy = await recordingProxy();
      const api = gateway({ TARGET_DATABASE_URL: proxy.url });
      const password = `wire-${Math.random().toString(36).slice(2)}-target`;
      try {
        const result = await created(api, { username: cluster().name('wire'), password });
        expect(result.password).toBeNull();
        expectNoCleartext(proxy.sent, password);
        // A generated password is not sent either.
        proxy.sent.length = 0;
        const generated = await created(api, { username: cluster().name('wiregen') });
        expectNoCleartext(proxy.sent, generated.password ?? '');
      } finally {
        await api.deps.close();
      }
    });

    it('on the default target (the store itself): store writes and role DDL alike', async () => {
      const proxy = await recordingProxy();
      const pool = new pg.Pool({ connectionString: proxy.url, max: 2 });
      pool.on('error', () => undefined);
      const store = storeFromPool(pool);
      const api = startTestGateway(store);
      const password = `wire-${Math.random().toString(36).slice(2)}-store`;
      try {
        await created(api, { username: cluster().name('wirestore'), password });
        expectNoCleartext(proxy.sent, password);
      } finally {
        await store.close();
      }
    });
  });
});

describe('an unreachable cluster', () => {
  it('is a retryable BackendError, and nothing is recorded', async () => {
    const api = gateway({ TARGET_DATABASE_URL: 'postgres://gateway@127.0.0.1:1/unreachable' });
    try {
      const before = await totalCount(api);
      const { data, errors } = await api.graphql(CreateDatabaseUser, { input: { username: 'ig_unreachable' } });
      expect(errors).toBeUndefined();
      expect(data?.createDatabaseUser).toEqual({ __typename: 'BackendError', message: 'the Postgres cluster could not be reached (ECONNREFUSED)', retryable: true });
      expect(await totalCount(api)).toBe(before);
    } finally {
      await api.deps.close();
    }
  });
});

describe.runIf(kind === 'postgres')('with TARGET_DATABASE_URL (a cluster apart from the store)', () => {
  it('creates, disables and drops on the target, and keeps the record when the target refuses', async () => {
    const api = gateway({ TARGET_DATABASE_URL: testStore().url ?? '' });
    try {
      const username = cluster().name('apart');
      const { databaseUser } = await created(api, { username });
      expect(await cluster().role(username)).toMatchObject({ rolcanlogin: true });

      await api.graphql(DisableDatabaseUser, { id: databaseUser.id });
      expect(await cluster().role(username)).toMatchObject({ rolcanlogin: false });

      const table = `ig_owned_${username}`;
      await cluster().query(`CREATE TABLE ${quoteIdent(table)} (id int)`);
      await cluster().query(`ALTER TABLE ${quoteIdent(table)} OWNER TO ${quoteIdent(username)}`);
      const refused = await api.graphql(DeleteDatabaseUser, { id: databaseUser.id, dropRole: true });
      expect(refused.data?.deleteDatabaseUser.__typename).toBe('ConflictError');
      expect((await api.graphql(DatabaseUserNode, { id: databaseUser.id })).data?.node).toMatchObject({ username });

      await cluster().query(`DROP TABLE ${quoteIdent(table)}`);
      const dropped = await api.graphql(DeleteDatabaseUser, { id: databaseUser.id, dropRole: true });
      expect(dropped.data?.deleteDatabaseUser).toMatchObject({ roleDropped: true });
      expect(await cluster().role(username)).toBeUndefined();
    } finally {
      await api.deps.close();
    }
  });
});

const AdoptDatabaseUser = graphql(`
  mutation AdoptDatabaseUser($input: AdoptDatabaseUserInput!) {
    adoptDatabaseUser(input: $input) {
      __typename
      ... on AdoptDatabaseUserPayload { ownership databaseUser { id username status ownership roleCreated attributes roles } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const ReleaseDatabaseUser = graphql(`
  mutation ReleaseDatabaseUser($id: ID!) {
    releaseDatabaseUser(input: { id: $id }) {
      __typename
      ... on ReleaseDatabaseUserPayload { releasedDatabaseUserId ownership }
      ... on Error { message }
    }
  }
`);

const AdoptionEvents = graphql(`
  query AdoptionEvents($targetId: ID!) {
    auditEvents(filter: { targetId: $targetId }, first: 10) {
      edges { node { actor operation outcome targetIds details } }
    }
  }
`);

describe('the grantable-roles policy, over the whole membership closure', () => {
  it('refuses a role that is a member of pg_execute_server_program, and creates nothing', async () => {
    const api = gateway();
    const middle = cluster().name('ops');
    const outer = cluster().name('ops_outer');
    await cluster().query(`CREATE ROLE ${quoteIdent(middle)} NOLOGIN`);
    await cluster().query(`GRANT pg_execute_server_program TO ${quoteIdent(middle)}`);
    await cluster().query(`CREATE ROLE ${quoteIdent(outer)} NOLOGIN IN ROLE ${quoteIdent(middle)}`);
    const username = cluster().name('via');

    const { data } = await api.graphql(CreateDatabaseUser, { input: { username, roles: [outer] } });
    expect(data?.createDatabaseUser).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'roles', '0'], message: `role "${outer}" is a member of pg_execute_server_program, which can run programs on the database host` }],
    });
    expect(await cluster().role(username)).toBeUndefined();
  });

  it('grants a predefined role DATABASE_USER_GRANTABLE_ROLES lists, by glob', async () => {
    const api = gateway({ DATABASE_USER_GRANTABLE_ROLES: 'pg_read_all_*' });
    const username = cluster().name('allowed');
    await created(api, { username, roles: ['pg_read_all_data'] });
    expect(await cluster().isMember('pg_read_all_data', username)).toBe(true);
  });
});

describe('adoptDatabaseUser and releaseDatabaseUser', () => {
  it('an admin adopts an existing role without changing it, on record in auditEvents; enable acts on it; release forgets it', async () => {
    const api = gateway();
    const username = cluster().name('legacy');
    await cluster().query(`CREATE ROLE ${quoteIdent(username)} NOLOGIN PASSWORD 'the-operators-own-password'`);
    const before = await snapshot(username);

    const { data } = await api.graphql(AdoptDatabaseUser, { input: { username } });
    if (data?.adoptDatabaseUser.__typename !== 'AdoptDatabaseUserPayload') throw new Error(JSON.stringify(data));
    const adopted = data.adoptDatabaseUser;
    expect(adopted).toMatchObject({ ownership: 'ADOPTED', databaseUser: { username, status: 'DISABLED', ownership: 'ADOPTED', roleCreated: false, attributes: [], roles: [] } });
    expect(await snapshot(username)).toEqual(before);

    const events = await api.graphql(AdoptionEvents, { targetId: adopted.databaseUser.id });
    expect(events.data?.auditEvents.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ actor: 'admin-token', operation: 'adoptDatabaseUser', outcome: 'AdoptDatabaseUserPayload', details: expect.objectContaining({ ownership: 'ADOPTED' }) }),
    ]);

    const enabled = await api.graphql(EnableDatabaseUser, { id: adopted.databaseUser.id });
    expect(enabled.data?.enableDatabaseUser).toMatchObject({ databaseUser: { status: 'ACTIVE' } });
    expect(await cluster().role(username)).toMatchObject({ rolcanlogin: true });
    const afterEnable = await snapshot(username);

    const released = await api.graphql(ReleaseDatabaseUser, { id: adopted.databaseUser.id });
    expect(released.data?.releaseDatabaseUser).toEqual({ __typename: 'ReleaseDatabaseUserPayload', releasedDatabaseUserId: adopted.databaseUser.id, ownership: 'ADOPTED' });
    expect((await api.graphql(DatabaseUserNode, { id: adopted.databaseUser.id })).data?.node).toBeNull();
    expect(await snapshot(username)).toEqual(afterEnable);
    const releaseEvents = await api.graphql(AdoptionEvents, { targetId: adopted.databaseUser.id });
    expect(releaseEvents.data?.auditEvents.edges.map((edge) => edge.node.operation)).toContain('releaseDatabaseUser');
  });

  it('sets the password only when one is given', async () => {
    const api = gateway();
    const username = cluster().name('adopt_pw');
    await cluster().query(`CREATE ROLE ${quoteIdent(username)} LOGIN`);
    const password = 'a-new-password-for-the-adopted-role';
    const { data } = await api.graphql(AdoptDatabaseUser, { input: { username, password } });
    expect(data?.adoptDatabaseUser).toMatchObject({ __typename: 'AdoptDatabaseUserPayload', databaseUser: { status: 'ACTIVE' } });
    expect(verifyScramPassword((await cluster().verifier(username)) ?? '', password)).toBe(true);
  });

  it('never adopts a superuser-equivalent role, a member of a forbidden role, a reserved name or a missing role', async () => {
    const api = gateway();
    const superuser = cluster().name('adopt_su');
    const replicator = cluster().name('adopt_repl');
    const member = cluster().name('adopt_member');
    await cluster().query(`CREATE ROLE ${quoteIdent(superuser)} SUPERUSER NOLOGIN`);
    await cluster().query(`CREATE ROLE ${quoteIdent(replicator)} REPLICATION NOLOGIN`);
    await cluster().query(`CREATE ROLE ${quoteIdent(member)} NOLOGIN IN ROLE pg_write_server_files`);
    const missing = cluster().name('adopt_missing');
    const cases: Array<[string, string]> = [
      [superuser, `role "${superuser}" is a superuser; the gateway never adopts such a role`],
      [replicator, `role "${replicator}" has REPLICATION (can stream every row of the cluster); the gateway never adopts such a role`],
      [member, `role "${member}" is a member of pg_write_server_files, which can write any file on the database host; the gateway never adopts such a role`],
      ['postgres', `username "postgres" is reserved: it is the gateway's own role`],
      ['pg_monitor', 'username "pg_monitor" is reserved: names starting with "pg_" belong to Postgres'],
      [missing, `role "${missing}" does not exist on the Postgres cluster`],
    ];
    for (const [username, message] of cases) {
      const before = await snapshot(username);
      const { data } = await api.graphql(AdoptDatabaseUser, { input: { username, password: 'would-be-set-if-adopted' } });
      expect(data?.adoptDatabaseUser).toEqual({ __typename: 'ValidationError', message, fieldErrors: [{ path: ['input', 'username'], message }] });
      expect(await snapshot(username)).toEqual(before);
    }
  });

  it('is admin only, and a role already recorded is a ConflictError', async () => {
    const api = gateway();
    const username = cluster().name('adopt_twice');
    await created(api, { username });
    const denied = await api.graphql(AdoptDatabaseUser, { input: { username } }, { token: null });
    expect(denied.data?.adoptDatabaseUser.__typename).toBe('ForbiddenError');
    const again = await api.graphql(AdoptDatabaseUser, { input: { username } });
    expect(again.data?.adoptDatabaseUser).toEqual({ __typename: 'ConflictError', message: `a database user "${username}" already exists` });
  });
});
