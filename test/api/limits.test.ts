// What one request may ask of the gateway: operation shape, page size, body
// size, batching, introspection, CSRF, and the per-caller mutation rate.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../src/server.ts';
import { graphql } from '../gql/index.ts';
import { ADMIN_TOKEN, startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const gateway = (env: Record<string, string> = {}) => startTestGateway(testStore().store, env);

const PRODUCTION = { NODE_ENV: 'production', GATEWAY_SECRET_KEY: randomBytes(32).toString('base64') };

async function post(api: ReturnType<typeof gateway>, body: unknown, headers: Record<string, string> = {}) {
  const response = await api.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text.startsWith('{') || text.startsWith('[') ? (JSON.parse(text) as unknown) : undefined };
}

const firstError = (json: unknown): { message: string; extensions?: Record<string, unknown> } | undefined =>
  (json as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | undefined)?.errors?.[0];

const CreateUser = graphql(`
  mutation LimitsCreateUser($input: CreateUserInput!) {
    createUser(input: $input) { __typename }
  }
`);

describe('operation limits', () => {
  it('refuses a query deeper than LIMIT_MAX_DEPTH', async () => {
    const deep = `{ viewer { ${'accounts { backend } '.repeat(1)}} users(first: 1) { edges { node { accounts { backend } } } } }`;
    const api = gateway({ LIMIT_MAX_DEPTH: '3' });
    const { json } = await post(api, { query: deep });
    expect(firstError(json)?.message).toMatch(/depth/i);
    expect((json as { data?: unknown }).data).toBeUndefined();
  });

  it('refuses nested pages whose cost is over LIMIT_MAX_COST', async () => {
    const query = '{ users(first: 100) { edges { node { id email username displayName firstName lastName status createdAt updatedAt accounts { backend status externalId lastError attempts } } } } }';
    expect(firstError((await post(gateway({ LIMIT_MAX_COST: '5000' }), { query })).json)?.message).toMatch(/cost/i);
    expect(firstError((await post(gateway(), { query })).json)).toBeUndefined();
  });

  it('refuses more aliases than LIMIT_MAX_ALIASES', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: viewer { id }`).join(' ');
    expect(firstError((await post(gateway(), { query: `{ ${aliases} }` })).json)?.message).toMatch(/alias/i);
  });

  it('refuses a document with more tokens than LIMIT_MAX_TOKENS', async () => {
    const fields = Array.from({ length: 2500 }, () => '__typename').join(' ');
    expect(firstError((await post(gateway(), { query: `{ ${fields} }` })).json)?.message).toMatch(/token/i);
  });

  it('refuses more directives than LIMIT_MAX_DIRECTIVES', async () => {
    const directives = Array.from({ length: 25 }, () => '@skip(if: false)').join(' ');
    expect(firstError((await post(gateway(), { query: `{ __typename ${directives} }` })).json)?.message).toMatch(/directive/i);
  });

  it('caps connection pages at 100', async () => {
    const { json } = await post(gateway(), { query: '{ users(first: 101) { totalCount } }' });
    expect(firstError(json)?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('request limits', () => {
  it('answers 413 to a body over LIMIT_MAX_BODY_BYTES', async () => {
    const api = gateway({ LIMIT_MAX_BODY_BYTES: '4096' });
    const { status } = await post(api, { query: '{ __typename }', variables: { pad: 'x'.repeat(10_000) } });
    expect(status).toBe(413);
  });

  it('answers 400 to a Content-Length that is not one non-negative integer', async () => {
    const api = gateway();
    for (const length of ['1, 1', '-1', 'abc']) {
      const { status, json } = await post(api, { query: '{ __typename }' }, { 'content-length': length });
      expect(status).toBe(400);
      expect(firstError(json)?.extensions?.code).toBe('BAD_REQUEST');
    }
  });

  describe('over HTTP', () => {
    /** A gateway with a 4 KiB body limit on a loopback port, for the duration of `use`. */
    async function withListeningGateway(use: (url: string) => Promise<void>): Promise<void> {
      const server = createServer(createGateway(gateway({ LIMIT_MAX_BODY_BYTES: '4096' }).deps));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }
    const send = (url: string, body: string | ReadableStream<Uint8Array>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body,
        duplex: 'half',
      } as RequestInit);
    const streamed = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < text.length; i += 1024) controller.enqueue(new TextEncoder().encode(text.slice(i, i + 1024)));
          controller.close();
        },
      });
    const small = JSON.stringify({ query: '{ __typename }' });
    const large = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(10_000) } });

    it('answers a body within the limit whose Content-Length is announced', async () => {
      await withListeningGateway(async (url) => {
        const response = await send(url, small);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
      });
    });

    it('answers 413 to a body whose Content-Length is over the limit', async () => {
      await withListeningGateway(async (url) => {
        const response = await send(url, large);
        expect(response.status).toBe(413);
        expect((await response.json()) as unknown).toMatchObject({ errors: [{ extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] });
      });
    });

    it('counts a chunked body without Content-Length as it streams: within the limit it runs, over it 413', async () => {
      await withListeningGateway(async (url) => {
        const within = await send(url, streamed(small));
        expect(within.status).toBe(200);
        const over = await send(url, streamed(large));
        expect(over.status).toBe(413);
      });
    });
  });

  it('runs a batch of operations up to LIMIT_MAX_BATCH, and refuses a longer one', async () => {
    const api = gateway({ LIMIT_MAX_BATCH: '3' });
    const ok = await post(api, [{ query: '{ __typename }' }, { query: '{ users(first: 1) { totalCount } }' }]);
    expect(ok.status).toBe(200);
    expect(ok.json).toHaveLength(2);
    const tooMany = await post(api, Array.from({ length: 4 }, () => ({ query: '{ __typename }' })));
    expect(tooMany.status).toBeGreaterThanOrEqual(400);
    expect(tooMany.status).toBeLessThan(500);
  });
});

describe('introspection and GraphiQL', () => {
  it('are on by default outside production', async () => {
    const api = gateway();
    expect(firstError((await post(api, { query: '{ __schema { queryType { name } } }' })).json)).toBeUndefined();
    expect(firstError((await post(api, { query: '{ usrs { totalCount } }' })).json)?.message).toContain('Did you mean');
  });

  it('are off in production: no introspection, no GraphiQL, no field suggestions', async () => {
    const api = gateway(PRODUCTION);
    expect(firstError((await post(api, { query: '{ __schema { queryType { name } } }' })).json)?.message).toMatch(/introspection/i);
    const typo = firstError((await post(api, { query: '{ usrs { totalCount } }' })).json);
    expect(typo?.message).toBeDefined();
    expect(typo?.message).not.toContain('Did you mean');
    const page = await api.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('<html');
  });

  it('INTROSPECTION=true turns it back on in production', async () => {
    const api = gateway({ ...PRODUCTION, INTROSPECTION: 'true' });
    expect(firstError((await post(api, { query: '{ __schema { queryType { name } } }' })).json)).toBeUndefined();
  });
});

describe('CSRF prevention', () => {
  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    it(`refuses a POST a browser could send cross-site without preflight (${contentType.split(';')[0]})`, async () => {
      const { status, json } = await post(gateway(), 'query=mutation%7B__typename%7D', { 'content-type': contentType });
      expect(status).toBe(415);
      expect(firstError(json)?.extensions?.code).toBe('CSRF_PREVENTED');
    });
  }

  it('refuses a POST with no content type', async () => {
    const response = await gateway().fetch('/graphql', { method: 'POST', body: '{"query":"{ __typename }"}', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect([400, 415]).toContain(response.status);
  });

  it('lets a JSON POST through (browsers preflight it, so CORS decides)', async () => {
    expect((await post(gateway(), { query: '{ __typename }' })).status).toBe(200);
  });
});

describe('rate limiting of mutations (in process)', () => {
  it('refuses mutations over the burst with 429 and Retry-After, per caller, and never queries', async () => {
    const api = gateway({ RATE_LIMIT_BURST: '2', RATE_LIMIT_MUTATIONS_PER_MINUTE: '1' });
    const mutation = (n: number) => ({ query: `mutation { createUser(input: { email: "rl${n}@example.com", username: "rl${n}" }) { __typename } }` });
    expect((await post(api, mutation(1))).status).toBe(200);
    expect((await post(api, mutation(2))).status).toBe(200);
    const refused = await post(api, mutation(3));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(firstError(refused.json)?.extensions?.code).toBe('RATE_LIMITED');
    expect((await post(api, { query: '{ users(first: 1) { totalCount } }' })).status).toBe(200);
    // Another caller has a bucket of its own.
    const anonymous = await api.graphql(CreateUser, { input: { email: 'rl4@example.com', username: 'rl4' } }, { token: null });
    expect(anonymous.data?.createUser.__typename).toBe('ForbiddenError');
  });

  it('charges each aliased mutation of a request', async () => {
    const api = gateway({ RATE_LIMIT_BURST: '2', RATE_LIMIT_MUTATIONS_PER_MINUTE: '1' });
    const three = `mutation { ${[1, 2, 3].map((n) => `m${n}: createUser(input: { email: "alias${n}@example.com", username: "alias${n}" }) { __typename }`).join(' ')} }`;
    expect((await post(api, { query: three })).status).toBe(429);
  });
});

describe('rate limiting of mutations (Redis, shared by instances)', () => {
  it('two gateways over one Redis draw from one bucket per caller', async () => {
    const env = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `igw-test-${randomBytes(6).toString('hex')}:`,
      RATE_LIMIT_BURST: '3',
      RATE_LIMIT_MUTATIONS_PER_MINUTE: '1',
    };
    const a = gateway(env);
    const b = gateway(env);
    try {
      const mutation = parse('mutation { enableUser(input: { id: "VXNlcjow" }) { __typename } }');
      const statuses: string[] = [];
      for (const api of [a, b, a, b]) {
        const result = await api.graphql(mutation, {});
        statuses.push(result.errors?.[0]?.extensions?.code === 'RATE_LIMITED' ? 'limited' : 'ran');
      }
      expect(statuses).toEqual(['ran', 'ran', 'ran', 'limited']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
