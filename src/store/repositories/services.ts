import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { anyUuid } from './any-uuid.ts';
import { type ServiceRow, type ServiceType, services } from '../schema.ts';
import { selectRows, tableReader } from '../selected-rows.ts';
import { isUuid } from '../uuid.ts';
import { keyset, type PageWindow } from './pagination.ts';

export interface ServiceFilter {
  type?: ServiceType | null | undefined;
}

export type NewService = Pick<typeof services.$inferInsert, 'serviceId' | 'type' | 'version' | 'config' | 'connectAsId'>;
export type ServicePatch = Partial<Pick<NewService, 'version' | 'config' | 'connectAsId'>>;

const conditions = (filter: ServiceFilter): SQL[] => (filter.type ? [eq(services.type, filter.type)] : []);
const readService = tableReader(services);

export const servicesRepository = {
  async byIds(db: Executor, ids: readonly string[]): Promise<ServiceRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return selectRows(db, db.select().from(services).where(anyUuid(services.id, valid)), readService);
  },

  async byId(db: Executor, id: string): Promise<ServiceRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await db.select().from(services).where(eq(services.id, id));
    return row;
  },

  async byServiceId(db: Executor, serviceId: string): Promise<ServiceRow | undefined> {
    const [row] = await db.select().from(services).where(eq(services.serviceId, serviceId));
    return row;
  },

  /** Every service connecting as one of the database users, in creation order. */
  async byConnectAs(db: Executor, databaseUserIds: readonly string[]): Promise<ServiceRow[]> {
    const valid = databaseUserIds.filter(isUuid);
    if (valid.length === 0) return [];
    return selectRows(db, db.select().from(services).where(anyUuid(services.connectAsId, valid)).orderBy(asc(services.id)), readService);
  },

  async page(db: Executor, filter: ServiceFilter, window: PageWindow): Promise<ServiceRow[]> {
    const page = keyset(services.id, window);
    const query = db
      .select()
      .from(services)
      .where(and(...conditions(filter), ...page.where))
      .orderBy(page.orderBy)
      .limit(page.limit);
    return selectRows(db, query, readService);
  },

  async count(db: Executor, filter: ServiceFilter): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(services)
      .where(and(...conditions(filter)));
    return row?.n ?? 0;
  },

  async insert(db: Executor, service: NewService): Promise<ServiceRow> {
    const [row] = await db.insert(services).values(service).returning();
    if (!row) throw new Error('insert into services returned no row');
    return row;
  },

  async update(db: Executor, id: string, patch: ServicePatch): Promise<ServiceRow | undefined> {
    const [row] = await db
      .update(services)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(services.id, id))
      .returning();
    return row;
  },

  async delete(db: Executor, id: string): Promise<void> {
    await db.delete(services).where(eq(services.id, id));
  },
};
