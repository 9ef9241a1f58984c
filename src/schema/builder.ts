// Builder configuration only; types live one file per area beside this one.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { DateTimeResolver, EmailAddressResolver, JSONObjectResolver } from 'graphql-scalars';
import type { Caller } from '../auth.ts';
import type { GatewayContext } from '../context.ts';
import { ForbiddenError } from '../errors.ts';
import GatewayPlugin from './gateway-plugin.ts';

type CallerScope = 'admin' | 'automation' | 'read';

/** Whether the caller holds a scope; `admin` implies the others. */
function holds(caller: Caller, scope: CallerScope): boolean {
  return caller.scopes.has(scope) || caller.scopes.has('admin');
}

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  // `self` takes a user id: it holds when the caller is that gateway user
  // (an API token or JWT bound to them), so users may read and act on themselves.
  // `viewsPool` takes a pool id: it holds when the caller is a gateway user
  // holding a viewer grant on that pool.
  AuthScopes: { admin: boolean; automation: boolean; read: boolean; self: string; viewsPool: string };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    EmailAddress: { Input: string; Output: string };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
  Connection: { totalCount: () => Promise<number> };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  // The gateway plugin first: its wrappers go outside the others' (it
  // audits a mutation's typed errors and denials, and checks type rules on
  // what they return) and it sees every option after them
  // (gateway-plugin.ts). Scope checks wrap inside the errors plugin so that
  // a denied mutation is caught by it and answered as a ForbiddenError
  // member of its result union.
  plugins: [GatewayPlugin, ErrorsPlugin, ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    // Type rules are checked once per object by the fields that return it
    // (the gateway plugin takes them out of scope-auth's sight, type-rules.ts);
    // should one ever reach scope-auth, it would not run in front of every field.
    runScopesOnType: true,
    authScopes: (context) => ({
      admin: holds(context.caller, 'admin'),
      automation: holds(context.caller, 'automation'),
      read: holds(context.caller, 'read'),
      self: (userId: string) => context.caller.userId !== undefined && context.caller.userId === userId,
      viewsPool: async (poolId: string) => {
        const { userId } = context.caller;
        return userId !== undefined && (await context.loaders.resourcePoolsByViewer(['id']).load(userId)).some((pool) => pool.id === poolId);
      },
    }),
    unauthorizedError: (_parent, _context, info) =>
      info.parentType.name === 'Mutation'
        ? new ForbiddenError(`not allowed to call ${info.fieldName}`)
        : new GraphQLError(`not allowed to read ${info.parentType.name}.${info.fieldName}`, { extensions: { code: 'FORBIDDEN' } }),
  },
  errors: {
    defaultTypes: [],
    directResult: true,
    defaultUnionOptions: {
      name: ({ fieldName }) => `${fieldName.charAt(0).toUpperCase()}${fieldName.slice(1)}Result`,
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
});

/**
 * The type-level rule of types anyone may read: the typed errors a mutation
 * answers (a caller without scopes must still see its ForbiddenError).
 */
export const PUBLIC = (): boolean => true;

type RowScopes = { self: string } | { viewsPool: string };

/**
 * A type rule: any of `scopes`, or what `ofRow` says about one row (that it
 * is the caller's own, or a pool the caller views). A caller holding one of
 * `scopes` gets the same map object for every row, which scope-auth
 * evaluates once per request instead of once per row of a long list.
 */
export function scopesOrRow<Row>(scopes: ReadonlyArray<Exclude<CallerScope, 'admin'>>, ofRow: (row: Row) => RowScopes) {
  const shared = Object.freeze(Object.fromEntries(scopes.map((scope) => [scope, true])));
  // A loop, not `some` with a closure: this runs for every row of a page.
  const holdsAny = (caller: Caller) => {
    for (const scope of scopes) if (holds(caller, scope)) return true;
    return false;
  };
  return (row: Row, context: GatewayContext) => (holdsAny(context.caller) ? shared : { ...shared, ...ofRow(row) });
}

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);

builder.queryType({});
builder.mutationType({});

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'Rows matching the filter, ignoring pagination.',
    resolve: (connection) => connection.totalCount(),
  }),
);
