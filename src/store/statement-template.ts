// Drizzle builds a statement anew at every call: the query builder's
// objects, then a walk over every chunk to render the text and collect the
// parameters (about 8% of a page of users with accounts and pools,
// docs/performance.md). The batched loads behind a page run one shape of
// statement with new keys each time, so they are built once with
// placeholders, and each call hands the driver the kept text with its
// values. The text is the dialect's, the same for PGlite and Postgres and
// for the store or a transaction.
import { fillPlaceholders, type Query, type SQL, sql } from 'drizzle-orm';

/** Renders `query` (built with `sql.placeholder`s) once; the result fills its placeholders per call. */
export function statementTemplate<Values extends Record<string, unknown>>(query: { toSQL(): Query }): (values: Values) => SQL {
  const { sql: text, params } = query.toSQL();
  // Drizzle numbers each parameter where it places it: $1, $2, … in order.
  const parts = text.split(/\$\d+/);
  if (parts.length !== params.length + 1) throw new Error('statement template: the text and its parameters do not line up');
  const [head, ...tail] = parts.map((part) => sql.raw(part));
  return (values) => {
    const chunks: SQL[] = [head ?? sql.raw('')];
    fillPlaceholders(params, values).forEach((value, i) => chunks.push(sql`${sql.param(value)}`, tail[i] ?? sql.raw('')));
    return sql.join(chunks);
  };
}

/** Templates by a key (a column set, say), each built by its first caller. */
export function statementTemplates<Values extends Record<string, unknown>>(): (key: string, build: () => { toSQL(): Query }) => (values: Values) => SQL {
  const templates = new Map<string, (values: Values) => SQL>();
  return (key, build) => {
    let template = templates.get(key);
    if (!template) {
      template = statementTemplate<Values>(build());
      templates.set(key, template);
    }
    return template;
  };
}
