// Metrics, request ids, traces, and the promise that no secret reaches a log line.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SERVICE_NAME, startTracing } from '../../src/http/tracing.ts';
import { DEFAULT_FORGE_OPTIONS } from '../fakes/forge.ts';
import { DEFAULT_RETOOL_TOKEN } from '../fakes/retool.ts';
import { graphql } from '../gql/index.ts';
import { type FakeBackends, startFakeBackends } from '../support/backends.ts';
import { ADMIN_TOKEN, startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

let fakes: FakeBackends | undefined;
afterEach(async () => {
  await Promise.all([fakes?.retool.close(), fakes?.forge.close()]);
  fakes = undefined;
});

const CreateUser = graphql(`
  mutation ObservedCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload { user { id } secrets { kind value } }
    }
  }
`);

const CreateToken = graphql(`
  mutation ObservedCreateToken {
    createApiToken(input: { name: "observed", scopes: [READ, AUTOMATION] }) {
      ... on CreateApiTokenPayload { token }
    }
  }
`);

const CreateProvider = graphql(`
  mutation ObservedCreateProvider($secret: String!) {
    createOAuth2Provider(
      input: { slug: "observed-idp", kind: GENERIC_OIDC, clientId: "observed-client", clientSecret: $secret, displayName: "Observed", issuer: "https://idp.example" }
    ) { __typename }
  }
`);

const Users = graphql(`
  query ObservedUsers {
    users(first: 5) { totalCount edges { node { email accounts { backend status } } } }
  }
`);

describe('/metrics', () => {
  it('exposes request, error and resolver metrics and backend calls by backend and outcome', async () => {
    fakes = await startFakeBackends();
    const api = startTestGateway(testStore().store, fakes.env);
    await api.graphql(CreateUser, { input: { email: 'metered@example.com', username: 'metered', backends: ['RETOOL', 'FORGE'] } });
    await api.graphql(Users, {});
    await api.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ nope }' }) });
    const response = await api.fetch('/metrics');
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const metric of [
      'graphql_envelop_request',
      'graphql_envelop_request_duration_bucket',
      'graphql_envelop_error_result',
      'gateway_root_field_duration_seconds_bucket',
      'graphql_yoga_http_duration_bucket',
      'gateway_backend_call_duration_seconds_bucket',
    ]) {
      expect(text).toContain(metric);
    }
    expect(text).toMatch(/gateway_backend_calls_total\{backend="retool",method="POST",outcome="2xx"\} [1-9]/);
    expect(text).toMatch(/gateway_backend_calls_total\{backend="forge",method="[A-Z]+",outcome="2xx"\} [1-9]/);
    expect(text).toMatch(/gateway_root_field_duration_seconds_count\{type="Mutation",field="createUser"\} 1\b/);
    expect(text).toMatch(/gateway_root_field_duration_seconds_count\{type="Query",field="users"\} 1\b/);
    // Only root fields are timed: a nested field has no series of its own.
    expect(text).not.toMatch(/field="accounts"/);
  });
});

describe('request ids', () => {
  it('answers with a request id that every log line of the request carries', async () => {
    const api = startTestGateway(testStore().store);
    const response = await api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query: 'mutation { enableUser(input: { id: "x" }) { __typename } }' }),
    });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = api.logs.filter((line) => line.includes(id ?? '-'));
    expect(lines.some((line) => JSON.parse(line).msg === 'request')).toBe(true);
  });

  it('keeps a well-formed client id and replaces one that could forge log lines', async () => {
    const api = startTestGateway(testStore().store);
    const kept = await api.fetch('/healthz', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc.123');
    const replaced = await api.fetch('/healthz', { headers: { 'x-request-id': 'evil" "level":60' } });
    expect(replaced.headers.get('x-request-id')).not.toContain('evil');
  });
});

describe('tracing', () => {
  it('exports a span per operation in the caller\'s trace, names the service, and passes the trace on to backends', async () => {
    const bodies: string[] = [];
    const collector = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        if (request.url === '/v1/traces') bodies.push(body);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    // The standard variables the SDK reads; JSON so the test can read what was exported.
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', `http://127.0.0.1:${(collector.address() as AddressInfo).port}`);
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json');
    vi.stubEnv('OTEL_NODE_RESOURCE_DETECTORS', 'env');
    const traceId = randomBytes(16).toString('hex');
    const tracing = await startTracing();
    try {
      fakes = await startFakeBackends();
      const api = startTestGateway(testStore().store, fakes.env);
      const created = await api.graphql(
        CreateUser,
        { input: { email: 'traced@example.com', username: 'traced', backends: ['RETOOL'] } },
        { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } },
      );
      expect(created.data?.createUser.__typename).toBe('CreateUserPayload');
    } finally {
      await tracing.shutdown();
      vi.unstubAllEnvs();
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
    interface Exported {
      resourceSpans: Array<{
        resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
        scopeSpans: Array<{ spans: Array<{ name: string; traceId: string; kind: number }> }>;
      }>;
    }
    const exported = bodies.map((body) => JSON.parse(body) as Exported).flatMap((body) => body.resourceSpans);
    const spans = exported.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
    const operation = spans.find((span) => span.name === 'graphql mutation ObservedCreateUser');
    expect(operation?.traceId).toBe(traceId);
    expect(spans.find((span) => span.name === 'retool POST')?.traceId).toBe(traceId);
    const serviceNames = exported.map((resource) => resource.resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue);
    expect(new Set(serviceNames)).toEqual(new Set([DEFAULT_SERVICE_NAME]));
    // The outgoing request carried the trace on: same trace id, the gateway's own span as parent.
    const sent = fakes.retool.state.calls.find((call) => call.method === 'POST')?.traceparent;
    expect(sent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it('sends no trace header to backends when tracing is off', async () => {
    fakes = await startFakeBackends();
    const api = startTestGateway(testStore().store, fakes.env);
    await api.graphql(CreateUser, { input: { email: 'untraced@example.com', username: 'untraced', backends: ['RETOOL'] } }, { headers: { traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01` } });
    expect(fakes.retool.state.calls.every((call) => call.traceparent === undefined)).toBe(true);
  });
});

describe('logs', () => {
  it('a full scenario at trace level logs none of the secrets it used or made', async () => {
    fakes = await startFakeBackends();
    const pair = await generateKeyPair('ES256');
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'obs', alg: 'ES256' }] });
    const jwt = await new SignJWT({ scope: 'read' })
      .setProtectedHeader({ alg: 'ES256', kid: 'obs' })
      .setIssuer('https://idp.test')
      .setAudience('gateway')
      .setSubject('observed-subject')
      .setExpirationTime('5m')
      .sign(pair.privateKey);
    const api = startTestGateway(
      testStore().store,
      { ...fakes.env, LOG_LEVEL: 'trace', AUTH_JWT_ISSUER: 'https://idp.test', AUTH_JWT_AUDIENCE: 'gateway', AUTH_JWT_JWKS_URL: 'http://127.0.0.1:9/unused' },
      { jwks },
    );
    const secrets = [ADMIN_TOKEN, jwt, DEFAULT_RETOOL_TOKEN, DEFAULT_FORGE_OPTIONS.adminToken, DEFAULT_FORGE_OPTIONS.adminPassword];

    const created = await api.graphql(CreateUser, { input: { email: 'secretive@example.com', username: 'secretive', backends: ['RETOOL', 'FORGE'] } });
    if (created.data?.createUser.__typename !== 'CreateUserPayload') throw new Error('createUser');
    secrets.push(...created.data.createUser.secrets.map((secret) => secret.value));
    const minted = await api.graphql(CreateToken, {});
    const apiToken = minted.data?.createApiToken && 'token' in minted.data.createApiToken ? minted.data.createApiToken.token : undefined;
    if (!apiToken) throw new Error('createApiToken');
    secrets.push(apiToken);
    const clientSecret = 'observed-client-secret-0123456789';
    secrets.push(clientSecret);
    await api.graphql(CreateProvider, { secret: clientSecret });
    // Every credential in use, including rejected ones.
    expect((await api.graphql(Users, {}, { token: apiToken })).errors).toBeUndefined();
    expect((await api.graphql(Users, {}, { token: jwt })).errors).toBeUndefined();
    const wrongToken = 'igw_not-a-real-token-but-secret-looking-0000000000';
    secrets.push(wrongToken);
    await api.graphql(Users, {}, { token: wrongToken });
    await api.graphql(CreateUser, { input: { email: 'secretive@example.com', username: 'secretive', backends: ['RETOOL', 'FORGE'] } }, { token: apiToken });

    expect(secrets.length).toBeGreaterThanOrEqual(10);
    expect(api.logs.length).toBeGreaterThan(10);
    const logText = api.logs.join('');
    for (const secret of secrets) expect(logText).not.toContain(secret);
  });
});
