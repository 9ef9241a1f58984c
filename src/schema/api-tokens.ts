import { type Scope, SCOPES } from '../auth.ts';
import { createApiToken, revokeApiToken } from '../domain/api-tokens.ts';
import { apiTokensRepository } from '../store/repositories/api-tokens.ts';
import type { ApiTokenRow } from '../store/schema.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS, unwrap } from './errors.ts';
import { idOrNotFound } from './ids.ts';
import { revealOnce } from '../request-state.ts';
import { keysetConnection } from './pagination.ts';
import { User } from './users.ts';

export const ScopeEnum = builder.enumType('Scope', {
  description: 'What a credential may do. `admin` implies the others; `scim` is for the SCIM endpoint only (/scim/v2) and grants nothing here. A JWT carries them in its `scope` claim, in lower case.',
  values: Object.fromEntries(SCOPES.map((scope) => [scope.toUpperCase(), { value: scope }])) as Record<Uppercase<Scope>, { value: Scope }>,
});

const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

export const ApiToken = builder.node(builder.objectRef<ApiTokenRow>('ApiToken'), {
  description: 'A bearer credential for automation. Only its SHA-256 is stored; the token is shown once, when created.',
  id: { resolve: (token) => token.id },
  loadMany: async (ids, context) => {
    const rows = new Map((await apiTokensRepository.byIds(context.deps.store.db, ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  },
  authScopes: { admin: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    scopes: t.field({ type: [ScopeEnum], resolve: (token) => token.scopes.filter(isScope) }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The gateway user the token acts as; null for a service token.',
      resolve: (token, _args, { loaders }) => (token.userId ? loaders.user.load(token.userId) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Updated at most once a minute.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  apiTokens: t.connection({
    type: ApiToken,
    authScopes: { admin: true },
    description: 'Every API token, revoked ones included, in creation order.',
    resolve: (_root, args, { deps }) =>
      keysetConnection(
        deps.cursors,
        args,
        (window) => apiTokensRepository.page(deps.store.db, window),
        () => apiTokensRepository.count(deps.store.db),
      ),
  }),
}));

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    name: t.string({ description: 'What the token is for (1-100 characters).' }),
    scopes: t.field({ type: [ScopeEnum] }),
    userId: t.id({ required: false, description: 'Global id of the user the token acts as (for `viewer` and reading oneself).' }),
  }),
});

const CreateApiTokenPayload = builder.objectRef<{ apiToken: ApiTokenRow; token: string }>('CreateApiTokenPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    apiToken: t.field({ type: ApiToken, resolve: (payload) => payload.apiToken }),
    token: t.string({
      description: 'The bearer token. Shown once, here; an idempotent replay shows "[revealed once]".',
      resolve: (payload, _args, context) => revealOnce(context, payload.token),
    }),
  }),
});

const RevokeApiTokenInput = builder.inputType('RevokeApiTokenInput', {
  fields: (t) => ({ id: t.id({ description: 'Global id of the token.' }) }),
});

const RevokeApiTokenPayload = builder.objectRef<{ apiToken: ApiTokenRow }>('RevokeApiTokenPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({ apiToken: t.field({ type: ApiToken, resolve: (payload) => payload.apiToken }) }),
});

builder.mutationFields((t) => ({
  createApiToken: t.field({
    type: CreateApiTokenPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    description: 'Mint an API token. The token is in this payload only.',
    args: { input: t.arg({ type: CreateApiTokenInput }) },
    resolve: async (_root, { input }, { deps }) => {
      const userId = input.userId == null ? null : idOrNotFound(String(input.userId), 'User');
      return unwrap(await createApiToken(deps, { name: input.name, scopes: input.scopes, userId }));
    },
  }),
  revokeApiToken: t.field({
    type: RevokeApiTokenPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    description: 'Revoke an API token at once; idempotent.',
    args: { input: t.arg({ type: RevokeApiTokenInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await revokeApiToken(deps, idOrNotFound(String(input.id), 'ApiToken'))),
  }),
}));
