// A corpus of hostile and malformed requests. For each: no 500, no stack
// trace, driver or SQL text in the body; and after all of them the store is
// as it was (audit rows aside: refused mutations are on record by design).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

interface Case {
  name: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Send no Authorization header. */
  anonymous?: boolean;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const op = (query: string, variables?: unknown, extra: Record<string, unknown> = {}) => ({ query, variables, ...extra });

const USERS = 'query Users($first: Int, $after: String, $filter: UserFilter) { users(first: $first, after: $after, filter: $filter) { totalCount edges { node { id } } } }';
const CREATE = 'mutation Create($input: CreateUserInput!) { createUser(input: $input) { __typename ... on Error { message } } }';
const NODE = 'query Node($id: ID!) { node(id: $id) { id } }';
const ENABLE = 'mutation Enable($id: ID!) { enableUser(input: { id: $id }) { __typename } }';

const SQL_METACHARACTERS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '"; DELETE FROM users; --',
  '\\',
  '%',
  '_',
  '%_%\\%',
  "1' UNION SELECT password FROM secrets --",
  '$$; select pg_sleep(10); $$',
  "robert'); DROP TABLE students;--",
];

const UNICODE = ['名前', 'ünïcødé', '👩‍💻🚀', '\u202Eevil\u202C', 'zero\u200Bwidth', 'nul\u0000byte', '\uFFFF\uFFFE', 'e\u0301', 'Ω≈ç√∫', '\uD83D'];

const INVALID_IDS = [
  '',
  '!!!',
  'VXNlcjow',
  b64('User:not-a-uuid'),
  b64('User:'),
  b64('Nope:0190b6a4-0000-7000-8000-000000000000'),
  b64("User:' OR 1=1 --"),
  b64('User:0190b6a4-0000-7000-8000-000000000000\u0000'),
  'x'.repeat(10_000),
  b64('User:'.repeat(500)),
];

const INVALID_CURSORS = ['garbage', b64url("c1:'; drop table users;--"), b64url('c1:not-a-uuid'), b64url('c2:0190b6a4-0000-7000-8000-000000000000'), '=', 'a'.repeat(5000), '\u0000', b64url('c1:%')];

function depthBomb(levels: number): string {
  return `{ ${'a { '.repeat(levels)}b${' }'.repeat(levels)} }`;
}

const cases: Case[] = [
  // Malformed JSON and bodies.
  ...['{', '[', '{"query":}', '{"query": "{ __typename }",}', 'null', '"just a string"', '42', 'true', '{"query": 1}', '{"query": null}', '{"query": ["{ __typename }"]}', '{"variables": "x", "query": "{ __typename }"}', '{"query": "{ __typename }", "operationName": {}}', '{"query": "{ __typename }", "extensions": "x"}', '\uFEFF{"query": "{ __typename }"}', '{"query": "{ __typename }"} trailing', '[]', '[1, 2]', '[null]', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, `{"query": "{ __typename }", "variables": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, ''].map(
    (body, i): Case => ({ name: `malformed body #${i + 1}`, body }),
  ),
  // Content types and methods.
  ...['application/xml', 'text/html', 'application/json; charset=utf-16', 'application/graphql', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=----x', 'application/json; boundary="', '*/*', 'application/octet-stream'].map(
    (type): Case => ({ name: `content type ${type}`, headers: { 'content-type': type }, body: JSON.stringify(op('{ __typename }')) }),
  ),
  ...['PUT', 'DELETE', 'PATCH'].map((method): Case => ({ name: `method ${method}`, method, body: JSON.stringify(op('{ __typename }')) })),
  { name: 'GET with a mutation', method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { enableUser(input: { id: "x" }) { __typename } }')}` },
  { name: 'GET with bad variables', method: 'GET', path: `/graphql?query=${encodeURIComponent(USERS)}&variables=%7Bnot-json` },
  { name: 'GET with an empty query', method: 'GET', path: '/graphql?query=' },
  { name: 'GET with repeated query params', method: 'GET', path: '/graphql?query=%7B__typename%7D&query=%7Busers%7D' },
  { name: 'GET with a huge query string', method: 'GET', path: `/graphql?query=${'%7B'.repeat(20_000)}` },
  // Huge values.
  { name: 'a 900 kB email', body: op(CREATE, { input: { email: `${'a'.repeat(900_000)}@example.com`, username: 'huge' } }) },
  { name: 'a huge username', body: op(CREATE, { input: { email: 'huge@example.com', username: 'u'.repeat(100_000) } }) },
  { name: 'a huge display name', body: op(CREATE, { input: { email: 'huge2@example.com', username: 'huge2', displayName: 'd'.repeat(200_001) } }) },
  { name: 'a huge operation name', body: op('{ __typename }', undefined, { operationName: 'o'.repeat(100_000) }) },
  { name: 'a huge search filter', body: op(USERS, { first: 5, filter: { search: 's'.repeat(500_000) } }) },
  { name: 'a body over the size limit', body: op('{ __typename }', { pad: 'p'.repeat(2_000_000) }) },
  // Deep nesting, alias bombs, fragment cycles, directive and token floods.
  { name: 'selection depth 200', body: op(depthBomb(200)) },
  { name: 'selection depth 5000', body: op(depthBomb(5000)) },
  { name: 'real nested connections', body: op('{ users(first: 100) { edges { node { accounts { backend } } } } a: users(first: 100) { edges { node { accounts { backend } } } } }') },
  { name: 'alias bomb on users', body: op(`{ ${Array.from({ length: 500 }, (_, i) => `u${i}: users(first: 100) { totalCount }`).join(' ')} }`) },
  { name: 'alias bomb on __typename', body: op(`{ ${Array.from({ length: 5000 }, (_, i) => `t${i}: __typename`).join(' ')} }`) },
  { name: 'alias bomb on mutations', body: op(`mutation { ${Array.from({ length: 200 }, (_, i) => `m${i}: enableUser(input: { id: "x" }) { __typename }`).join(' ')} }`) },
  { name: 'fragment cycle', body: op('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }') },
  { name: 'self-referencing fragment', body: op('query { ...A } fragment A on Query { users(first: 1) { totalCount } ...A }') },
  { name: 'fragment explosion', body: op(`query { ...F0 } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F30 on Query { __typename }`) },
  { name: 'directive flood', body: op(`{ __typename ${'@include(if: true) '.repeat(500)}}`) },
  { name: 'token flood', body: op(`{ ${'__typename '.repeat(20_000)}}`) },
  { name: 'deeply nested list literal', body: op(`{ users(first: ${'['.repeat(3000)}1${']'.repeat(3000)}) { totalCount } }`) },
  { name: 'deeply nested input object literal', body: op(`{ users(filter: ${'{ search: '.repeat(2000)}"x"${' }'.repeat(2000)}) { totalCount } }`) },
  { name: 'introspection nested deeply', body: op(`{ __schema { types { ${'fields { type { '.repeat(40)}name${' } }'.repeat(40)} } } }`) },
  // Invalid ids and cursors.
  ...INVALID_IDS.map((id, i): Case => ({ name: `invalid node id #${i + 1}`, body: op(NODE, { id }) })),
  ...INVALID_IDS.map((id, i): Case => ({ name: `invalid mutation id #${i + 1}`, body: op(ENABLE, { id }) })),
  { name: 'nodes with invalid ids', body: op('query { nodes(ids: ["", "!!", "VXNlcjow"]) { id } }') },
  // Issue 19: nodes floods and variables past the token limit.
  { name: 'nodes with 15,000 ids as a variable (900 kB)', anonymous: true, body: op('query N($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 15_000 }, (_, i) => b64(`User:0190b6a4-0000-7000-8000-${String(i).padStart(12, '0')}`)) }) },
  { name: 'nodes with 12,000 copies of one id and a nested selection', body: op('query N($ids: [ID!]!) { nodes(ids: $ids) { ... on ResourcePool { viewers(first: 100) { edges { node { user { id } } } } } } }', { ids: Array.from({ length: 12_000 }, () => b64('ResourcePool:0190b6a4-0000-7000-8000-000000000000')) }) },
  { name: 'nodes with 101 ids', body: op('query N($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, () => 'VXNlcjow') }) },
  { name: 'nodes with ids as a single value', body: op('query N($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: 'VXNlcjow' }) },
  { name: 'variables as a wide object', body: op('{ __typename }', Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`v${i}`, i]))) },
  ...INVALID_CURSORS.map((after, i): Case => ({ name: `invalid cursor #${i + 1}`, body: op(USERS, { first: 2, after }) })),
  { name: 'before and after together', body: op('{ users(first: 1, last: 1, after: "x", before: "y") { totalCount } }') },
  // Unicode and SQL metacharacters in names and filters.
  ...UNICODE.map((text, i): Case => ({ name: `unicode username #${i + 1}`, body: op(CREATE, { input: { email: `u${i}@example.com`, username: text } }) })),
  ...UNICODE.map((text, i): Case => ({ name: `unicode search #${i + 1}`, body: op(USERS, { first: 5, filter: { search: text, email: `${text}@example.com` } }) })),
  ...SQL_METACHARACTERS.map((text, i): Case => ({ name: `SQL in username #${i + 1}`, body: op(CREATE, { input: { email: `${text}@example.com`, username: text } }) })),
  ...SQL_METACHARACTERS.map((text, i): Case => ({ name: `SQL in search #${i + 1}`, body: op(USERS, { first: 5, filter: { search: text } }) })),
  ...SQL_METACHARACTERS.map((text, i): Case => ({ name: `SQL in email lookup #${i + 1}`, body: op('query Q($e: String!) { user(email: $e) { id } }', { e: text }) })),
  // Wrong variable types and shapes.
  ...[{ first: 'ten' }, { first: 1e100 }, { first: -1 }, { first: 2 ** 31 }, { first: 1.5 }, { first: [1] }, { first: { n: 1 } }, { filter: 'all' }, { filter: { status: 'DELETED' } }, { filter: { nope: 1 } }, { after: 12 }, { filter: { backend: ['RETOOL'] } }].map(
    (variables, i): Case => ({ name: `wrong variable type #${i + 1}`, body: op(USERS, variables) }),
  ),
  { name: 'missing required variable', body: op(CREATE, {}) },
  { name: 'input with unknown fields', body: op(CREATE, { input: { email: 'x@example.com', username: 'x', admin: true } }) },
  { name: 'input of the wrong shape', body: op(CREATE, { input: ['x@example.com'] }) },
  { name: 'enum value unknown', body: op(CREATE, { input: { email: 'e@example.com', username: 'e', backends: ['LDAP'] } }) },
  { name: 'idempotency key as an object', body: op('mutation M($k: String) { enableUser(input: { id: "x" }, idempotencyKey: $k) { __typename } }', { k: { a: 1 } }) },
  { name: 'variables prototype pollution', body: '{"query":"query Q($f: UserFilter) { users(first: 1, filter: $f) { totalCount } }","variables":{"f":{"__proto__":{"search":"x"},"constructor":{"prototype":{"admin":true}}}}}' },
  // Operations.
  { name: 'several operations, no name', body: op('query A { __typename } query B { __typename }') },
  { name: 'unknown operation name', body: op('query A { __typename }', undefined, { operationName: 'B' }) },
  { name: 'subscription', body: op('subscription { users }') },
  { name: 'unknown field', body: op('{ secrets { value } }') },
  { name: 'unknown type in fragment', body: op('{ ... on Secret { value } }') },
  { name: 'a batch over the limit', body: Array.from({ length: 50 }, () => op('{ __typename }')) },
  { name: 'a batch of junk', body: [1, 'x', null, {}, { query: 7 }] },
  // Headers.
  { name: 'Bearer with no token', headers: { authorization: 'Bearer' }, body: op(USERS, { first: 1 }) },
  { name: 'non-bearer scheme', headers: { authorization: `Basic ${b64('admin:admin')}` }, body: op(USERS, { first: 1 }) },
  { name: 'JWT-shaped garbage', headers: { authorization: 'Bearer a.b.c' }, body: op(USERS, { first: 1 }) },
  { name: 'API-token-shaped garbage', headers: { authorization: "Bearer igw_' OR 1=1 --" }, body: op(USERS, { first: 1 }) },
  { name: 'a huge bearer token', headers: { authorization: `Bearer ${'t'.repeat(60_000)}` }, body: op(USERS, { first: 1 }) },
  { name: 'an alg:none JWT', headers: { authorization: `Bearer ${b64url('{"alg":"none"}')}.${b64url('{"sub":"x","scope":"admin"}')}.` }, body: op(USERS, { first: 1 }) },
  { name: 'a huge Idempotency-Key', headers: { 'idempotency-key': 'k'.repeat(5000) }, body: op(ENABLE, { id: 'x' }) },
  { name: 'an Idempotency-Key with SQL', headers: { 'idempotency-key': "'; DROP TABLE idempotency_keys; --" }, body: op(ENABLE, { id: 'x' }) },
  { name: 'a hostile request id', headers: { 'x-request-id': '"}{"level":60,"msg":"forged' }, body: op('{ __typename }') },
  { name: 'a foreign Origin', headers: { origin: 'https://evil.example' }, body: op(USERS, { first: 1 }) },
  // Other paths.
  ...['/graphql/../etc/passwd', '/%00', '/graphql%00', '/metrics?name[]=x', '/oauth2/callback?state=%27%3B--&code=%00', '/oauth2/callback?state=' + 'x'.repeat(10_000), '/readyz?x=1', '/.env', '/graphql?query=%7B__typename%7D&operationName=%00'].map(
    (path): Case => ({ name: `path ${path.slice(0, 40)}`, path, method: 'GET' }),
  ),
  // Issue 19, smaller points.
  ...['/oauth2/callback?state=%00', '/oauth2/callback?state=%0d%0aSet-Cookie:%20x=1', '/oauth2/callback?state=ok&code=%00', '/oauth2/callback?state=%FF%FE'].map(
    (path): Case => ({ name: `callback ${path.slice(16, 56)}`, path, method: 'GET' }),
  ),
  { name: 'an MCP config of 200 kB', body: op('mutation S($input: CreateServiceInput!) { createService(input: $input) { __typename } }', { input: { serviceId: 'mcp-huge', type: 'MCP', version: '1', connectAs: 'nobody_here', config: { blob: 'b'.repeat(200_000) } } }) },
  { name: 'a bad field inside an input variable', body: op(CREATE, { input: { email: 5, username: 'x' } }) },
  { name: 'a metrics request with a hostile bearer', path: '/metrics', method: 'GET', headers: { authorization: `Bearer ${'\u00e9'.repeat(10)}` } },
  { name: 'anonymous mutation with hostile input', anonymous: true, body: op(CREATE, { input: { email: "' OR 1=1 --@x", username: "'; DROP TABLE users; --" } }) },
];

// Driver, SQL or runtime detail that must never reach a client. (GraphQL's
// own "Syntax Error" and echoes of the client's input are fine.)
const LEAKS = [
  /syntax error at or near/i,
  /relation "/i,
  /violates .* constraint/i,
  /duplicate key value/i,
  /invalid input syntax for type/i,
  /invalid byte sequence/i,
  /Failed query:/i,
  /\bparams:/,
  /node_modules/,
  /\n\s+at /,
  /\bat (async )?[\w.<>]+ \(/,
  /\.ts:\d+/,
  /ECONNREFUSED|PGlite|pg-protocol|drizzle/i,
];

let api: TestGateway;
let before = '';

async function snapshot(): Promise<string> {
  const { store } = testStore();
  const tables = await store.raw<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    // Refused mutations are audited by design, and API-token use is stamped.
    if (name === 'audit_events') continue;
    const [row] = await store.raw<{ n: number; digest: string | null }>(`select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as digest from "${name}" t`);
    parts.push(`${name}:${row?.n}:${row?.digest}`);
  }
  return parts.join('\n');
}

beforeAll(async () => {
  const { store } = testStore();
  const users = await seed(store).users(3);
  for (const user of users) await seed(store).account(user.id, 'RETOOL');
  // A generous rate limit: the corpus is about input, not volume.
  api = startTestGateway(store, { RATE_LIMIT_BURST: '1000' });
  before = await snapshot();
});

afterAll(async () => {
  await api.close();
});

describe('the bad input corpus', () => {
  it('has at least 100 requests', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  for (const request of cases) {
    it(`${request.name}: no 500, nothing leaked`, async () => {
      const method = request.method ?? 'POST';
      const response = await api.fetch(request.path ?? '/graphql', {
        method,
        headers: {
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          ...(request.anonymous ? {} : { authorization: `Bearer ${ADMIN_TOKEN}` }),
          accept: 'application/graphql-response+json, application/json',
          ...request.headers,
        },
        body: method === 'GET' ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
      });
      const text = await response.text();
      expect(response.status).not.toBeGreaterThanOrEqual(500);
      for (const leak of LEAKS) expect(text).not.toMatch(leak);
      expect(text).not.toContain('Unexpected error.');
    });
  }

  it('left the store as it was', async () => {
    expect(await snapshot()).toBe(before);
  });
});
