import { createDatabaseUser, deleteDatabaseUser, setDatabaseUserStatus } from '../domain/database-users.ts';
import { databaseUsersRepository } from '../store/repositories/database-users.ts';
import { DATABASE_USER_STATUSES, type DatabaseUserRow } from '../store/schema.ts';
import { builder } from './builder.ts';
import { BACKEND_MUTATION_ERRORS, unwrap } from './errors.ts';
import { idOrNotFound } from './ids.ts';
import { revealOnce } from './mutations.ts';
import { keysetConnection } from './pagination.ts';

export const DatabaseUserStatusEnum = builder.enumType('DatabaseUserStatus', {
  description: 'ACTIVE: the role may log in (LOGIN). DISABLED: NOLOGIN, and its sessions were ended.',
  values: DATABASE_USER_STATUSES,
});

export const DatabaseUser = builder.node(builder.objectRef<DatabaseUserRow>('DatabaseUser'), {
  description: 'A role on the target Postgres cluster that services connect as (`connect_as`). Its password is never readable.',
  id: { resolve: (user) => user.id },
  loadMany: (ids, context) => Promise.all(ids.map((id) => context.loaders.databaseUser.load(id))),
  authScopes: { read: true },
  fields: (t) => ({
    username: t.exposeString('username', { description: 'The role name, case-sensitive.' }),
    dbOwner: t.exposeBoolean('dbOwner', { description: 'At most one database user is the db_owner.' }),
    attributes: t.exposeStringList('attributes', { description: 'Role attributes applied at creation, upper case.' }),
    roles: t.exposeStringList('roles', { description: 'Roles granted to this one at creation.' }),
    status: t.expose('status', { type: DatabaseUserStatusEnum }),
    roleCreated: t.exposeBoolean('createdRole', {
      description: 'Whether the gateway created the role (else it adopted an existing one). Only a role it created can be dropped through it.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  databaseUsers: t.connection({
    type: DatabaseUser,
    authScopes: { read: true },
    description: 'Database users in creation order.',
    resolve: (_root, args, { deps }) =>
      keysetConnection(
        args,
        (window) => databaseUsersRepository.page(deps.store.db, window),
        () => databaseUsersRepository.count(deps.store.db),
      ),
  }),
}));

const CreateDatabaseUserInput = builder.inputType('CreateDatabaseUserInput', {
  fields: (t) => ({
    username: t.string({ description: 'The role name: unique, case-sensitive; `postgres`, `pg_*` and the gateway’s own role are reserved.' }),
    password: t.string({ required: false, description: 'Write-only. Omitted: a 32-character password is generated and shown once in the payload.' }),
    dbOwner: t.boolean({ required: false, description: 'At most one database user may be the db_owner. Default false.' }),
    attributes: t.stringList({
      required: false,
      description: 'At most 16 of SUPERUSER, CREATEDB, CREATEROLE, INHERIT, LOGIN, REPLICATION, BYPASSRLS or their NO forms, any case.',
    }),
    roles: t.stringList({ required: false, description: 'At most 16 existing roles to grant to the user.' }),
  }),
});

const CreateDatabaseUserPayload = builder
  .objectRef<{ databaseUser: DatabaseUserRow; generatedPassword: string | undefined; roleCreated: boolean }>('CreateDatabaseUserPayload')
  .implement({
    authScopes: { admin: true },
    fields: (t) => ({
      databaseUser: t.field({ type: DatabaseUser, resolve: (payload) => payload.databaseUser }),
      password: t.string({
        nullable: true,
        description: 'The generated password, shown this once and never again (stored encrypted). Null when the input gave one.',
        resolve: (payload, _args, context) => (payload.generatedPassword === undefined ? null : revealOnce(context, payload.generatedPassword)),
      }),
      roleCreated: t.boolean({ description: 'False when a role of that name already existed and was adopted.', resolve: (payload) => payload.roleCreated }),
    }),
  });

const DatabaseUserIdInput = (name: string) =>
  builder.inputType(name, { fields: (t) => ({ id: t.id({ description: 'Global id of the database user.' }) }) });
const EnableDatabaseUserInput = DatabaseUserIdInput('EnableDatabaseUserInput');
const DisableDatabaseUserInput = DatabaseUserIdInput('DisableDatabaseUserInput');

const EnableDatabaseUserPayload = builder.objectRef<{ databaseUser: DatabaseUserRow }>('EnableDatabaseUserPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({ databaseUser: t.field({ type: DatabaseUser, resolve: (payload) => payload.databaseUser }) }),
});

const DisableDatabaseUserPayload = builder
  .objectRef<{ databaseUser: DatabaseUserRow; sessionsTerminated: number }>('DisableDatabaseUserPayload')
  .implement({
    authScopes: { admin: true },
    fields: (t) => ({
      databaseUser: t.field({ type: DatabaseUser, resolve: (payload) => payload.databaseUser }),
      sessionsTerminated: t.exposeInt('sessionsTerminated', { description: 'Open sessions of the role that were ended (NOLOGIN alone keeps them).' }),
    }),
  });

const DeleteDatabaseUserInput = builder.inputType('DeleteDatabaseUserInput', {
  fields: (t) => ({
    id: t.id({ description: 'Global id of the database user.' }),
    dropRole: t.boolean({
      required: false,
      description: 'Also DROP the role on the cluster; only ever done if the gateway created it. Default false: the role stays.',
    }),
  }),
});

const DeleteDatabaseUserPayload = builder.objectRef<{ databaseUser: DatabaseUserRow; roleDropped: boolean }>('DeleteDatabaseUserPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    deletedDatabaseUserId: t.globalID({ resolve: (payload) => ({ type: 'DatabaseUser', id: payload.databaseUser.id }) }),
    roleDropped: t.exposeBoolean('roleDropped'),
  }),
});

builder.mutationFields((t) => ({
  createDatabaseUser: t.field({
    type: CreateDatabaseUserPayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description: 'Record a database user and create its role on the cluster (or adopt an existing one), with password, attributes and roles.',
    args: { input: t.arg({ type: CreateDatabaseUserInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await createDatabaseUser(deps, input)),
  }),
  enableDatabaseUser: t.field({
    type: EnableDatabaseUserPayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description: 'ALTER ROLE ... LOGIN; idempotent.',
    args: { input: t.arg({ type: EnableDatabaseUserInput }) },
    resolve: async (_root, { input }, { deps }) =>
      unwrap(await setDatabaseUserStatus(deps, idOrNotFound(String(input.id), 'DatabaseUser'), 'ACTIVE')),
  }),
  disableDatabaseUser: t.field({
    type: DisableDatabaseUserPayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description: "ALTER ROLE ... NOLOGIN, then end the role's open sessions; idempotent.",
    args: { input: t.arg({ type: DisableDatabaseUserInput }) },
    resolve: async (_root, { input }, { deps }) =>
      unwrap(await setDatabaseUserStatus(deps, idOrNotFound(String(input.id), 'DatabaseUser'), 'DISABLED')),
  }),
  deleteDatabaseUser: t.field({
    type: DeleteDatabaseUserPayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description: 'Remove the record; refused (ConflictError naming them) while any service connects as the user.',
    args: { input: t.arg({ type: DeleteDatabaseUserInput }) },
    resolve: async (_root, { input }, { deps }) =>
      unwrap(await deleteDatabaseUser(deps, idOrNotFound(String(input.id), 'DatabaseUser'), input.dropRole ?? false)),
  }),
}));
