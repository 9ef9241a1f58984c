import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

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
