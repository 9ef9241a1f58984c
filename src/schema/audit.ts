import { auditEventsRepository } from '../store/repositories/audit-events.ts';
import type { AuditEventRow } from '../store/schema.ts';
import { builder } from './builder.ts';
import { keysetConnection } from './pagination.ts';

export const AuditEvent = builder.node(builder.objectRef<AuditEventRow>('AuditEvent'), {
  description: 'One mutation call: who, what, on which rows, and how it ended. Never holds a secret.',
  id: { resolve: (event) => event.id },
  loadMany: async (ids, context) => {
    const rows = new Map((await auditEventsRepository.byIds(context.deps.store.db, ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  },
  authScopes: { admin: true },
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    actor: t.exposeString('actor', { description: 'The caller: `admin-token`, `api-token:<id>`, `jwt:<subject>`, `dev` or `anonymous`.' }),
    operation: t.exposeString('operation', { description: 'The mutation field, e.g. `createUser`.' }),
    targetIds: t.exposeStringList('targetIds', { description: 'Global ids of the rows the call named or made.' }),
    outcome: t.exposeString('outcome', {
      description: 'The result type (`CreateUserPayload`, `ValidationError`, `ForbiddenError`...) or `UnexpectedError`.',
    }),
    details: t.expose('details', {
      type: 'JSONObject',
      description: 'Request id, idempotency key, per-backend results, error message; never input values or secrets.',
    }),
  }),
});

const AuditEventFilter = builder.inputType('AuditEventFilter', {
  fields: (t) => ({
    actor: t.string({ required: false }),
    operation: t.string({ required: false }),
    outcome: t.string({ required: false }),
    targetId: t.id({ required: false, description: 'Events that name this global id among their targets.' }),
    since: t.field({ type: 'DateTime', required: false, description: 'At or after.' }),
    until: t.field({ type: 'DateTime', required: false, description: 'Before.' }),
  }),
});

builder.queryFields((t) => ({
  auditEvents: t.connection({
    type: AuditEvent,
    authScopes: { admin: true },
    description: 'Audit events, oldest first (`last: N` for the latest).',
    args: { filter: t.arg({ type: AuditEventFilter, required: false }) },
    resolve: (_root, args, { deps }) => {
      const filter = { ...args.filter, targetId: args.filter?.targetId == null ? undefined : String(args.filter.targetId) };
      return keysetConnection(
        deps.cursors,
        args,
        (window) => auditEventsRepository.page(deps.store.db, filter, window),
        () => auditEventsRepository.count(deps.store.db, filter),
      );
    },
  }),
}));
