// A small seed DSL: tests build the state they need in one readable line
// and assert on what the API answers.
import type { Store } from '../../src/store/client.ts';
import {
  type AccountStatus,
  type Backend,
  backendAccounts,
  type DatabaseUserRow,
  databaseUsers,
  type OAuth2ProviderRow,
  oauth2Providers,
  type ResourcePoolRow,
  resourcePoolProviders,
  resourcePools,
  resourcePoolViewers,
  type ServiceRow,
  serviceGrants,
  services,
  type UserRow,
  users,
} from '../../src/store/schema.ts';

let sequence = 0;

export function seed(store: Store) {
  return {
    async user(fields: Partial<typeof users.$inferInsert> = {}): Promise<UserRow> {
      sequence += 1;
      const [row] = await store.db
        .insert(users)
        .values({ email: `user${sequence}@example.com`, username: `user${sequence}`, ...fields })
        .returning();
      if (!row) throw new Error('seed: no user row');
      return row;
    },
    async users(count: number, fields: Partial<typeof users.$inferInsert> = {}): Promise<UserRow[]> {
      const rows: UserRow[] = [];
      for (let i = 0; i < count; i += 1) rows.push(await this.user(fields));
      return rows;
    },
    async account(userId: string, backend: Backend, status: AccountStatus = 'ACTIVE', fields: Partial<typeof backendAccounts.$inferInsert> = {}) {
      await store.db.insert(backendAccounts).values({ userId, backend, status, externalId: `${backend.toLowerCase()}-${userId}`, ...fields });
    },
    async provider(fields: Partial<typeof oauth2Providers.$inferInsert> = {}): Promise<OAuth2ProviderRow> {
      sequence += 1;
      const [row] = await store.db
        .insert(oauth2Providers)
        .values({ id: `idp-${sequence}-${Date.now()}`, kind: 'generic_oidc', clientId: 'client', displayName: 'IdP', issuer: 'https://idp.example', ...fields })
        .returning();
      if (!row) throw new Error('seed: no provider row');
      return row;
    },
    async link(poolId: string, providerId: string) {
      await store.db.insert(resourcePoolProviders).values({ poolId, providerId });
    },
    async pool(fields: Partial<typeof resourcePools.$inferInsert> = {}): Promise<ResourcePoolRow> {
      sequence += 1;
      const [row] = await store.db.insert(resourcePools).values({ name: `pool${sequence}-${Date.now()}`, ...fields }).returning();
      if (!row) throw new Error('seed: no pool row');
      return row;
    },
    async viewer(poolId: string, userId: string) {
      await store.db.insert(resourcePoolViewers).values({ poolId, userId, source: 'manual' });
    },
    /** A row only: no role is created on any cluster. */
    async databaseUser(fields: Partial<typeof databaseUsers.$inferInsert> = {}): Promise<DatabaseUserRow> {
      sequence += 1;
      const [row] = await store.db.insert(databaseUsers).values({ username: `role${sequence}_${Date.now()}`, ...fields }).returning();
      if (!row) throw new Error('seed: no database user row');
      return row;
    },
    /** A row only: no grant is made on any cluster. */
    async service(connectAsId: string, fields: Partial<typeof services.$inferInsert> = {}): Promise<ServiceRow> {
      sequence += 1;
      const [row] = await store.db
        .insert(services)
        .values({ serviceId: `svc-${sequence}-${Date.now()}`, type: 'MCP', version: 'latest', connectAsId, ...fields })
        .returning();
      if (!row) throw new Error('seed: no service row');
      return row;
    },
    async serviceGrant(serviceId: string, fields: Pick<typeof serviceGrants.$inferInsert, 'kind' | 'target' | 'grantee'>) {
      await store.db.insert(serviceGrants).values({ serviceId, ...fields });
    },
  };
}
