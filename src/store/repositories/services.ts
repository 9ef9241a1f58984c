import { and, count, eq, getTableColumns } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { anyUuid, rowsByUuids } from './any-uuid.ts';
import { type ServiceRow, type ServiceType, services } from '../schema.ts';
import { chosenColumns, columnKeys, selectRows, tableReader } from '../selected-rows.ts';
import { isUuid } from '../uuid.ts';
import { keysetTemplate, type PageWindow, type WindowValues } from './pagination.ts';
import { applyFilters, statementTemplates, type TemplateFilters } from '../statement-template.ts';

export interface ServiceFilter {
  type?: ServiceType | null | undefined;
}

export type NewService = Pick<typeof services.$inferInsert, 'serviceId' | 'type' | 'version' | 'config' | 'connectAsId'>;
export type ServicePatch = Partial<Pick<NewService, 'version' | 'config' | 'connectAsId'>>;

/** The one filter of a services page or count, by its placeholder (see `applyFilters`). */
const SERVICE_FILTERS: TemplateFilters<ServiceFilter, { type: ServiceType }> = {
  type: {
    value: (filter) => filter.type ?? undefined,
    condition: (type) => eq(services.type, type),
  },
};
const serviceFilters = (filter: ServiceFilter) => applyFilters(SERVICE_FILTERS, filter);
const pageStatements = statementTemplates<{ type?: ServiceType } & WindowValues>();
const readService = tableReader(services);
const serviceColumns = getTableColumns(services);

/** Every column of a service row, by key: what `page` and `byConnectAs` may be asked to read. */
export const SERVICE_COLUMNS = columnKeys<ServiceRow>(serviceColumns);
export type ServiceColumn = (typeof SERVICE_COLUMNS)[number];
const servicesByConnectAs = rowsByUuids<ServiceRow>(services, serviceColumns, services.connectAsId, services.id);

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

  /**
   * Every service connecting as one of the database users, in creation
   * order; each row holds only `columns` (see `chosenColumns`), which must
   * include `connectAsId` and `id`.
   */
  async byConnectAs(db: Executor, databaseUserIds: readonly string[], columns: readonly ServiceColumn[] = SERVICE_COLUMNS): Promise<ServiceRow[]> {
    const valid = databaseUserIds.filter(isUuid);
    if (valid.length === 0) return [];
    return servicesByConnectAs(db, valid, columns);
  },

  /**
   * One keyset page; each row holds only `columns` (see `chosenColumns`),
   * `id` always among them. The statement is a template per column set and
   * shape of filter and window, as the users page is.
   */
  async page<K extends ServiceColumn>(db: Executor, filter: ServiceFilter, window: PageWindow, columns: readonly K[]): Promise<Array<Pick<ServiceRow, K>>> {
    const chosen = chosenColumns<ServiceRow, K, PgColumn>(serviceColumns, columns);
    const applied = serviceFilters(filter);
    const bounds = keysetTemplate(services.id, window);
    const statement = pageStatements([columns.join(','), applied.key, bounds.key].join('|'), () => {
      const page = bounds.build();
      return db
        .select(chosen.columns)
        .from(services)
        .where(and(...applied.conditions('placeholders'), ...page.where))
        .orderBy(page.orderBy)
        .limit(page.limit);
    });
    return selectRows(db, statement({ ...applied.values, ...bounds.values }), chosen.read);
  },

  async count(db: Executor, filter: ServiceFilter): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(services)
      .where(and(...serviceFilters(filter).conditions('values')));
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
