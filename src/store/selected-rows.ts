// Drizzle maps each selected value through a generic walk per row (an
// `is()` prototype-chain check per column, a path iterator, nested result
// objects). For the batched loads behind a page (users, their accounts and
// pools, services and the database users they connect as) that walk costs
// more CPU than Postgres spends answering them (docs/performance.md), so
// those loads run the same Drizzle-built statement through `execute` and map
// its rows with a reader made once per column set. The values still go
// through each column's own `mapFromDriverValue`, so they are what Drizzle
// returns.
import { type Column, getTableColumns, type InferSelectModel, type SQL, type SQLWrapper, sql, type Table } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { oncePerKey } from './once-per-key.ts';

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
export function rowReader<Row>(columns: { [K in keyof Row]: Column }, prefix = ''): (raw: RawRow) => Row {
  return readerOf<Row>(Object.entries<Column>(columns), prefix);
}

/** `prefix` is what `prefixedColumns` put before each column's name. */
function readerOf<Row>(columns: ReadonlyArray<[string, Column]>, prefix = ''): (raw: RawRow) => Row {
  const entries = columns.map(([key, column]) => ({ key, name: prefix + column.name, column }));
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const { key, name, column } of entries) {
      const value = raw[name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    // Every key was set above from its own column's decoder: all of Row's
    // for `rowReader`, the chosen ones for `chosenColumns` (see there).
    return row as Row;
  };
}

/** Runs a Drizzle-built statement that returns rows (a select, or a write with `returning`) and reads them with `read`. */
export async function selectRows<Row>(db: Executor, query: SQLWrapper, read: (raw: RawRow) => Row): Promise<Row[]> {
  return rowsOf(await db.execute(query)).map(read);
}

/** The keys of a column set (a table's, or a chosen view's), as the row type names them. */
export function columnKeys<Row>(columns: { [K in keyof Row]: Column }): Array<keyof Row & string> {
  // Object.keys widens to string[]; these are exactly the keys of `columns`.
  return Object.keys(columns) as Array<keyof Row & string>;
}

/**
 * Some of `columns`, chosen by key, to select, and the reader of rows that
 * select exactly them. Made once per distinct choice (a query's selection
 * repeats for every page it loads).
 *
 * The rows are typed as `Pick<Row, K>`: a caller naming its columns (`['id']`)
 * cannot read one it did not choose. A query's selection is chosen at run
 * time from every key (`columnsSelected` in src/schema/selection.ts picks
 * every column the query's fields read, as plugin-drizzle's selections do),
 * so those rows are typed whole; test/api/column-selection.test.ts reads each
 * field of each projected type on its own to prove the plans.
 */
export function chosenColumns<Row, K extends keyof Row & string, C extends Column = Column>(columns: { [Key in keyof Row]: C }, keys: readonly K[]): ChosenColumns<Pick<Row, K>, C> {
  let ofColumns = chosen.get(columns);
  if (!ofColumns) {
    ofColumns = oncePerKey();
    chosen.set(columns, ofColumns);
  }
  // Every entry for this `columns` and these keys was made here from them, so for this Row, K and C.
  return ofColumns(keys.join(','), () => {
    const picked = keys.map((key): [string, C] => [key, columns[key]]);
    return { columns: Object.fromEntries(picked), read: readerOf<Pick<Row, K>>(picked) };
  }) as ChosenColumns<Pick<Row, K>, C>;
}

export interface ChosenColumns<Row, C extends Column = Column> {
  /** To pass to `select`: the chosen columns under their own keys. */
  columns: Record<string, C>;
  read: (raw: RawRow) => Row;
}

const chosen = new WeakMap<object, (key: string, make: () => ChosenColumns<unknown, Column>) => ChosenColumns<unknown, Column>>();

/** `rowReader` for every column of a table, read as the table's select model. */
export function tableReader<T extends Table>(table: T, prefix = ''): (raw: RawRow) => InferSelectModel<T> {
  return rowReader<InferSelectModel<T>>(getTableColumns(table), prefix);
}

/**
 * Every column of `table` as `relation` (a CTE) holds it, each named
 * `prefix` + its own name: a statement that answers rows of two tables in
 * one (a join of two writes' `returning`) keeps their `id`s and timestamps
 * apart, and `tableReader(table, prefix)` reads them back.
 */
export function prefixedColumns(relation: SQL, table: Table, prefix: string): SQL {
  return sql.join(
    Object.values(getTableColumns(table)).map((column) => sql`${relation}.${sql.identifier(column.name)} as ${sql.identifier(prefix + column.name)}`),
    sql`, `,
  );
}
