import { type AnyColumn, asc, desc, gt, lt, type Placeholder, type SQL } from 'drizzle-orm';

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

/** Escape LIKE wildcards so user text matches literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
