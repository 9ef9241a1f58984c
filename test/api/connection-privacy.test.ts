// Connections hide what their nodes hide: a caller who may not read a
// connection's nodes gets one FORBIDDEN error for the whole connection (no
// count, cursors or page info), and cursors never carry row ids.
import { randomBytes } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { hashApiToken, newApiToken } from '../../src/auth.ts';
import { apiTokens } from '../../src/store/schema.ts';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

async function post(api: TestGateway, query: string, variables: Record<string, unknown>, token: string): Promise<Answer> {
  const response = await api.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

async function tokenFor(userId: string | null, scopes: string[]): Promise<string> {
  const { token } = newApiToken();
  await testStore().store.db.insert(apiTokens).values({ name: `conn-${randomBytes(4).toString('hex')}`, tokenHash: hashApiToken(token), scopes, userId });
  return token;
}

/** A pool with three viewers, the first of whom holds a `self` token. */
async function poolWithViewers() {
  const { store } = testStore();
  const pool = await seed(store).pool();
  const viewers = await seed(store).users(3);
  for (const viewer of viewers) await seed(store).viewer(pool.id, viewer.id);
  const me = viewers[0];
  if (!me) throw new Error('seed');
  return { api: startTestGateway(store), pool, viewers, me, token: await tokenFor(me.id, []) };
}

const VIEWERS = `query Viewers($id: ID!) {
  node(id: $id) { ... on ResourcePool { name viewers(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor } } } }
}`;

describe('connections whose nodes the caller may not read', () => {
  it('answer FORBIDDEN as a whole: a self caller viewing a pool sees the pool, not its viewers, their count or cursors', async () => {
    const { api, pool, viewers, token } = await poolWithViewers();
    const answer = await post(api, VIEWERS, { id: encodeGlobalID('ResourcePool', pool.id) }, token);
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(answer.errors?.[0]?.path).toEqual(['node', 'viewers']);
    const text = JSON.stringify(answer);
    expect(text).not.toContain('totalCount');
    expect(text).not.toContain('endCursor');
    for (const viewer of viewers) expect(text).not.toContain(viewer.id);
  });

  it('still answer a reader in full', async () => {
    const { api, pool } = await poolWithViewers();
    const answer = await post(api, VIEWERS, { id: encodeGlobalID('ResourcePool', pool.id) }, await tokenFor(null, ['read']));
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.node).toMatchObject({ viewers: { totalCount: 3, pageInfo: { hasNextPage: true } } });
  });

  it('a self caller still pages through their own pools', async () => {
    const { api, me, token } = await poolWithViewers();
    const answer = await post(api, 'query Me($id: ID!) { node(id: $id) { ... on User { resourcePools(first: 5) { totalCount edges { cursor node { name } } } } } }', { id: encodeGlobalID('User', me.id) }, token);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.node).toMatchObject({ resourcePools: { totalCount: 1 } });
  });
});

describe('cursors', () => {
  it('are opaque: no row id inside, and a page after one is the next page', async () => {
    const { store } = testStore();
    const api = startTestGateway(store);
    const users = await seed(store).users(3);
    const page = async (after?: string) =>
      post(api, 'query Page($after: String) { users(first: 2, after: $after) { edges { cursor node { id } } pageInfo { endCursor hasNextPage } } }', { after }, ADMIN_TOKEN);
    const first = await page();
    const edges = (first.data?.users as { edges: Array<{ cursor: string; node: { id: string } }> }).edges;
    for (const { cursor } of edges) {
      const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
      for (const user of users) {
        expect(decoded).not.toContain(user.id);
        expect(cursor).not.toContain(user.id);
      }
      expect(decoded).not.toMatch(/^c1:/);
    }
    const endCursor = (first.data?.users as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
    const second = await page(endCursor);
    const secondIds = (second.data?.users as { edges: Array<{ node: { id: string } }> }).edges.map((edge) => edge.node.id);
    expect(secondIds.length).toBeGreaterThan(0);
    for (const id of secondIds) expect(edges.map((edge) => edge.node.id)).not.toContain(id);
  });

  it('refuse a cursor built from a row id (the old base64 of c1:<uuid>) and one from another gateway key', async () => {
    const { store } = testStore();
    const [user] = await seed(store).users(1);
    const api = startTestGateway(store);
    const forged = Buffer.from(`c1:${user?.id}`, 'utf8').toString('base64url');
    const other = await post(startTestGateway(store), '{ users(first: 1) { pageInfo { endCursor } } }', {}, ADMIN_TOKEN);
    const foreign = (other.data?.users as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
    for (const after of [forged, foreign]) {
      const answer = await post(api, 'query Page($after: String) { users(first: 2, after: $after) { totalCount } }', { after }, ADMIN_TOKEN);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
