import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createTestStore } from '../support/store.ts';
import { startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

describe('the HTTP server', () => {
  it('serves GraphiQL to a browser at /graphql', async () => {
    const response = await startTestGateway(testStore().store).fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Identity Gateway');
  });

  it('does not serve GraphiQL when it is turned off', async () => {
    const response = await startTestGateway(testStore().store, { GRAPHIQL: 'false' }).fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toContain('<html');
  });

  it('answers /healthz and /readyz when the store is up and migrated', async () => {
    const api = startTestGateway(testStore().store);
    expect((await api.fetch('/healthz')).status).toBe(200);
    expect((await api.fetch('/readyz')).status).toBe(200);
  });

  it('is not ready, and masks the driver error, when the store is gone', async () => {
    const broken = await createTestStore();
    const api = startTestGateway(broken.store);
    await broken.drop();
    expect((await api.fetch('/readyz')).status).toBe(503);
    const result = await api.graphql(parse('{ users(first: 1) { totalCount } }'), {});
    expect(result.errors?.[0]?.message).toBe('Unexpected error.');
    const body = JSON.stringify(result);
    expect(body).not.toMatch(/stack|select|relation|pglite|ECONNREFUSED|at .*\.ts/i);
  });

  it('does not reflect an arbitrary CORS origin', async () => {
    const response = await startTestGateway(testStore().store).fetch('/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows a configured CORS origin', async () => {
    const response = await startTestGateway(testStore().store, { CORS_ORIGINS: 'https://admin.example' }).fetch('/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://admin.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://admin.example');
  });
});
