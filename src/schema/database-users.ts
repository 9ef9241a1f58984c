import { adoptDatabaseUser, createDatabaseUser, deleteDatabaseUser, releaseDatabaseUser, setDatabaseUserStatus } from '../domain/database-users.ts';
import { databaseUsersRepository } from '../store/repositories/database-users.ts';
import { DATABASE_USER_STATUSES, type DatabaseUserRow } from '../store/schema.ts';
import { builder } from './builder.ts';
import { BACKEND_MUTATION_ERRORS, unwrap } from './errors.ts';
import { idOrNotFound } from './ids.ts';
import { revealOnce } from '../request-state.ts';
import { keysetConnection } from './pagination.ts';

export const DatabaseUserStatusEnum = builder.enumType('DatabaseUserStatus', {
  description: 'ACTIVE: the role may log in (LOGIN). DISABLED: NOLOGIN, and its sessions were ended.',
  values: DATABASE_USER_STATUSES,
});

export const DatabaseUserOwnershipEnum = builder.enumType('DatabaseUserOwnership', {
  description: 'Why the gateway manages the role.',
  values: {
    CREATED: { description: 'The gateway created the role; only such a role can be dropped through it.' },
    ADOPTED: { description: 'The role existed and an admin adopted it (adoptDatabaseUser); it is never dropped through the gateway.' },
  } as const,
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
    ownership: t.expose('ownership', { type: DatabaseUserOwnershipEnum }),
    roleCreated: t.boolean({
      description: 'Whether the gateway created the role (ownership CREATED); else an admin adopted it. Only a role it created can be dropped through it.',
      resolve: (user) => user.ownership === 'CREATED',
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
        deps.cursors,
        args,
        (window) => databaseUsersRepository.page(deps.store.db, window),
        () => databaseUsersRepository.count(deps.store.db),
      ),
  }),
}));

const CreateDatabaseUserInput = builder.inputType('CreateDatabaseUserInput', {
  fields: (t) => ({
    username: t.string({
      description:
        'The role name: unique, case-sensitive, and not a role that already exists (see adoptDatabaseUser). Reserved in any case: `postgres`, `pg_*`, `public`, `current_user`, `current_role`, `session_user`, `all`, `none`, the gateway’s own role and the database owner.',
    }),
    password: t.string({ required: false, description: 'Write-only. Omitted: a 32-character password is generated and shown once in the payload.' }),
    dbOwner: t.boolean({ required: false, description: 'At most one database user may be the db_owner. Default false.' }),
    attributes: t.stringList({
      required: false,
      description:
        'At most 16 of SUPERUSER, CREATEDB, CREATEROLE, INHERIT, LOGIN, REPLICATION, BYPASSRLS or their NO forms, any case. SUPERUSER, REPLICATION, BYPASSRLS, CREATEROLE and CREATEDB only when DATABASE_USER_ALLOWED_ATTRIBUTES names them.',
    }),
    roles: t.stringList({
      required: false,
      description:
        'At most 16 existing roles to grant to the user. Never a superuser-equivalent role, the gateway’s own role, pg_execute_server_program, pg_read_server_files, pg_write_server_files or a member of one; other pg_* roles only when DATABASE_USER_GRANTABLE_ROLES lists them.',
    }),
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
      roleCreated: t.boolean({
        description: 'Always true: an existing role is a ConflictError here, and only adoptDatabaseUser takes one over.',
        resolve: (payload) => payload.roleCreated,
      }),
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

const AdoptDatabaseUserInput = builder.inputType('AdoptDatabaseUserInput', {
  fields: (t) => ({
    username: t.string({ description: 'An existing role, case-sensitive. Reserved names, superuser-equivalent roles and members of roles the gateway never grants are refused.' }),
    password: t.string({ required: false, description: 'Write-only. Given: set on the role. Omitted: the role keeps the password it has.' }),
    dbOwner: t.boolean({ required: false, description: 'At most one database user may be the db_owner. Default false.' }),
  }),
});

// `ownership` is a property of the payload (not only a resolver) so the audit event records it.
type OwnershipPayload = { databaseUser: DatabaseUserRow; ownership: DatabaseUserRow['ownership'] };
const ownershipPayload = (databaseUser: DatabaseUserRow): OwnershipPayload => ({ databaseUser, ownership: databaseUser.ownership });

const AdoptDatabaseUserPayload = builder.objectRef<OwnershipPayload>('AdoptDatabaseUserPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    databaseUser: t.field({ type: DatabaseUser, resolve: (payload) => payload.databaseUser }),
    ownership: t.expose('ownership', { type: DatabaseUserOwnershipEnum, description: 'ADOPTED (recorded in the audit event too).' }),
  }),
});

const ReleaseDatabaseUserInput = DatabaseUserIdInput('ReleaseDatabaseUserInput');

const ReleaseDatabaseUserPayload = builder.objectRef<OwnershipPayload>('ReleaseDatabaseUserPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    releasedDatabaseUserId: t.globalID({ resolve: (payload) => ({ type: 'DatabaseUser', id: payload.databaseUser.id }) }),
    ownership: t.expose('ownership', { type: DatabaseUserOwnershipEnum, description: 'How the gateway had come to manage the role.' }),
  }),
});

builder.mutationFields((t) => ({
  adoptDatabaseUser: t.field({
    type: AdoptDatabaseUserPayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description:
      'Admin only: take an existing role under the gateway’s management (ownership ADOPTED). Nothing about the role changes except its password, and only when one is given. Undone by releaseDatabaseUser.',
    args: { input: t.arg({ type: AdoptDatabaseUserInput }) },
    resolve: async (_root, { input }, { deps }) => ownershipPayload(unwrap(await adoptDatabaseUser(deps, input))),
  }),
  releaseDatabaseUser: t.field({
    type: ReleaseDatabaseUserPayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description: 'Forget a database user without touching its role (refused while services connect as it): the role stays on the cluster as it is.',
    args: { input: t.arg({ type: ReleaseDatabaseUserInput }) },
    resolve: async (_root, { input }, { deps }) => ownershipPayload(unwrap(await releaseDatabaseUser(deps, idOrNotFound(String(input.id), 'DatabaseUser')))),
  }),
  createDatabaseUser: t.field({
    type: CreateDatabaseUserPayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description: 'Create a role on the cluster with password, attributes and roles, and record it (ownership CREATED). A role that already exists is a ConflictError.',
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
