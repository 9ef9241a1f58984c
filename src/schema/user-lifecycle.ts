// Movers, leavers and returners: updateUser, deleteUser, restoreUser
// (docs/lifecycle.md). Joiners are createUser (users.ts).
import { ACCOUNT_UPDATE_OUTCOMES, type AccountUpdate, type UpdatedUser, updateUser } from '../domain/user-profile.ts';
import { type CredentialOutcome, type DeletedUser, deleteUser, restoreUser } from '../domain/user-removal.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS, unwrap } from './errors.ts';
import { idOrNotFound } from './ids.ts';
import { BackendAccount, BackendEnum, provisioningPayload, User } from './users.ts';

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  fields: (t) => ({
    id: t.id({ description: 'Global id of the user.' }),
    email: t.string({ required: false, description: 'Unique, ignoring case. Retool cannot change an email: its account keeps the old one (NOT_SUPPORTED).' }),
    displayName: t.string({ required: false, description: 'Omitted: unchanged; null: cleared.' }),
    firstName: t.string({ required: false, description: 'Omitted: unchanged; null: cleared.' }),
    lastName: t.string({ required: false, description: 'Omitted: unchanged; null: cleared.' }),
    username: t.string({ required: false, description: 'Refused: usernames are immutable (a Forgejo rename breaks every clone URL).' }),
  }),
});

const AccountUpdateOutcomeEnum = builder.enumType('AccountUpdateOutcome', {
  values: ACCOUNT_UPDATE_OUTCOMES,
  description:
    'UPDATED: the backend holds the new profile. PENDING: not done yet (being provisioned, or another run holds it); the worker finishes it. ' +
    'FAILED: the backend refused or failed; retried later when a retry can help. NOT_SUPPORTED: the backend cannot change a field (Retool: email); the rest was updated. ' +
    "SKIPPED_NOT_OWNED: someone else's account (CONFLICT), never changed.",
});

const AccountUpdateRef = builder.objectRef<AccountUpdate>('AccountUpdate').implement({
  description: 'What an updateUser did to one backend account.',
  authScopes: { automation: true },
  fields: (t) => ({
    backend: t.expose('backend', { type: BackendEnum }),
    account: t.field({ type: BackendAccount, resolve: (update) => update.account }),
    outcome: t.expose('outcome', { type: AccountUpdateOutcomeEnum }),
    message: t.exposeString('message', { nullable: true }),
  }),
});

const UpdateUserPayload = builder.objectRef<UpdatedUser>('UpdateUserPayload').implement({
  authScopes: { automation: true },
  fields: (t) => ({
    user: t.field({ type: User, resolve: (payload) => payload.user }),
    accounts: t.field({ type: [AccountUpdateRef], description: "Each account's outcome, ordered by backend.", resolve: (payload) => payload.accounts }),
  }),
});

const CredentialRevocationRef = builder.objectRef<CredentialOutcome>('CredentialRevocation').implement({
  description: 'A backend token the gateway had minted for the user (Forgejo), and whether deleteUser could revoke it.',
  authScopes: { admin: true },
  fields: (t) => ({
    backend: t.expose('backend', { type: BackendEnum }),
    revoked: t.exposeBoolean('revoked'),
    message: t.exposeString('message'),
  }),
});

const DeleteUserPayload = builder.objectRef<DeletedUser>('DeleteUserPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    user: t.field({ type: User, description: 'The deleted user, as it was deleted (no query shows it any more).', resolve: (payload) => payload.user }),
    accounts: t.field({
      type: [BackendAccount],
      description: 'Every account: left present in its backend, disabled (a FAILED one is disabled later by the worker). None is deleted.',
      resolve: (payload) => payload.accounts,
    }),
    apiTokensRevoked: t.exposeInt('apiTokensRevoked'),
    poolGrantsRemoved: t.exposeInt('poolGrantsRemoved', { description: 'Viewer grants removed, manual and from providers.' }),
    oauth2ConnectionsRemoved: t.exposeInt('oauth2ConnectionsRemoved'),
    oauth2TokensRevoked: t.exposeInt('oauth2TokensRevoked', { description: 'Of the connections removed, those whose token the provider confirmed revoked.' }),
    credentials: t.field({ type: [CredentialRevocationRef], resolve: (payload) => payload.credentials }),
  }),
});

const UserIdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ id: t.id({ description: 'Global id of the user.' }) }) });
const RestoreUserPayload = provisioningPayload('RestoreUserPayload');

builder.mutationFields((t) => ({
  updateUser: t.field({
    type: UpdateUserPayload,
    authScopes: { automation: true },
    errors: { types: MUTATION_ERRORS },
    description: "Change a user's email or names, in the store and in every account the gateway owns or an admin adopted.",
    args: { input: t.arg({ type: UpdateUserInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await updateUser(deps, { ...input, id: idOrNotFound(String(input.id), 'User') })),
  }),
  deleteUser: t.field({
    type: DeleteUserPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    description:
      'Delete the user from the gateway: hidden from every query, credentials refused, API tokens revoked, providers disconnected, pool access removed, ' +
      'every backend account disabled (never deleted). restoreUser undoes it.',
    args: { input: t.arg({ type: UserIdInput('DeleteUserInput') }) },
    resolve: async (_root, { input }, { deps, caller }) => unwrap(await deleteUser(deps, { id: idOrNotFound(String(input.id), 'User'), actor: caller.id })),
  }),
  restoreUser: t.field({
    type: RestoreUserPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    description: "Undo deleteUser: the accounts follow the user's status again. Tokens and connections stay revoked.",
    args: { input: t.arg({ type: UserIdInput('RestoreUserInput') }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await restoreUser(deps, idOrNotFound(String(input.id), 'User'))),
  }),
}));
