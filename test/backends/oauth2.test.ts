// The OAuth2 provider client (backends.md §4) against a real authorization
// server: oidc-provider on loopback, driven over HTTP from authorization
// request to callback, with state, S256 PKCE, RFC 9207 `iss` and the exact
// redirect URI in play.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AuthorizationServer } from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeAuthorization,
  DiscoveryCache,
  OAuth2FlowError,
  type OAuth2FailureKind,
  resolveAuthorizationServer,
  revokeToken,
  startAuthorization,
} from '../../src/backends/oauth2.ts';
import { outboundPolicy } from '../../src/backends/outbound-policy.ts';
import { type OidcTestServer, startOidcServer } from '../support/oidc-server.ts';

const redirectUri = 'http://127.0.0.1:4000/oauth2/callback';
const client = { clientId: 'identity-gateway', clientSecret: randomBytes(24).toString('hex') };
/** Outside production: loopback (the test provider) is allowed, nothing else internal. */
const policy = outboundPolicy({ production: false, allowedPrivateHosts: [] });

let oidc: OidcTestServer;
let server: AuthorizationServer;

beforeAll(async () => {
  oidc = await startOidcServer({
    clients: [{ client_id: client.clientId, client_secret: client.clientSecret, redirect_uris: [redirectUri] }],
  });
  server = await resolveAuthorizationServer({ id: 'test-idp', issuer: oidc.issuer }, { cache: new DiscoveryCache(), policy });
});

afterAll(async () => {
  await oidc?.close();
});

interface Flow {
  state: string;
  codeVerifier: string | null;
  callbackUrl: URL;
}

/** Starts an authorization and lets `alice` log in and answer the consent page. */
async function authorize(options: { deny?: boolean; on?: AuthorizationServer } = {}): Promise<Flow> {
  const started = await startAuthorization({
    server: options.on ?? server,
    clientId: client.clientId,
    redirectUri,
    scope: 'openid email',
    usePkce: true,
    policy,
  });
  const callbackUrl = await oidc.driveAuthorization(started.authorizationUrl, { accountId: 'alice', deny: options.deny ?? false });
  return { state: started.state, codeVerifier: started.codeVerifier, callbackUrl };
}

function complete(flow: Flow, overrides: Partial<Parameters<typeof completeAuthorization>[0]> = {}) {
  return completeAuthorization({
    server,
    client,
    redirectUri,
    currentUrl: flow.callbackUrl,
    expectedState: flow.state,
    codeVerifier: flow.codeVerifier,
    policy,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>, kind: OAuth2FailureKind): Promise<OAuth2FlowError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OAuth2FlowError);
  const flowError = error as OAuth2FlowError;
  expect({ kind: flowError.kind, message: flowError.message }).toMatchObject({ kind });
  return flowError;
}

function tampered(url: URL, change: (params: URLSearchParams) => void): URL {
  const copy = new URL(url);
  change(copy.searchParams);
  return copy;
}

describe('resolving the authorization server', () => {
  it('discovers the issuer metadata, RFC 9207 iss support included, and caches it', async () => {
    const cache = new DiscoveryCache();
    const first = await resolveAuthorizationServer({ id: 'test-idp', issuer: oidc.issuer }, { cache, policy });

    expect(first).toMatchObject({
      issuer: oidc.issuer,
      authorization_endpoint: `${oidc.issuer}/auth`,
      token_endpoint: `${oidc.issuer}/token`,
      revocation_endpoint: `${oidc.issuer}/token/revocation`,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
    });
    expect(await resolveAuthorizationServer({ id: 'test-idp', issuer: oidc.issuer }, { cache, policy })).toBe(first);
  });

  it('builds the server from explicit endpoints when no issuer is configured, and a full flow runs on it', async () => {
    const explicit = await resolveAuthorizationServer(
      {
        id: 'explicit-idp',
        issuer: null,
        authorizationEndpoint: `${oidc.issuer}/auth`,
        tokenEndpoint: `${oidc.issuer}/token`,
        revocationEndpoint: null,
      },
      { policy },
    );
    expect(explicit).toEqual({ issuer: oidc.issuer, authorization_endpoint: `${oidc.issuer}/auth`, token_endpoint: `${oidc.issuer}/token` });

    const flow = await authorize({ on: explicit });
    const tokens = await complete(flow, { server: explicit });
    expect(tokens.accessToken).toEqual(expect.any(String));
    expect((await oidc.introspect(tokens.accessToken)).active).toBe(true);
  });

  it('refuses plain http to a non-loopback provider before sending anything', async () => {
    await failure(
      resolveAuthorizationServer({ id: 'remote', authorizationEndpoint: 'http://idp.example/authorize', tokenEndpoint: 'https://idp.example/token' }, { policy }),
      'invalid_configuration',
    );
    await failure(
      resolveAuthorizationServer({ id: 'remote', issuer: 'http://idp.example' }, { cache: new DiscoveryCache(), policy }),
      'invalid_configuration',
    );
  });

  it('reports an unreachable issuer as a retryable discovery_failed, and does not cache the failure', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const cache = new DiscoveryCache();
    const provider = { id: 'down', issuer: `http://127.0.0.1:${closedPort}` };

    const error = await failure(resolveAuthorizationServer(provider, { cache, policy }), 'discovery_failed');
    expect(error.retry).toBe('now');
    await failure(resolveAuthorizationServer(provider, { cache, policy }), 'discovery_failed');
  });

  it('requires an issuer or both an authorization and a token endpoint', async () => {
    await failure(resolveAuthorizationServer({ id: 'empty', authorizationEndpoint: `${oidc.issuer}/auth` }, { policy }), 'invalid_configuration');
  });
});

describe('the authorization request', () => {
  it('carries a random state, an S256 PKCE challenge and the exact redirect URI', async () => {
    const a = await startAuthorization({ server, clientId: client.clientId, redirectUri, scope: 'openid email', usePkce: true, policy });
    const b = await startAuthorization({ server, clientId: client.clientId, redirectUri, scope: 'openid email', usePkce: true, policy });
    const params = a.authorizationUrl.searchParams;

    expect(`${a.authorizationUrl.origin}${a.authorizationUrl.pathname}`).toBe(server.authorization_endpoint);
    expect(Object.fromEntries(params)).toMatchObject({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: redirectUri,
      scope: 'openid email',
      state: a.state,
      code_challenge_method: 'S256',
    });
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('code_challenge')).not.toBe(a.codeVerifier);
    expect(a.state).not.toBe(b.state);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
  });

  it('omits PKCE only when the provider is configured without it', async () => {
    const started = await startAuthorization({ server, clientId: client.clientId, redirectUri, scope: '', usePkce: false, policy });
    expect(started.codeVerifier).toBeNull();
    expect(started.authorizationUrl.searchParams.has('code_challenge')).toBe(false);
    expect(started.authorizationUrl.searchParams.has('scope')).toBe(false);
  });
});

describe('the callback', () => {
  it('exchanges the code with PKCE and returns the tokens', async () => {
    const flow = await authorize();
    expect(flow.callbackUrl.searchParams.get('iss')).toBe(oidc.issuer);

    const before = Date.now();
    const tokens = await complete(flow);

    expect(tokens).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'bearer',
      scope: 'openid email',
      idTokenClaims: { iss: oidc.issuer, sub: 'alice', aud: client.clientId },
    });
    expect(tokens.expiresAt?.getTime()).toBeGreaterThanOrEqual(before + 3_500_000);
    expect(await oidc.introspect(tokens.accessToken)).toMatchObject({ active: true, sub: 'alice', client_id: client.clientId });
  });

  it('reports a refusal at the provider (error=access_denied) as provider_error', async () => {
    const flow = await authorize({ deny: true });
    expect(flow.callbackUrl.searchParams.get('error')).toBe('access_denied');

    const error = await failure(complete(flow), 'provider_error');
    expect(error.providerError).toBe('access_denied');
    expect(error.message).toContain('access_denied');
  });

  it('rejects a callback whose state is not the pending one (state_mismatch)', async () => {
    const flow = await authorize();
    await failure(complete(flow, { expectedState: 'another-flows-state' }), 'state_mismatch');
    await failure(complete(flow, { currentUrl: tampered(flow.callbackUrl, (p) => p.delete('state')) }), 'state_mismatch');
  });

  it('rejects a callback issued by another server, or lacking the promised iss (RFC 9207)', async () => {
    const flow = await authorize();
    await failure(
      complete(flow, { currentUrl: tampered(flow.callbackUrl, (p) => p.set('iss', 'http://127.0.0.1:1/evil')) }),
      'iss_mismatch',
    );
    await failure(complete(flow, { currentUrl: tampered(flow.callbackUrl, (p) => p.delete('iss')) }), 'iss_mismatch');
  });

  it('fails the exchange when the code_verifier is not the one the challenge was made from', async () => {
    const flow = await authorize();
    const error = await failure(complete(flow, { codeVerifier: 'x'.repeat(43) }), 'exchange_failed');
    expect(error).toMatchObject({ providerError: 'invalid_grant', retry: 'never' });
  });

  it('fails the exchange when the redirect URI is not exactly the one the code was issued for', async () => {
    const flow = await authorize();
    const error = await failure(complete(flow, { redirectUri: `${redirectUri}/` }), 'exchange_failed');
    expect(error.providerError).toBe('invalid_grant');
  });

  it('refuses to exchange a code twice', async () => {
    const flow = await authorize();
    const tokens = await complete(flow);

    const error = await failure(complete(flow), 'exchange_failed');
    expect(error.providerError).toBe('invalid_grant');
    // RFC 6749 §4.1.2: a replayed code also revokes what it was exchanged for.
    expect((await oidc.introspect(tokens.accessToken)).active).toBe(false);
  });

  it('never puts the client secret, the code, the verifier or a token in an error', async () => {
    const flow = await authorize();
    const tokens = await complete(flow);
    const secrets = [client.clientSecret, flow.codeVerifier, flow.callbackUrl.searchParams.get('code'), tokens.accessToken, tokens.refreshToken];

    const errors = [
      await failure(complete(flow), 'exchange_failed'),
      await failure(complete(await authorize(), { client: { ...client, clientSecret: 'wrong-secret-value' } }), 'exchange_failed'),
      await failure(complete(await authorize(), { codeVerifier: 'y'.repeat(43) }), 'exchange_failed'),
      await failure(complete(await authorize(), { expectedState: 'nope' }), 'state_mismatch'),
      await failure(complete(await authorize({ deny: true })), 'provider_error'),
    ];

    for (const error of errors) {
      const rendered = [error.message, error.stack ?? '', JSON.stringify(error), String(error.cause ?? '')].join('\n');
      for (const secret of [...secrets, 'wrong-secret-value']) {
        if (secret) expect(rendered).not.toContain(secret);
      }
      expect(error.cause).toBeUndefined();
    }
  });
});

describe('revocation (RFC 7009)', () => {
  it('makes the revoked token inactive at introspection', async () => {
    const tokens = await complete(await authorize());
    expect((await oidc.introspect(tokens.accessToken)).active).toBe(true);

    expect(await revokeToken({ server, client, token: tokens.accessToken, tokenTypeHint: 'access_token', policy })).toEqual({ revoked: true });
    expect((await oidc.introspect(tokens.accessToken)).active).toBe(false);
  });

  it('revoking the refresh token ends the whole grant', async () => {
    const tokens = await complete(await authorize());
    expect(await revokeToken({ server, client, token: tokens.refreshToken ?? '', tokenTypeHint: 'refresh_token', policy })).toEqual({ revoked: true });
    expect((await oidc.introspect(tokens.refreshToken ?? '')).active).toBe(false);
    expect((await oidc.introspect(tokens.accessToken)).active).toBe(false);
  });

  it('is a no-op, not a failure, when the provider has no revocation endpoint', async () => {
    const { revocation_endpoint: _dropped, ...withoutRevocation } = server;
    expect(await revokeToken({ server: withoutRevocation, client, token: 'whatever', policy })).toEqual({ revoked: false, reason: 'unsupported' });
  });

  it('reports, without throwing, a revocation the provider refuses', async () => {
    const tokens = await complete(await authorize());
    const outcome = await revokeToken({ server, client: { ...client, clientSecret: 'wrong-secret-value' }, token: tokens.accessToken, policy });
    expect(outcome.revoked).toBe(false);
    expect(outcome.reason).not.toContain(tokens.accessToken);
    expect((await oidc.introspect(tokens.accessToken)).active).toBe(true);
  });
});
