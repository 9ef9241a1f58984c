import { type AnyColumn, asc, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { chosenColumns, selectRows } from '../selected-rows.ts';
import { statementTemplates } from '../statement-template.ts';

/**
 * `column = any($1::uuid[])`: the keys of a batched load as one array
 * parameter. Drizzle's `inArray` binds and type-checks a parameter per key
 * while it builds the statement, which for the hundreds of keys one page of
 * a connection batches costs more CPU than Postgres spends on the query
 * (see docs/performance.md). One parameter also gives Postgres a single
 * statement shape whatever the number of keys. Callers pass valid uuids.
 */
export function anyUuid(column: AnyColumn, ids: readonly string[]): SQL {
  return sql`${column} = any(${sql.param(uuidArray(ids))}::uuid[])`;
}

/** `anyUuid` with the keys left to the placeholder `name` (bind `uuidArray(keys)`), for a statement template. */
export function anyUuidPlaceholder(column: AnyColumn, name: string): SQL {
  return sql`${column} = any(${sql.placeholder(name)}::uuid[])`;
}

/**
 * Keys as Postgres array text (`{a,b,NULL}`), which `::uuid[]` reads. A
 * uuid needs no quoting, so this is one join where the driver would escape
 * and quote each element; a null key (no uuid) stays a null that matches
 * nothing.
 */
export function uuidArray(ids: ReadonlyArray<string | null>): string {
  return `{${ids.map((id) => id ?? 'NULL').join(',')}}`;
}

/**
 * The batched load behind a page: rows of `table` whose `key` is one of
 * some uuids, holding only the chosen columns (see `chosenColumns`), in
 * `orderBy` order when given. One statement template per column set, the
 * keys bound as one `uuidArray`.
 */
export function rowsByUuids<Row>(table: PgTable, columns: { [K in keyof Row]: PgColumn }, key: PgColumn, orderBy?: PgColumn) {
  const templates = statementTemplates<{ keys: string }>();
  return <K extends keyof Row & string>(db: Executor, keys: ReadonlyArray<string | null>, chosenKeys: readonly K[]): Promise<Array<Pick<Row, K>>> => {
    const chosen = chosenColumns<Row, K, PgColumn>(columns, chosenKeys);
    const statement = templates(chosenKeys.join(','), () => {
      const query = db.select(chosen.columns).from(table).where(anyUuidPlaceholder(key, 'keys')).$dynamic();
      return orderBy ? query.orderBy(asc(orderBy)) : query;
    });
    return selectRows(db, statement({ keys: uuidArray(keys) }), chosen.read);
  };
}
