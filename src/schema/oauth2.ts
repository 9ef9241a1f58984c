import { ValidationError } from '../errors.ts';
import { connectOAuth2Provider, disconnectOAuth2Provider } from '../domain/oauth2-connections.ts';
import { createOAuth2Provider, deleteOAuth2Provider, updateOAuth2Provider } from '../domain/oauth2-providers.ts';
import { oauth2ProvidersRepository } from '../store/repositories/oauth2-providers.ts';
import { OAUTH2_CONNECTION_STATUSES, type OAuth2ConnectionRow, type OAuth2ProviderRow } from '../store/schema.ts';
import { builder, scopesOrRow } from './builder.ts';
import { BACKEND_MUTATION_ERRORS, MUTATION_ERRORS, unwrap } from './errors.ts';
import { decodeId, idOrNotFound } from './ids.ts';
import { revealOnce } from '../request-state.ts';
import { User } from './users.ts';

export const OAuth2ProviderKindEnum = builder.enumType('OAuth2ProviderKind', {
  values: {
    GENERIC_OIDC: { value: 'generic_oidc' },
    GITHUB: { value: 'github' },
    GITLAB: { value: 'gitlab' },
    GOOGLE: { value: 'google' },
    DROPBOX: { value: 'dropbox' },
    ZENODO: { value: 'zenodo' },
  } as const,
});

const OAuth2ConnectionStatusEnum = builder.enumType('OAuth2ConnectionStatus', { values: OAUTH2_CONNECTION_STATUSES });

/** What the API shows in place of a write-only secret. */
const REDACTED = 'redacted';

/**
 * Provider URLs with userinfo are refused now (domain/oauth2-providers.ts), but a row
 * saved before may still hold `user:password@`: readers never see it.
 */
const withoutUserinfo = (url: string | null) => (url === null ? null : url.replace(/^([a-z][a-z0-9+.-]*:\/*)[^/?#]*@/i, `$1${REDACTED}@`));

export const OAuth2Provider = builder.node(builder.objectRef<OAuth2ProviderRow>('OAuth2Provider'), {
  description: 'An OAuth2 / OpenID Connect provider users connect to; its users get viewer access on the pools linked to it.',
  id: { resolve: (provider) => provider.id },
  loadMany: (ids, context) => Promise.all(ids.map((id) => context.loaders.oauth2Provider.load(id))),
  authScopes: { read: true },
  fields: (t) => ({
    slug: t.exposeString('id', { description: 'The id the admin chose; the global id encodes it.' }),
    kind: t.expose('kind', { type: OAuth2ProviderKindEnum }),
    displayName: t.exposeString('displayName'),
    clientId: t.exposeString('clientId'),
    clientSecret: t.string({ description: `Write-only: always "${REDACTED}".`, resolve: () => REDACTED }),
    scope: t.exposeString('scope', { description: 'Space-separated scopes requested; empty means the provider default.' }),
    issuer: t.string({
      nullable: true,
      description: 'When set, endpoints come from OIDC / RFC 8414 discovery.',
      resolve: (provider) => withoutUserinfo(provider.issuer),
    }),
    authorizationEndpoint: t.string({ nullable: true, resolve: (provider) => withoutUserinfo(provider.authorizationEndpoint) }),
    tokenEndpoint: t.string({ nullable: true, resolve: (provider) => withoutUserinfo(provider.tokenEndpoint) }),
    revocationEndpoint: t.string({ nullable: true, resolve: (provider) => withoutUserinfo(provider.revocationEndpoint) }),
    usePkce: t.exposeBoolean('usePkce'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const OAuth2Connection = builder.node(builder.objectRef<OAuth2ConnectionRow>('OAuth2Connection'), {
  description: "A user's connection to a provider. Only CONNECTED ones give access to pools.",
  id: { resolve: (connection) => connection.id },
  loadMany: (ids, context) => Promise.all(ids.map((id) => context.loaders.oauth2Connection.load(id))),
  authScopes: scopesOrRow<OAuth2ConnectionRow>(['read'], (connection) => ({ self: connection.userId })),
  fields: (t) => ({
    status: t.expose('status', {
      type: OAuth2ConnectionStatusEnum,
      description: 'PENDING until the first authorization completes; CONNECTED from then on, also while a re-authorization is in flight.',
    }),
    authorizationPending: t.boolean({
      description:
        'Whether a started authorization (the first, or a re-authorization) awaits its callback. A CONNECTED connection keeps its token and pool grants meanwhile; a successful callback swaps the token, a failed or abandoned one changes nothing.',
      resolve: (connection) => connection.stateHash !== null && connection.stateExpiresAt !== null && connection.stateExpiresAt.getTime() > Date.now(),
    }),
    user: t.field({ type: User, nullable: true, resolve: (connection, _args, { loaders }) => loaders.user.load(connection.userId) }),
    provider: t.field({ type: OAuth2Provider, nullable: true, resolve: (connection, _args, { loaders }) => loaders.oauth2Provider.load(connection.providerId) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.objectFields(User, (t) => ({
  oauth2Connections: t.field({
    type: [OAuth2Connection],
    description: 'Connections to OAuth2 providers, by provider.',
    resolve: (user, _args, { loaders }) => loaders.oauth2ConnectionsByUser.load(user.id),
  }),
}));

builder.queryFields((t) => ({
  oauth2Providers: t.field({
    type: [OAuth2Provider],
    authScopes: { read: true },
    description: 'Every provider, by slug (an admin-made handful, so not paginated).',
    resolve: (_root, _args, { deps }) => oauth2ProvidersRepository.all(deps.store.db),
  }),
}));

const CreateOAuth2ProviderInput = builder.inputType('CreateOAuth2ProviderInput', {
  fields: (t) => ({
    slug: t.string({ description: 'Unique id: lowercase letters, digits and "-".' }),
    kind: t.field({ type: OAuth2ProviderKindEnum }),
    clientId: t.string(),
    clientSecret: t.string({ description: 'Write-only; stored encrypted, shown as "redacted".' }),
    displayName: t.string(),
    scope: t.string({ required: false, description: 'Space-separated; empty means the provider default.' }),
    issuer: t.string({ required: false, description: 'Set this (endpoints are discovered), or the authorization and token endpoints.' }),
    authorizationEndpoint: t.string({ required: false }),
    tokenEndpoint: t.string({ required: false }),
    revocationEndpoint: t.string({ required: false, description: 'RFC 7009; tokens are revoked here on disconnect.' }),
    usePkce: t.boolean({ required: false, description: 'Default true (S256).' }),
  }),
});

const UpdateOAuth2ProviderInput = builder.inputType('UpdateOAuth2ProviderInput', {
  description: 'Omitted fields stay as they are; null clears an optional one.',
  fields: (t) => ({
    id: t.id({ description: 'Global id of the provider.' }),
    kind: t.field({ type: OAuth2ProviderKindEnum, required: false }),
    clientId: t.string({ required: false }),
    clientSecret: t.string({ required: false, description: 'A new secret (rotation); write-only.' }),
    displayName: t.string({ required: false }),
    scope: t.string({ required: false }),
    issuer: t.string({ required: false }),
    authorizationEndpoint: t.string({ required: false }),
    tokenEndpoint: t.string({ required: false }),
    revocationEndpoint: t.string({ required: false }),
    usePkce: t.boolean({ required: false }),
  }),
});

const ProviderIdInput = (name: string) =>
  builder.inputType(name, { fields: (t) => ({ id: t.id({ description: 'Global id of the provider.' }) }) });
const DeleteOAuth2ProviderInput = ProviderIdInput('DeleteOAuth2ProviderInput');

const ProviderPayload = (name: string) =>
  builder.objectRef<{ provider: OAuth2ProviderRow }>(name).implement({
    authScopes: { admin: true },
    fields: (t) => ({ provider: t.field({ type: OAuth2Provider, resolve: (payload) => payload.provider }) }),
  });
const CreateOAuth2ProviderPayload = ProviderPayload('CreateOAuth2ProviderPayload');
const UpdateOAuth2ProviderPayload = ProviderPayload('UpdateOAuth2ProviderPayload');
const DeleteOAuth2ProviderPayload = builder.objectRef<{ provider: OAuth2ProviderRow }>('DeleteOAuth2ProviderPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    deletedProviderId: t.globalID({ resolve: (payload) => ({ type: 'OAuth2Provider', id: payload.provider.id }) }),
  }),
});

const ConnectOAuth2ProviderInput = builder.inputType('ConnectOAuth2ProviderInput', {
  fields: (t) => ({
    providerId: t.id({ description: 'Global id of the provider.' }),
    userId: t.id({ required: false, description: 'Global id of the user to connect; default: the calling user.' }),
    returnTo: t.string({ required: false, description: 'Where the callback sends the browser afterwards; must be on OAUTH2_RETURN_TO_ALLOWLIST.' }),
  }),
});

const ConnectOAuth2ProviderPayload = builder
  .objectRef<{ connection: OAuth2ConnectionRow; authorizationUrl: string }>('ConnectOAuth2ProviderPayload')
  .implement({
    authScopes: (payload) => ({ automation: true, self: payload.connection.userId }),
    fields: (t) => ({
      connection: t.field({ type: OAuth2Connection, resolve: (payload) => payload.connection }),
      authorizationUrl: t.string({
        description:
          "Send the user's browser here; the provider returns it to /oauth2/callback within 10 minutes. It carries the one-time state, so an idempotent replay shows \"[revealed once]\" instead: start again for a new one.",
        // The state in it completes the authorization: a one-time value, kept out of stored replies and audit rows.
        resolve: (payload, _args, context) => revealOnce(context, payload.authorizationUrl),
      }),
    }),
  });

const DisconnectOAuth2ProviderInput = builder.inputType('DisconnectOAuth2ProviderInput', {
  fields: (t) => ({ connectionId: t.id({ description: 'Global id of the connection.' }) }),
});

const DisconnectOAuth2ProviderPayload = builder
  .objectRef<{ connection: OAuth2ConnectionRow; provider: OAuth2ProviderRow; tokenRevoked: boolean }>('DisconnectOAuth2ProviderPayload')
  .implement({
    authScopes: (payload) => ({ automation: true, self: payload.connection.userId }),
    fields: (t) => ({
      deletedConnectionId: t.globalID({ resolve: (payload) => ({ type: 'OAuth2Connection', id: payload.connection.id }) }),
      user: t.field({ type: User, nullable: true, resolve: (payload, _args, { loaders }) => loaders.user.load(payload.connection.userId) }),
      provider: t.field({ type: OAuth2Provider, resolve: (payload) => payload.provider }),
      tokenRevoked: t.exposeBoolean('tokenRevoked', {
        description: 'Whether the provider confirmed revoking the token (RFC 7009). Best effort: the disconnect happened either way.',
      }),
    }),
  });

const providerSlug = (globalId: string | number) => idOrNotFound(String(globalId), 'OAuth2Provider', 'slug');

builder.mutationFields((t) => ({
  createOAuth2Provider: t.field({
    type: CreateOAuth2ProviderPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateOAuth2ProviderInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await createOAuth2Provider(deps, input)),
  }),
  updateOAuth2Provider: t.field({
    type: UpdateOAuth2ProviderPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: UpdateOAuth2ProviderInput }) },
    resolve: async (_root, { input }, { deps }) => {
      const { id, ...changes } = input;
      return unwrap(await updateOAuth2Provider(deps, providerSlug(id), changes));
    },
  }),
  deleteOAuth2Provider: t.field({
    type: DeleteOAuth2ProviderPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    description: 'Refused (ConflictError) while a resource pool is linked to the provider; otherwise its connections go too.',
    args: { input: t.arg({ type: DeleteOAuth2ProviderInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await deleteOAuth2Provider(deps, providerSlug(input.id))),
  }),
  connectOAuth2Provider: t.field({
    type: ConnectOAuth2ProviderPayload,
    // Automation, or a user connecting themselves (no userId, or their own).
    authScopes: (_root, { input }, { caller }) => ({
      automation: true,
      self: input.userId == null ? (caller.userId ?? '') : (decodeId(String(input.userId), 'User') ?? ''),
    }),
    errors: { types: BACKEND_MUTATION_ERRORS },
    description: 'Start (or restart) the authorization-code flow: the connection is PENDING until the provider calls back.',
    args: { input: t.arg({ type: ConnectOAuth2ProviderInput }) },
    resolve: async (_root, { input }, { deps, caller }) => {
      const providerId = providerSlug(input.providerId);
      const userId = input.userId == null ? caller.userId : idOrNotFound(String(input.userId), 'User');
      if (userId === undefined) throw ValidationError.of(['input', 'userId'], 'userId is required when the caller is not a user');
      // Only admins see why a provider failed (they configure providers); everyone else one generic error.
      const showProviderErrors = caller.scopes.has('admin');
      return unwrap(await connectOAuth2Provider(deps, { providerId, userId, returnTo: input.returnTo, showProviderErrors }));
    },
  }),
  disconnectOAuth2Provider: t.field({
    type: DisconnectOAuth2ProviderPayload,
    // Automation, or the user whose connection it is.
    authScopes: async (_root, { input }, { loaders }) => {
      const id = decodeId(String(input.connectionId), 'OAuth2Connection');
      const connection = id === undefined ? null : await loaders.oauth2Connection.load(id);
      return { automation: true, self: connection?.userId ?? '' };
    },
    errors: { types: MUTATION_ERRORS },
    description: 'Delete the connection and exactly the pool grants it gave, then revoke its token at the provider (best effort).',
    args: { input: t.arg({ type: DisconnectOAuth2ProviderInput }) },
    resolve: async (_root, { input }, { deps }) =>
      unwrap(await disconnectOAuth2Provider(deps, idOrNotFound(String(input.connectionId), 'OAuth2Connection'))),
  }),
}));
