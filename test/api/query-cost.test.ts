// What a query may load, counted with its variables: `nodes(ids:)` capped and
// weighed by its length, connections by their page, variables against the
// token limit, and a per-caller query budget (429 + Retry-After, RateLimit-*
// headers), in process and shared through Redis.
import { randomBytes } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { hashApiToken, newApiToken } from '../../src/auth.ts';
import { apiTokens } from '../../src/store/schema.ts';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const gateway = (env: Record<string, string> = {}) => startTestGateway(testStore().store, env);

interface Answer {
  status: number;
  headers: Headers;
  json: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function post(api: TestGateway, body: unknown, token: string | null = ADMIN_TOKEN): Promise<Answer> {
  const response = await api.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Answer['json'] };
}

/** An API token with `scopes`, straight into the store. */
async function tokenWith(scopes: string[]): Promise<string> {
  const { token } = newApiToken();
  await testStore().store.db.insert(apiTokens).values({ name: `cost-${randomBytes(4).toString('hex')}`, tokenHash: hashApiToken(token), scopes });
  return token;
}

const NODES = 'query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }';
const code = (answer: Answer) => answer.json.errors?.[0]?.extensions?.code;

describe('nodes(ids:)', () => {
  it('takes at most LIMIT_MAX_NODES ids (100 by default), as a variable or a literal', async () => {
    const api = gateway();
    const [user] = await seed(testStore().store).users(1);
    const id = encodeGlobalID('User', user?.id ?? '');
    const hundred = await post(api, { query: NODES, variables: { ids: Array.from({ length: 100 }, () => id) } });
    expect(hundred.json.errors).toBeUndefined();
    const over = await post(api, { query: NODES, variables: { ids: Array.from({ length: 101 }, () => id) } });
    expect(over.status).toBe(400);
    expect(code(over)).toBe('BAD_USER_INPUT');
    expect(over.json.errors?.[0]?.message).toContain('Query.nodes');
    const literal = await post(gateway({ LIMIT_MAX_NODES: '3' }), { query: `{ nodes(ids: [${Array.from({ length: 4 }, () => `"${id}"`).join(',')}]) { id } }` });
    expect(code(literal)).toBe('BAD_USER_INPUT');
  });

  it('weighs each id by the selection under it: copies of one pool with its viewers are over the cost limit', async () => {
    const api = gateway();
    const pool = await seed(testStore().store).pool();
    const ids = Array.from({ length: 100 }, () => encodeGlobalID('ResourcePool', pool.id));
    const query = 'query Flood($ids: [ID!]!) { nodes(ids: $ids) { ... on ResourcePool { name viewers(first: 100) { edges { node { user { id email username } grants { source } } } } } } }';
    const answer = await post(api, { query, variables: { ids } }, await tokenWith(['read']));
    expect(answer.status).toBe(400);
    expect(code(answer)).toBe('COST_LIMIT_EXCEEDED');
    expect(answer.json.data).toBeUndefined();
    // One copy of the same selection is an ordinary query.
    const one = await post(api, { query, variables: { ids: ids.slice(0, 1) } }, await tokenWith(['read']));
    expect(one.json.errors).toBeUndefined();
  });

  it('counts the variables against LIMIT_MAX_TOKENS: fifteen thousand ids are refused before parsing', async () => {
    const ids = Array.from({ length: 15_000 }, (_, i) => encodeGlobalID('User', `0190b6a4-0000-7000-8000-${String(i).padStart(12, '0')}`));
    const answer = await post(gateway(), { query: NODES, variables: { ids } }, null);
    expect(answer.status).toBe(400);
    expect(code(answer)).toBe('VARIABLES_TOO_LARGE');
  });
});

describe('cost of connections', () => {
  it('grows with first: the same selection passes at first: 1 and is refused at first: 100 under a low limit', async () => {
    const api = gateway({ LIMIT_MAX_COST: '500' });
    const query = (first: number) => `{ users(first: ${first}) { edges { node { id email accounts { backend status } } } } }`;
    expect((await post(api, { query: query(1) })).json.errors).toBeUndefined();
    const refused = await post(api, { query: query(100) });
    expect(code(refused)).toBe('COST_LIMIT_EXCEEDED');
    expect(refused.json.errors?.[0]?.extensions?.maxCost).toBe(500);
  });

  it('counts a fragment spread many times without walking it each time', async () => {
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const answer = await post(gateway(), { query: `query { ...F0 } ${fragments} fragment F30 on Query { users(first: 1) { totalCount } }` });
    expect(code(answer)).toBe('COST_LIMIT_EXCEEDED');
  });
});

describe('the query budget', () => {
  const query = { query: '{ users(first: 10) { edges { node { id email } } } }' };

  it('charges each query its cost, reports the budget in RateLimit-* headers, and answers 429 with Retry-After when spent', async () => {
    const api = gateway({ QUERY_BUDGET_BURST: '100', QUERY_BUDGET_PER_MINUTE: '1' });
    const first = await post(api, query);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('100');
    const remaining = Number(first.headers.get('ratelimit-remaining'));
    expect(remaining).toBeLessThan(100);
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    let refused: Answer | undefined;
    for (let i = 0; i < 10 && !refused; i += 1) {
      const answer = await post(api, query);
      if (answer.status === 429) refused = answer;
    }
    expect(refused).toBeDefined();
    expect(code(refused as Answer)).toBe('RATE_LIMITED');
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused?.headers.get('ratelimit-remaining')).toBeDefined();
    // Another caller has a budget of its own; mutations are not charged to it.
    expect((await post(api, query, await tokenWith(['read']))).status).toBe(200);
  });

  it('is strictest for anonymous callers, who share one budget', async () => {
    const api = gateway({ QUERY_BUDGET_ANONYMOUS_BURST: '5', QUERY_BUDGET_ANONYMOUS_PER_MINUTE: '1' });
    const anonymousQuery = { query: '{ users(first: 10) { edges { node { id } } } }' };
    const answer = await post(api, anonymousQuery, null);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('ratelimit-limit')).toBe('5');
    expect((await post(api, anonymousQuery)).status).toBe(200);
  });

  it('is shared by instances through Redis', async () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `igw-test-${randomBytes(6).toString('hex')}:`, QUERY_BUDGET_BURST: '100', QUERY_BUDGET_PER_MINUTE: '1' };
    const a = gateway(env);
    const b = gateway(env);
    try {
      const statuses: number[] = [];
      for (const api of [a, b, a, b]) statuses.push((await post(api, query)).status);
      // 41 points each (users 1, then edges, node, id and email 10 each): two fit in 100, whichever instance answers.
      expect(statuses).toEqual([200, 200, 429, 429]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
