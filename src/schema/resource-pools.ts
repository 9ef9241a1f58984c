import { type FieldError, ValidationError } from '../errors.ts';
import {
  createResourcePool,
  deleteResourcePool,
  grantResourcePoolViewer,
  type Quota,
  revokeResourcePoolViewer,
  updateResourcePool,
} from '../domain/resource-pools.ts';
import type { PoolViewer } from '../loaders.ts';
import { RESOURCE_POOL_COLUMNS, type ResourcePoolColumn, resourcePoolsRepository } from '../store/repositories/resource-pools.ts';
import type { ResourcePoolRow, ResourcePoolViewerRow, UserRow } from '../store/schema.ts';
import { builder, scopesOrRow } from './builder.ts';
import { MUTATION_ERRORS, unwrap } from './errors.ts';
import { decodeId, idOrNotFound } from './ids.ts';
import { OAuth2Provider } from './oauth2.ts';
import { keysetConnection, listConnection } from './pagination.ts';
import { type ColumnPlan, columnsSelected } from './selection.ts';
import { User } from './users.ts';

const ViewerSourceEnum = builder.enumType('ViewerSource', {
  description: 'Why a user may view a pool.',
  values: {
    OAUTH2: { value: 'oauth2', description: 'A CONNECTED connection to a provider linked to the pool; goes when it is disconnected or the pool unlinked.' },
    MANUAL: { value: 'manual', description: 'An admin granted it; the OAuth2 rules never remove it.' },
  } as const,
});

const ResourcePoolQuota = builder.objectRef<Quota>('ResourcePoolQuota').implement({
  // Reached only through its pool, whose rule has already passed.
  authScopes: () => true,
  fields: (t) => ({
    cpu: t.exposeFloat('cpu', { description: 'CPU cores.' }),
    memory: t.exposeInt('memory', { description: 'Memory in GB.' }),
    gpu: t.exposeInt('gpu'),
  }),
});

const ResourcePoolGrant = builder.objectRef<ResourcePoolViewerRow>('ResourcePoolGrant').implement({
  authScopes: { read: true },
  description: 'One reason a user may view a pool. A user may hold several (manual, and one per provider).',
  fields: (t) => ({
    source: t.expose('source', { type: ViewerSourceEnum }),
    provider: t.field({
      type: OAuth2Provider,
      nullable: true,
      description: 'The provider an OAUTH2 grant came from.',
      resolve: (grant, _args, { loaders }) => (grant.providerId === null ? null : loaders.oauth2Provider.load(grant.providerId)),
    }),
    grantedAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ResourcePoolViewer = builder.objectRef<PoolViewer>('ResourcePoolViewer').implement({
  authScopes: { read: true },
  fields: (t) => ({
    user: t.field({ type: User, nullable: true, resolve: (viewer, _args, { loaders }) => loaders.user.load(viewer.id) }),
    grants: t.field({ type: [ResourcePoolGrant], resolve: (viewer) => viewer.grants }),
  }),
});

export const ResourcePool = builder.node(builder.objectRef<ResourcePoolRow>('ResourcePool'), {
  description: 'A compute resource pool. Public pools are open to everyone; the others to their viewers.',
  id: { resolve: (pool) => pool.id },
  loadMany: (ids, context) => Promise.all(ids.map((id) => context.loaders.resourcePool.load(id))),
  // Readers, and a user reading a pool they are a viewer of. A plain map, not
  // an async rule: `read` settles it synchronously for readers, so a list of
  // a thousand pools costs no promise per pool.
  authScopes: scopesOrRow<ResourcePoolRow>(['read'], (pool) => ({ viewsPool: pool.id })),
  fields: (t) => ({
    name: t.exposeString('name'),
    public: t.exposeBoolean('public'),
    default: t.exposeBoolean('isDefault', { description: 'At most one pool is the default.' }),
    quota: t.field({ type: ResourcePoolQuota, nullable: true, resolve: (pool) => pool.quota }),
    remoteKind: t.exposeString('remoteKind', { nullable: true }),
    provider: t.field({
      type: OAuth2Provider,
      nullable: true,
      description: 'The primary provider (`remote.provider_id`): its connected users are viewers.',
      resolve: (pool, _args, { loaders }) => (pool.providerId === null ? null : loaders.oauth2Provider.load(pool.providerId)),
    }),
    providers: t.field({
      type: [OAuth2Provider],
      description: 'Every provider linked to the pool, the primary first: users connected to any of them are viewers.',
      resolve: async (pool, _args, { loaders }) => {
        const links = await loaders.resourcePoolLinks.load(pool.id);
        const ordered = [...links].sort((a, b) => Number(b.providerId === pool.providerId) - Number(a.providerId === pool.providerId));
        const providers = await Promise.all(ordered.map((link) => loaders.oauth2Provider.load(link.providerId)));
        return providers.filter((provider) => provider !== null);
      },
    }),
    viewers: t.connection({
      type: ResourcePoolViewer,
      description: 'Users holding any viewer grant, by user id, each with the grants that make them one.',
      resolve: (pool, args, { loaders, deps }) =>
        keysetConnection(
          deps.cursors,
          args,
          (window) => loaders.poolViewerPage.load({ poolId: pool.id, window }),
          () => loaders.poolViewerCount.load(pool.id),
        ),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

// What `User.resourcePools` reads of each pool: a list of names reads names.
const VIEWED_POOL_COLUMNS: ColumnPlan<ResourcePoolColumn> = {
  typeName: 'ResourcePool',
  all: RESOURCE_POOL_COLUMNS,
  always: ['id'],
  fields: { id: ['id'], quota: ['quota'], provider: ['providerId'], providers: ['id', 'providerId'], viewers: ['id'] },
  path: ['edges', 'node'],
};

builder.objectFields(User, (t) => ({
  resourcePools: t.connection({
    type: ResourcePool,
    description: 'Pools the user holds a viewer grant on, in creation order (public pools are open to all and not repeated here).',
    // Every pool of every user of a page comes in one statement; each
    // user's page is then cut from their pools in memory.
    resolve: (user, args, { loaders, deps }, info) =>
      loaders
        .resourcePoolsByViewer(columnsSelected(info, VIEWED_POOL_COLUMNS))
        .load(user.id)
        .then((pools) => listConnection(deps.cursors, args, pools)),
  }),
}));

builder.queryFields((t) => ({
  resourcePools: t.connection({
    type: ResourcePool,
    authScopes: { read: true },
    description: 'Resource pools in creation order.',
    resolve: (_root, args, { deps }) =>
      keysetConnection(
        deps.cursors,
        args,
        (window) => resourcePoolsRepository.page(deps.store.db, window),
        () => resourcePoolsRepository.count(deps.store.db),
      ),
  }),
}));

const QuotaInput = builder.inputType('ResourcePoolQuotaInput', {
  fields: (t) => ({
    cpu: t.float({ description: 'CPU cores, more than 0.' }),
    memory: t.int({ description: 'Memory in GB, more than 0.' }),
    gpu: t.int({ required: false, description: 'Default 0.' }),
  }),
});

const CreateResourcePoolInput = builder.inputType('CreateResourcePoolInput', {
  fields: (t) => ({
    name: t.string({ description: 'At least 5 characters; unique.' }),
    public: t.boolean({ required: false, description: 'Default false.' }),
    default: t.boolean({ required: false, description: 'Default false; at most one pool is the default.' }),
    quota: t.field({ type: QuotaInput, required: false }),
    remoteKind: t.string({ required: false }),
    providerId: t.id({ required: false, description: "Global id of the primary provider; its connected users become viewers at once." }),
    additionalProviderIds: t.idList({ required: false, description: 'Further providers whose connected users are viewers too.' }),
  }),
});

const UpdateResourcePoolInput = builder.inputType('UpdateResourcePoolInput', {
  description: "Omitted fields stay as they are; null clears an optional one. Changing the providers revokes the old ones' grants and grants the new ones' users.",
  fields: (t) => ({
    id: t.id({ description: 'Global id of the pool.' }),
    name: t.string({ required: false }),
    public: t.boolean({ required: false }),
    default: t.boolean({ required: false }),
    quota: t.field({ type: QuotaInput, required: false }),
    remoteKind: t.string({ required: false }),
    providerId: t.id({ required: false }),
    additionalProviderIds: t.idList({ required: false }),
  }),
});

const PoolIdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ id: t.id({ description: 'Global id of the pool.' }) }) });
const DeleteResourcePoolInput = PoolIdInput('DeleteResourcePoolInput');

const ViewerInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({ poolId: t.id({ description: 'Global id of the pool.' }), userId: t.id({ description: 'Global id of the user.' }) }),
  });
const GrantResourcePoolViewerInput = ViewerInput('GrantResourcePoolViewerInput');
const RevokeResourcePoolViewerInput = ViewerInput('RevokeResourcePoolViewerInput');

// Payload objects carry exactly their GraphQL field names, which is what the
// audit trail (schema/mutations.ts) reads targets and flags from.
const PoolPayload = (name: string) =>
  builder.objectRef<{ resourcePool: ResourcePoolRow }>(name).implement({
    authScopes: { admin: true },
    fields: (t) => ({ resourcePool: t.field({ type: ResourcePool, resolve: (payload) => payload.resourcePool }) }),
  });
const CreateResourcePoolPayload = PoolPayload('CreateResourcePoolPayload');
const UpdateResourcePoolPayload = PoolPayload('UpdateResourcePoolPayload');
const DeleteResourcePoolPayload = builder.objectRef<{ resourcePool: ResourcePoolRow }>('DeleteResourcePoolPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({ deletedResourcePoolId: t.globalID({ resolve: (payload) => ({ type: 'ResourcePool', id: payload.resourcePool.id }) }) }),
});

const GrantResourcePoolViewerPayload = builder
  .objectRef<{ resourcePool: ResourcePoolRow; user: UserRow; granted: boolean }>('GrantResourcePoolViewerPayload')
  .implement({
    authScopes: { admin: true },
    fields: (t) => ({
      resourcePool: t.field({ type: ResourcePool, resolve: (payload) => payload.resourcePool }),
      user: t.field({ type: User, resolve: (payload) => payload.user }),
      granted: t.exposeBoolean('granted', { description: 'False when the manual grant already existed.' }),
    }),
  });
const RevokeResourcePoolViewerPayload = builder
  .objectRef<{ resourcePool: ResourcePoolRow; user: UserRow; revoked: boolean }>('RevokeResourcePoolViewerPayload')
  .implement({
    authScopes: { admin: true },
    fields: (t) => ({
      resourcePool: t.field({ type: ResourcePool, resolve: (payload) => payload.resourcePool }),
      user: t.field({ type: User, resolve: (payload) => payload.user }),
      revoked: t.exposeBoolean('revoked', { description: 'False when there was no manual grant to remove.' }),
    }),
  });

/** Provider ids that are not even well-formed global ids are the same validation error as unknown ones. */
function poolInput<Input extends PoolInputFields>(input: Input) {
  const errors: FieldError[] = [];
  const decode = (id: string | number, path: string[]) => {
    const slug = decodeId(String(id), 'OAuth2Provider', 'slug');
    if (slug === undefined) errors.push({ path, message: `no OAuth2 provider "${String(id)}"` });
    return slug ?? '';
  };
  const providerId = input.providerId == null ? input.providerId : decode(input.providerId, ['input', 'providerId']);
  const additionalProviderIds =
    input.additionalProviderIds == null
      ? input.additionalProviderIds
      : input.additionalProviderIds.map((id, index) => decode(id, ['input', 'additionalProviderIds', String(index)]));
  if (errors.length > 0) throw new ValidationError(errors);
  const quota = input.quota == null ? input.quota : { ...input.quota, gpu: input.quota.gpu ?? 0 };
  return { ...input, quota, providerId, additionalProviderIds };
}

interface PoolInputFields {
  quota?: { cpu: number; memory: number; gpu?: number | null | undefined } | null | undefined;
  providerId?: string | number | null | undefined;
  additionalProviderIds?: Array<string | number> | null | undefined;
}

const poolId = (globalId: string | number) => idOrNotFound(String(globalId), 'ResourcePool');

builder.mutationFields((t) => ({
  createResourcePool: t.field({
    type: CreateResourcePoolPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateResourcePoolInput }) },
    resolve: async (_root, { input }, { deps }) => ({ resourcePool: unwrap(await createResourcePool(deps, poolInput(input))).pool }),
  }),
  updateResourcePool: t.field({
    type: UpdateResourcePoolPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: UpdateResourcePoolInput }) },
    resolve: async (_root, { input }, { deps }) => {
      const { id, ...changes } = input;
      return { resourcePool: unwrap(await updateResourcePool(deps, poolId(id), poolInput(changes))).pool };
    },
  }),
  deleteResourcePool: t.field({
    type: DeleteResourcePoolPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    description: 'Deletes the pool with all its grants.',
    args: { input: t.arg({ type: DeleteResourcePoolInput }) },
    resolve: async (_root, { input }, { deps }) => ({ resourcePool: unwrap(await deleteResourcePool(deps, poolId(input.id))).pool }),
  }),
  grantResourcePoolViewer: t.field({
    type: GrantResourcePoolViewerPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    description: 'A manual viewer grant: kept whatever the OAuth2 rules do. Idempotent.',
    args: { input: t.arg({ type: GrantResourcePoolViewerInput }) },
    resolve: async (_root, { input }, { deps }) => {
      const { pool, user, changed } = unwrap(await grantResourcePoolViewer(deps, poolId(input.poolId), idOrNotFound(String(input.userId), 'User')));
      return { resourcePool: pool, user, granted: changed };
    },
  }),
  revokeResourcePoolViewer: t.field({
    type: RevokeResourcePoolViewerPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    description: "Removes the manual grant only: access through a connected provider stays until that connection goes.",
    args: { input: t.arg({ type: RevokeResourcePoolViewerInput }) },
    resolve: async (_root, { input }, { deps }) => {
      const { pool, user, changed } = unwrap(await revokeResourcePoolViewer(deps, poolId(input.poolId), idOrNotFound(String(input.userId), 'User')));
      return { resourcePool: pool, user, revoked: changed };
    },
  }),
}));
