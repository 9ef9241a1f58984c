// Drizzle maps each selected value through a generic walk per row (an
// `is()` prototype-chain check per column, a path iterator, nested result
// objects). For the batched loads behind a page (users, their accounts and
// pools, services and the database users they connect as) that walk costs
// more CPU than Postgres spends answering them (docs/performance.md), so
// those loads run the same Drizzle-built statement through `execute` and map
// its rows with a reader made once per column set. The values still go
// through each column's own `mapFromDriverValue`, so they are what Drizzle
// returns.
import { type Column, getTableColumns, type InferSelectModel, type SQLWrapper, type Table } from 'drizzle-orm';
import type { Executor } from './client.ts';

/** One raw row as the driver returns it to `execute`: keyed by SQL column name. */
export type RawRow = Record<string, unknown>;

export function rowsOf(result: unknown): RawRow[] {
  // Both drivers answer `execute` with an object holding `rows` (pg's QueryResult, PGlite's Results).
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) return result.rows;
  throw new Error('the driver returned no rows array');
}

/**
 * A reader from raw rows to `Row`, whose keys are exactly the keys of
 * `columns` (a chosen set, as for account views; a whole table is
 * `tableReader`). The statement must select those columns under their own
 * names.
 */
export function rowReader<Row>(columns: { [K in keyof Row]: Column }): (raw: RawRow) => Row {
  const entries = Object.entries<Column>(columns).map(([key, column]) => ({ key, name: column.name, column }));
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const { key, name, column } of entries) {
      const value = raw[name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    // Every key of Row was set above from its own column's decoder.
    return row as Row;
  };
}

/** Runs a Drizzle-built select and reads its rows with `read`. */
export async function selectRows<Row>(db: Executor, query: SQLWrapper, read: (raw: RawRow) => Row): Promise<Row[]> {
  return rowsOf(await db.execute(query)).map(read);
}

/** `rowReader` for every column of a table, read as the table's select model. */
export function tableReader<T extends Table>(table: T): (raw: RawRow) => InferSelectModel<T> {
  return rowReader<InferSelectModel<T>>(getTableColumns(table));
}
