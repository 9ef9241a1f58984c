// The secrets of OAuth2 providers and connections (client secrets, PKCE
// verifiers, tokens: all sealed through the secrets repository), and the
// clean-up of a connection's token: taken out of the store with the
// connection, then revoked at the provider, best effort.
import { OAuth2FlowError, resolveAuthorizationServer, revokeToken } from '../backends/oauth2.ts';
import type { Executor } from '../store/client.ts';
import type { SecretOwner } from '../store/repositories/secrets.ts';
import type { OAuth2ProviderRow } from '../store/schema.ts';
import type { GatewayDeps } from './deps.ts';

export const providerSecret = (slug: string): SecretOwner => ({ ownerType: 'oauth2_provider', ownerId: slug, purpose: 'client_secret' });
export const verifierSecret = (connectionId: string): SecretOwner => ({ ownerType: 'oauth2_connection', ownerId: connectionId, purpose: 'pkce_verifier' });
export const tokenSecret = (connectionId: string): SecretOwner => ({ ownerType: 'oauth2_connection', ownerId: connectionId, purpose: 'oauth2_token' });

/** What is sealed under `oauth2_token`. */
export interface StoredToken {
  accessToken: string;
  tokenType: string;
  refreshToken?: string | undefined;
  expiresAt?: string | undefined;
  scope?: string | undefined;
}

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
export async function takeConnectionSecrets(deps: GatewayDeps, tx: Executor, connectionId: string): Promise<StoredToken | undefined> {
  const token = await readToken(deps, tx, connectionId);
  await deps.secrets.remove(tx, tokenSecret(connectionId));
  await deps.secrets.remove(tx, verifierSecret(connectionId));
  return token;
}

/**
 * Revokes the refresh token (which ends the whole grant at most providers)
 * and the access token. Never throws; the outcome is logged without tokens.
 */
export async function revokeStoredToken(
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
