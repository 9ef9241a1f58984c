// Raw, parameterised SQL on a Drizzle executor. When the target cluster is
// the store itself, role DDL must run on the very connection (and inside the
// very transaction) the store's writes use: on PGlite there is only one, and
// a second transaction would wait for the first forever.
import { type SQL, sql } from 'drizzle-orm';
import type { Executor, RawQuery } from './client.ts';
import { rowsOf } from './selected-rows.ts';
import { parameterisedText } from './statement-template.ts';

/**
 * `$n` placeholders become bound Drizzle parameters. Text without parameters
 * goes through untouched, so a literal holding `$` (a SCRAM verifier) is
 * never mistaken for a placeholder.
 */
function toSql(text: string, params: readonly unknown[]): SQL {
  return params.length === 0 ? sql.raw(text) : parameterisedText(text, params.length)(params);
}

export function executorQuery(db: Executor): RawQuery {
  return async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<Row[]> => {
    const rows: Record<string, unknown>[] = rowsOf(await db.execute(toSql(text, params)));
    // The caller names the row shape it selected, as with `pg`'s own query<Row>().
    return rows as Row[];
  };
}

/**
 * Held until the transaction ends; every change to database users, services
 * and their grants takes it first, so two gateway instances never interleave
 * a check ("is there an owner?", "does anyone else hold this grant?") with
 * another's write.
 */
export async function lockClusterChanges(db: Executor): Promise<void> {
  await db.execute(sql.raw('SELECT pg_advisory_xact_lock(7358002)'));
}
