// The gateway acts on a role only while it is the role the gateway created
// or an admin adopted: the one with the oid recorded then. A role dropped
// outside the gateway is gone; one dropped and re-created under the same
// name is someone else's, whatever its name says (docs/database-users.md,
// "Ownership").
import type { PostgresRoles, RoleFacts } from '../backends/postgres-roles.ts';
import type { Tx } from '../store/client.ts';
import { databaseUsersRepository } from '../store/repositories/database-users.ts';
import type { DatabaseUserRow } from '../store/schema.ts';
import { ConflictError } from '../errors.ts';

export type RoleOnCluster =
  | { state: 'ours'; facts: RoleFacts; row: DatabaseUserRow }
  | { state: 'missing' }
  | { state: 'replaced'; facts: RoleFacts };

/**
 * Finds the row's role on the cluster. A row from before oids were recorded
 * (role_oid null) pins the role found now, so later writes can tell.
 */
export async function roleOnCluster(tx: Tx, roles: PostgresRoles, row: DatabaseUserRow): Promise<RoleOnCluster> {
  const facts = await roles.roleFacts(row.username);
  if (!facts) return { state: 'missing' };
  if (row.roleOid === null) {
    const pinned = (await databaseUsersRepository.pinRoleOid(tx, row.id, facts.oid)) ?? row;
    return { state: 'ours', facts, row: pinned };
  }
  return facts.oid === row.roleOid ? { state: 'ours', facts, row } : { state: 'replaced', facts };
}

/** The answer to a write on a role that is no longer the gateway's. */
export function notOursError(row: DatabaseUserRow, found: Exclude<RoleOnCluster, { state: 'ours' }>): ConflictError {
  const name = JSON.stringify(row.username);
  if (found.state === 'missing') {
    return new ConflictError(
      `role ${name} no longer exists on the Postgres cluster (dropped outside the gateway); delete or release the database user, then create it again`,
    );
  }
  return new ConflictError(
    `role ${name} on the Postgres cluster is not the one the gateway ${row.ownership === 'CREATED' ? 'created' : 'adopted'} (it was dropped and re-created outside the gateway); release the database user, then adopt the new role if the gateway should manage it`,
  );
}
