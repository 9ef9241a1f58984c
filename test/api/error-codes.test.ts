// Smaller hardening: every error carries a documented code (docs/errors.md),
// no answer carries the parser's text, variable errors name the real
// variable, the OAuth2 callback answers 400 to malformed parameters, and
// /metrics can be put behind a bearer token.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const PRODUCTION = { NODE_ENV: 'production', GATEWAY_SECRET_KEY: randomBytes(32).toString('base64') };

interface Answer {
  status: number;
  json: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function post(api: TestGateway, body: string, accept = 'application/graphql-response+json'): Promise<Answer> {
  const response = await api.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${ADMIN_TOKEN}` }, body });
  return { status: response.status, json: (await response.json()) as Answer['json'] };
}

/** The codes docs/errors.md lists. */
const DOCUMENTED = new Set([...readFileSync('docs/errors.md', 'utf8').matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]));

const MUTATION = 'mutation M($input: CreateUserInput!) { createUser(input: $input) { __typename } }';

describe('error codes', () => {
  const requests: Array<[string, string]> = [
    ['depth limit', JSON.stringify({ query: `{ viewer { ${'accounts { backend } '.repeat(1)}} users(first: 1) { edges { node { accounts { backend } } } } }` })],
    ['directive limit', JSON.stringify({ query: `{ __typename ${'@skip(if: false) '.repeat(25)}}` })],
    ['token limit', JSON.stringify({ query: `{ ${'__typename '.repeat(2500)}}` })],
    ['parse error', JSON.stringify({ query: '{ ' })],
    ['validation error', JSON.stringify({ query: '{ nope }' })],
    ['malformed JSON', '{"query": '],
    ['bad variable', JSON.stringify({ query: MUTATION, variables: { input: { email: 5, username: 'x' } } })],
    ['cost limit', JSON.stringify({ query: '{ users(first: 100) { edges { node { resourcePools(first: 100) { edges { node { name viewers(first: 100) { totalCount } } } } } } } }' })],
  ];

  for (const [name, body] of requests) {
    it(`${name}: every error has a documented code, and none carries originalError`, async () => {
      const api = startTestGateway(testStore().store, { ...PRODUCTION, LIMIT_MAX_DEPTH: '3', LIMIT_MAX_TOKENS: '2000' });
      const answer = await post(api, body);
      expect(answer.json.errors?.length).toBeGreaterThan(0);
      for (const error of answer.json.errors ?? []) {
        expect(DOCUMENTED).toContain(error.extensions?.code);
        expect(error.extensions).not.toHaveProperty('originalError');
      }
      // A refused request is a client error under the GraphQL response media type.
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    });
  }

  it('the depth limit answers OPERATION_LIMIT_EXCEEDED', async () => {
    const api = startTestGateway(testStore().store, { LIMIT_MAX_DEPTH: '3' });
    const answer = await post(api, requests[0]?.[1] ?? '');
    expect(answer.json.errors?.[0]?.extensions?.code).toBe('OPERATION_LIMIT_EXCEEDED');
  });

  it('a bad input field is reported against the real variable, with its path', async () => {
    const api = startTestGateway(testStore().store);
    const answer = await post(api, JSON.stringify({ query: MUTATION, variables: { input: { email: 5, username: 'x' } } }));
    const [error] = answer.json.errors ?? [];
    expect(error?.message).toContain('Variable "$input"');
    expect(error?.message).toContain('"input.email"');
    expect(error?.message).not.toContain('$email');
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const enumValue = await post(api, JSON.stringify({ query: MUTATION, variables: { input: { email: 'e@example.com', username: 'e', backends: ['LDAP'] } } }));
    expect(enumValue.json.errors?.[0]?.message).toContain('Variable "$input"');
    expect(enumValue.json.errors?.[0]?.message).toContain('"input.backends[0]"');
  });
});

describe('the OAuth2 callback', () => {
  for (const query of ['state=%00', 'state=abc%0d%0a', 'state=ok&code=%00', 'state=%C3%A9', 'state=%FF']) {
    it(`answers 400 to malformed parameters (${query})`, async () => {
      const response = await startTestGateway(testStore().store).fetch(`/oauth2/callback?${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ status: 'error', error: { code: 'invalid_request' } });
    });
  }
});

describe('/metrics', () => {
  it('is open without METRICS_TOKEN, and has process, runtime and request metrics', async () => {
    const response = await startTestGateway(testStore().store).fetch('/metrics');
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const name of ['process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'gateway_rate_limited_total']) expect(text).toContain(name);
  });

  it('answers only the METRICS_TOKEN bearer when it is set', async () => {
    const token = randomBytes(24).toString('hex');
    const api = startTestGateway(testStore().store, { METRICS_TOKEN: token });
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${ADMIN_TOKEN}`, token]) {
      const response = await api.fetch('/metrics', { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.text()).not.toContain('gateway_root_field');
    }
    const allowed = await api.fetch('/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('process_cpu_seconds_total');
  });
});
