import { type AnyColumn, asc, desc, gt, lt, type Placeholder, type SQL, sql } from 'drizzle-orm';

/** A keyset page request, as the relay plugin's `resolveCursorConnection` hands it over. */
export interface PageWindow {
  after?: string | undefined;
  before?: string | undefined;
  limit: number;
  inverted: boolean;
}

/** A page window whose bounds and size may be placeholders, for a statement template. */
export interface KeysetBounds<Limit extends number | Placeholder = number> {
  after?: string | Placeholder | undefined;
  before?: string | Placeholder | undefined;
  limit: Limit;
  inverted: boolean;
}

/**
 * Keyset conditions and order over a unique, time-ordered id column (UUIDv7):
 * no OFFSET scans, and pages stay stable while rows are inserted.
 */
export function keyset<Limit extends number | Placeholder>(idColumn: AnyColumn, window: KeysetBounds<Limit>): { where: SQL[]; orderBy: SQL; limit: Limit } {
  const where: SQL[] = [];
  if (window.after !== undefined) where.push(gt(idColumn, window.after));
  if (window.before !== undefined) where.push(lt(idColumn, window.before));
  return { where, orderBy: window.inverted ? desc(idColumn) : asc(idColumn), limit: window.limit };
}

/** What a page template binds for the window, by placeholder name (see `keysetTemplate`). */
export type WindowValues = {
  after?: string | undefined;
  before?: string | undefined;
  limit: number;
};

/**
 * `keyset` for a statement template: the bounds and the size as
 * placeholders (`after`, `before`, `limit`), the key part that says which
 * bounds and which direction the template holds, and the values one call
 * binds. Two windows with the same key share a template.
 */
export function keysetTemplate(idColumn: AnyColumn, window: PageWindow) {
  return {
    key: [window.after === undefined ? '' : 'after', window.before === undefined ? '' : 'before', window.inverted ? 'inverted' : ''].join('|'),
    build: () =>
      keyset(idColumn, {
        after: window.after === undefined ? undefined : sql.placeholder('after'),
        before: window.before === undefined ? undefined : sql.placeholder('before'),
        limit: sql.placeholder('limit'),
        inverted: window.inverted,
      }),
    values: { after: window.after, before: window.before, limit: window.limit } satisfies WindowValues,
  };
}

/** Escape LIKE wildcards so user text matches literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
