// Every assertion reads the cluster's own catalogs (pg_roles, pg_authid,
// pg_auth_members, has_database_privilege) or logs in for real, never the
// module's own view of them. Roles are cluster-wide on Postgres, so each test
// makes uniquely named ones and afterAll drops every one of them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createPostgresRoles,
  InvalidIdentifierError,
  type PostgresRoles,
  quoteIdent,
  type TargetCluster,
  type TargetQuery,
  targetFromPglite,
  targetFromPool,
} from '../../src/backends/postgres-roles.ts';
import { parseScramVerifier, saslprep, scramSha256Verifier, verifyScramPassword } from '../../src/backends/scram.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const kind = inject('storeKind');

let pool: pg.Pool | undefined;
let target: TargetCluster;
let roles: PostgresRoles;
let database: string;
const made = new Set<string>();

function roleName(label: string): string {
  const name = `ig_t_${label}_${randomBytes(4).toString('hex')}`;
  made.add(name);
  return name;
}

beforeAll(async () => {
  const { url, pglite } = testStore();
  if (url) {
    pool = new pg.Pool({ connectionString: url, max: 3 });
    pool.on('error', () => undefined);
    target = targetFromPool(pool);
  } else if (pglite) {
    target = targetFromPglite(pglite);
  } else {
    throw new Error('test store has neither a url nor a PGlite instance');
  }
  roles = createPostgresRoles(target);
  database = await roles.databaseName();
  // Every role may connect to a new database through PUBLIC, which would make
  // has_database_privilege say yes before any grant. This database is this
  // file's own, so taking that away here affects nothing else.
  await target.query(`REVOKE CONNECT ON DATABASE ${quoteIdent(database)} FROM PUBLIC`);
});

afterAll(async () => {
  for (const name of made) {
    if (await roles.roleExists(name)) {
      // Privileges on this database (a shared object) would block DROP ROLE.
      await target.query(`DROP OWNED BY ${quoteIdent(name)}`);
      await roles.dropRole(name);
    }
  }
  await pool?.end();
});

/** Records every statement and its parameters, including those inside transactions. */
function recorded(inner: TargetCluster): { target: TargetCluster; sent: { text: string; params: unknown[] }[] } {
  const sent: { text: string; params: unknown[] }[] = [];
  const wrap =
    (query: TargetQuery): TargetQuery =>
    <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => {
      sent.push({ text, params });
      return query<Row>(text, params);
    };
  return {
    sent,
    target: {
      kind: inner.kind,
      query: wrap(inner.query),
      transaction: (fn) => inner.transaction((query) => fn(wrap(query))),
      databaseName: () => inner.databaseName(),
    },
  };
}

async function roleRow(name: string) {
  const [row] = await target.query<{
    rolcanlogin: boolean;
    rolcreatedb: boolean;
    rolinherit: boolean;
    rolreplication: boolean;
    rolbypassrls: boolean;
  }>('SELECT rolcanlogin, rolcreatedb, rolinherit, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = $1', [name]);
  return row;
}

async function isMemberInCatalog(parent: string, member: string): Promise<boolean> {
  const rows = await target.query(
    `SELECT 1 FROM pg_auth_members
      WHERE roleid = (SELECT oid FROM pg_roles WHERE rolname = $1)
        AND member = (SELECT oid FROM pg_roles WHERE rolname = $2)`,
    [parent, member],
  );
  return rows.length > 0;
}

async function mayConnect(role: string): Promise<boolean> {
  const [row] = await target.query<{ ok: boolean }>("SELECT has_database_privilege($1, $2, 'CONNECT') AS ok", [role, database]);
  return row?.ok ?? false;
}

describe('creating and dropping roles', () => {
  it('creates a role only when it is absent, NOLOGIN until login is enabled', async () => {
    const name = roleName('create');

    expect(await roles.roleExists(name)).toBe(false);
    expect(await roles.createRoleIfAbsent(name)).toEqual({ created: true });
    expect(await roles.createRoleIfAbsent(name)).toEqual({ created: false });
    expect(await roleRow(name)).toMatchObject({ rolcanlogin: false });
  });

  it('drops a role, and reports a role that was not there', async () => {
    const name = roleName('drop');
    await roles.createRoleIfAbsent(name);

    expect(await roles.dropRole(name)).toEqual({ dropped: true });
    expect(await roleRow(name)).toBeUndefined();
    expect(await roles.dropRole(name)).toEqual({ dropped: false });
  });

  it('treats a name that tries to break out of its quotes as just a name', async () => {
    const name = roleName('x"; DROP ROLE postgres; --');
    const member = roleName('odd "member" with spaces');

    await roles.createRoleIfAbsent(name);
    await roles.createRoleIfAbsent(member);
    expect(await roles.grantRole(name, member)).toEqual({ granted: true });

    const [row] = await target.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = $1', [name]);
    expect(row?.rolname).toBe(name);
    expect(await isMemberInCatalog(name, member)).toBe(true);
    expect(await roles.roleExists('postgres')).toBe(true);
  });

  it('refuses names Postgres would truncate or cannot hold, before sending any SQL', async () => {
    const { target: spied, sent } = recorded(target);
    const spiedRoles = createPostgresRoles(spied);

    await expect(spiedRoles.createRoleIfAbsent('')).rejects.toThrow(InvalidIdentifierError);
    await expect(spiedRoles.createRoleIfAbsent(`ig_t_${'x'.repeat(59)}`)).rejects.toThrow(/at most 63 bytes/);
    await expect(spiedRoles.createRoleIfAbsent(`ig_t_${'é'.repeat(30)}`)).rejects.toThrow(/at most 63 bytes/);
    await expect(spiedRoles.createRoleIfAbsent('ig_t_nul\u0000')).rejects.toThrow(/NUL/);
    await expect(spiedRoles.grantConnect('db\nname', 'ig_t_role')).rejects.toThrow(/invalid database name/);
    expect(sent).toEqual([]);
  });
});

describe('passwords', () => {
  it('sends only a SCRAM verifier: the cleartext appears in no statement and no parameter', async () => {
    const name = roleName('password');
    const password = `pw-${randomBytes(12).toString('base64url')}`;
    await roles.createRoleIfAbsent(name);
    const { target: spied, sent } = recorded(target);

    await createPostgresRoles(spied).setPassword(name, password);

    const wire = JSON.stringify(sent);
    expect(wire).not.toContain(password);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toMatch(/^ALTER ROLE "ig_t_password_[0-9a-f]+" WITH PASSWORD 'SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+'$/);
    const [row] = await target.query<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [name]);
    expect(sent[0]?.text).toContain(row?.rolpassword);
    expect(verifyScramPassword(row?.rolpassword ?? '', password)).toBe(true);
  });

  describe('the verifier equals the one Postgres computes itself from the cleartext', () => {
    // Only this test ever sends a cleartext password, so that the server
    // derives the verifier with its own SASLprep and PBKDF2; ours must be
    // byte-for-byte the same given the salt and iteration count it chose.
    // `normalised` says whether SASLprep changes the text: the cases make
    // every branch of it decide the result at least once.
    it.each([
      { case: 'plain ASCII, which SASLprep leaves alone', password: 'correct horse battery staple', normalised: false },
      { case: 'a decomposed umlaut, which NFKC composes', password: 'pa\u0308sswort', normalised: true },
      { case: 'fullwidth letters and a no-break space', password: 'ｐａｓｓ\u00a0ｗｏｒｄ', normalised: true },
      { case: 'a soft hyphen, which is mapped to nothing', password: 'soft\u00adhyphen', normalised: true },
      { case: 'right-to-left letters only, which pass the bidi rule', password: '\u05d0\ufb21\u05d1', normalised: true },
      { case: 'a private-use character (prohibited: hashed as given)', password: '\ue000ｐｗ', normalised: false },
      { case: 'an emoji (unassigned in Unicode 3.2: hashed as given)', password: '\u{1f600}ｐｗ', normalised: false },
      { case: 'mixed-direction letters (bidi rule fails: hashed as given)', password: '\u05d0ｂ\u05d1', normalised: false },
    ])('for $case', async ({ password, normalised }) => {
      const name = roleName('verifier');
      await roles.createRoleIfAbsent(name);
      await target.query(`ALTER ROLE ${quoteIdent(name)} WITH PASSWORD '${password.replaceAll("'", "''")}'`);
      const [row] = await target.query<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [name]);
      const fromServer = parseScramVerifier(row?.rolpassword ?? '');
      if (!fromServer) throw new Error(`unexpected rolpassword ${row?.rolpassword}`);

      expect(scramSha256Verifier(password, { salt: fromServer.salt, iterations: fromServer.iterations })).toBe(row?.rolpassword);
      expect(saslprep(password) !== password).toBe(normalised);
    });
  });
});

describe('attributes and login', () => {
  it('applies each allowlisted attribute, whatever its case', async () => {
    const name = roleName('attrs');
    await roles.createRoleIfAbsent(name);

    await roles.applyAttributes(name, ['createdb', 'NoInherit', 'LOGIN']);

    expect(await roleRow(name)).toEqual({
      rolcanlogin: true,
      rolcreatedb: true,
      rolinherit: false,
      rolreplication: false,
      rolbypassrls: false,
    });
  });

  it('refuses the whole list, before any SQL, when one attribute is not allowlisted', async () => {
    const name = roleName('badattr');
    await roles.createRoleIfAbsent(name);
    const { target: spied, sent } = recorded(target);

    await expect(createPostgresRoles(spied).applyAttributes(name, ['CREATEDB', 'LOGIN; DROP ROLE postgres'])).rejects.toThrow(
      'unsupported role attribute "LOGIN; DROP ROLE postgres"',
    );
    expect(sent).toEqual([]);
    expect(await roleRow(name)).toMatchObject({ rolcreatedb: false });
  });

  it('setLogin flips pg_roles.rolcanlogin, and repeating it changes nothing', async () => {
    const name = roleName('login');
    await roles.createRoleIfAbsent(name);

    await roles.setLogin(name, true);
    await roles.setLogin(name, true);
    expect(await roleRow(name)).toMatchObject({ rolcanlogin: true });
    await roles.setLogin(name, false);
    await roles.setLogin(name, false);
    expect(await roleRow(name)).toMatchObject({ rolcanlogin: false });
  });
});

describe('memberships', () => {
  it('grantRoles grants each role and reports only the memberships it made', async () => {
    const user = roleName('user');
    const reader = roleName('reader');
    const writer = roleName('writer');
    for (const name of [user, reader, writer]) await roles.createRoleIfAbsent(name);
    await target.query(`GRANT ${quoteIdent(reader)} TO ${quoteIdent(user)}`);

    expect(await roles.grantRoles(user, [reader, writer])).toEqual({ granted: [writer] });
    expect(await isMemberInCatalog(reader, user)).toBe(true);
    expect(await isMemberInCatalog(writer, user)).toBe(true);
    expect(await roles.roleMemberships(user)).toEqual([reader, writer].sort());
  });

  it('grantRole and revokeRole are idempotent and say whether they changed anything', async () => {
    const anon = roleName('anon');
    const member = roleName('authenticator');
    await roles.createRoleIfAbsent(anon);
    await roles.createRoleIfAbsent(member);

    expect(await roles.grantRole(anon, member)).toEqual({ granted: true });
    expect(await roles.grantRole(anon, member)).toEqual({ granted: false });
    expect(await isMemberInCatalog(anon, member)).toBe(true);
    expect(await roles.revokeRole(anon, member)).toEqual({ revoked: true });
    expect(await roles.revokeRole(anon, member)).toEqual({ revoked: false });
    expect(await isMemberInCatalog(anon, member)).toBe(false);
    expect(await roles.roleMemberships(member)).toEqual([]);
  });
});

describe('database and schema', () => {
  it('grantConnect and revokeConnect change has_database_privilege', async () => {
    const name = roleName('connect');
    await roles.createRoleIfAbsent(name);
    expect(await mayConnect(name)).toBe(false);

    expect(await roles.grantConnect(database, name)).toEqual({ granted: true });
    expect(await mayConnect(name)).toBe(true);
    expect(await roles.grantConnect(database, name)).toEqual({ granted: false });
    await roles.revokeConnect(database, name);
    expect(await mayConnect(name)).toBe(false);
  });

  it('does not claim a CONNECT grant to the database owner, so it is never revoked later', async () => {
    const [owner] = await target.query<{ owner: string }>(
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [database],
    );

    expect(await roles.grantConnect(database, owner?.owner ?? '')).toEqual({ granted: false });
  });

  it('schemaExists sees schemas of the current database only by exact name', async () => {
    const schema = `ig_t_Schema_${randomBytes(4).toString('hex')}`;
    await target.query(`CREATE SCHEMA ${quoteIdent(schema)}`);

    expect(await roles.schemaExists('public')).toBe(true);
    expect(await roles.schemaExists(schema)).toBe(true);
    expect(await roles.schemaExists(schema.toLowerCase())).toBe(false);
    await target.query(`DROP SCHEMA ${quoteIdent(schema)}`);
  });
});

describe('transactions', () => {
  it('commits the PostgREST grants together', async () => {
    const anon = roleName('tx_anon');
    const authenticator = roleName('tx_auth');
    await roles.createRoleIfAbsent(anon);
    await roles.createRoleIfAbsent(authenticator);

    const result = await roles.transaction(async (tx) => ({
      connect: await tx.grantConnect(await tx.databaseName(), authenticator),
      anon: await tx.grantRole(anon, authenticator),
    }));

    expect(result).toEqual({ connect: { granted: true }, anon: { granted: true } });
    expect(await mayConnect(authenticator)).toBe(true);
    expect(await isMemberInCatalog(anon, authenticator)).toBe(true);
  });

  it('rolls every statement back when one fails', async () => {
    const name = roleName('rollback');

    await expect(
      roles.transaction(async (tx) => {
        await tx.createRoleIfAbsent(name);
        await tx.grantRole(`ig_t_missing_${randomBytes(4).toString('hex')}`, name);
      }),
    ).rejects.toThrow(/does not exist/);
    expect(await roles.roleExists(name)).toBe(false);
  });
});

describe('sessions', () => {
  it.runIf(kind === 'pglite')('terminateSessions is a no-op on PGlite, whose only backend is our own', async () => {
    const name = roleName('pglite_sessions');
    await roles.createRoleIfAbsent(name);

    expect(await roles.terminateSessions(name)).toBe(0);
    expect(await target.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  /** A connection string for this file's database as `user`. */
  function urlAs(user: string, password?: string): string {
    const url = new URL(testStore().url ?? '');
    url.username = encodeURIComponent(user);
    // pg lets the connection string's password override a `password` option.
    url.password = password === undefined ? '' : encodeURIComponent(password);
    return url.toString();
  }

  async function loginRole(label: string): Promise<{ name: string; password: string }> {
    const name = roleName(label);
    const password = randomBytes(24).toString('base64url');
    await roles.createRoleIfAbsent(name);
    await roles.setPassword(name, password);
    await roles.grantConnect(database, name);
    await roles.setLogin(name, true);
    return { name, password };
  }

  it.runIf(kind === 'postgres')('a role logs in with the password set through its verifier, and is refused once NOLOGIN', async () => {
    const { name, password } = await loginRole('real_login');
    // pg calls a password function only when the server asks for one. The CI
    // server's pg_hba.conf says `trust` for 127.0.0.1 (and local), so it never
    // asks and would let a wrong password in too; the SCRAM math is proven by
    // the verifier equality above and by scram.test.ts. Where the server does
    // ask, the wrong password must fail here as well.
    let asked = false;
    const client = new pg.Client({
      connectionString: urlAs(name),
      password: () => {
        asked = true;
        return password;
      },
    });
    await client.connect();
    const [who] = (await client.query<{ user: string }>('SELECT current_user AS user')).rows;
    await client.end();
    expect(who?.user).toBe(name);

    if (asked) {
      await expect(connectAs(urlAs(name, `${password}x`))).rejects.toMatchObject({ code: '28P01' });
    } else {
      const trust = await target.query("SELECT 1 FROM pg_hba_file_rules WHERE auth_method = 'trust'");
      expect(trust.length).toBeGreaterThan(0);
    }

    await roles.setLogin(name, false);
    await expect(connectAs(urlAs(name, password))).rejects.toThrow(`role "${name}" is not permitted to log in`);
  });

  it.runIf(kind === 'postgres')('a role without CONNECT on the database cannot log in to it', async () => {
    const { name, password } = await loginRole('no_connect');
    await roles.revokeConnect(database, name);

    await expect(connectAs(urlAs(name, password))).rejects.toThrow(/permission denied for database/);
  });

  it.runIf(kind === 'postgres')("terminateSessions ends that role's open sessions and no one else's", async () => {
    const victim = await loginRole('victim');
    const bystander = await loginRole('bystander');
    const victimClient = await connectAs(urlAs(victim.name, victim.password));
    const bystanderClient = await connectAs(urlAs(bystander.name, bystander.password));
    try {
      expect(await roles.terminateSessions(victim.name)).toBe(1);

      await expect(victimClient.query('SELECT 1')).rejects.toThrow();
      expect((await bystanderClient.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(await target.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(await roles.terminateSessions(victim.name)).toBe(0);
    } finally {
      await victimClient.end().catch(() => undefined);
      await bystanderClient.end();
    }
  });
});

async function connectAs(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  // A terminated session reports its end as an 'error' event as well.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
