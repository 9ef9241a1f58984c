// API tokens: long-lived bearer credentials for automation. The store keeps
// only a SHA-256 of each token; the token itself is shown once, by
// createApiToken, and a lost token is replaced, never recovered.
import { newApiToken, type Scope } from '../auth.ts';
import { apiTokensRepository } from '../store/repositories/api-tokens.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { ApiTokenRow } from '../store/schema.ts';
import type { GatewayDeps } from './deps.ts';
import { type FieldError, fail, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';

export interface CreateApiTokenInput {
  name: string;
  scopes: readonly Scope[];
  /** The gateway user the token acts as (for `viewer` and `self` rules); none for a service token. */
  userId?: string | null | undefined;
}

export interface CreatedApiToken {
  apiToken: ApiTokenRow;
  /** The bearer token: revealed once, here. */
  token: string;
}

export async function createApiToken(deps: GatewayDeps, input: CreateApiTokenInput): Promise<Result<CreatedApiToken>> {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) errors.push({ path: ['input', 'name'], message: 'name must be 1-100 characters' });
  if (input.scopes.length === 0 && !input.userId) {
    errors.push({ path: ['input', 'scopes'], message: 'a token with no scopes must act as a user (userId), or it could do nothing' });
  }
  if (errors.length > 0) return fail(new ValidationError(errors));
  const { db } = deps.store;
  if (input.userId && (await usersRepository.byIds(db, [input.userId])).length === 0) {
    return fail(new NotFoundError(`no User with id "${input.userId}"`));
  }
  const { token, hash } = newApiToken();
  const apiToken = await apiTokensRepository.insert(db, { name, tokenHash: hash, scopes: [...new Set(input.scopes)].sort(), userId: input.userId ?? null });
  deps.logger.info({ apiTokenId: apiToken.id, scopes: apiToken.scopes }, 'API token created');
  return ok({ apiToken, token });
}

/** Revokes the token at once (the next request with it is anonymous); revoking twice is harmless. */
export async function revokeApiToken(deps: GatewayDeps, id: string): Promise<Result<{ apiToken: ApiTokenRow }>> {
  const apiToken = await apiTokensRepository.revoke(deps.store.db, id);
  if (!apiToken) return fail(new NotFoundError(`no ApiToken with id "${id}"`));
  deps.logger.info({ apiTokenId: apiToken.id }, 'API token revoked');
  return ok({ apiToken });
}
