import { describe, expect, it } from 'vitest';
import type { ReachedRole } from '../../src/backends/postgres-roles.ts';
import { adoptRefusal, globMatches, grantRefusal, type RolePolicy } from '../../src/domain/role-policy.ts';

const policy: RolePolicy = { gatewayRole: 'identity_gateway', grantableRoles: [], allowedAttributes: [] };

function reached(name: string, depth: number, facts: Partial<ReachedRole> = {}): ReachedRole {
  return { name, depth, oid: 16_384 + depth, canLogin: false, inherit: true, superuser: false, replication: false, bypassRls: false, createRole: false, createDb: false, ...facts };
}

describe('grantRefusal: the whole membership closure is judged', () => {
  it('accepts an ordinary role and its ordinary parents', () => {
    expect(grantRefusal([reached('app_reader', 0), reached('readers', 1)], policy)).toBeUndefined();
  });

  it.each([
    [{ superuser: true }, 'is a superuser'],
    [{ replication: true }, 'has REPLICATION (can stream every row of the cluster)'],
    [{ bypassRls: true }, 'has BYPASSRLS (bypasses every row-level security policy)'],
    [{ createRole: true }, 'has CREATEROLE (can create roles and grant itself their memberships)'],
    [{ createDb: true }, 'has CREATEDB (can create databases)'],
  ])('refuses a role that %j, and any member of one', (facts, why) => {
    expect(grantRefusal([reached('strong', 0, facts)], policy)).toBe(`role "strong" ${why}`);
    expect(grantRefusal([reached('weak', 0), reached('middle', 1), reached('strong', 2, facts)], policy)).toBe(`role "weak" is a member of "strong", which ${why}`);
  });

  it('refuses the gateway’s own role and the three server-access roles, whatever the allowlist says', () => {
    const open: RolePolicy = { ...policy, grantableRoles: ['pg_*'] };
    expect(grantRefusal([reached('identity_gateway', 0)], open)).toBe(`role "identity_gateway" is the gateway's own role`);
    expect(grantRefusal([reached('pg_execute_server_program', 0)], open)).toBe('role pg_execute_server_program can run programs on the database host');
    expect(grantRefusal([reached('pg_read_server_files', 0)], open)).toBe('role pg_read_server_files can read any file on the database host');
    expect(grantRefusal([reached('ops', 0), reached('pg_write_server_files', 1)], open)).toBe(
      'role "ops" is a member of pg_write_server_files, which can write any file on the database host',
    );
  });

  it('grants other predefined roles only when DATABASE_USER_GRANTABLE_ROLES lists them (names or globs)', () => {
    expect(grantRefusal([reached('pg_read_all_data', 0)], policy)).toBe('role pg_read_all_data is a predefined role not listed in DATABASE_USER_GRANTABLE_ROLES');
    expect(grantRefusal([reached('pg_read_all_data', 0)], { ...policy, grantableRoles: ['pg_read_all_data'] })).toBeUndefined();
    expect(grantRefusal([reached('pg_monitor', 0), reached('pg_read_all_stats', 1)], { ...policy, grantableRoles: ['pg_monitor', 'pg_read_all_*'] })).toBeUndefined();
    expect(grantRefusal([reached('pg_monitor', 0), reached('pg_read_all_stats', 1)], { ...policy, grantableRoles: ['pg_monitor'] })).toBe(
      'role pg_monitor is a member of pg_read_all_stats, which is a predefined role not listed in DATABASE_USER_GRANTABLE_ROLES',
    );
  });
});

describe('adoptRefusal', () => {
  it('never adopts a privileged role, whatever DATABASE_USER_ALLOWED_ATTRIBUTES says', () => {
    expect(adoptRefusal([reached('builder', 0, { createDb: true })], { ...policy, allowedAttributes: ['CREATEDB'] })).toBe(
      'role "builder" has CREATEDB (can create databases); the gateway never adopts such a role',
    );
    expect(adoptRefusal([reached('admin', 0, { superuser: true })], policy)).toBe('role "admin" is a superuser; the gateway never adopts such a role');
  });

  it('never adopts a member of a role it would never grant, and adopts an ordinary role', () => {
    expect(adoptRefusal([reached('etl', 0, { canLogin: true }), reached('pg_execute_server_program', 1)], policy)).toBe(
      'role "etl" is a member of pg_execute_server_program, which can run programs on the database host; the gateway never adopts such a role',
    );
    expect(adoptRefusal([reached('etl', 0, { canLogin: true }), reached('readers', 1)], policy)).toBeUndefined();
  });
});

describe('globMatches', () => {
  it('treats only * as special', () => {
    expect(globMatches('pg_read_*', 'pg_read_all_data')).toBe(true);
    expect(globMatches('pg_read_*', 'pg_write_all_data')).toBe(false);
    expect(globMatches('pg_.onitor', 'pg_monitor')).toBe(false);
    expect(globMatches('pg_monitor', 'pg_monitor')).toBe(true);
  });
});
