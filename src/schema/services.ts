import { createService, deleteService, renderServiceConf, repairService, type ServiceChange, updateService } from '../domain/services.ts';
import { redactFreeFormConfig } from '../domain/service-rules.ts';
import { DATABASE_USER_COLUMNS, type DatabaseUserColumn } from '../store/repositories/database-users.ts';
import { SERVICE_COLUMNS, type ServiceColumn, servicesRepository } from '../store/repositories/services.ts';
import { SERVICE_TYPES, type ServiceGrantRow, type ServiceRow } from '../store/schema.ts';
import { builder } from './builder.ts';
import { DatabaseUser } from './database-users.ts';
import { BACKEND_MUTATION_ERRORS, unwrap } from './errors.ts';
import { idOrNotFound } from './ids.ts';
import { keysetConnection } from './pagination.ts';
import { type ColumnPlan, columnsSelected } from './selection.ts';

export const ServiceTypeEnum = builder.enumType('ServiceType', { values: SERVICE_TYPES });

const ServiceGrantKindEnum = builder.enumType('ServiceGrantKind', {
  values: {
    CONNECT: { description: 'CONNECT on database `target`.' },
    ROLE: { description: 'Membership in role `target`.' },
    NOINHERIT: { description: 'The NOINHERIT attribute on the PostgREST connect_as user `grantee` (`target` is the same role); INHERIT is set back when the last PostgREST service using it goes.' },
  } as const,
});

const ServiceGrant = builder.objectRef<ServiceGrantRow>('ServiceGrant').implement({
  authScopes: { read: true },
  description: 'A privilege the gateway granted for a service, and so the only kind it will revoke.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ServiceGrantKindEnum }),
    target: t.exposeString('target', { description: 'Database name (CONNECT) or role name (ROLE).' }),
    grantee: t.exposeString('grantee', { description: 'The connect_as user.' }),
    grantedAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

// What a list of services reads of each: fields that load more by the
// service read its id or its database user's; postgrestConfig reads all.
const SERVICE_FIELD_COLUMNS: ColumnPlan<ServiceColumn>['fields'] = { id: ['id'], config: ['config'], connectAs: ['connectAsId'], grants: ['id'] };
const PAGED_SERVICE_COLUMNS: ColumnPlan<ServiceColumn> = {
  typeName: 'Service',
  all: SERVICE_COLUMNS,
  always: ['id'],
  fields: SERVICE_FIELD_COLUMNS,
  path: ['edges', 'node'],
};
// A database user's services are grouped by the user they connect as.
const LISTED_SERVICE_COLUMNS: ColumnPlan<ServiceColumn> = { typeName: 'Service', all: SERVICE_COLUMNS, always: ['id', 'connectAsId'], fields: SERVICE_FIELD_COLUMNS };
const CONNECT_AS_COLUMNS: ColumnPlan<DatabaseUserColumn> = {
  typeName: 'DatabaseUser',
  all: DATABASE_USER_COLUMNS,
  always: ['id'],
  fields: { id: ['id'], services: ['id'] },
};

export const Service = builder.node(builder.objectRef<ServiceRow>('Service'), {
  description: 'A service (PostgREST, MCP, RAG) connecting to the cluster as an existing database user.',
  id: { resolve: (service) => service.id },
  loadMany: (ids, context) => Promise.all(ids.map((id) => context.loaders.service.load(id))),
  authScopes: { read: true },
  fields: (t) => ({
    serviceId: t.exposeString('serviceId'),
    type: t.expose('type', { type: ServiceTypeEnum }),
    version: t.exposeString('version'),
    config: t.field({
      type: 'JSONObject',
      description:
        'With defaults applied. A PostgREST jwt_secret is write-only and shows as "redacted"; in other (free-form) configs every value named like secret, password, token or key shows as "[redacted]" (sent back unchanged, it keeps the stored value).',
      resolve: (service) => (service.type === 'POSTGREST' ? service.config : redactFreeFormConfig(service.config)),
    }),
    connectAs: t.field({
      type: DatabaseUser,
      description: 'The database user the service logs in as.',
      // Chained, not awaited: no async frame per service of a page is kept across the load.
      resolve: (service, _args, { loaders }, info) =>
        loaders
          .databaseUserColumns(columnsSelected(info, CONNECT_AS_COLUMNS))
          .load(service.connectAsId)
          .then((user) => {
            // services.connect_as_id is ON DELETE RESTRICT: the row cannot be missing.
            if (!user) throw new Error(`service ${service.id} has no connect_as user`);
            return user;
          }),
    }),
    grants: t.field({
      type: [ServiceGrant],
      description: 'Grants the gateway made for this service (what deleting it revokes).',
      resolve: (service, _args, { loaders }) => loaders.grantsByService.load(service.id),
    }),
    postgrestConfig: t.string({
      nullable: true,
      description: 'PostgREST only: the postgrest.conf to deploy, with the db-uri password masked and the JWT secret redacted.',
      resolve: async (service, _args, { deps, loaders }) => {
        const user = await loaders.databaseUser.load(service.connectAsId);
        return user ? renderServiceConf(deps, service, user.username) : null;
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.objectFields(DatabaseUser, (t) => ({
  services: t.field({
    type: [Service],
    description: 'Services that connect as this user, in creation order.',
    resolve: (user, _args, { loaders }, info) => loaders.servicesByDatabaseUser(columnsSelected(info, LISTED_SERVICE_COLUMNS)).load(user.id),
  }),
}));

builder.queryFields((t) => ({
  services: t.connection({
    type: Service,
    authScopes: { read: true },
    description: 'Services in creation order.',
    args: { type: t.arg({ type: ServiceTypeEnum, required: false }) },
    resolve: (_root, args, { deps }, info) => {
      const filter = { type: args.type };
      const columns = columnsSelected(info, PAGED_SERVICE_COLUMNS);
      return keysetConnection(
        deps.cursors,
        args,
        (window) => servicesRepository.page(deps.store.db, filter, window, columns),
        () => servicesRepository.count(deps.store.db, filter),
      );
    },
  }),
}));

const CreateServiceInput = builder.inputType('CreateServiceInput', {
  fields: (t) => ({
    serviceId: t.string({ description: '1-36 lowercase letters, digits and single hyphens, not at either end; unique.' }),
    type: t.field({ type: ServiceTypeEnum }),
    version: t.string({ description: 'MAJOR.MINOR, MAJOR.MINOR.PATCH or "latest".' }),
    config: t.field({
      type: 'JSONObject',
      required: false,
      description: 'PostgREST: db_schemas, db_anon_role (required), db_pool, max_rows, jwt_secret (write-only), jwt_aud, jwt_role_claim_key, server_cors_allowed_origins.',
    }),
    connectAs: t.string({ required: false, description: 'Required: the username of an existing database user (case-sensitive).' }),
  }),
});

const UpdateServiceInput = builder.inputType('UpdateServiceInput', {
  fields: (t) => ({
    id: t.id({ description: 'Global id of the service.' }),
    version: t.string({ required: false }),
    config: t.field({
      type: 'JSONObject',
      required: false,
      description: 'Replaces the config. A jwt_secret left out or sent back as "redacted" is kept; null removes it.',
    }),
    connectAs: t.string({ required: false, description: 'Omitted: unchanged.' }),
  }),
});

const DeleteServiceInput = builder.inputType('DeleteServiceInput', {
  fields: (t) => ({ id: t.id({ description: 'Global id of the service.' }) }),
});

const servicePayload = (name: string) =>
  builder.objectRef<ServiceChange>(name).implement({
    authScopes: { admin: true },
    fields: (t) => ({
      service: t.field({ type: Service, resolve: (payload) => payload.service }),
      grantsMade: t.field({ type: [ServiceGrant], description: 'Grants this call made on the cluster.', resolve: (payload) => payload.grantsMade }),
      grantsRevoked: t.field({ type: [ServiceGrant], description: 'Grants this call revoked.', resolve: (payload) => payload.grantsRevoked }),
    }),
  });
const CreateServicePayload = servicePayload('CreateServicePayload');
const RepairServicePayload = servicePayload('RepairServicePayload');
const RepairServiceInput = builder.inputType('RepairServiceInput', {
  fields: (t) => ({ id: t.id({ description: 'Global id of the service.' }) }),
});
const UpdateServicePayload = servicePayload('UpdateServicePayload');

const DeleteServicePayload = builder.objectRef<ServiceChange>('DeleteServicePayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    deletedServiceId: t.globalID({ resolve: (payload) => ({ type: 'Service', id: payload.service.id }) }),
    grantsRevoked: t.field({
      type: [ServiceGrant],
      description: 'The grants the gateway had made for the service and revoked now; nothing else was touched.',
      resolve: (payload) => payload.grantsRevoked,
    }),
  }),
});

builder.mutationFields((t) => ({
  createService: t.field({
    type: CreateServicePayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description: 'Validate (and for PostgREST preflight on the cluster), record the service and grant its connect_as user what it needs.',
    args: { input: t.arg({ type: CreateServiceInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await createService(deps, input)),
  }),
  updateService: t.field({
    type: UpdateServicePayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description: 'Change version, config or connect_as; grants follow (the old anon role or user loses the grant the gateway made).',
    args: { input: t.arg({ type: UpdateServiceInput }) },
    resolve: async (_root, { input }, { deps }) => {
      const id = idOrNotFound(String(input.id), 'Service');
      return unwrap(await updateService(deps, id, { version: input.version, config: input.config, connectAs: input.connectAs }));
    },
  }),
  repairService: t.field({
    type: RepairServicePayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description:
      'Check the service as an update would and re-apply what it needs that was found missing on the cluster (for PostgREST: NOINHERIT on the connect_as user, CONNECT, the anon role); grantsMade lists what was re-applied.',
    args: { input: t.arg({ type: RepairServiceInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await repairService(deps, idOrNotFound(String(input.id), 'Service'))),
  }),
  deleteService: t.field({
    type: DeleteServicePayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description: 'Revoke the grants the gateway made for the service and remove it. The connect_as user is never dropped or altered.',
    args: { input: t.arg({ type: DeleteServiceInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await deleteService(deps, idOrNotFound(String(input.id), 'Service'))),
  }),
}));
