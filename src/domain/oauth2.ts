// OAuth2 providers and users' connections to them (backends.md §4). The
// protocol is src/backends/oauth2.ts (oauth4webapi); this module keeps the
// one-time state, the PKCE verifier, the tokens (all encrypted through the
// secrets repository) and applies the pool access rules in the transaction
// that changes a connection.
import { createHash } from 'node:crypto';
import {
  completeAuthorization,
  type OAuth2FailureKind,
  OAuth2FlowError,
  type OAuth2Tokens,
  resolveAuthorizationServer,
  revokeToken,
  startAuthorization,
} from '../backends/oauth2.ts';
import { type OutboundPolicy, urlProblem } from '../backends/outbound-policy.ts';
import type { Executor } from '../store/client.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { oauth2ConnectionsRepository } from '../store/repositories/oauth2-connections.ts';
import { type OAuth2ProviderPatch, oauth2ProvidersRepository } from '../store/repositories/oauth2-providers.ts';
import type { SecretOwner } from '../store/repositories/secrets.ts';
import { usersRepository } from '../store/repositories/users.ts';
import { OAUTH2_PROVIDER_KINDS, type OAuth2ConnectionRow, type OAuth2ProviderRow } from '../store/schema.ts';
import type { GatewayDeps } from './deps.ts';
import { BackendError, ConflictError, type FieldError, fail, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';
import { applyConnect, applyDisconnect } from './resource-pools.ts';
import { checkReturnTo } from './return-to.ts';

export type OAuth2ProviderKind = (typeof OAUTH2_PROVIDER_KINDS)[number];

/** How long a started authorization may take before its state is refused. */
export const STATE_TTL_MS = 10 * 60 * 1000;
export const CALLBACK_PATH = '/oauth2/callback';

export const callbackUrl = (deps: GatewayDeps) => `${deps.config.publicUrl}${CALLBACK_PATH}`;

const providerSecret = (slug: string): SecretOwner => ({ ownerType: 'oauth2_provider', ownerId: slug, purpose: 'client_secret' });
const verifierSecret = (connectionId: string): SecretOwner => ({ ownerType: 'oauth2_connection', ownerId: connectionId, purpose: 'pkce_verifier' });
const tokenSecret = (connectionId: string): SecretOwner => ({ ownerType: 'oauth2_connection', ownerId: connectionId, purpose: 'oauth2_token' });

/** What is sealed under `oauth2_token`. */
interface StoredToken {
  accessToken: string;
  tokenType: string;
  refreshToken?: string | undefined;
  expiresAt?: string | undefined;
  scope?: string | undefined;
}

// ---------------------------------------------------------------------------
// Providers

export interface OAuth2ProviderInput {
  kind: OAuth2ProviderKind;
  clientId: string;
  /** Write-only: sealed in the secrets table, never read back through the API. */
  clientSecret: string;
  displayName: string;
  scope?: string | null | undefined;
  issuer?: string | null | undefined;
  authorizationEndpoint?: string | null | undefined;
  tokenEndpoint?: string | null | undefined;
  revocationEndpoint?: string | null | undefined;
  usePkce?: boolean | null | undefined;
}

export interface CreateOAuth2ProviderInput extends OAuth2ProviderInput {
  slug: string;
}

/** Omitted (or null, for required columns) fields stay as they are; null clears an optional one. */
export type UpdateOAuth2ProviderInput = { [K in keyof OAuth2ProviderInput]?: OAuth2ProviderInput[K] | null };

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const ENDPOINTS = ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'revocationEndpoint'] as const;

function text(errors: FieldError[], field: string, value: string | null | undefined, max: number, required: boolean): void {
  if (value == null) {
    if (required) errors.push({ path: ['input', field], message: `${field} is required` });
    return;
  }
  if ((required && value.trim() === '') || value.length > max || /\p{Cc}/u.test(value)) {
    errors.push({ path: ['input', field], message: `${field} must be ${required ? 1 : 0}-${max} printable characters` });
  }
}

/** Validates the provider as it will be stored (the input merged over the current row, for updates). */
function validateProvider(
  policy: OutboundPolicy,
  merged: Omit<OAuth2ProviderInput, 'clientSecret'>,
  clientSecret: string | null | undefined,
  creating: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  text(errors, 'clientId', merged.clientId, 500, true);
  text(errors, 'displayName', merged.displayName, 200, true);
  text(errors, 'scope', merged.scope, 1000, false);
  if (creating || clientSecret !== undefined) text(errors, 'clientSecret', clientSecret, 4000, true);
  for (const field of ENDPOINTS) {
    const value = merged[field];
    if (value == null) continue;
    // The SSRF rule (backends/outbound-policy.ts); requests check it again on the resolved address.
    const problem = urlProblem(policy, value);
    if (problem) errors.push({ path: ['input', field], message: `${field} ${problem}` });
  }
  const explicit = merged.authorizationEndpoint != null || merged.tokenEndpoint != null || merged.revocationEndpoint != null;
  if (merged.issuer != null && explicit) {
    errors.push({ path: ['input', 'issuer'], message: 'set either an issuer (endpoints are discovered) or the endpoints, not both' });
  } else if (merged.issuer == null && (merged.authorizationEndpoint == null || merged.tokenEndpoint == null)) {
    errors.push({ path: ['input', 'issuer'], message: 'set an issuer, or both an authorizationEndpoint and a tokenEndpoint' });
  }
  return errors;
}

const blankToNull = (value: string | null | undefined) => (value == null || value.trim() === '' ? null : value.trim());

export async function createOAuth2Provider(deps: GatewayDeps, input: CreateOAuth2ProviderInput): Promise<Result<{ provider: OAuth2ProviderRow }>> {
  const fields = {
    kind: input.kind,
    clientId: input.clientId.trim(),
    displayName: input.displayName.trim(),
    scope: (input.scope ?? '').trim(),
    issuer: blankToNull(input.issuer),
    authorizationEndpoint: blankToNull(input.authorizationEndpoint),
    tokenEndpoint: blankToNull(input.tokenEndpoint),
    revocationEndpoint: blankToNull(input.revocationEndpoint),
    usePkce: input.usePkce ?? true,
  };
  const errors = validateProvider(deps.oauth2Policy, fields, input.clientSecret, true);
  if (!SLUG.test(input.slug)) {
    errors.unshift({ path: ['input', 'slug'], message: 'slug must be 1-64 lowercase letters, digits or "-", starting and ending with a letter or digit' });
  }
  if (errors.length > 0) return fail(new ValidationError(errors));

  try {
    const provider = await deps.store.db.transaction(async (tx) => {
      const row = await oauth2ProvidersRepository.insert(tx, { id: input.slug, ...fields });
      await deps.secrets.put(tx, providerSecret(row.id), input.clientSecret);
      return row;
    });
    return ok({ provider });
  } catch (error) {
    if (isUniqueViolation(error)) return fail(new ConflictError(`an OAuth2 provider "${input.slug}" already exists`));
    throw error;
  }
}

export async function updateOAuth2Provider(deps: GatewayDeps, slug: string, input: UpdateOAuth2ProviderInput): Promise<Result<{ provider: OAuth2ProviderRow }>> {
  return deps.store.db.transaction(async (tx) => {
    const [row] = await oauth2ProvidersRepository.lock(tx, [slug]);
    if (!row) return fail(new NotFoundError(`no OAuth2Provider with id "${slug}"`));

    const patch: OAuth2ProviderPatch = {};
    if (input.kind != null) patch.kind = input.kind;
    if (input.clientId != null) patch.clientId = input.clientId.trim();
    if (input.displayName != null) patch.displayName = input.displayName.trim();
    if (input.scope !== undefined) patch.scope = (input.scope ?? '').trim();
    if (input.usePkce != null) patch.usePkce = input.usePkce;
    for (const field of ENDPOINTS) {
      if (input[field] !== undefined) patch[field] = blankToNull(input[field]);
    }
    const errors = validateProvider(deps.oauth2Policy, { ...row, ...patch }, input.clientSecret ?? undefined, false);
    if (errors.length > 0) return fail(new ValidationError(errors));

    const provider = await oauth2ProvidersRepository.update(tx, slug, patch);
    if (!provider) return fail(new NotFoundError(`no OAuth2Provider with id "${slug}"`));
    if (input.clientSecret != null) await deps.secrets.put(tx, providerSecret(slug), input.clientSecret);
    return ok({ provider });
  });
}

/**
 * Rule 5: refused while a pool is linked to the provider. Otherwise its
 * connections and the grants they gave go with it (ON DELETE CASCADE), their
 * sealed tokens are deleted in the same transaction, and the tokens are then
 * revoked at the provider, best effort.
 */
export async function deleteOAuth2Provider(deps: GatewayDeps, slug: string): Promise<Result<{ provider: OAuth2ProviderRow }>> {
  const outcome = await deps.store.db.transaction(async (tx) => {
    const [provider] = await oauth2ProvidersRepository.lock(tx, [slug]);
    if (!provider) return fail(new NotFoundError(`no OAuth2Provider with id "${slug}"`));
    const pools = await oauth2ProvidersRepository.referencingPoolNames(tx, slug);
    if (pools.length > 0) {
      return fail(new ConflictError(`OAuth2 provider "${slug}" is used by resource pools: ${pools.map((name) => `"${name}"`).join(', ')}`));
    }
    const clientSecret = await deps.secrets.get(tx, providerSecret(slug));
    const tokens: Array<{ connectionId: string; token: StoredToken }> = [];
    for (const connection of await oauth2ConnectionsRepository.byProvider(tx, slug)) {
      const token = await takeConnectionSecrets(deps, tx, connection.id);
      if (token) tokens.push({ connectionId: connection.id, token });
    }
    await deps.secrets.remove(tx, providerSecret(slug));
    await oauth2ProvidersRepository.delete(tx, slug);
    return ok({ provider, clientSecret, tokens });
  });
  if (!outcome.ok) return outcome;
  const { provider, clientSecret, tokens } = outcome.value;
  for (const { connectionId, token } of tokens) {
    await revokeStoredToken(deps, provider, clientSecret, token, connectionId);
  }
  return ok({ provider });
}

// ---------------------------------------------------------------------------
// Connections

export interface ConnectInput {
  providerId: string;
  userId: string;
  returnTo?: string | null | undefined;
  /**
   * Whether a provider failure is returned with its detail (admins), or as
   * the one generic `providerUnusable` error: otherwise the difference
   * between "HTTP 404", "could not be reached" and a refused address would
   * let any user probe the network from the gateway. The detail is logged
   * either way.
   */
  showProviderErrors?: boolean | undefined;
}

/** What a non-admin sees of any failure to discover or use a provider. */
export const providerUnusable = () => new BackendError('oauth2', 'the provider could not be used', true);

export interface StartedConnection {
  connection: OAuth2ConnectionRow;
  /** Where to send the user's browser. */
  authorizationUrl: string;
}

/** What the store keeps of a state: its SHA-256, so a read of the store cannot complete anyone's authorization. */
export const hashState = (state: string) => createHash('sha256').update(state, 'utf8').digest('hex');

const userDisabled = (userId: string) =>
  new ConflictError(`user "${userId}" is disabled: a disabled user cannot connect to OAuth2 providers until enabled again`);

/**
 * Starts an authorization of the user's connection to the provider, with a
 * fresh single-use state and PKCE verifier. A new connection is PENDING
 * until its callback. An existing CONNECTED one is being re-authorized: it
 * stays CONNECTED with its token and its pool grants until a callback
 * completes (then the token is swapped); a failed or abandoned
 * re-authorization changes nothing. Renku does the same:
 * `DefaultOAuthHttpClientFactory.initiate_oauth_flow` in
 * renku_data_services/connected_services/oauth_http.py
 * (SwissDataScienceCenter/renku-data-services) gives the existing
 * connection a new state and code verifier but leaves its token in place,
 * and `fetch_token` only replaces the token once the code exchange
 * succeeded. A DISABLED user cannot start one (ConflictError).
 */
export async function connectOAuth2Provider(deps: GatewayDeps, input: ConnectInput): Promise<Result<StartedConnection>> {
  let returnTo: string | null = null;
  if (input.returnTo != null && input.returnTo.trim() !== '') {
    // Not trimmed: whitespace a parser would drop is refused, not repaired.
    const checked = checkReturnTo(deps.config.oauth2ReturnToAllowlist, input.returnTo);
    if (!checked.ok) return fail(ValidationError.of(['input', 'returnTo'], checked.problem));
    returnTo = checked.href;
  }
  const { db } = deps.store;
  const provider = await oauth2ProvidersRepository.byId(db, input.providerId);
  if (!provider) return fail(new NotFoundError(`no OAuth2Provider with id "${input.providerId}"`));
  const [user] = await usersRepository.byIds(db, [input.userId]);
  if (!user) return fail(new NotFoundError(`no User with id "${input.userId}"`));
  if (user.status === 'DISABLED') return fail(userDisabled(input.userId));

  let started: Awaited<ReturnType<typeof startAuthorization>>;
  try {
    const server = await resolveAuthorizationServer(provider, { timeoutMs: deps.config.backendTimeoutMs, policy: deps.oauth2Policy });
    started = await startAuthorization({
      server,
      clientId: provider.clientId,
      redirectUri: callbackUrl(deps),
      scope: provider.scope,
      usePkce: provider.usePkce,
      policy: deps.oauth2Policy,
    });
  } catch (error) {
    if (!(error instanceof OAuth2FlowError)) throw error;
    deps.logger.warn(
      { provider: provider.id, kind: error.kind, reason: error.message, status: error.status, code: error.code },
      'oauth2 provider could not be used',
    );
    return fail(input.showProviderErrors === true ? error : providerUnusable());
  }

  return db.transaction(async (tx) => {
    const [locked] = await oauth2ProvidersRepository.lock(tx, [provider.id]);
    if (locked === undefined) return fail(new NotFoundError(`no OAuth2Provider with id "${input.providerId}"`));
    // No grant changes here: grants follow a completed callback or a disconnect.
    const connection = await oauth2ConnectionsRepository.startAuthorization(tx, {
      userId: user.id,
      providerId: provider.id,
      stateHash: hashState(started.state),
      stateExpiresAt: new Date(Date.now() + STATE_TTL_MS),
      returnTo,
    });
    if (started.codeVerifier === null) await deps.secrets.remove(tx, verifierSecret(connection.id));
    else await deps.secrets.put(tx, verifierSecret(connection.id), started.codeVerifier);
    return ok({ connection, authorizationUrl: started.authorizationUrl.href });
  });
}

export type CallbackErrorCode =
  | 'invalid_request'
  | 'invalid_state'
  | 'expired_state'
  | 'missing_verifier'
  | 'superseded'
  | 'user_disabled'
  | OAuth2FailureKind;

/** A failed callback, safe to show to the browser: no code, verifier, token or secret in `message`. */
export class CallbackError extends Error {
  constructor(
    readonly code: CallbackErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'CallbackError';
  }
}

export interface CompletedConnection {
  connection: OAuth2ConnectionRow;
  provider: OAuth2ProviderRow;
  /** `returnTo` when it is (still) on the allowlist; otherwise the callback answers a page itself. */
  redirectTo: string | undefined;
}

const MAX_STATE_LENGTH = 512;

/**
 * The browser at the callback is no admin: a provider that cannot be
 * discovered or reached answers the generic message (the detail is logged),
 * like connectOAuth2Provider does for non-admins.
 */
function flowFailure(error: OAuth2FlowError): CallbackError {
  const unusable = error.kind === 'discovery_failed' || error.kind === 'invalid_configuration';
  const status = unusable || (error.kind === 'exchange_failed' && error.retryable) ? 502 : 400;
  return new CallbackError(error.kind, unusable ? providerUnusable().message : error.message, status);
}

/**
 * `GET /oauth2/callback`. The state is claimed before anything else, so it
 * works once: a replay, a forged state or an expired one changes nothing.
 * Nothing changes either when the exchange fails or the user is disabled: a
 * first connection stays PENDING with no token and no grant, a CONNECTED one
 * being re-authorized keeps its token and grants. Only after the code
 * exchange succeeds does one transaction store (or swap) the token, mark
 * the connection CONNECTED and apply the grants.
 */
export async function completeOAuth2Callback(deps: GatewayDeps, url: URL): Promise<Result<CompletedConnection, CallbackError>> {
  const { db } = deps.store;
  const state = url.searchParams.get('state');
  if (state === null || state === '' || state.length > MAX_STATE_LENGTH) {
    return fail(new CallbackError('invalid_request', 'the callback has no valid state parameter', 400));
  }
  const stateHash = hashState(state);

  const claimed = await db.transaction(async (tx) => {
    const row = await oauth2ConnectionsRepository.claimState(tx, stateHash);
    if (!row) return undefined;
    const verifier = await deps.secrets.get(tx, verifierSecret(row.id));
    await deps.secrets.remove(tx, verifierSecret(row.id));
    return { row, verifier };
  });
  if (!claimed) {
    return fail(new CallbackError('invalid_state', 'unknown or already used authorization state; start connecting again', 400));
  }
  const { row, verifier } = claimed;
  const log = deps.logger.child({ connectionId: row.id, provider: row.providerId });
  if (row.stateExpiresAt === null || row.stateExpiresAt.getTime() <= Date.now()) {
    return fail(new CallbackError('expired_state', 'the authorization took too long and expired; start connecting again', 400));
  }
  // Before the code exchange: a disabled user gets no token at all.
  const [user] = await usersRepository.byIds(db, [row.userId]);
  if (user?.status !== 'ACTIVE') return fail(callbackForDisabledUser());
  const provider = await oauth2ProvidersRepository.byId(db, row.providerId);
  if (!provider) return fail(new CallbackError('invalid_state', 'the provider of this authorization no longer exists', 400));
  if (provider.usePkce && verifier === undefined && !url.searchParams.has('error')) {
    return fail(new CallbackError('missing_verifier', 'the PKCE verifier of this authorization is missing; start connecting again', 400));
  }
  const clientSecret = await deps.secrets.get(db, providerSecret(provider.id));
  if (clientSecret === undefined) {
    log.warn({ kind: 'invalid_configuration', reason: 'no client secret configured' }, 'oauth2 callback refused');
    return fail(new CallbackError('invalid_configuration', providerUnusable().message, 502));
  }

  let tokens: OAuth2Tokens;
  try {
    const server = await resolveAuthorizationServer(provider, { timeoutMs: deps.config.backendTimeoutMs, policy: deps.oauth2Policy });
    tokens = await completeAuthorization({
      server,
      client: { clientId: provider.clientId, clientSecret },
      redirectUri: callbackUrl(deps),
      currentUrl: url,
      expectedState: state,
      codeVerifier: verifier ?? null,
      timeoutMs: deps.config.backendTimeoutMs,
      policy: deps.oauth2Policy,
    });
  } catch (error) {
    if (!(error instanceof OAuth2FlowError)) throw error;
    log.warn({ kind: error.kind, reason: error.message, providerError: error.providerError, status: error.status, code: error.code }, 'oauth2 callback refused');
    return fail(flowFailure(error));
  }

  const stored: StoredToken = {
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    refreshToken: tokens.refreshToken,
    expiresAt: tokens.expiresAt?.toISOString(),
    scope: tokens.scope,
  };
  type Outcome = { kind: 'connected'; connection: OAuth2ConnectionRow } | { kind: 'gone' | 'superseded' | 'disabled' };
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    await oauth2ProvidersRepository.lock(tx, [provider.id]);
    // Disabled during the exchange: still nothing granted (and reads of
    // access only count ACTIVE users, whatever commits around this).
    const [owner] = await usersRepository.byIds(tx, [row.userId]);
    if (owner?.status !== 'ACTIVE') return { kind: 'disabled' };
    const connection = await oauth2ConnectionsRepository.complete(tx, row.id, stateHash);
    if (!connection) return { kind: (await oauth2ConnectionsRepository.byId(tx, row.id)) === undefined ? 'gone' : 'superseded' };
    // Replaces any token of an earlier authorization without revoking it: at
    // providers that keep one grant per user and client (Google), revoking
    // the old token would also end the one just issued.
    await deps.secrets.put(tx, tokenSecret(row.id), JSON.stringify(stored));
    await applyConnect(tx, connection.userId, provider.id);
    return { kind: 'connected', connection };
  });
  if (outcome.kind !== 'connected') {
    // The fresh token has no home and must not stay live when nothing else
    // can share its grant: the connection is gone, or it never had a token.
    // (Restarted meanwhile, or a re-authorization: the other token may share
    // the grant, so it is only dropped.)
    if (outcome.kind === 'gone' || (outcome.kind === 'disabled' && row.status === 'PENDING')) {
      await revokeStoredToken(deps, provider, clientSecret, stored, row.id);
    }
    if (outcome.kind === 'disabled') return fail(callbackForDisabledUser());
    return fail(new CallbackError('superseded', 'the connection was disconnected or restarted while this authorization completed', 409));
  }
  const { connection } = outcome;
  log.info(row.status === 'CONNECTED' ? 'oauth2 connection re-authorized' : 'oauth2 connection connected');

  return ok({ connection, provider, redirectTo: redirectTarget(deps, row.returnTo, log) });
}

/**
 * The stored `returnTo`, checked again (the allowlist may have shrunk, the
 * row may have been written by an older version): its normalised href, or
 * undefined so the callback answers its own page. The connection is
 * CONNECTED by now, so this never throws.
 */
function redirectTarget(deps: GatewayDeps, returnTo: string | null, log: GatewayDeps['logger']): string | undefined {
  if (returnTo === null) return undefined;
  try {
    const checked = checkReturnTo(deps.config.oauth2ReturnToAllowlist, returnTo);
    if (checked.ok) return checked.href;
    log.warn({ reason: checked.problem }, 'oauth2 callback ignores the stored returnTo');
  } catch {
    log.warn('oauth2 callback ignores the stored returnTo');
  }
  return undefined;
}

const callbackForDisabledUser = () => new CallbackError('user_disabled', 'this user is disabled; the connection was not completed', 403);

export interface Disconnected {
  connection: OAuth2ConnectionRow;
  provider: OAuth2ProviderRow;
  /** Whether the provider confirmed the token's revocation (RFC 7009); false when it has no endpoint or failed. */
  tokenRevoked: boolean;
}

/**
 * Deletes the connection, its sealed token and exactly the grants it gave,
 * in one transaction; then revokes the token at the provider, best effort
 * (after the commit, so a provider outage never blocks a disconnect).
 */
export async function disconnectOAuth2Provider(deps: GatewayDeps, connectionId: string): Promise<Result<Disconnected>> {
  const { db } = deps.store;
  const found = await oauth2ConnectionsRepository.byId(db, connectionId);
  if (!found) return fail(new NotFoundError(`no OAuth2Connection with id "${connectionId}"`));

  const outcome = await db.transaction(async (tx) => {
    await oauth2ProvidersRepository.lock(tx, [found.providerId]);
    const token = await takeConnectionSecrets(deps, tx, connectionId);
    const connection = await oauth2ConnectionsRepository.delete(tx, connectionId);
    if (!connection) return undefined;
    await applyDisconnect(tx, connection.userId, connection.providerId);
    return { connection, token };
  });
  if (!outcome) return fail(new NotFoundError(`no OAuth2Connection with id "${connectionId}"`));

  const provider = await oauth2ProvidersRepository.byId(db, outcome.connection.providerId);
  if (!provider) return fail(new NotFoundError(`no OAuth2Provider with id "${outcome.connection.providerId}"`));
  let tokenRevoked = false;
  if (outcome.token) {
    const clientSecret = await deps.secrets.get(db, providerSecret(provider.id));
    tokenRevoked = await revokeStoredToken(deps, provider, clientSecret, outcome.token, connectionId);
  }
  return ok({ connection: outcome.connection, provider, tokenRevoked });
}

// ---------------------------------------------------------------------------
// Tokens

/** A token that cannot be opened (its key was retired) is treated as absent, so a disconnect still completes. */
async function readToken(deps: GatewayDeps, db: Executor, connectionId: string): Promise<StoredToken | undefined> {
  try {
    const sealed = await deps.secrets.get(db, tokenSecret(connectionId));
    return sealed === undefined ? undefined : (JSON.parse(sealed) as StoredToken);
  } catch {
    deps.logger.warn({ connectionId }, 'oauth2 token could not be opened; it is deleted without revocation');
    return undefined;
  }
}

/** Reads the connection's token and deletes it and any PKCE verifier. */
async function takeConnectionSecrets(deps: GatewayDeps, tx: Executor, connectionId: string): Promise<StoredToken | undefined> {
  const token = await readToken(deps, tx, connectionId);
  await deps.secrets.remove(tx, tokenSecret(connectionId));
  await deps.secrets.remove(tx, verifierSecret(connectionId));
  return token;
}

/**
 * Revokes the refresh token (which ends the whole grant at most providers)
 * and the access token. Never throws; the outcome is logged without tokens.
 */
async function revokeStoredToken(
  deps: GatewayDeps,
  provider: OAuth2ProviderRow,
  clientSecret: string | undefined,
  token: StoredToken,
  connectionId: string,
): Promise<boolean> {
  const log = deps.logger.child({ connectionId, provider: provider.id });
  if (clientSecret === undefined) {
    log.warn({ reason: 'no client secret' }, 'oauth2 token not revoked');
    return false;
  }
  try {
    const server = await resolveAuthorizationServer(provider, { timeoutMs: deps.config.backendTimeoutMs, policy: deps.oauth2Policy });
    const client = { clientId: provider.clientId, clientSecret };
    const timeoutMs = deps.config.backendTimeoutMs;
    const policy = deps.oauth2Policy;
    if (token.refreshToken) await revokeToken({ server, client, token: token.refreshToken, tokenTypeHint: 'refresh_token', timeoutMs, policy });
    const outcome = await revokeToken({ server, client, token: token.accessToken, tokenTypeHint: 'access_token', timeoutMs, policy });
    if (outcome.revoked) log.info('oauth2 token revoked');
    else log.warn({ reason: outcome.reason }, 'oauth2 token not revoked');
    return outcome.revoked;
  } catch (error) {
    const reason = error instanceof OAuth2FlowError ? error.message : 'unexpected error';
    log.warn({ reason }, 'oauth2 token not revoked');
    return false;
  }
}
