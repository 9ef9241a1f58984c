// What the gateway never grants, adopts or applies (docs/database-users.md,
// "What the gateway never grants"). Pure: the cluster's facts (the membership
// closure from pg_auth_members, the gateway's own role) and the config's
// allowlists are handed in, so database users and services judge a role the
// same way.
import type { ReachedRole, RoleFacts } from '../backends/postgres-roles.ts';
import type { PrivilegedAttribute } from '../config.ts';

export interface RolePolicy {
  /** current_user on the target: granting it would hand over the gateway's own powers. */
  gatewayRole: string;
  /** DATABASE_USER_GRANTABLE_ROLES: predefined pg_* roles (names or `*` globs) that may be granted. */
  grantableRoles: readonly string[];
  /** DATABASE_USER_ALLOWED_ATTRIBUTES. */
  allowedAttributes: readonly PrivilegedAttribute[];
}

/**
 * Predefined roles that are as good as superuser whatever the allowlist says:
 * each lets a member act as the server's operating-system user.
 */
export const NEVER_GRANTABLE: Readonly<Record<string, string>> = {
  pg_execute_server_program: 'can run programs on the database host',
  pg_read_server_files: 'can read any file on the database host',
  pg_write_server_files: 'can write any file on the database host',
};

/** Attributes that make a role superuser-equivalent (or able to become one), with why. */
export const PRIVILEGED_ATTRIBUTES: Readonly<Record<PrivilegedAttribute, string>> = {
  SUPERUSER: 'bypasses every permission check',
  REPLICATION: 'can stream every row of the cluster',
  BYPASSRLS: 'bypasses every row-level security policy',
  CREATEROLE: 'can create roles and grant itself their memberships',
  CREATEDB: 'can create databases',
};

const describe = (name: string) => (name.startsWith('pg_') ? name : JSON.stringify(name));

/** `*` matches any run of characters; everything else is literal (and case-sensitive, as role names are). */
export function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(name);
}

/** The privileged attributes a role holds, in PRIVILEGED_ATTRIBUTES order. */
export function privilegedAttributesOf(facts: RoleFacts): PrivilegedAttribute[] {
  const held: Array<[PrivilegedAttribute, boolean]> = [
    ['SUPERUSER', facts.superuser],
    ['REPLICATION', facts.replication],
    ['BYPASSRLS', facts.bypassRls],
    ['CREATEROLE', facts.createRole],
    ['CREATEDB', facts.createDb],
  ];
  return held.filter(([, has]) => has).map(([attribute]) => attribute);
}

/** Why one role of a closure may not be handed on, or undefined. */
function refusalOf(role: RoleFacts, policy: RolePolicy): string | undefined {
  const [attribute] = privilegedAttributesOf(role);
  if (attribute === 'SUPERUSER') return 'is a superuser';
  if (attribute) return `has ${attribute} (${PRIVILEGED_ATTRIBUTES[attribute]})`;
  if (role.name === policy.gatewayRole) return "is the gateway's own role";
  const never = NEVER_GRANTABLE[role.name];
  if (never) return never;
  if (role.name.startsWith('pg_') && !policy.grantableRoles.some((pattern) => globMatches(pattern, role.name))) {
    return 'is a predefined role not listed in DATABASE_USER_GRANTABLE_ROLES';
  }
  return undefined;
}

/**
 * Why `closure` (a role and every role it reaches through pg_auth_members)
 * may not be granted, or undefined. The nearest offending role is named.
 */
export function grantRefusal(closure: readonly ReachedRole[], policy: RolePolicy): string | undefined {
  const root = closure.find((role) => role.depth === 0);
  if (!root) return undefined;
  const own = refusalOf(root, policy);
  if (own) return `role ${describe(root.name)} ${own}`;
  for (const reached of closure) {
    if (reached.depth === 0) continue;
    const refusal = refusalOf(reached, policy);
    if (refusal) return `role ${describe(root.name)} is a member of ${describe(reached.name)}, which ${refusal}`;
  }
  return undefined;
}

/**
 * Why an existing role may not be adopted, or undefined: it holds a
 * privileged attribute (whatever DATABASE_USER_ALLOWED_ATTRIBUTES says), or
 * is a member of a role the gateway would never grant.
 */
export function adoptRefusal(closure: readonly ReachedRole[], policy: RolePolicy): string | undefined {
  const root = closure.find((role) => role.depth === 0);
  if (!root) return undefined;
  const [attribute] = privilegedAttributesOf(root);
  if (attribute) {
    const why = attribute === 'SUPERUSER' ? 'is a superuser' : `has ${attribute} (${PRIVILEGED_ATTRIBUTES[attribute]})`;
    return `role ${describe(root.name)} ${why}; the gateway never adopts such a role`;
  }
  for (const reached of closure) {
    if (reached.depth === 0) continue;
    const refusal = refusalOf(reached, policy);
    if (refusal) return `role ${describe(root.name)} is a member of ${describe(reached.name)}, which ${refusal}; the gateway never adopts such a role`;
  }
  return undefined;
}

/** Why `attribute` (an allowlisted keyword, upper case) may not be applied, or undefined. */
export function attributeRefusal(attribute: string, policy: Pick<RolePolicy, 'allowedAttributes'>): string | undefined {
  if (!(attribute in PRIVILEGED_ATTRIBUTES)) return undefined;
  const privileged = attribute as PrivilegedAttribute;
  if (policy.allowedAttributes.includes(privileged)) return undefined;
  return `attribute ${privileged} is not allowed: a role with it ${PRIVILEGED_ATTRIBUTES[privileged]}; list it in DATABASE_USER_ALLOWED_ATTRIBUTES to allow it`;
}

/** The policy in force: the config's allowlists and the role the gateway is connected as. */
export function rolePolicyOf(config: { databaseUsers: { grantableRoles: readonly string[]; allowedAttributes: readonly PrivilegedAttribute[] } }, gatewayRole: string): RolePolicy {
  return { gatewayRole, grantableRoles: config.databaseUsers.grantableRoles, allowedAttributes: config.databaseUsers.allowedAttributes };
}

export type GrantCheck = { ok: true; role: RoleFacts } | { ok: false; missing: boolean; message: string };

/**
 * Each role checked against the cluster at request time: it exists, and
 * neither it nor any role it reaches is one the gateway never grants.
 */
export async function checkGrantable(
  closureOf: (names: readonly string[]) => Promise<Map<string, ReachedRole[]>>,
  names: readonly string[],
  policy: RolePolicy,
): Promise<Map<string, GrantCheck>> {
  const closures = await closureOf(names);
  const checks = new Map<string, GrantCheck>();
  for (const name of names) {
    const closure = closures.get(name);
    const root = closure?.find((role) => role.depth === 0);
    if (!closure || !root) {
      checks.set(name, { ok: false, missing: true, message: `role ${JSON.stringify(name)} does not exist on the Postgres cluster` });
      continue;
    }
    const refusal = grantRefusal(closure, policy);
    checks.set(name, refusal ? { ok: false, missing: false, message: refusal } : { ok: true, role: root });
  }
  return checks;
}
