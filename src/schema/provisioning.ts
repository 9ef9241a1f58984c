import { type AdoptedAccount, adoptAccount, releaseAccount } from '../domain/account-adoption.ts';
import { BACKEND_HEALTH_STATUSES } from '../domain/account-backends.ts';
import type { BackendHealth } from '../domain/backend-health.ts';
import type { AccountSecret } from '../domain/account-backends.ts';
import { revealAccountSecrets } from '../domain/account-secrets.ts';
import { type ImportCounts, importBackend } from '../domain/backend-import.ts';
import { retryProvisioning } from '../domain/provisioning.ts';
import type { Backend, BackendAccountRow, UserRow } from '../store/schema.ts';
import { builder } from './builder.ts';
import { BACKEND_MUTATION_ERRORS, MUTATION_ERRORS, unwrap } from './errors.ts';
import { idOrNotFound } from './ids.ts';
import { BackendAccount, BackendEnum, provisioningPayload, RevealedSecret, User } from './users.ts';

const RetryProvisioningInput = builder.inputType('RetryProvisioningInput', {
  fields: (t) => ({ userId: t.id({ description: 'Global id of the user whose unfinished accounts to retry now.' }) }),
});
const RetryProvisioningPayload = provisioningPayload('RetryProvisioningPayload');

const SyncBackendInput = builder.inputType('SyncBackendInput', {
  fields: (t) => ({
    backend: t.field({ type: BackendEnum }),
    dryRun: t.boolean({ required: false, defaultValue: false, description: 'Count what would be adopted and skipped, changing nothing.' }),
  }),
});

type SyncCounts = ImportCounts & { backend: Backend; dryRun: boolean };

const SyncBackendPayload = builder.objectRef<SyncCounts>('SyncBackendPayload').implement({
  description: 'Counts of one import pass (the bulk form of adoptAccount). Running it again changes nothing: every account is then unchanged.',
  authScopes: { admin: true },
  fields: (t) => ({
    backend: t.expose('backend', { type: BackendEnum }),
    dryRun: t.exposeBoolean('dryRun', { description: 'True when nothing was written: the counts say what a real pass would do.' }),
    linked: t.exposeInt('linked', { description: 'Accounts adopted for an existing gateway user with the same email.' }),
    created: t.exposeInt('created', { description: 'Gateway users created for accounts with no matching user (the accounts adopted).' }),
    unchanged: t.exposeInt('unchanged', { description: 'Accounts the gateway already had linked.' }),
    skippedAdmins: t.exposeInt('skippedAdmins', { description: 'Backend admins: never adopted.' }),
    skippedMismatches: t.exposeInt('skippedMismatches', { description: 'Accounts whose username is a gateway user\'s with another email: not adopted.' }),
    failed: t.exposeInt('failed', { description: 'Accounts that could not be imported (see the log).' }),
  }),
});

const AdoptAccountInput = builder.inputType('AdoptAccountInput', {
  fields: (t) => ({
    userId: t.id({ description: 'Global id of the user to link the account to.' }),
    backend: t.field({ type: BackendEnum }),
    mintToken: t.boolean({
      required: false,
      defaultValue: false,
      description: 'Forgejo: also mint the gateway token for the account, with the site admin\'s Basic credentials (FORGE_ADMIN_USERNAME/PASSWORD). Nothing is minted otherwise.',
    }),
    forgeOtp: t.string({ required: false, description: 'A current TOTP code of the Forgejo site admin, when that admin has two-factor authentication.' }),
  }),
});

const AdoptAccountPayload = builder.objectRef<AdoptedAccount>('AdoptAccountPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    user: t.field({ type: User, resolve: (payload) => payload.user }),
    account: t.field({ type: BackendAccount, resolve: (payload) => payload.account }),
    secrets: t.field({ type: [RevealedSecret], description: 'Only what mintToken asked for.', resolve: (payload) => payload.secrets }),
  }),
});

const ReleaseAccountInput = builder.inputType('ReleaseAccountInput', {
  fields: (t) => ({ userId: t.id({ description: 'Global id of the user.' }), backend: t.field({ type: BackendEnum }) }),
});

const ReleaseAccountPayload = builder
  .objectRef<{ user: UserRow; account: BackendAccountRow }>('ReleaseAccountPayload')
  .implement({
    authScopes: { admin: true },
    fields: (t) => ({
      user: t.field({ type: User, resolve: (payload) => payload.user }),
      account: t.field({ type: BackendAccount, description: 'The link as it was; the gateway no longer holds it.', resolve: (payload) => payload.account }),
    }),
  });

const BackendHealthStatusEnum = builder.enumType('BackendHealthStatus', {
  values: BACKEND_HEALTH_STATUSES,
  description: 'MISCONFIGURED: provisioning fails until an operator fixes the credentials. DEGRADED: an optional feature (import) fails.',
});

const BackendStatus = builder.objectRef<BackendHealth>('BackendStatus').implement({
  description: "Whether a configured backend accepts the gateway's credentials for everything the gateway does with it.",
  authScopes: { read: true },
  fields: (t) => ({
    name: t.expose('name', { type: BackendEnum }),
    status: t.expose('status', { type: BackendHealthStatusEnum }),
    message: t.exposeString('message', { nullable: true, description: 'What is missing (a token scope, refused credentials) and what it breaks.' }),
    checkedAt: t.expose('checkedAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  backends: t.field({
    type: [BackendStatus],
    authScopes: { read: true },
    description: 'Each configured backend, checked without changing anything (answers are reused for 30 s).',
    resolve: (_root, _args, { deps }) => deps.backendHealth.current(),
  }),
}));

const RevealAccountSecretsInput = builder.inputType('RevealAccountSecretsInput', {
  fields: (t) => ({ userId: t.id({ description: 'Global id of the user whose waiting secrets to pick up.' }) }),
});

const RevealAccountSecretsPayload = builder.objectRef<{ user: UserRow; secrets: AccountSecret[] }>('RevealAccountSecretsPayload').implement({
  authScopes: { automation: true },
  fields: (t) => ({
    user: t.field({ type: User, resolve: (payload) => payload.user }),
    secrets: t.field({
      type: [RevealedSecret],
      description: 'Every secret that was waiting (see pendingSecrets), shown this once; empty when none was.',
      resolve: (payload) => payload.secrets,
    }),
  }),
});

builder.mutationFields((t) => ({
  revealAccountSecrets: t.field({
    type: RevealAccountSecretsPayload,
    authScopes: { automation: true },
    errors: { types: MUTATION_ERRORS },
    description:
      'The one pickup of the secrets backends made for the user after the mutation that asked for them had answered (a password, a token): shown once, then never again by any call.',
    args: { input: t.arg({ type: RevealAccountSecretsInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await revealAccountSecrets(deps, idOrNotFound(String(input.userId), 'User'))),
  }),
  retryProvisioning: t.field({
    type: RetryProvisioningPayload,
    authScopes: { automation: true },
    errors: { types: MUTATION_ERRORS },
    description: "Retry now every unfinished or FAILED account of the user (the worker also does, on its schedule).",
    args: { input: t.arg({ type: RetryProvisioningInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await retryProvisioning(deps, idOrNotFound(String(input.userId), 'User'))),
  }),
  syncBackend: t.field({
    type: SyncBackendPayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description:
      'Import every account of the backend: adopt each for the gateway user with the same email (ignoring case), or create that user. Backend admins and username/email mismatches are skipped and counted.',
    args: { input: t.arg({ type: SyncBackendInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await importBackend(deps, input.backend, input.dryRun ?? false)),
  }),
  adoptAccount: t.field({
    type: AdoptAccountPayload,
    authScopes: { admin: true },
    errors: { types: BACKEND_MUTATION_ERRORS },
    description:
      "Link the user to the account the backend already holds for them (Retool: by email; Forgejo: by username), so the gateway may act on it. Only when the account's email matches the user's and it is not a backend admin.",
    args: { input: t.arg({ type: AdoptAccountInput }) },
    resolve: async (_root, { input }, { deps }) =>
      unwrap(
        await adoptAccount(deps, {
          userId: idOrNotFound(String(input.userId), 'User'),
          backend: input.backend,
          mintToken: input.mintToken,
          forgeOtp: input.forgeOtp,
        }),
      ),
  }),
  releaseAccount: t.field({
    type: ReleaseAccountPayload,
    authScopes: { admin: true },
    errors: { types: MUTATION_ERRORS },
    description: 'Forget the link between the user and their account in the backend, and the secrets held for it. The backend account is left exactly as it is.',
    args: { input: t.arg({ type: ReleaseAccountInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await releaseAccount(deps, { userId: idOrNotFound(String(input.userId), 'User'), backend: input.backend })),
  }),
}));
