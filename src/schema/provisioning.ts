import { importBackend } from '../domain/backend-import.ts';
import { retryProvisioning } from '../domain/provisioning.ts';
import type { Backend } from '../store/schema.ts';
import { builder } from './builder.ts';
import { BACKEND_MUTATION_ERRORS, MUTATION_ERRORS, unwrap } from './errors.ts';
import { idOrNotFound } from './ids.ts';
import { BackendEnum, provisioningPayload } from './users.ts';

const RetryProvisioningInput = builder.inputType('RetryProvisioningInput', {
  fields: (t) => ({ userId: t.id({ description: 'Global id of the user whose unfinished accounts to retry now.' }) }),
});
const RetryProvisioningPayload = provisioningPayload('RetryProvisioningPayload');

const SyncBackendInput = builder.inputType('SyncBackendInput', {
  fields: (t) => ({ backend: t.field({ type: BackendEnum }) }),
});

const SyncBackendPayload = builder
  .objectRef<{ backend: Backend; linked: number; created: number; unchanged: number; failed: number }>('SyncBackendPayload')
  .implement({
    description: 'Counts of one import pass. Running it again changes nothing: every account is then unchanged.',
    authScopes: { admin: true },
    fields: (t) => ({
      backend: t.expose('backend', { type: BackendEnum }),
      linked: t.exposeInt('linked', { description: 'Accounts linked to an existing gateway user with the same email.' }),
      created: t.exposeInt('created', { description: 'Gateway users created for accounts with no matching user.' }),
      unchanged: t.exposeInt('unchanged', { description: 'Accounts the gateway already had linked.' }),
      failed: t.exposeInt('failed', { description: 'Accounts that could not be imported (see the log).' }),
    }),
  });

builder.mutationFields((t) => ({
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
    description: 'Import every account of the backend, linking by email (ignoring case) or creating users.',
    args: { input: t.arg({ type: SyncBackendInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await importBackend(deps, input.backend)),
  }),
}));
