import { and, count, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { type AuditEventRow, auditEvents, newRowId } from '../schema.ts';
import { statementTemplates } from '../statement-template.ts';
import { isUuid } from '../uuid.ts';
import { keyset, type PageWindow } from './pagination.ts';

export interface AuditFilter {
  actor?: string | null | undefined;
  operation?: string | null | undefined;
  outcome?: string | null | undefined;
  /** Events naming this global id among their targets. */
  targetId?: string | null | undefined;
  since?: Date | null | undefined;
  until?: Date | null | undefined;
}

export type NewAuditEvent = Pick<typeof auditEvents.$inferInsert, 'actor' | 'operation' | 'targetIds' | 'outcome' | 'details'>;

function conditions(filter: AuditFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.actor) where.push(eq(auditEvents.actor, filter.actor));
  if (filter.operation) where.push(eq(auditEvents.operation, filter.operation));
  if (filter.outcome) where.push(eq(auditEvents.outcome, filter.outcome));
  // jsonb containment: the targets array holds this id.
  if (filter.targetId) where.push(sql`${auditEvents.targetIds} @> ${JSON.stringify([filter.targetId])}::jsonb`);
  if (filter.since) where.push(gte(auditEvents.at, filter.since));
  if (filter.until) where.push(lt(auditEvents.at, filter.until));
  return where;
}

// Every mutation writes one: built once (docs/performance.md, change 34).
const writeStatements = statementTemplates<Record<string, unknown>>();

export const auditEventsRepository = {
  async insert(db: Executor, event: NewAuditEvent): Promise<void> {
    const statement = writeStatements('insert', () =>
      db.insert(auditEvents).values({
        id: sql.placeholder('id'),
        actor: sql.placeholder('actor'),
        operation: sql.placeholder('operation'),
        targetIds: sql.placeholder('targetIds'),
        outcome: sql.placeholder('outcome'),
        details: sql.placeholder('details'),
      }),
    );
    await db.execute(statement({ id: newRowId(), ...event, targetIds: event.targetIds ?? [], details: event.details ?? {} }));
  },

  async byIds(db: Executor, ids: readonly string[]): Promise<AuditEventRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return db
      .select()
      .from(auditEvents)
      .where(inArray(auditEvents.id, valid));
  },

  async page(db: Executor, filter: AuditFilter, window: PageWindow): Promise<AuditEventRow[]> {
    const page = keyset(auditEvents.id, window);
    return db
      .select()
      .from(auditEvents)
      .where(and(...conditions(filter), ...page.where))
      .orderBy(page.orderBy)
      .limit(page.limit);
  },

  async count(db: Executor, filter: AuditFilter): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(...conditions(filter)));
    return row?.n ?? 0;
  },
};
