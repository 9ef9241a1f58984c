// Drizzle builds a statement anew at every call: the query builder's
// objects, then a walk over every chunk to render the text and collect the
// parameters (about 8% of a page of users with accounts and pools,
// docs/performance.md). The batched loads behind a page run one shape of
// statement with new keys each time, so they are built once with
// placeholders, and each call hands the driver the kept text with its
// values. The text is the dialect's, the same for PGlite and Postgres and
// for the store or a transaction.
import { fillPlaceholders, type Query, type SQL, sql } from 'drizzle-orm';
import { oncePerKey } from './once-per-key.ts';

const PLACEHOLDER = /\$(\d+)/g;

/**
 * `text` with `$n` placeholders for `count` parameters, split once; each call
 * binds its values (the n-th to `$n`) as Drizzle parameters.
 */
export function parameterisedText(text: string, count: number): (values: readonly unknown[]) => SQL {
  // The text before each placeholder, and which value the placeholder takes.
  const pieces: Array<{ before: SQL; index: number }> = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index >= count) throw new RangeError(`placeholder ${match[0]} has no parameter`);
    pieces.push({ before: sql.raw(text.slice(last, match.index)), index });
    last = match.index + match[0].length;
  }
  const tail = sql.raw(text.slice(last));
  return (values) => {
    const chunks: SQL[] = [];
    for (const { before, index } of pieces) chunks.push(before, sql`${sql.param(values[index])}`);
    chunks.push(tail);
    return sql.join(chunks);
  };
}

/** Renders `query` (built with `sql.placeholder`s) once; the result fills its placeholders per call. */
export function statementTemplate<Values extends Record<string, unknown>>(query: { toSQL(): Query }): (values: Values) => SQL {
  const { sql: text, params } = query.toSQL();
  const bind = parameterisedText(text, params.length);
  return (values) => bind(fillPlaceholders(params, values));
}

/** Templates by a key (a column set, say), each built by its first caller. */
export function statementTemplates<Values extends Record<string, unknown>>(): (key: string, build: () => { toSQL(): Query }) => (values: Values) => SQL {
  const templates = oncePerKey<(values: Values) => SQL>();
  return (key, build) => templates(key, () => statementTemplate<Values>(build()));
}
