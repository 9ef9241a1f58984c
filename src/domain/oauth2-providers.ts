// OAuth2 providers (backends.md §4): created, updated and deleted by admins;
// the client secret is write-only (sealed, never read back). Deleting one
// takes its connections' tokens with it and revokes them (oauth2-tokens.ts).
import { type OutboundPolicy, urlProblem } from '../backends/outbound-policy.ts';
import { ConflictError, type FieldError, fail, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { oauth2ConnectionsRepository } from '../store/repositories/oauth2-connections.ts';
import { type OAuth2ProviderPatch, oauth2ProvidersRepository } from '../store/repositories/oauth2-providers.ts';
import { OAUTH2_PROVIDER_KINDS, type OAuth2ProviderRow } from '../store/schema.ts';
import type { GatewayDeps } from './deps.ts';
import { providerSecret, revokeStoredToken, type StoredToken, takeConnectionSecrets } from './oauth2-tokens.ts';

export type OAuth2ProviderKind = (typeof OAUTH2_PROVIDER_KINDS)[number];

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
