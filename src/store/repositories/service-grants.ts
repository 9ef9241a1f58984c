import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { type ServiceGrantRow, serviceGrants } from '../schema.ts';
import { isUuid } from '../uuid.ts';

/** One privilege on the cluster: CONNECT on database `target`, or membership in role `target`. */
export type GrantKey = Pick<ServiceGrantRow, 'kind' | 'target' | 'grantee'>;

const sameGrant = (grant: GrantKey) =>
  and(eq(serviceGrants.kind, grant.kind), eq(serviceGrants.target, grant.target), eq(serviceGrants.grantee, grant.grantee));

export const serviceGrantsRepository = {
  async byServices(db: Executor, serviceIds: readonly string[]): Promise<ServiceGrantRow[]> {
    const valid = serviceIds.filter(isUuid);
    if (valid.length === 0) return [];
    return db.select().from(serviceGrants).where(inArray(serviceGrants.serviceId, valid)).orderBy(asc(serviceGrants.id));
  },

  async record(db: Executor, serviceId: string, grant: GrantKey): Promise<ServiceGrantRow> {
    const [row] = await db
      .insert(serviceGrants)
      .values({ serviceId, ...grant })
      .onConflictDoUpdate({ target: [serviceGrants.serviceId, serviceGrants.kind, serviceGrants.target, serviceGrants.grantee], set: { kind: grant.kind } })
      .returning();
    if (!row) throw new Error('insert into service_grants returned no row');
    return row;
  },

  async forget(db: Executor, id: string): Promise<void> {
    await db.delete(serviceGrants).where(eq(serviceGrants.id, id));
  },

  /** Whether a service other than `serviceId` still needs the same privilege the gateway made. */
  async heldByAnother(db: Executor, grant: GrantKey, serviceId: string): Promise<boolean> {
    const rows = await db
      .select({ id: serviceGrants.id })
      .from(serviceGrants)
      .where(and(sameGrant(grant), ne(serviceGrants.serviceId, serviceId)))
      .limit(1);
    return rows.length > 0;
  },
};
