// A Postgres store that stalls or drops its connections: requests answer
// 503 SERVICE_UNAVAILABLE within the pool's timeouts instead of hanging or
// answering 200 "Unexpected error.", /readyz answers 503 without the
// driver's words while /healthz stays 200, and the log says it once per
// outage, then once when the store is back. Postgres only: an embedded
// PGlite has no network to stall.
import { createServer, type Server, type Socket, connect } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openStore } from '../../src/store/client.ts';
import { graphql } from '../gql/index.ts';
import { ADMIN_TOKEN, startTestGateway } from '../support/gateway.ts';
import { eventually } from '../support/child-gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

type Mode = 'pass' | 'stall' | 'drop';

/** A TCP proxy in front of Postgres that can stop forwarding (stall) or cut every connection (drop). */
async function startProxy(target: URL): Promise<{ url: string; set(mode: Mode): void; close(): Promise<void> }> {
  let mode: Mode = 'pass';
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    if (mode === 'drop') return void client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) => from.on('data', (chunk: Buffer) => mode === 'pass' && to.write(chunk));
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    set(next) {
      mode = next;
      if (next === 'drop') for (const [a, b] of pairs) (a.destroy(), b.destroy());
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [a, b] of pairs) (a.destroy(), b.destroy());
        server.close(() => resolve());
      }),
  };
}

const MintToken = graphql(`
  mutation OutageMintToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } }
  }
`);

const Count = graphql(`
  query OutageCount { users(first: 1) { totalCount } }
`);

describe.runIf(inject('storeKind') === 'postgres')('a store that stalls or drops', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('answers 503 SERVICE_UNAVAILABLE, /readyz 503 without driver text, and logs the outage once', async () => {
    const { url } = testStore();
    if (!url) throw new Error('postgres project without a database url');
    const proxy = await startProxy(new URL(url));
    closers.push(proxy.close);
    const store = await openStore({ kind: 'postgres', url: proxy.url, timeouts: { connectMs: 500, statementMs: 500, idleMs: 1_000 } });
    closers.push(() => store.close());
    await store.migrate();
    const api = startTestGateway(store);
    closers.push(api.close);

    expect((await api.graphql(Count)).errors).toBeUndefined();
    expect((await api.fetch('/readyz')).status).toBe(200);
    // An API token is looked up in the store before any resolver runs.
    const minted = await api.graphql(MintToken, { input: { name: 'outage', scopes: ['READ'] } });
    if (minted.data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error('no token');
    const apiToken = minted.data.createApiToken.token;

    for (const mode of ['stall', 'drop'] as const) {
      proxy.set(mode);
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          api.fetch('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${i % 2 === 0 ? ADMIN_TOKEN : apiToken}` },
            body: JSON.stringify({ query: '{ users(first: 1) { totalCount } }' }),
          }),
        ),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        const body = (await answer.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
        expect(body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
        expect(body.errors?.[0]?.message).not.toMatch(/timeout|terminated|ECONN/i);
      }
      const ready = await api.fetch('/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.text()).toBe('');
      expect((await api.fetch('/healthz')).status).toBe(200);
    }
    const outageLines = () => api.logs.filter((line) => line.includes('store unavailable: answering 503'));
    expect(outageLines()).toHaveLength(1);
    // Twelve failed requests and two readiness probes, one error line: no per-request error from the resolver log or yoga's.
    expect(api.logs.filter((line) => line.includes('"level":50'))).toEqual(outageLines());

    proxy.set('pass');
    await eventually(async () => api.logs.some((line) => line.includes('store available again')), 100, 100);
    expect((await api.graphql(Count)).errors).toBeUndefined();
    expect((await api.fetch('/readyz')).status).toBe(200);
  });
});
