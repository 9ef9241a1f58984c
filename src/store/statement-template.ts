// Drizzle builds a statement anew at every call: the query builder's
// objects, then a walk over every chunk to render the text and collect the
// parameters (about 8% of a page of users with accounts and pools,
// docs/performance.md). The batched loads behind a page run one shape of
// statement with new keys each time, so they are built once with
// placeholders, and each call hands the driver the kept text with its
// values. The text is the dialect's, the same for PGlite and Postgres and
// for the store or a transaction.
import { type Column, fillPlaceholders, type Placeholder, type Query, SQL, type SQLChunk, sql, StringChunk } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { oncePerKey } from './once-per-key.ts';

// Renders a hand-composed statement as a query builder renders itself: the
// same dialect (no casing option, like the store's drizzle instances).
const dialect = new PgDialect();

/** A statement composed with `sql` (common table expressions over builders' statements), to build a template from. */
export const composedStatement = (statement: SQL): { toSQL(): Query } => ({ toSQL: () => dialect.sqlToQuery(statement) });

/**
 * Writes that must land together, as one statement: `writes` as
 * data-modifying common table expressions of `last`, which Postgres runs to
 * completion whether or not anything reads them, all under one snapshot
 * and atomic with `last`. One round trip where a transaction takes BEGIN,
 * each write and COMMIT (docs/performance.md, change 36). The writes must
 * touch different rows: one statement cannot change a row twice.
 */
export function together(writes: readonly SQL[], last: SQL): SQL {
  if (writes.length === 0) return last;
  const ctes = writes.map((write, index) => sql`${sql.identifier(`write_${index}`)} as (${write})`);
  return sql`with ${sql.join(ctes, sql`, `)} ${last}`;
}

const PLACEHOLDER = /\$(\d+)/g;

/**
 * `text` with `$n` placeholders for `count` parameters, split once; each call
 * binds its values (the n-th to `$n`) as Drizzle parameters.
 */
export function parameterisedText(text: string, count: number): (values: readonly unknown[]) => SQL {
  // The text before each placeholder, and which value the placeholder takes.
  // One flat statement of text chunks and parameters: Drizzle walks each
  // chunk through a chain of `is()` checks, and a nested SQL per piece
  // doubled that walk (docs/performance.md, change 34).
  const pieces: Array<{ before: StringChunk; index: number }> = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index >= count) throw new RangeError(`placeholder ${match[0]} has no parameter`);
    pieces.push({ before: new StringChunk(text.slice(last, match.index)), index });
    last = match.index + match[0].length;
  }
  const tail = new StringChunk(text.slice(last));
  return (values) => {
    const chunks: SQLChunk[] = [];
    for (const { before, index } of pieces) chunks.push(before, sql.param(values[index]));
    chunks.push(tail);
    return new SQL(chunks);
  };
}

/**
 * A placeholder encoded as `column` encodes its values (a Date as the
 * timestamp text, a JSON value as text), in a form Drizzle's types take
 * where they take SQL but no placeholder (an update's `set`).
 */
export const columnPlaceholder = (name: string, column: Column): SQL => sql`${sql.param(sql.placeholder(name), column)}`;

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

/**
 * One optional filter of a templated statement: the value it binds for an
 * input (undefined: the filter does not apply), and the condition it adds
 * with that value, or with its placeholder when the statement is a template.
 */
export interface TemplateFilter<Input, Value> {
  value(input: Input): Value | undefined;
  condition(bound: Value | Placeholder<string, Value>): SQL | undefined;
}

/** A statement's optional filters, by the name of the placeholder each binds. */
export type TemplateFilters<Input, Values extends Record<string, unknown>> = { readonly [Name in keyof Values & string]: TemplateFilter<Input, Values[Name]> };

/** The filters that apply to one input: the template key part, the values they bind, and their conditions. */
export interface AppliedFilters<Values extends Record<string, unknown>> {
  /** The names of the applied filters: the part of a template's key that says which conditions it holds. */
  key: string;
  /** The value of each applied filter, by its placeholder name. */
  values: Partial<Values>;
  /** The conditions of the applied filters, with their values bound (`'values'`) or as placeholders (`'placeholders'`). */
  conditions(binding: 'values' | 'placeholders'): SQL[];
}

/**
 * The filters of `filters` that apply to `input`. The key, the values and
 * the conditions come from the same walk over the same table, so a filter
 * added to the table is in the key of every statement that holds its
 * condition: a template can never be reused for an input it does not fit.
 */
export function applyFilters<Input, Values extends Record<string, unknown>>(filters: TemplateFilters<Input, Values>, input: Input): AppliedFilters<Values> {
  const names: Array<keyof Values & string> = [];
  const values: Partial<Values> = {};
  for (const name of Object.keys(filters) as Array<keyof Values & string>) {
    const value = filters[name].value(input);
    if (value === undefined) continue;
    names.push(name);
    values[name] = value;
  }
  return {
    key: names.join(','),
    values,
    conditions(binding) {
      const where: SQL[] = [];
      for (const name of names) {
        const filter = filters[name];
        const condition = binding === 'values' ? filter.condition(values[name] as Values[typeof name]) : filter.condition(sql.placeholder(name));
        if (condition) where.push(condition);
      }
      return where;
    },
  };
}
