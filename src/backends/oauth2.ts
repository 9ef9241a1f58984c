// OAuth2 / OIDC client for provider connections (backends.md §4). Every
// protocol step (discovery, state, PKCE, RFC 9207 `iss`, the code exchange,
// RFC 7009 revocation) is oauth4webapi's; this module only chooses the options,
// keeps a discovery cache and turns failures into `OAuth2FlowError`s whose
// messages are safe to show to a GraphQL client: they never carry the client
// secret, the authorization code, the PKCE verifier or a token.
import * as oauth from 'oauth4webapi';

import { BackendError, type Retry } from '../errors.ts';
import { guardedFetch } from './guarded-fetch.ts';
import { allowsPlainHttp, type OutboundPolicy, OutboundRefused, urlProblem } from './outbound-policy.ts';

const BACKEND = 'oauth2';
const DEFAULT_TIMEOUT_MS = 10_000;
const DISCOVERY_TTL_MS = 60 * 60 * 1000;
/** Longest slice of a provider's `error_description` that is passed on. */
const MAX_DESCRIPTION = 200;

export type OAuth2FailureKind =
  /** The authorization server said no (`error=` on the callback or an error body); see `providerError`. */
  | 'provider_error'
  /** The callback's `state` is missing or is not the one this flow issued. */
  | 'state_mismatch'
  /** RFC 9207: the callback's `iss` is missing (when the server promises it) or names another server. */
  | 'iss_mismatch'
  /** The callback is not a usable authorization response (no code, an implicit/JARM response...). */
  | 'invalid_callback'
  /** The token endpoint refused the code or answered with something unusable. */
  | 'exchange_failed'
  /** Issuer metadata could not be fetched or does not describe that issuer. */
  | 'discovery_failed'
  /** The provider record cannot be used as configured (missing or non-HTTPS endpoints...). */
  | 'invalid_configuration';

/**
 * A provider's HTTP failure: a server error may pass (later: these flows
 * follow a browser, so nothing retries them inline), anything else is the
 * provider's answer (never).
 */
const providerStatusRetry = (status: number): Retry => (status >= 500 ? 'later' : 'never');

export class OAuth2FlowError extends BackendError {
  constructor(
    readonly kind: OAuth2FailureKind,
    message: string,
    options: {
      /** Decided where the failure happens (src/errors.ts); `never` unless said otherwise. */
      retry?: Retry;
      /** The provider's OAuth `error` code (access_denied, invalid_grant...), when it sent one. */
      providerError?: string | undefined;
      /** HTTP status of the provider response, when there was one. */
      status?: number | undefined;
      /** oauth4webapi's error code (OAUTH_INVALID_RESPONSE...), for logs. */
      code?: string | undefined;
    } = {},
  ) {
    super(BACKEND, message, options.retry ?? 'never');
    this.providerError = options.providerError;
    this.status = options.status;
    this.code = options.code;
  }

  readonly providerError: string | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;
}

export function isOAuth2FlowError(error: unknown): error is OAuth2FlowError {
  return error instanceof OAuth2FlowError;
}

// ---------------------------------------------------------------------------
// Transport policy

/**
 * Every request goes through the guarded fetch (guarded-fetch.ts): the URL
 * and each address its host resolves to are checked against the outbound
 * policy (outbound-policy.ts) when the request connects. oauth4webapi
 * refuses non-HTTPS URLs on its own; it is told to allow plain http exactly
 * where the policy does (loopback outside production, hosts
 * OAUTH2_ALLOWED_PRIVATE_HOSTS lists). The decision is made per URL, so a
 * loopback issuer cannot vouch for a plain-HTTP endpoint elsewhere.
 */
function transportOptions(
  policy: OutboundPolicy,
  url: string | URL,
  timeoutMs: number,
): { signal: () => AbortSignal; [oauth.customFetch]: ReturnType<typeof guardedFetch>; [oauth.allowInsecureRequests]?: boolean } {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return {
    signal: () => AbortSignal.timeout(timeoutMs),
    [oauth.customFetch]: guardedFetch(policy),
    ...(allowsPlainHttp(policy, parsed) ? { [oauth.allowInsecureRequests]: true } : {}),
  };
}

/** The same policy for a URL before it is used (the authorization endpoint is only ever opened by the browser). */
function assertUrlAllowed(policy: OutboundPolicy, url: URL, what: string): void {
  const problem = urlProblem(policy, url);
  if (problem) throw new OAuth2FlowError('invalid_configuration', `the ${what} ${problem}`);
}

/** The policy's refusal, wherever in the cause chain node:http put it. */
function refusalOf(error: unknown): OutboundRefused | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current instanceof OutboundRefused) return current;
  }
  return undefined;
}

const refused = (what: string, refusal: OutboundRefused) => new OAuth2FlowError('invalid_configuration', `${what}: request refused: ${refusal.message}`);

// ---------------------------------------------------------------------------
// Authorization server resolution

/** The columns of an `oauth2_providers` row this module reads. */
export interface OAuth2ProviderEndpoints {
  id: string;
  issuer?: string | null | undefined;
  authorizationEndpoint?: string | null | undefined;
  tokenEndpoint?: string | null | undefined;
  revocationEndpoint?: string | null | undefined;
}

export interface OAuth2RequestOptions {
  /** Per HTTP request; defaults to 10 s. */
  timeoutMs?: number | undefined;
  /** Where requests may go (backends/outbound-policy.ts). */
  policy: OutboundPolicy;
}

/**
 * Issuer metadata by issuer URL. Entries expire so a provider's key or
 * endpoint changes are picked up without a restart; a failed discovery is not
 * cached, and concurrent lookups of one issuer share one request.
 */
export class DiscoveryCache {
  readonly #entries = new Map<string, { expiresAt: number; server: Promise<oauth.AuthorizationServer> }>();

  constructor(private readonly ttlMs = DISCOVERY_TTL_MS) {}

  get(issuer: string, load: () => Promise<oauth.AuthorizationServer>): Promise<oauth.AuthorizationServer> {
    const now = Date.now();
    const hit = this.#entries.get(issuer);
    if (hit && hit.expiresAt > now) return hit.server;
    const server = load();
    const entry = { expiresAt: now + this.ttlMs, server };
    this.#entries.set(issuer, entry);
    server.catch(() => {
      if (this.#entries.get(issuer) === entry) this.#entries.delete(issuer);
    });
    return server;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** The process-wide cache used when a caller passes none. */
export const discoveryCache = new DiscoveryCache();

/**
 * The authorization server of a provider: discovered from `issuer` when set
 * (OIDC discovery, then RFC 8414 when the OIDC document does not exist), else
 * built from the explicit endpoints. An explicitly configured server has no
 * known issuer; its origin stands in, so an `iss` it sends must at least name
 * its own origin. Providers that sign ID tokens or use a path in their issuer
 * should be configured by issuer.
 */
export async function resolveAuthorizationServer(
  provider: OAuth2ProviderEndpoints,
  options: OAuth2RequestOptions & { cache?: DiscoveryCache | undefined },
): Promise<oauth.AuthorizationServer> {
  const issuer = provider.issuer?.trim();
  if (issuer) {
    const cache = options.cache ?? discoveryCache;
    return cache.get(issuer, () => discover(options.policy, provider.id, issuer, options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  }
  return explicitServer(options.policy, provider);
}

async function discover(policy: OutboundPolicy, providerId: string, issuer: string, timeoutMs: number): Promise<oauth.AuthorizationServer> {
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    throw new OAuth2FlowError('invalid_configuration', `provider ${providerId}: the issuer is not a valid URL`);
  }
  const fail = (reason: string, retry: Retry, extra: { status?: number; code?: string } = {}) =>
    new OAuth2FlowError('discovery_failed', `provider ${providerId}: discovery of ${issuerUrl.origin} failed: ${reason}`, {
      retry,
      ...extra,
    });

  try {
    const problem = urlProblem(policy, issuerUrl);
    if (problem) throw new OAuth2FlowError('invalid_configuration', `provider ${providerId}: the issuer ${problem}`);
    let response = await oauth.discoveryRequest(issuerUrl, { algorithm: 'oidc', ...transportOptions(policy, issuerUrl, timeoutMs) });
    if (response.status === 404) {
      await response.body?.cancel();
      response = await oauth.discoveryRequest(issuerUrl, { algorithm: 'oauth2', ...transportOptions(policy, issuerUrl, timeoutMs) });
    }
    const server = await oauth.processDiscoveryResponse(issuerUrl, response);
    if (!server.authorization_endpoint || !server.token_endpoint) {
      throw fail('the metadata lacks an authorization or token endpoint', 'never');
    }
    return server;
  } catch (error) {
    if (error instanceof OAuth2FlowError) throw error;
    const refusal = refusalOf(error);
    if (refusal) throw refused(`provider ${providerId}`, refusal);
    if (error instanceof oauth.OperationProcessingError) {
      if (error.code === oauth.HTTP_REQUEST_FORBIDDEN) {
        throw new OAuth2FlowError('invalid_configuration', `provider ${providerId}: the issuer must use https (plain http is only accepted on loopback)`);
      }
      if (error.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
        throw fail('the metadata names a different issuer', 'never', { code: error.code });
      }
      const status = responseStatus(error);
      throw status === undefined
        ? fail('the metadata is not valid', 'never', error.code === undefined ? {} : { code: error.code })
        : fail(`HTTP ${status}`, providerStatusRetry(status), { status, ...(error.code === undefined ? {} : { code: error.code }) });
    }
    if (error instanceof oauth.ResponseBodyError) {
      throw fail(`HTTP ${error.status} (${error.error})`, providerStatusRetry(error.status), { status: error.status, code: error.code });
    }
    throw fail(transportReason(error), 'now');
  }
}

function explicitServer(policy: OutboundPolicy, provider: OAuth2ProviderEndpoints): oauth.AuthorizationServer {
  const { authorizationEndpoint, tokenEndpoint, revocationEndpoint } = provider;
  if (!authorizationEndpoint || !tokenEndpoint) {
    throw new OAuth2FlowError(
      'invalid_configuration',
      `provider ${provider.id}: set an issuer, or both an authorization and a token endpoint`,
    );
  }
  const urls: Array<[string, string]> = [
    ['authorization endpoint', authorizationEndpoint],
    ['token endpoint', tokenEndpoint],
    ...(revocationEndpoint ? [['revocation endpoint', revocationEndpoint] as [string, string]] : []),
  ];
  for (const [what, value] of urls) {
    if (!URL.canParse(value)) {
      throw new OAuth2FlowError('invalid_configuration', `provider ${provider.id}: the ${what} is not a valid URL`);
    }
    assertUrlAllowed(policy, new URL(value), `${what} of provider ${provider.id}`);
  }
  return {
    issuer: new URL(authorizationEndpoint).origin,
    authorization_endpoint: authorizationEndpoint,
    token_endpoint: tokenEndpoint,
    ...(revocationEndpoint ? { revocation_endpoint: revocationEndpoint } : {}),
  };
}

// ---------------------------------------------------------------------------
// Authorization request

export interface StartAuthorizationInput {
  server: oauth.AuthorizationServer;
  clientId: string;
  /** Exactly `${PUBLIC_URL}/oauth2/callback`; the same string must reach `completeAuthorization`. */
  redirectUri: string;
  /** Space-separated; empty means the provider's default. */
  scope: string;
  usePkce: boolean;
  policy: OutboundPolicy;
}

export interface StartedAuthorization {
  authorizationUrl: URL;
  /** Single-use; persist it with the pending connection and compare on the callback. */
  state: string;
  /** PKCE verifier to persist (encrypted) until the callback; null when PKCE is off. */
  codeVerifier: string | null;
}

export async function startAuthorization(input: StartAuthorizationInput): Promise<StartedAuthorization> {
  const { server } = input;
  if (!server.authorization_endpoint || !URL.canParse(server.authorization_endpoint)) {
    throw new OAuth2FlowError('invalid_configuration', 'the provider has no valid authorization endpoint');
  }
  const authorizationUrl = new URL(server.authorization_endpoint);
  assertUrlAllowed(input.policy, authorizationUrl, 'authorization endpoint');

  const state = oauth.generateRandomState();
  const codeVerifier = input.usePkce ? oauth.generateRandomCodeVerifier() : null;

  const params = authorizationUrl.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', input.clientId);
  params.set('redirect_uri', input.redirectUri);
  params.set('state', state);
  if (input.scope.trim() !== '') params.set('scope', input.scope.trim());
  if (codeVerifier !== null) {
    params.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    params.set('code_challenge_method', 'S256');
  }
  return { authorizationUrl, state, codeVerifier };
}

// ---------------------------------------------------------------------------
// Callback: validate the authorization response, exchange the code

export interface OAuth2ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface CompleteAuthorizationInput {
  server: oauth.AuthorizationServer;
  client: OAuth2ClientCredentials;
  redirectUri: string;
  /** The callback URL as received, query included. */
  currentUrl: URL | string;
  expectedState: string;
  codeVerifier: string | null;
  timeoutMs?: number | undefined;
  policy: OutboundPolicy;
}

export interface OAuth2Tokens {
  accessToken: string;
  tokenType: string;
  refreshToken?: string;
  expiresAt?: Date;
  /** What the provider granted, when it says (it may differ from what was asked). */
  scope?: string;
  /** Claims of the ID token, validated by oauth4webapi (issuer, audience, expiry; not its signature, which TLS stands in for). */
  idTokenClaims?: oauth.IDToken;
}

export async function completeAuthorization(input: CompleteAuthorizationInput): Promise<OAuth2Tokens> {
  const { server } = input;
  const client: oauth.Client = { client_id: input.client.clientId };
  if (typeof input.currentUrl === 'string' && !URL.canParse(input.currentUrl)) {
    throw new OAuth2FlowError('invalid_callback', 'the callback URL is not valid');
  }
  const callbackUrl = new URL(input.currentUrl);

  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(server, client, callbackUrl.searchParams, input.expectedState);
  } catch (error) {
    throw callbackError(error, server, callbackUrl.searchParams, input.expectedState);
  }

  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secrets = [input.client.clientSecret, input.codeVerifier, params.get('code')];
  let tokens: oauth.TokenEndpointResponse;
  try {
    const tokenEndpoint = requireEndpoint(input.policy, server, 'token_endpoint');
    const response = await oauth.authorizationCodeGrantRequest(
      server,
      client,
      oauth.ClientSecretBasic(input.client.clientSecret),
      params,
      input.redirectUri,
      input.codeVerifier ?? oauth.nopkce,
      transportOptions(input.policy, tokenEndpoint, timeoutMs),
    );
    tokens = await oauth.processAuthorizationCodeResponse(server, client, response);
  } catch (error) {
    throw exchangeError(error, secrets);
  }

  const idTokenClaims = oauth.getValidatedIdTokenClaims(tokens);
  return {
    accessToken: tokens.access_token,
    tokenType: tokens.token_type,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    ...(typeof tokens.expires_in === 'number' ? { expiresAt: new Date(Date.now() + tokens.expires_in * 1000) } : {}),
    ...(tokens.scope !== undefined ? { scope: tokens.scope } : {}),
    ...(idTokenClaims ? { idTokenClaims } : {}),
  };
}

function requireEndpoint(policy: OutboundPolicy, server: oauth.AuthorizationServer, name: 'token_endpoint' | 'revocation_endpoint'): URL {
  const value = server[name];
  if (!value || !URL.canParse(value)) {
    throw new OAuth2FlowError('invalid_configuration', `the provider has no valid ${name.replace('_', ' ')}`);
  }
  const url = new URL(value);
  assertUrlAllowed(policy, url, name.replace('_', ' '));
  return url;
}

/**
 * oauth4webapi has already decided the response is unacceptable; this only
 * names which of its checks failed. They run in the order iss, state, error,
 * so an error response from the wrong server or flow is reported as such, not
 * as the provider's error.
 */
function callbackError(
  error: unknown,
  server: oauth.AuthorizationServer,
  received: URLSearchParams,
  expectedState: string,
): OAuth2FlowError {
  if (error instanceof oauth.AuthorizationResponseError) {
    const description = error.error_description ? `: ${sanitize(error.error_description, [])}` : '';
    return new OAuth2FlowError('provider_error', `the provider refused the authorization (${sanitize(error.error, [])})${description}`, {
      providerError: error.error,
      code: error.code,
    });
  }
  if (error instanceof oauth.OperationProcessingError && error.code === oauth.INVALID_RESPONSE) {
    const iss = received.get('iss');
    if ((iss === null && server.authorization_response_iss_parameter_supported) || (iss !== null && iss !== server.issuer)) {
      return new OAuth2FlowError(
        'iss_mismatch',
        iss === null
          ? 'the callback lacks the issuer (iss) the provider promises to send'
          : 'the callback was issued by a different authorization server (iss mismatch)',
        { code: error.code },
      );
    }
    if (received.get('state') !== expectedState) {
      return new OAuth2FlowError('state_mismatch', 'the callback state does not match a pending authorization', { code: error.code });
    }
  }
  return new OAuth2FlowError('invalid_callback', 'the callback is not a valid authorization response', {
    ...(error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError ? { code: error.code } : {}),
  });
}

function exchangeError(error: unknown, secrets: Array<string | null>): OAuth2FlowError {
  if (error instanceof OAuth2FlowError) return error;
  const refusal = refusalOf(error);
  if (refusal) return refused('the token endpoint', refusal);
  if (error instanceof oauth.ResponseBodyError) {
    const description = error.error_description ? `: ${sanitize(error.error_description, secrets)}` : '';
    return new OAuth2FlowError(
      'exchange_failed',
      `the provider refused the code exchange (${sanitize(error.error, secrets)})${description}`,
      { providerError: error.error, status: error.status, code: error.code, retry: providerStatusRetry(error.status) },
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const challengeError = error.cause
      .map((challenge) => challenge.parameters.error)
      .find((value): value is string => typeof value === 'string');
    return new OAuth2FlowError(
      'exchange_failed',
      `the provider rejected the client authentication (HTTP ${error.status}${challengeError ? `, ${sanitize(challengeError, secrets)}` : ''})`,
      { providerError: challengeError, status: error.status, code: error.code },
    );
  }
  if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
    if (error.code === oauth.HTTP_REQUEST_FORBIDDEN) {
      return new OAuth2FlowError('invalid_configuration', 'the token endpoint must use https (plain http is only accepted on loopback)');
    }
    const status = error instanceof oauth.OperationProcessingError ? responseStatus(error) : undefined;
    return new OAuth2FlowError(
      'exchange_failed',
      status === undefined
        ? 'the provider answered the code exchange with an invalid token response'
        : `the provider answered the code exchange with HTTP ${status}`,
      { status, code: error.code, retry: status === undefined ? 'never' : providerStatusRetry(status) },
    );
  }
  return new OAuth2FlowError('exchange_failed', `the code exchange did not complete: ${transportReason(error)}`, { retry: 'now' });
}

// ---------------------------------------------------------------------------
// Revocation

export interface RevokeTokenInput {
  server: oauth.AuthorizationServer;
  client: OAuth2ClientCredentials;
  token: string;
  tokenTypeHint?: 'access_token' | 'refresh_token' | undefined;
  timeoutMs?: number | undefined;
  policy: OutboundPolicy;
}

export interface RevocationOutcome {
  revoked: boolean;
  /** Why not, safe to log: `unsupported` when the provider has no revocation endpoint. */
  reason?: string;
}

/**
 * RFC 7009, best effort: a disconnect must not fail because the provider is
 * down, so this never throws; the caller logs `reason` and deletes its copy
 * of the token either way.
 */
export async function revokeToken(input: RevokeTokenInput): Promise<RevocationOutcome> {
  const { server } = input;
  if (!server.revocation_endpoint) return { revoked: false, reason: 'unsupported' };
  const secrets = [input.client.clientSecret, input.token];
  try {
    const endpoint = requireEndpoint(input.policy, server, 'revocation_endpoint');
    const response = await oauth.revocationRequest(
      server,
      { client_id: input.client.clientId },
      oauth.ClientSecretBasic(input.client.clientSecret),
      input.token,
      {
        ...transportOptions(input.policy, endpoint, input.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        ...(input.tokenTypeHint ? { additionalParameters: { token_type_hint: input.tokenTypeHint } } : {}),
      },
    );
    await oauth.processRevocationResponse(response);
    return { revoked: true };
  } catch (error) {
    if (error instanceof OAuth2FlowError) return { revoked: false, reason: error.message };
    const refusal = refusalOf(error);
    if (refusal) return { revoked: false, reason: `request refused: ${refusal.message}` };
    if (error instanceof oauth.ResponseBodyError) {
      return { revoked: false, reason: `provider_error: ${sanitize(error.error, secrets)} (HTTP ${error.status})` };
    }
    if (error instanceof oauth.WWWAuthenticateChallengeError) {
      return { revoked: false, reason: `client authentication rejected (HTTP ${error.status})` };
    }
    if (error instanceof oauth.OperationProcessingError) {
      const status = responseStatus(error);
      return { revoked: false, reason: status === undefined ? 'invalid response' : `HTTP ${status}` };
    }
    return { revoked: false, reason: transportReason(error) };
  }
}

// ---------------------------------------------------------------------------
// Message hygiene

/** oauth4webapi puts the offending Response in `cause` when the status was wrong. */
function responseStatus(error: oauth.OperationProcessingError): number | undefined {
  return error.cause instanceof Response ? error.cause.status : undefined;
}

function transportReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  return 'the provider could not be reached';
}

/**
 * Provider-supplied text ends up in GraphQL errors and logs: cut it short,
 * drop control characters, and blank out anything secret the provider may
 * have echoed back.
 */
function sanitize(text: string, secrets: Array<string | null | undefined>): string {
  let out = text.replace(/[\p{Cc}]+/gu, ' ').slice(0, MAX_DESCRIPTION);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
