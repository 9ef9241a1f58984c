import { describe, expect, it } from 'vitest';
import {
  type DatabaseUserInput,
  type DatabaseUserRuleContext,
  normalizeRoleAttributes,
  validateDatabaseUser,
} from '../../src/domain/database-user-rules.ts';

const context: DatabaseUserRuleContext = { gatewayRole: 'identity_gateway', databaseOwner: 'app_owner', allowedAttributes: [], anotherOwnerExists: false };

function user(overrides: Partial<DatabaseUserInput> = {}): DatabaseUserInput {
  return { username: 'app_reader', dbOwner: false, attributes: [], roles: [], ...overrides };
}

describe('validateDatabaseUser', () => {
  it('accepts a complete user, and one with only a username (the password is then generated)', () => {
    const full = user({
      password: 'correct horse battery staple',
      dbOwner: true,
      attributes: ['LOGIN', 'nocreatedb'],
      roles: ['pg_read_all_data', 'web_anon'],
    });

    expect(validateDatabaseUser(full, context)).toEqual([]);
    expect(validateDatabaseUser(user({ username: 'App-Writer_2' }), context)).toEqual([]);
  });

  it('requires a username', () => {
    expect(validateDatabaseUser(user({ username: '' }), context)).toEqual([
      { path: ['input', 'username'], message: 'username is required' },
    ]);
  });

  it.each([
    { username: '2fast', why: 'starts with a digit' },
    { username: 'has space', why: 'contains a space' },
    { username: 'quo"te', why: 'contains a quote' },
    { username: 'dollar$', why: 'contains a dollar sign' },
  ])('rejects a username that $why', ({ username }) => {
    expect(validateDatabaseUser(user({ username }), context)).toEqual([
      {
        path: ['input', 'username'],
        message: 'username must start with a letter or underscore and contain only letters, digits, underscores and hyphens',
      },
    ]);
  });

  it('rejects a username longer than Postgres keeps (63 characters)', () => {
    expect(validateDatabaseUser(user({ username: 'a'.repeat(63) }), context)).toEqual([]);
    expect(validateDatabaseUser(user({ username: 'a'.repeat(64) }), context)).toEqual([
      { path: ['input', 'username'], message: 'username must be at most 63 characters' },
    ]);
  });

  it("reserves the gateway's own login role and postgres, in any case", () => {
    expect(validateDatabaseUser(user({ username: 'identity_gateway' }), context)).toEqual([
      { path: ['input', 'username'], message: 'username "identity_gateway" is reserved: it is the gateway\'s own role' },
    ]);
    expect(validateDatabaseUser(user({ username: 'Postgres' }), context)).toEqual([
      { path: ['input', 'username'], message: 'username "Postgres" is reserved' },
    ]);
  });

  it.each(['public', 'CURRENT_USER', 'current_role', 'Session_User', 'ALL', 'none'])('reserves %s, a word role names mean something else in SQL', (username) => {
    expect(validateDatabaseUser(user({ username }), context)).toEqual([{ path: ['input', 'username'], message: `username "${username}" is reserved` }]);
  });

  it('reserves the owner of the target database, in any case', () => {
    expect(validateDatabaseUser(user({ username: 'App_Owner' }), context)).toEqual([
      { path: ['input', 'username'], message: 'username "App_Owner" is reserved: it owns the database' },
    ]);
  });

  it('refuses the privileged attributes unless DATABASE_USER_ALLOWED_ATTRIBUTES names them', () => {
    const attributes = ['superuser', 'REPLICATION', 'BypassRLS', 'CREATEROLE', 'createdb', 'NOLOGIN'];
    expect(validateDatabaseUser(user({ attributes }), context)).toEqual([
      { path: ['input', 'attributes', '0'], message: 'attribute SUPERUSER is not allowed: a role with it bypasses every permission check; list it in DATABASE_USER_ALLOWED_ATTRIBUTES to allow it' },
      { path: ['input', 'attributes', '1'], message: 'attribute REPLICATION is not allowed: a role with it can stream every row of the cluster; list it in DATABASE_USER_ALLOWED_ATTRIBUTES to allow it' },
      { path: ['input', 'attributes', '2'], message: 'attribute BYPASSRLS is not allowed: a role with it bypasses every row-level security policy; list it in DATABASE_USER_ALLOWED_ATTRIBUTES to allow it' },
      { path: ['input', 'attributes', '3'], message: 'attribute CREATEROLE is not allowed: a role with it can create roles and grant itself their memberships; list it in DATABASE_USER_ALLOWED_ATTRIBUTES to allow it' },
      { path: ['input', 'attributes', '4'], message: 'attribute CREATEDB is not allowed: a role with it can create databases; list it in DATABASE_USER_ALLOWED_ATTRIBUTES to allow it' },
    ]);
    expect(validateDatabaseUser(user({ attributes: ['createdb'] }), { ...context, allowedAttributes: ['CREATEDB'] })).toEqual([]);
    expect(validateDatabaseUser(user({ attributes: ['NOSUPERUSER', 'NOREPLICATION', 'NOBYPASSRLS', 'NOCREATEROLE', 'NOCREATEDB'] }), context)).toEqual([]);
  });

  it('reserves names starting with pg_, which belong to Postgres', () => {
    expect(validateDatabaseUser(user({ username: 'pg_monitor' }), context)).toEqual([
      { path: ['input', 'username'], message: 'username "pg_monitor" is reserved: names starting with "pg_" belong to Postgres' },
    ]);
  });

  it('names each attribute outside the allowlist, at its index', () => {
    expect(validateDatabaseUser(user({ attributes: ['LOGIN', 'noinherit', 'SUPERDUPER', 'login; drop role x'] }), context)).toEqual([
      { path: ['input', 'attributes', '2'], message: 'unsupported role attribute "SUPERDUPER"' },
      { path: ['input', 'attributes', '3'], message: 'unsupported role attribute "login; drop role x"' },
    ]);
  });

  it('folds only ASCII case, so a look-alike of LOGIN is not LOGIN', () => {
    expect(validateDatabaseUser(user({ attributes: ['log\u0131n'] }), context)).toEqual([
      { path: ['input', 'attributes', '0'], message: 'unsupported role attribute "log\u0131n"' },
    ]);
  });

  it('allows at most 16 attributes', () => {
    const seventeen = Array.from({ length: 17 }, () => 'LOGIN');

    expect(validateDatabaseUser(user({ attributes: seventeen.slice(1) }), context)).toEqual([]);
    expect(validateDatabaseUser(user({ attributes: seventeen }), context)).toEqual([
      { path: ['input', 'attributes'], message: 'at most 16 attributes are allowed' },
    ]);
  });

  it('refuses an attribute together with its opposite, since the last one would silently win', () => {
    expect(validateDatabaseUser(user({ attributes: ['LOGIN', 'INHERIT', 'nologin'] }), context)).toEqual([
      { path: ['input', 'attributes', '2'], message: 'conflicting role attributes "LOGIN" and "NOLOGIN"' },
    ]);
  });

  it('allows at most 16 roles', () => {
    const roles = Array.from({ length: 17 }, (_, i) => `role_${i}`);

    expect(validateDatabaseUser(user({ roles: roles.slice(1) }), context)).toEqual([]);
    expect(validateDatabaseUser(user({ roles }), context)).toEqual([{ path: ['input', 'roles'], message: 'at most 16 roles are allowed' }]);
  });

  it('checks each role: a usable name, not the user itself, listed once', () => {
    const errors = validateDatabaseUser(user({ roles: ['web_anon', '', 'app_reader', 'web_anon', 'x'.repeat(64)] }), context);

    expect(errors).toEqual([
      { path: ['input', 'roles', '1'], message: 'invalid role name "": must not be empty' },
      { path: ['input', 'roles', '2'], message: 'a role cannot be granted to itself' },
      { path: ['input', 'roles', '3'], message: 'role "web_anon" is listed more than once' },
      { path: ['input', 'roles', '4'], message: `invalid role name "${'x'.repeat(64)}": must be at most 63 bytes` },
    ]);
  });

  it('allows one db_owner: a second is refused only while another user has it', () => {
    expect(validateDatabaseUser(user({ dbOwner: true }), context)).toEqual([]);
    expect(validateDatabaseUser(user({ dbOwner: false }), { ...context, anotherOwnerExists: true })).toEqual([]);
    expect(validateDatabaseUser(user({ dbOwner: true }), { ...context, anotherOwnerExists: true })).toEqual([
      { path: ['input', 'dbOwner'], message: 'another database user is already the db_owner' },
    ]);
  });

  it('refuses a given password Postgres could not hold', () => {
    expect(validateDatabaseUser(user({ password: null }), context)).toEqual([]);
    expect(validateDatabaseUser(user({ password: '' }), context)).toEqual([
      { path: ['input', 'password'], message: 'password must not be empty' },
    ]);
    expect(validateDatabaseUser(user({ password: 'a\u0000b' }), context)).toEqual([
      { path: ['input', 'password'], message: 'password must not contain NUL characters' },
    ]);
    expect(validateDatabaseUser(user({ password: 'x'.repeat(1025) }), context)).toEqual([
      { path: ['input', 'password'], message: 'password must be at most 1024 bytes' },
    ]);
  });

  it('reports every problem at once, under the path it is given', () => {
    const errors = validateDatabaseUser(user({ username: 'postgres', attributes: ['NOPE'], dbOwner: true }), { ...context, anotherOwnerExists: true }, [
      'input',
      'users',
      '0',
    ]);

    expect(errors.map((error) => error.path.join('.'))).toEqual(['input.users.0.username', 'input.users.0.dbOwner', 'input.users.0.attributes.0']);
  });
});

describe('normalizeRoleAttributes', () => {
  it('upper-cases allowlisted attributes and keeps each once, in order', () => {
    expect(normalizeRoleAttributes(['login', 'CreateDb', 'LOGIN', 'noInherit'])).toEqual(['LOGIN', 'CREATEDB', 'NOINHERIT']);
  });
});
