import { SECRET_KINDS } from '../domain/account-backends.ts';
import type { ProvisioningOutcome } from '../domain/provisioning.ts';
import { createUser, setUserStatus } from '../domain/users.ts';
import { USER_COLUMNS, type UserColumn, usersRepository } from '../store/repositories/users.ts';
import { BACKEND_ACCOUNT_VIEW_COLUMNS, type BackendAccountView, type BackendAccountViewColumn, isConverged } from '../store/repositories/backend-accounts.ts';
import { ACCOUNT_OWNERSHIPS, ACCOUNT_STATUSES, BACKENDS, USER_STATUSES, type UserRow } from '../store/schema.ts';
import { builder, scopesOrRow } from './builder.ts';
import { MUTATION_ERRORS, unwrap } from './errors.ts';
import { idOrNotFound } from './ids.ts';
import { revealOnce } from '../request-state.ts';
import { badInput, keysetConnection } from './pagination.ts';
import { type ColumnPlan, columnsSelected } from './selection.ts';

export const UserStatusEnum = builder.enumType('UserStatus', { values: USER_STATUSES });
export const BackendEnum = builder.enumType('Backend', { values: BACKENDS });
export const AccountStatusEnum = builder.enumType('AccountStatus', {
  values: ACCOUNT_STATUSES,
  description: 'CONFLICT: the backend holds an account for this user that the gateway did not create; nothing is done to it until an admin adopts it (adoptAccount).',
});
const AccountOwnershipEnum = builder.enumType('AccountOwnership', {
  values: ACCOUNT_OWNERSHIPS,
  description: 'CREATED: the gateway made the account for this user (proven). ADOPTED: it existed before and an admin adopted it.',
});

export const BackendAccount = builder.objectRef<BackendAccountView>('BackendAccount').implement({
  description: "A user's account in one backend, and the outcome of the gateway's last attempt to provision it.",
  authScopes: scopesOrRow<BackendAccountView>(['read', 'automation'], (account) => ({ self: account.userId })),
  fields: (t) => ({
    backend: t.expose('backend', { type: BackendEnum }),
    externalId: t.exposeString('externalId', { nullable: true, description: "The backend's durable id (Retool: legacy id)." }),
    status: t.expose('status', { type: AccountStatusEnum, description: 'What the backend last confirmed (FAILED: the last attempt failed; CONFLICT: not the gateway\'s).' }),
    desiredStatus: t.expose('desiredStatus', { type: UserStatusEnum, description: 'What the gateway wants the account to be: the user\'s status.' }),
    converged: t.boolean({
      description: 'True when the backend confirmed the current desired state. False while work is pending: a mutation past its deadline, a FAILED attempt awaiting its retry, a CONFLICT awaiting an admin.',
      resolve: (account) => isConverged(account),
    }),
    ownership: t.expose('ownership', { type: AccountOwnershipEnum, nullable: true, description: 'Null until provisioning has proven the account is the gateway\'s, or an admin adopted it.' }),
    lastError: t.exposeString('lastError', { nullable: true }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    syncedAt: t.expose('syncedAt', { type: 'DateTime', nullable: true }),
  }),
});

// What `User.accounts` reads of each account; `userId` for the `self` rule.
const ACCOUNT_COLUMNS: ColumnPlan<BackendAccountViewColumn> = {
  typeName: 'BackendAccount',
  all: BACKEND_ACCOUNT_VIEW_COLUMNS,
  always: ['userId'],
  fields: { converged: ['syncedAt', 'status', 'desiredStatus', 'confirmedVersion', 'desiredVersion'] },
};

export const User = builder.node(builder.objectRef<UserRow>('User'), {
  id: { resolve: (user) => user.id },
  loadMany: (ids, context) => Promise.all(ids.map((id) => context.loaders.user.load(id))),
  // Automation reads the users it provisions; a user reads themselves.
  authScopes: scopesOrRow<UserRow>(['read', 'automation'], (user) => ({ self: user.id })),
  fields: (t) => ({
    email: t.expose('email', { type: 'EmailAddress' }),
    username: t.exposeString('username'),
    displayName: t.exposeString('displayName', { nullable: true }),
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    status: t.expose('status', { type: UserStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    accounts: t.field({
      type: [BackendAccount],
      description: 'Accounts in each backend, ordered by backend.',
      resolve: (user, _args, context, info) => context.loaders.accountsByUser(columnsSelected(info, ACCOUNT_COLUMNS)).load(user.id),
    }),
  }),
});

// What `users` reads of each user: fields that load more by the user's id read the id.
const PAGED_USER_COLUMNS: ColumnPlan<UserColumn> = {
  typeName: 'User',
  all: USER_COLUMNS,
  always: ['id'],
  fields: { id: ['id'], accounts: ['id'], resourcePools: ['id'], oauth2Connections: ['id'] },
  path: ['edges', 'node'],
};

const UserFilter = builder.inputType('UserFilter', {
  fields: (t) => ({
    email: t.string({ required: false, description: 'Exact email, ignoring case.' }),
    status: t.field({ type: UserStatusEnum, required: false }),
    backend: t.field({ type: BackendEnum, required: false, description: 'Users with an account in this backend.' }),
    search: t.string({ required: false, description: 'Substring of email, username or display name, ignoring case.' }),
  }),
});

builder.queryFields((t) => ({
  users: t.connection({
    type: User,
    authScopes: { read: true },
    description: 'Users in creation order.',
    args: { filter: t.arg({ type: UserFilter, required: false }) },
    resolve: (_root, args, { deps }, info) => {
      const filter = args.filter ?? {};
      const columns = columnsSelected(info, PAGED_USER_COLUMNS);
      return keysetConnection(
        deps.cursors,
        args,
        (window) => usersRepository.page(deps.store.db, filter, window, columns),
        () => usersRepository.count(deps.store.db, filter),
      );
    },
  }),
  user: t.field({
    type: User,
    nullable: true,
    authScopes: { read: true },
    description: 'One user by global id or by email (ignoring case); exactly one of the two.',
    args: { id: t.arg.globalID({ required: false, for: User }), email: t.arg.string({ required: false }) },
    resolve: async (_root, args, { loaders, deps }) => {
      if ((args.id == null) === (args.email == null)) throw badInput('pass exactly one of "id" or "email"');
      if (args.id) return loaders.user.load(args.id.id);
      return (await usersRepository.byEmail(deps.store.db, args.email ?? '')) ?? null;
    },
  }),
  viewer: t.field({
    type: User,
    nullable: true,
    description: 'The gateway user the caller is, if any (null for service tokens and dev mode).',
    resolve: (_root, _args, { caller, loaders }) => (caller.userId ? loaders.user.load(caller.userId) : null),
  }),
}));

export const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string({ description: 'Unique, ignoring case.' }),
    username: t.string({ description: 'Unique, ignoring case; valid in every backend.' }),
    displayName: t.string({ required: false }),
    firstName: t.string({ required: false }),
    lastName: t.string({ required: false }),
    backends: t.field({
      type: [BackendEnum],
      required: false,
      description: 'Backends to create (or link) an account in; each must be configured.',
    }),
  }),
});

const SecretKindEnum = builder.enumType('SecretKind', { values: SECRET_KINDS });

export const RevealedSecret = builder.objectRef<ProvisioningOutcome['secrets'][number]>('RevealedSecret').implement({
  description: 'A credential a backend made for the user. Shown once, in the payload of the mutation that made it; stored encrypted and never readable again.',
  authScopes: { automation: true },
  fields: (t) => ({
    backend: t.expose('backend', { type: BackendEnum }),
    kind: t.expose('kind', { type: SecretKindEnum }),
    value: t.string({
      description: 'The secret; an idempotent replay of the mutation shows "[revealed once]" instead.',
      resolve: (secret, _args, context) => revealOnce(context, secret.value),
    }),
  }),
});

export const PendingSecret = builder.objectRef<ProvisioningOutcome['pendingSecrets'][number]>('PendingSecret').implement({
  description: 'A one-time secret waiting, sealed, for its one pickup with revealAccountSecrets.',
  authScopes: { automation: true },
  fields: (t) => ({
    backend: t.expose('backend', { type: BackendEnum }),
    kind: t.expose('kind', { type: SecretKindEnum }),
  }),
});

/** Payloads of mutations that drive backend accounts: the user, every account's outcome, one-time secrets. */
export function provisioningPayload<T extends { user: UserRow } & ProvisioningOutcome>(name: string, extra?: { created: true }) {
  return builder.objectRef<T & { created?: boolean }>(name).implement({
    authScopes: { automation: true },
    fields: (t) => ({
      user: t.field({ type: User, resolve: (payload) => payload.user }),
      accounts: t.field({
        type: [BackendAccount],
        description: "Every account of the user, with this call's outcome (a FAILED account is retried later).",
        resolve: (payload) => payload.accounts,
      }),
      secrets: t.field({ type: [RevealedSecret], resolve: (payload) => payload.secrets }),
      pendingSecrets: t.field({
        type: [PendingSecret],
        description: 'Secrets made by work this call did not wait for (or earlier), sealed for one revealAccountSecrets.',
        resolve: (payload) => payload.pendingSecrets,
      }),
      ...(extra?.created
        ? { created: t.boolean({ description: 'False when an identical earlier request already created this user.', resolve: (payload) => payload.created ?? true }) }
        : {}),
    }),
  });
}

export const CreateUserPayload = provisioningPayload('CreateUserPayload', { created: true });

const UserIdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ id: t.id({ description: 'Global id of the user.' }) }) });
const EnableUserInput = UserIdInput('EnableUserInput');
const DisableUserInput = UserIdInput('DisableUserInput');
const EnableUserPayload = provisioningPayload('EnableUserPayload');
const DisableUserPayload = provisioningPayload('DisableUserPayload');

builder.mutationFields((t) => ({
  createUser: t.field({
    type: CreateUserPayload,
    authScopes: { automation: true },
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateUserInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await createUser(deps, input)),
  }),
  enableUser: t.field({
    type: EnableUserPayload,
    authScopes: { automation: true },
    errors: { types: MUTATION_ERRORS },
    description: 'Enable the user; idempotent.',
    args: { input: t.arg({ type: EnableUserInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await setUserStatus(deps, idOrNotFound(String(input.id), 'User'), 'ACTIVE')),
  }),
  disableUser: t.field({
    type: DisableUserPayload,
    authScopes: { automation: true },
    errors: { types: MUTATION_ERRORS },
    description: 'Disable the user (the deprovisioning step: nothing is deleted); idempotent.',
    args: { input: t.arg({ type: DisableUserInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await setUserStatus(deps, idOrNotFound(String(input.id), 'User'), 'DISABLED')),
  }),
}));
