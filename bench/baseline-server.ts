// The baseline: the fastest honest way to serve the bytes the gateway serves
// for scenarios 1-3. node:http, hand-written SQL over a `pg` pool of the same
// size as the gateway's, selecting only what the answer needs, and
// JSON.stringify. No GraphQL parsing, validation or execution: the request
// body is only read for its operation name and variables. The runner checks
// that both servers answer byte-identical JSON before measuring either.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { failStartup, processStats, send, serveIpc } from './lib/protocol.ts';
import { globalId, NODE_LOOKUP, SERVICES, USERS_WITH_POOL_LIST, USERS_WITH_POOLS, USERS_WITHOUT_POOLS } from './lib/scenarios.ts';

const MAX_PAGE = 100;
const POOLS_PER_USER = 10;

interface Body {
  operationName?: string;
  variables?: Record<string, unknown>;
}

async function start(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const token = process.env.GATEWAY_ADMIN_TOKEN;
  if (!url || !token) throw new Error('baseline needs DATABASE_URL and GATEWAY_ADMIN_TOKEN');
  const expectedAuthorization = `Bearer ${token}`;
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined);

  let queries = 0;
  const query = async <Row extends Record<string, unknown>>(text: string, values: unknown[]): Promise<Row[]> => {
    queries += 1;
    return (await pool.query<Row>(text, values)).rows;
  };

  const pageSize = (variables: Record<string, unknown> | undefined) => {
    const first = variables?.first;
    return typeof first === 'number' && Number.isInteger(first) && first >= 0 && first <= MAX_PAGE ? first : MAX_PAGE;
  };

  /** `connection`: the first 10 pools per user as edges; `list`: every pool of the user. */
  async function usersPage(first: number, pools: 'connection' | 'list' | 'none') {
    const rows = await query<{ id: string; email: string; status: string }>('select id, email, status from users order by id limit $1', [first]);
    const ids = rows.map((row) => row.id);
    // A DISABLED user's pool access is suspended (docs/oauth2-and-pools.md):
    // the gateway shows such a user no pools, so the baseline asks only for
    // the active users' ones.
    const activeIds = rows.filter((row) => row.status === 'ACTIVE').map((row) => row.id);
    // Both child lists depend only on the page's ids, so they run at once.
    const [accounts, poolRows] = await Promise.all([
      query<{ user_id: string; backend: string; status: string }>(
        'select user_id, backend, status from backend_accounts where user_id = any($1::uuid[]) order by backend',
        [ids],
      ),
      pools === 'connection'
        ? query<{ user_id: string; name: string }>(
            `select ranked.user_id, p.name
               from (select user_id, pool_id, row_number() over (partition by user_id order by pool_id) as n
                       from (select distinct user_id, pool_id from resource_pool_viewers where user_id = any($1::uuid[])) as pairs) as ranked
               join resource_pools p on p.id = ranked.pool_id
              where ranked.n <= $2
              order by ranked.user_id, ranked.n`,
            [activeIds, POOLS_PER_USER],
          )
        : pools === 'list'
          ? query<{ user_id: string; name: string }>(
              `select v.user_id, p.name
                 from (select distinct user_id, pool_id from resource_pool_viewers where user_id = any($1::uuid[])) as v
                 join resource_pools p on p.id = v.pool_id
                order by p.id`,
              [activeIds],
            )
          : Promise.resolve([]),
    ]);
    const accountsOf = groupBy(accounts, (row) => row.user_id);
    const poolsOf = groupBy(poolRows, (row) => row.user_id);
    const edges = rows.map((user) => {
      const node: Record<string, unknown> = {
        id: globalId('User', user.id),
        email: user.email,
        status: user.status,
        accounts: (accountsOf.get(user.id) ?? []).map((a) => ({ backend: a.backend, status: a.status })),
      };
      const names = (poolsOf.get(user.id) ?? []).map((p) => ({ name: p.name }));
      if (pools === 'connection') node.resourcePools = { edges: names.map((node) => ({ node })) };
      if (pools === 'list') node.resourcePools = names;
      return { node };
    });
    return { data: { users: { edges } } };
  }

  async function nodeLookup(variables: Record<string, unknown> | undefined) {
    const decoded = Buffer.from(String(variables?.id ?? ''), 'base64').toString('utf8');
    const id = decoded.startsWith('User:') ? decoded.slice('User:'.length) : '';
    const [user] = id ? await query<{ id: string; email: string; username: string; status: string }>(
      'select id, email, username, status from users where id = $1',
      [id],
    ) : [];
    return {
      data: { node: user ? { __typename: 'User', id: globalId('User', user.id), email: user.email, username: user.username, status: user.status } : null },
    };
  }

  async function servicesPage(first: number) {
    const rows = await query<{ service_id: string; connect_as_id: string; username: string }>(
      `select s.service_id, s.connect_as_id, d.username
         from services s join database_users d on d.id = s.connect_as_id
        order by s.id limit $1`,
      [first],
    );
    const owners = [...new Set(rows.map((row) => row.connect_as_id))];
    const siblings = await query<{ connect_as_id: string; service_id: string }>(
      'select connect_as_id, service_id from services where connect_as_id = any($1::uuid[]) order by id',
      [owners],
    );
    const servicesOf = groupBy(siblings, (row) => row.connect_as_id);
    const edges = rows.map((row) => ({
      node: {
        serviceId: row.service_id,
        connectAs: { username: row.username, services: (servicesOf.get(row.connect_as_id) ?? []).map((s) => ({ serviceId: s.service_id })) },
      },
    }));
    return { data: { services: { edges } } };
  }

  async function answer(body: Body): Promise<unknown> {
    switch (body.operationName) {
      case USERS_WITH_POOLS:
        return usersPage(pageSize(body.variables), 'connection');
      case USERS_WITH_POOL_LIST:
        return usersPage(pageSize(body.variables), 'list');
      case USERS_WITHOUT_POOLS:
        return usersPage(pageSize(body.variables), 'none');
      case NODE_LOOKUP:
        return nodeLookup(body.variables);
      case SERVICES:
        return servicesPage(pageSize(body.variables));
      default:
        return undefined;
    }
  }

  let requests = 0;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests += 1;
    if (req.method !== 'POST' || req.url !== '/graphql') return reply(res, 404, { errors: [{ message: 'not found' }] });
    if (req.headers.authorization !== expectedAuthorization) return reply(res, 401, { errors: [{ message: 'unauthorized' }] });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const result = await answer(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body);
    if (result === undefined) return reply(res, 400, { errors: [{ message: 'unknown operation' }] });
    reply(res, 200, result);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { errors: [{ message: String(error) }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serveIpc(
    () => ({ queries, requests, ...processStats() }),
    async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  );
  send({ type: 'ready', port: (server.address() as AddressInfo).port, info: {} });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function groupBy<Row>(rows: readonly Row[], keyOf: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

start().catch(failStartup);
