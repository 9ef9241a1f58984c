// Relay connections over keyset pages. Cursors are opaque to clients
// (encrypted and authenticated row ids, store/cursor-codec.ts) and validated
// here, so a forged or stale cursor is a clear input error rather than a
// database error.
import { type DefaultConnectionArguments, parseCursorConnectionArgs } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { CursorCodec } from '../store/cursor-codec.ts';
import type { PageWindow } from '../store/repositories/pagination.ts';

export const MAX_PAGE_SIZE = 100;

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function decodeCursor(cursors: CursorCodec, cursor: string | undefined, argument: string): string | undefined {
  if (cursor === undefined) return undefined;
  const id = cursors.decode(cursor);
  if (id === undefined) throw badInput(`"${argument}" is not a valid cursor`);
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

type ParsedPage = ReturnType<typeof parseCursorConnectionArgs>;

/** A keyset connection over rows the database pages (`fetchPage`) by id. */
export async function keysetConnection<Row extends { id: string }>(
  cursors: CursorCodec,
  args: DefaultConnectionArguments,
  fetchPage: (window: PageWindow) => Promise<Row[]>,
  count: () => Promise<number>,
) {
  const { page, window } = pageOf(cursors, args);
  return connectionOf(cursors, args, page, await fetchPage(window), count);
}

/**
 * The same connection over rows already in memory, sorted by id: for lists
 * loaded in one batch for many parents and cut per parent here.
 */
export function listConnection<Row extends { id: string }>(cursors: CursorCodec, args: DefaultConnectionArguments, sorted: readonly Row[]) {
  const { page, window } = pageOf(cursors, args);
  // Without a cursor the whole list is the window: it is cut, not copied.
  const inWindow =
    window.after === undefined && window.before === undefined
      ? sorted
      : sorted.filter((row) => (window.after === undefined || row.id > window.after) && (window.before === undefined || row.id < window.before));
  // An inverted window is read from the end, as the database reads it in descending order.
  const rows = window.inverted ? inWindow.slice(Math.max(inWindow.length - window.limit, 0)).reverse() : inWindow.slice(0, window.limit);
  return connectionOf(cursors, args, page, rows, () => Promise.resolve(sorted.length));
}

interface Page {
  page: ParsedPage;
  window: PageWindow;
}

// A page without cursors depends only on `first` and `last` (at most 101
// values each), and a nested connection parses the same arguments once per
// parent: the first of them parses, the others reuse it.
const pagesWithoutCursor = new Map<string, Readonly<Page>>();

function pageOf(cursors: CursorCodec, args: DefaultConnectionArguments): Readonly<Page> {
  checkPageSize(args);
  const withoutCursor = args.before == null && args.after == null;
  const key = withoutCursor ? `${args.first ?? ''}|${args.last ?? ''}` : undefined;
  const known = key === undefined ? undefined : pagesWithoutCursor.get(key);
  if (known) return known;
  const page = parseCursorConnectionArgs({ args, maxSize: MAX_PAGE_SIZE });
  const window: PageWindow = Object.freeze({
    before: decodeCursor(cursors, page.before, 'before'),
    after: decodeCursor(cursors, page.after, 'after'),
    limit: page.limit,
    inverted: page.inverted,
  });
  const parsed = Object.freeze({ page, window });
  if (key !== undefined) pagesWithoutCursor.set(key, parsed);
  return parsed;
}

/** What the relay plugin's resolveCursorConnection builds, with cursors encoded only when a client reads one. */
function connectionOf<Row extends { id: string }>(
  cursors: CursorCodec,
  args: DefaultConnectionArguments,
  page: ParsedPage,
  rows: readonly Row[],
  count: () => Promise<number>,
) {
  // `rows` holds one more than the page when there is a further page; an
  // inverted read holds the page backwards.
  const size = Math.min(rows.length, page.expectedSize);
  const edges: Array<KeysetEdge<Row>> = [];
  for (let i = 0; i < size; i += 1) {
    const row = rows[page.inverted ? size - 1 - i : i];
    if (row) edges.push(new KeysetEdge(cursors, row));
  }
  const pageInfo = new KeysetPageInfo(edges, args, page.hasPreviousPage(rows.length), page.hasNextPage(rows.length));
  return { edges, pageInfo, totalCount: count };
}

// Most queries never select a cursor, and a long list would encode one per
// edge: the id stands in until a client asks.
class KeysetEdge<Row extends { id: string }> {
  constructor(
    private readonly cursors: CursorCodec,
    readonly node: Row,
  ) {}

  get cursor(): string {
    return this.cursors.encode(this.node.id);
  }
}

class KeysetPageInfo {
  constructor(
    private readonly edges: ReadonlyArray<KeysetEdge<{ id: string }>>,
    private readonly args: DefaultConnectionArguments,
    readonly hasPreviousPage: boolean,
    readonly hasNextPage: boolean,
  ) {}

  // An empty page answers the client's own cursor back, as the relay plugin does.
  get startCursor(): string {
    return this.edges[0]?.cursor ?? this.args.after ?? this.args.before ?? '';
  }

  get endCursor(): string {
    return this.edges.at(-1)?.cursor ?? this.args.after ?? this.args.before ?? '';
  }
}
