// Relay connections over keyset pages. Cursors are opaque to clients and
// validated here, so a forged or stale cursor is a clear input error rather
// than a database error.
import { type DefaultConnectionArguments, resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { PageWindow } from '../store/repositories/pagination.ts';
import { isUuid } from '../store/uuid.ts';

export const MAX_PAGE_SIZE = 100;
const CURSOR_PREFIX = 'c1:';

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

export const encodeCursor = (id: string) => Buffer.from(`${CURSOR_PREFIX}${id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string | undefined, argument: string): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : '';
  if (!isUuid(id)) throw badInput(`"${argument}" is not a valid cursor`);
  return id;
}

function checkPageSize(args: DefaultConnectionArguments): void {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badInput(`"${name}" must be between 0 and ${MAX_PAGE_SIZE}`);
    }
  }
}

export async function keysetConnection<Row extends { id: string }>(
  args: DefaultConnectionArguments,
  fetchPage: (window: PageWindow) => Promise<Row[]>,
  count: () => Promise<number>,
) {
  checkPageSize(args);
  // The id stands in for the cursor until a client asks for one: most
  // queries never do, and a long list would encode one per edge.
  const connection = await resolveCursorConnection<Promise<Row[]>>(
    { args, toCursor: (row: Row) => row.id, maxSize: MAX_PAGE_SIZE },
    ({ before, after, limit, inverted }) =>
      fetchPage({ before: decodeCursor(before, 'before'), after: decodeCursor(after, 'after'), limit, inverted }),
  );
  const edges = connection.edges.flatMap((edge) => (edge ? [new KeysetEdge(edge.node)] : []));
  // An empty page keeps the client's own (already encoded) cursor, as resolveCursorConnection does.
  const startCursor = edges[0]?.cursor ?? connection.pageInfo.startCursor;
  const endCursor = edges.at(-1)?.cursor ?? connection.pageInfo.endCursor;
  return { edges, pageInfo: { ...connection.pageInfo, startCursor, endCursor }, totalCount: count };
}

class KeysetEdge<Row extends { id: string }> {
  constructor(readonly node: Row) {}

  get cursor(): string {
    return encodeCursor(this.node.id);
  }
}

/**
 * The page of rows already in memory, sorted by id, that a keyset query
 * would answer for `window`: for lists loaded in one batch for many parents.
 */
export function pageOfSorted<Row extends { id: string }>(rows: readonly Row[], window: PageWindow): Row[] {
  const inWindow = rows.filter(
    (row) => (window.after === undefined || row.id > window.after) && (window.before === undefined || row.id < window.before),
  );
  return (window.inverted ? inWindow.reverse() : inWindow).slice(0, window.limit);
}
