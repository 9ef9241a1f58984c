// HTTP-level hardening over a real loopback socket: which Host is answered
// (DNS rebinding), which Origin gets CORS headers, and the server timeouts.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../support/gateway.ts';
import { listen, raw } from '../support/listening.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
// No admin token and no JWT settings: dev mode, where every caller is an admin.
const devMode = (env: Record<string, string | undefined> = {}) => startTestGateway(testStore().store, { GATEWAY_ADMIN_TOKEN: undefined, NODE_ENV: 'development', ...env });

const QUERY = JSON.stringify({ query: '{ __typename }' });
const postWithHost = (port: number, host: string, headers: Record<string, string> = {}) =>
  raw(port, '/graphql', { method: 'POST', headers: { host, 'content-type': 'application/json', ...headers }, body: QUERY });

describe('Host (DNS rebinding)', () => {
  it('dev mode answers loopback names and addresses, with any port', async () => {
    const server = await listen(devMode());
    try {
      for (const host of ['localhost', `localhost:${server.port}`, '127.0.0.1', '127.8.9.10:4000', '[::1]:4000', '[::1]', 'app.localhost:3000']) {
        const answer = await postWithHost(server.port, host);
        expect({ host, status: answer.status }).toEqual({ host, status: 200 });
      }
    } finally {
      await server.close();
    }
  });

  it('dev mode refuses any other Host with 421 before running anything', async () => {
    const server = await listen(devMode());
    try {
      for (const host of ['evil.example', 'evil.example:4000', '127.0.0.1.evil.example', 'localhost.evil.example', '10.0.0.1', '[::2]:4000', '0.0.0.0']) {
        const answer = await postWithHost(server.port, host);
        expect({ host, status: answer.status }).toEqual({ host, status: 421 });
        expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ extensions: { code: 'HOST_NOT_ALLOWED' } }] });
      }
      // Health and readiness too: the whole server belongs to the loopback names.
      expect((await raw(server.port, '/healthz', { headers: { host: 'evil.example' } })).status).toBe(421);
    } finally {
      await server.close();
    }
  });

  it('outside dev mode any Host is answered unless ALLOWED_HOSTS names them', async () => {
    const open = await listen(startTestGateway(testStore().store));
    const pinned = await listen(startTestGateway(testStore().store, { ALLOWED_HOSTS: 'gateway.example.com, 10.1.2.3' }));
    try {
      expect((await postWithHost(open.port, '10.4.5.6:4000')).status).toBe(200);
      expect((await raw(pinned.port, '/healthz', { headers: { host: 'GATEWAY.example.com:443' } })).status).toBe(200);
      expect((await raw(pinned.port, '/healthz', { headers: { host: '10.1.2.3:4000' } })).status).toBe(200);
      expect((await raw(pinned.port, '/healthz', { headers: { host: 'evil.example' } })).status).toBe(421);
    } finally {
      await Promise.all([open.close(), pinned.close()]);
    }
  });
});

describe('CORS', () => {
  const ORIGINS = 'https://app.example.com,https://admin.example.com';

  it('answers a listed origin with itself, credentials and Vary: Origin', async () => {
    const server = await listen(startTestGateway(testStore().store, { CORS_ORIGINS: ORIGINS }));
    try {
      for (const origin of ['https://app.example.com', 'https://admin.example.com']) {
        const answer = await postWithHost(server.port, `127.0.0.1:${server.port}`, { origin });
        expect(answer.headers['access-control-allow-origin']).toBe(origin);
        expect(answer.headers['access-control-allow-credentials']).toBe('true');
        expect(answer.headers.vary).toMatch(/\bOrigin\b/);
      }
    } finally {
      await server.close();
    }
  });

  it('gives an unlisted origin (or "null") no CORS headers, never Access-Control-Allow-Origin: null', async () => {
    for (const origins of [ORIGINS, 'https://app.example.com']) {
      const server = await listen(startTestGateway(testStore().store, { CORS_ORIGINS: origins }));
      try {
        for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example']) {
          for (const method of ['POST', 'OPTIONS']) {
            const answer =
              method === 'POST'
                ? await postWithHost(server.port, `127.0.0.1:${server.port}`, { origin })
                : await raw(server.port, '/graphql', { method, headers: { origin, 'access-control-request-method': 'POST' } });
            expect(answer.headers['access-control-allow-origin']).toBeUndefined();
            expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
            expect(answer.headers.vary).toMatch(/\bOrigin\b/);
          }
        }
      } finally {
        await server.close();
      }
    }
  });
});

describe('server timeouts', () => {
  it('closes a request whose body trickles past the request timeout with 408', async () => {
    const server = await listen(startTestGateway(testStore().store), { requestTimeoutMs: 300, headersTimeoutMs: 200 });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1');
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (received += chunk));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
        socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${QUERY.length}\r\n\r\n`);
        // One byte, then nothing: the body never completes.
        socket.write(QUERY.slice(0, 1));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await server.close();
    }
  });

  it('main.ts listens with bounded timeouts', async () => {
    const { DEFAULT_TIMEOUTS, createHttpServer } = await import('../../src/http/listen.ts');
    const server = createHttpServer(() => undefined, startTestGateway(testStore().store).config);
    expect(server.requestTimeout).toBe(DEFAULT_TIMEOUTS.requestTimeoutMs);
    expect(server.headersTimeout).toBe(DEFAULT_TIMEOUTS.headersTimeoutMs);
    expect(server.keepAliveTimeout).toBe(DEFAULT_TIMEOUTS.keepAliveTimeoutMs);
    expect(server.requestTimeout).toBeLessThan(300_000);
  });
});
