// Users' connections to OAuth2 providers (backends.md §4): starting an
// authorization (one-time state, PKCE verifier), completing it at the
// callback, and disconnecting. The protocol is src/backends/oauth2.ts
// (oauth4webapi); the pool access rules are applied in the transaction that
// changes a connection. How a failed callback is answered over HTTP is the
// edge's business (src/http/oauth2-callback.ts).
import { createHash } from 'node:crypto';
import {
  completeAuthorization,
  type OAuth2FailureKind,
  OAuth2FlowError,
  type OAuth2Tokens,
  resolveAuthorizationServer,
  startAuthorization,
} from '../backends/oauth2.ts';
import { BackendError, ConflictError, fail, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';
import { oauth2ConnectionsRepository } from '../store/repositories/oauth2-connections.ts';
import { oauth2ProvidersRepository } from '../store/repositories/oauth2-providers.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { OAuth2ConnectionRow, OAuth2ProviderRow } from '../store/schema.ts';
import type { GatewayDeps } from './deps.ts';
import { providerSecret, revokeStoredToken, type StoredToken, takeConnectionSecrets, tokenSecret, verifierSecret } from './oauth2-tokens.ts';
import { applyConnect, applyDisconnect } from './resource-pools.ts';
import { checkReturnTo } from './return-to.ts';

/** How long a started authorization may take before its state is refused. */
export const STATE_TTL_MS = 10 * 60 * 1000;
export const CALLBACK_PATH = '/oauth2/callback';

export const callbackUrl = (deps: GatewayDeps) => `${deps.config.publicUrl}${CALLBACK_PATH}`;

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
export const providerUnusable = () => new BackendError('oauth2', 'the provider could not be used', 'later');

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

/**
 * A failed callback, safe to show to the browser: no code, verifier, token or
 * secret in `message`. `providerFault` says the request was fine and the
 * provider could not be used (unreachable, misconfigured, failing for now);
 * the HTTP edge answers those as a bad gateway.
 */
export class CallbackError extends Error {
  constructor(
    readonly code: CallbackErrorCode,
    message: string,
    readonly providerFault = false,
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
  const providerFault = unusable || (error.kind === 'exchange_failed' && error.retry !== 'never');
  return new CallbackError(error.kind, unusable ? providerUnusable().message : error.message, providerFault);
}

type Log = GatewayDeps['logger'];

/** A claimed authorization: its connection row, its PKCE verifier (now deleted) and the state's hash. */
interface ClaimedState {
  row: OAuth2ConnectionRow;
  verifier: string | undefined;
  stateHash: string;
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
  const state = url.searchParams.get('state');
  if (state === null || state === '' || state.length > MAX_STATE_LENGTH) {
    return fail(new CallbackError('invalid_request', 'the callback has no valid state parameter'));
  }
  const claimed = await claimState(deps, state);
  if (!claimed.ok) return claimed;
  const { row } = claimed.value;
  const log = deps.logger.child({ connectionId: row.id, provider: row.providerId });
  const party = await callbackParty(deps, claimed.value, url, log);
  if (!party.ok) return party;
  const { provider, clientSecret } = party.value;
  const exchanged = await exchangeCode(deps, { provider, clientSecret, url, state, verifier: claimed.value.verifier }, log);
  if (!exchanged.ok) return exchanged;
  const token = exchanged.value;

  const outcome = await storeConnection(deps, claimed.value, provider.id, token);
  if (outcome.kind !== 'connected') {
    // The fresh token has no home and must not stay live when nothing else
    // can share its grant: the connection is gone, or it never had a token.
    // (Restarted meanwhile, or a re-authorization: the other token may share
    // the grant, so it is only dropped.)
    if (outcome.kind === 'gone' || (outcome.kind === 'disabled' && row.status === 'PENDING')) {
      await revokeStoredToken(deps, provider, clientSecret, token, row.id);
    }
    if (outcome.kind === 'disabled') return fail(callbackForDisabledUser());
    return fail(new CallbackError('superseded', 'the connection was disconnected or restarted while this authorization completed'));
  }
  log.info(row.status === 'CONNECTED' ? 'oauth2 connection re-authorized' : 'oauth2 connection connected');
  return ok({ connection: outcome.connection, provider, redirectTo: redirectTarget(deps, row.returnTo, log) });
}

/** Claims the state (single use) and takes its PKCE verifier; an unknown or expired state is refused. */
async function claimState(deps: GatewayDeps, state: string): Promise<Result<ClaimedState, CallbackError>> {
  const stateHash = hashState(state);
  const claimed = await deps.store.db.transaction(async (tx) => {
    const row = await oauth2ConnectionsRepository.claimState(tx, stateHash);
    if (!row) return undefined;
    const verifier = await deps.secrets.get(tx, verifierSecret(row.id));
    await deps.secrets.remove(tx, verifierSecret(row.id));
    return { row, verifier };
  });
  if (!claimed) return fail(new CallbackError('invalid_state', 'unknown or already used authorization state; start connecting again'));
  if (claimed.row.stateExpiresAt === null || claimed.row.stateExpiresAt.getTime() <= Date.now()) {
    return fail(new CallbackError('expired_state', 'the authorization took too long and expired; start connecting again'));
  }
  return ok({ ...claimed, stateHash });
}

/** Who the exchange is for and with: an ACTIVE user (checked before any token exists), the provider and its client secret. */
async function callbackParty(
  deps: GatewayDeps,
  { row, verifier }: ClaimedState,
  url: URL,
  log: Log,
): Promise<Result<{ provider: OAuth2ProviderRow; clientSecret: string }, CallbackError>> {
  const { db } = deps.store;
  const [user] = await usersRepository.byIds(db, [row.userId]);
  if (user?.status !== 'ACTIVE') return fail(callbackForDisabledUser());
  const provider = await oauth2ProvidersRepository.byId(db, row.providerId);
  if (!provider) return fail(new CallbackError('invalid_state', 'the provider of this authorization no longer exists'));
  if (provider.usePkce && verifier === undefined && !url.searchParams.has('error')) {
    return fail(new CallbackError('missing_verifier', 'the PKCE verifier of this authorization is missing; start connecting again'));
  }
  const clientSecret = await deps.secrets.get(db, providerSecret(provider.id));
  if (clientSecret === undefined) {
    log.warn({ kind: 'invalid_configuration', reason: 'no client secret configured' }, 'oauth2 callback refused');
    return fail(new CallbackError('invalid_configuration', providerUnusable().message, true));
  }
  return ok({ provider, clientSecret });
}

/** The code exchange at the provider's token endpoint; a refusal is logged with the provider's detail. */
async function exchangeCode(
  deps: GatewayDeps,
  input: { provider: OAuth2ProviderRow; clientSecret: string; url: URL; state: string; verifier: string | undefined },
  log: Log,
): Promise<Result<StoredToken, CallbackError>> {
  const { provider } = input;
  let tokens: OAuth2Tokens;
  try {
    const server = await resolveAuthorizationServer(provider, { timeoutMs: deps.config.backendTimeoutMs, policy: deps.oauth2Policy });
    tokens = await completeAuthorization({
      server,
      client: { clientId: provider.clientId, clientSecret: input.clientSecret },
      redirectUri: callbackUrl(deps),
      currentUrl: input.url,
      expectedState: input.state,
      codeVerifier: input.verifier ?? null,
      timeoutMs: deps.config.backendTimeoutMs,
      policy: deps.oauth2Policy,
    });
  } catch (error) {
    if (!(error instanceof OAuth2FlowError)) throw error;
    log.warn({ kind: error.kind, reason: error.message, providerError: error.providerError, status: error.status, code: error.code }, 'oauth2 callback refused');
    return fail(flowFailure(error));
  }
  return ok({
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    refreshToken: tokens.refreshToken,
    expiresAt: tokens.expiresAt?.toISOString(),
    scope: tokens.scope,
  });
}

type StoreOutcome = { kind: 'connected'; connection: OAuth2ConnectionRow } | { kind: 'gone' | 'superseded' | 'disabled' };

/** One transaction: the token stored (or swapped), the connection CONNECTED, the pool grants applied. */
async function storeConnection(deps: GatewayDeps, { row, stateHash }: ClaimedState, providerId: string, token: StoredToken): Promise<StoreOutcome> {
  return deps.store.db.transaction(async (tx): Promise<StoreOutcome> => {
    await oauth2ProvidersRepository.lock(tx, [providerId]);
    // Disabled during the exchange: still nothing granted (and reads of
    // access only count ACTIVE users, whatever commits around this).
    const [owner] = await usersRepository.byIds(tx, [row.userId]);
    if (owner?.status !== 'ACTIVE') return { kind: 'disabled' };
    const connection = await oauth2ConnectionsRepository.complete(tx, row.id, stateHash);
    if (!connection) return { kind: (await oauth2ConnectionsRepository.byId(tx, row.id)) === undefined ? 'gone' : 'superseded' };
    // Replaces any token of an earlier authorization without revoking it: at
    // providers that keep one grant per user and client (Google), revoking
    // the old token would also end the one just issued.
    await deps.secrets.put(tx, tokenSecret(row.id), JSON.stringify(token));
    await applyConnect(tx, connection.userId, providerId);
    return { kind: 'connected', connection };
  });
}

/**
 * The stored `returnTo`, checked again (the allowlist may have shrunk, the
 * row may have been written by an older version): its normalised href, or
 * undefined so the callback answers its own page. The connection is
 * CONNECTED by now, so this never throws.
 */
function redirectTarget(deps: GatewayDeps, returnTo: string | null, log: Log): string | undefined {
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

const callbackForDisabledUser = () => new CallbackError('user_disabled', 'this user is disabled; the connection was not completed');

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
