// Admission control for queries (src/http/query-concurrency.ts): at most
// MAX_CONCURRENT_QUERIES execute at once, MAX_QUEUED_QUERIES wait in order,
// one more is a 503 with Retry-After; a client that goes away leaves the
// queue; mutations are never held up by it.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createQueryConcurrency } from '../../src/http/query-concurrency.ts';
import { graphql } from '../gql/index.ts';
import { ADMIN_TOKEN } from '../support/gateway.ts';
import { useFreshFakeBackends } from '../support/backends.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const setup = useFreshFakeBackends(() => testStore().store);

const USERS = '{ users(first: 1) { edges { node { id } } } }';

const CreateApiToken = graphql(`
  mutation ConcurrencyCreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) { __typename }
  }
`);

describe('createQueryConcurrency', () => {
  it('hands out slots up to the limit, queues in arrival order, refuses beyond the queue, and ignores a second release', async () => {
    const limit = createQueryConcurrency(2, 2);
    const first = await limit.acquire();
    const second = await limit.acquire();
    expect([first, second].every((release) => typeof release === 'function')).toBe(true);
    const order: string[] = [];
    const third = limit.acquire().then((release) => (order.push('third'), release));
    const fourth = limit.acquire().then((release) => (order.push('fourth'), release));
    expect(await limit.acquire()).toBeUndefined();
    expect({ running: limit.running, queued: limit.queued }).toEqual({ running: 2, queued: 2 });

    first?.();
    first?.();
    const thirdRelease = await third;
    await Promise.resolve();
    expect(order).toEqual(['third']);
    expect({ running: limit.running, queued: limit.queued }).toEqual({ running: 2, queued: 1 });
    second?.();
    const fourthRelease = await fourth;
    expect(order).toEqual(['third', 'fourth']);
    thirdRelease?.();
    fourthRelease?.();
    expect({ running: limit.running, queued: limit.queued }).toEqual({ running: 0, queued: 0 });
  });

  it('gives up the place in the queue when the caller goes away', async () => {
    const limit = createQueryConcurrency(1, 1);
    const held = await limit.acquire();
    const gone = new AbortController();
    const waiting = limit.acquire(gone.signal);
    expect(limit.queued).toBe(1);
    gone.abort();
    expect(await waiting).toBeUndefined();
    expect(limit.queued).toBe(0);
    // Its place is free for the next one, which gets the slot when it is released.
    const next = limit.acquire();
    expect(limit.queued).toBe(1);
    held?.();
    const release = await next;
    expect(typeof release).toBe('function');
    release?.();
    expect(await limit.acquire(AbortSignal.abort())).toBeUndefined();
    expect({ running: limit.running, queued: limit.queued }).toEqual({ running: 0, queued: 0 });
  });
});

describe('MAX_CONCURRENT_QUERIES', () => {
  const post = (api: Awaited<ReturnType<typeof setup>>['api'], query: string) =>
    api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query }),
    });

  /**
   * Holds an exclusive lock on `users` until `release` is called, so every
   * query that reads users waits in the store (on PGlite the whole instance
   * waits for the transaction). Resolves once the lock is held.
   */
  async function lockUsers(): Promise<{ release: () => Promise<void> }> {
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const done = testStore().store.db.transaction(async (tx) => {
      await tx.execute(sql`lock table users in access exclusive mode`);
      locked();
      await released;
    });
    await isLocked;
    const lock = {
      release: async () => {
        release();
        await done;
      },
    };
    // Released by afterEach too, should the test fail while holding it.
    held = lock;
    return lock;
  }

  afterEach(async () => {
    await held?.release();
    held = undefined;
  });
  let held: { release: () => Promise<void> } | undefined;

  it('runs one query at a time, queues one, and answers a third 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    const f = await setup({ MAX_CONCURRENT_QUERIES: '1', MAX_QUEUED_QUERIES: '1' });
    const lock = await lockUsers();
    const pending = [post(f.api, USERS), post(f.api, USERS), post(f.api, USERS)];
    // The refused one answers at once, while the other two still wait on the lock.
    const refused = await Promise.race(pending);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const body = (await refused.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors[0]).toMatchObject({ message: 'the gateway is busy; retry shortly', extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } });
    // The metrics show the one running and the one waiting (read from the registry: a
    // whole /metrics scrape also reads the store, which the lock holds on PGlite).
    const { registry } = f.api.deps.metrics;
    expect(await registry.getSingleMetricAsString('gateway_queries_running')).toMatch(/^gateway_queries_running 1$/m);
    expect(await registry.getSingleMetricAsString('gateway_queries_queued')).toMatch(/^gateway_queries_queued 1$/m);
    await lock.release();
    expect((await Promise.all(pending)).map((answer) => answer.status).sort()).toEqual([200, 200, 503]);
  });

  it('a mutation is not held up or refused while every query slot is taken and nothing may queue', async () => {
    const f = await setup({ MAX_CONCURRENT_QUERIES: '1', MAX_QUEUED_QUERIES: '0' });
    const lock = await lockUsers();
    const pending = [post(f.api, USERS), post(f.api, USERS)];
    // One query holds the slot (waiting on the lock): the other was refused.
    expect((await Promise.race(pending)).status).toBe(503);
    const created = f.api.graphql(CreateApiToken, { input: { name: 'while-busy', scopes: ['READ'] } });
    // A refusal would come back at once; an admitted mutation waits on the lock (or is done).
    await Promise.race([created, new Promise((resolve) => setTimeout(resolve, 300))]);
    await lock.release();
    const answer = await created;
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.createApiToken.__typename).toBe('CreateApiTokenPayload');
    expect((await Promise.all(pending)).map((response) => response.status).sort()).toEqual([200, 503]);
    // Once the slot is free again, queries run.
    expect((await post(f.api, USERS)).status).toBe(200);
  });

  it('a query whose client went away while queued gives up its place to the next', async () => {
    const f = await setup({ MAX_CONCURRENT_QUERIES: '1', MAX_QUEUED_QUERIES: '1' });
    const { registry } = f.api.deps.metrics;
    const lock = await lockUsers();
    const running = post(f.api, USERS);
    const gone = new AbortController();
    const abandoned = f.api
      .fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ query: USERS }),
        signal: gone.signal,
      })
      .catch((error: unknown) => error);
    await expect.poll(() => registry.getSingleMetricAsString('gateway_queries_queued')).toMatch(/^gateway_queries_queued 1$/m);
    gone.abort();
    await expect.poll(() => registry.getSingleMetricAsString('gateway_queries_queued')).toMatch(/^gateway_queries_queued 0$/m);
    // The place it held is free: the next query queues instead of being refused.
    const next = post(f.api, USERS);
    await expect.poll(() => registry.getSingleMetricAsString('gateway_queries_queued')).toMatch(/^gateway_queries_queued 1$/m);
    await lock.release();
    expect((await running).status).toBe(200);
    expect((await next).status).toBe(200);
    await abandoned;
  });

  it('0 turns the limit off', async () => {
    const f = await setup({ MAX_CONCURRENT_QUERIES: '0', MAX_QUEUED_QUERIES: '0' });
    const lock = await lockUsers();
    const pending = [post(f.api, USERS), post(f.api, USERS), post(f.api, USERS)];
    await lock.release();
    expect((await Promise.all(pending)).map((answer) => answer.status)).toEqual([200, 200, 200]);
  });
});
